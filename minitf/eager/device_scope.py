"""``tf.device(...)`` in eager mode: which device runs the ops called inside.

Graph mode writes the request on each new op and lets the placer decide later.
Eager mode decides now, so the scope is just a stack of full device names;
``current()`` is the innermost one ("" outside every scope).
"""

from __future__ import annotations

import contextlib

from ..framework import device_spec
from ..kernels import devices
from . import mode, placement

_stack: list = []


def current() -> str:
    """The full name of the device requested by the innermost scope, or ""."""
    return _stack[-1] if _stack else ""


def full_name(spec) -> str:
    """``'/gpu:0'`` -> ``'/job:localhost/replica:0/task:0/device:GPU:0'`` ("" for None or "")."""
    if spec is None or spec == "":
        return ""
    if hasattr(spec, "to_string"):
        spec = spec.to_string()
    parts = device_spec.parse_device(spec)
    if "type" not in parts:
        return ""
    return device_spec.full_device_name(parts["type"], parts.get("index") or 0)


@contextlib.contextmanager
def eager_device(spec):
    """Run the ops inside on ``spec``; a device this process lacks is TF's error."""
    name = full_name(spec)
    if name and name not in devices.available_devices():
        if mode.options.allow_soft_placement:
            name = devices.CPU
        else:
            devices.check_device(name)
    if name and "GPU" in name:
        placement.note_gpu_in_use()
    _stack.append(name)
    try:
        yield
    finally:
        _stack.pop()
