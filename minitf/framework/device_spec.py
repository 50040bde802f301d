"""Device names: ``'/CPU:0'``, ``'/gpu:0'``, ``'/device:GPU:0'``, full job paths.

TF 1.x stores the requested device in canonical form (``/device:CPU:0``) and
prints placements with the full name ``/job:localhost/replica:0/task:0/device:CPU:0``.
"""

from __future__ import annotations

import re

from . import errors

FULL_PREFIX = "/job:localhost/replica:0/task:0"

_PART = re.compile(r"^(?:job:(?P<job>[^/]+)|replica:(?P<replica>\d+)|task:(?P<task>\d+)"
                   r"|device:(?P<dtype>[A-Za-z_]+):(?P<dindex>\d+|\*)"
                   r"|(?P<short>[A-Za-z_]+):(?P<sindex>\d+|\*)|(?P<bare>cpu|gpu|CPU|GPU))$")


def parse_device(spec: str) -> dict:
    """Split a device string into job/replica/task/type/index parts."""
    out = {}
    for part in filter(None, spec.split("/")):
        m = _PART.match(part)
        if not m:
            raise ValueError(f"Unknown attribute: '{part}' in '{spec}'")
        g = m.groupdict()
        for key in ("job", "replica", "task"):
            if g[key] is not None:
                out[key] = g[key]
        dev_type = g["dtype"] or g["short"] or g["bare"]
        if dev_type:
            out["type"] = dev_type.upper()
            index = g["dindex"] or g["sindex"]
            out["index"] = None if index in (None, "*") else int(index)
    return out


def canonical_device(spec) -> str:
    """``'/gpu:0'`` → ``'/device:GPU:0'`` (job parts kept in front)."""
    if spec is None:
        return ""
    if hasattr(spec, "to_string"):
        spec = spec.to_string()
    parts = parse_device(spec)
    text = ""
    for key in ("job", "replica", "task"):
        if key in parts:
            text += f"/{key}:{parts[key]}"
    if "type" in parts:
        index = "*" if parts["index"] is None else parts["index"]
        text += f"/device:{parts['type']}:{index}"
    return text


def merge_devices(outer: str, inner: str) -> str:
    """``inner``'s fields over ``outer``'s: ``('/job:ps', '/gpu:1')`` → ``'/job:ps/device:GPU:1'``."""
    parts = parse_device(outer)
    parts.update(parse_device(inner))
    return canonical_device("".join(f"/{key}:{parts[key]}" for key in ("job", "replica", "task") if key in parts)
                            + (f"/device:{parts['type']}:{'*' if parts['index'] is None else parts['index']}"
                               if "type" in parts else ""))


def full_device_name(dev_type: str, index: int = 0) -> str:
    return f"{FULL_PREFIX}/device:{dev_type}:{index}"


def unsatisfiable(op_name: str, requested: str, available: list) -> errors.InvalidArgumentError:
    """TF 1.x's error for an explicit device that does not exist."""
    return errors.InvalidArgumentError(None, None, (
        f"Cannot assign a device for operation '{op_name}': Could not satisfy explicit device "
        f"specification '{requested}' because no devices matching that specification are "
        f"registered in this process; available devices: {', '.join(available)}"))
