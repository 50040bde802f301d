"""Where an eager op runs, and getting its inputs there.

The rules, in order:

1. an op that updates a variable runs where the variable lives;
2. inside ``tf.device(...)`` an op runs on that device;
3. otherwise it runs where its inputs live (the first input in device memory
   decides; int32 tensors are bookkeeping and live on the host), and on the
   CPU when it has no such input.  So nothing touches the GPU until you ask
   (``x.gpu()`` or a device scope), as in TF 1.x's ``x_gpu0 = x.gpu()`` examples.

An op that has no kernel for the chosen GPU falls back to the CPU.

An input living elsewhere is copied only when the device policy allows it
(``DEVICE_PLACEMENT_SILENT``, or int32 under the default policy); otherwise it
is TF's "Tensors on conflicting devices" error.  minitf also copies scalars
(what ``x * 2`` makes of the 2) and the inputs of variable updates silently.
"""

from __future__ import annotations

import logging

import numpy as np

from ..client import memory
from ..framework import dtypes, errors
from ..kernels import devices
from . import device_scope, eager_tensor, mode

CPU = devices.CPU
ANY = memory.ANY          # an input target meaning "wherever it is" (only its shape is read)
_log = logging.getLogger("minitf")

# False until some tensor went to a GPU: until then every op runs on the CPU and
# the executor skips all device bookkeeping (the common, fast case).
gpu_in_use = False


def note_gpu_in_use() -> None:
    global gpu_in_use
    gpu_in_use = True


def op_device(op_def, inputs) -> str:
    """The full name of the device that runs ``op_def`` on ``inputs`` (rules 1-3)."""
    for i in op_def.ref_inputs:
        if i < len(inputs):
            return inputs[i].device
    device = device_scope.current()
    if not device:
        device = _device_of_inputs(inputs)
    if device != CPU and op_def.gpu_kernel is None:
        return CPU                                   # no GPU kernel: run on the CPU
    return device


def _device_of_inputs(inputs) -> str:
    for t in inputs:
        if t._device != CPU and not memory.host_dtype(t._dtype):
            return t._device
    return CPU


def memory_plan(op_def, device: str, in_dtypes, out_dtypes):
    """(use the CPU kernel?, input targets, output devices) for running ``op_def`` on ``device``.

    A target is a full device name, ANY (the value may stay where it is) or None
    (a variable reference, passed to the kernel as None).
    """
    refs = op_def.ref_inputs
    if device == CPU:
        targets = tuple(None if i in refs else CPU for i in range(len(in_dtypes)))
        return True, targets, tuple(CPU for _ in out_dtypes)
    on_host, ins, outs = memory.gpu_memory_plan(op_def, in_dtypes, out_dtypes)
    where = {memory.HOST: CPU, memory.DEVICE: device, memory.ANY: ANY, None: None}
    return on_host, tuple(where[i] for i in ins), tuple(where[o] for o in outs)


def move_input(op_def, index: int, tensor, target: str, device: str):
    """``tensor``'s value in ``target`` memory, copied if the policy allows, else TF's error."""
    if not _copy_allowed(op_def, tensor, target, device):
        raise errors.InvalidArgumentError(None, None, (
            f"Tensors on conflicting devices: cannot compute {op_def.type} as input #{index} was "
            f"expected to be on {target} but is actually on {tensor._device} (operation running "
            f"on {device}) Tensors can be copied explicitly using .gpu() or .cpu() methods, or "
            "transparently copied by using tf.enable_eager_execution(device_policy="
            "tfe.DEVICE_PLACEMENT_SILENT). Copying tensors between devices may slow down your "
            f"model [Op:{op_def.type}]"))
    if mode.options.device_policy == mode.DEVICE_PLACEMENT_WARN and target == device:
        _log.warning("before computing %s input #%d was expected to be on %s but is actually on "
                     "%s (operation running on %s). This triggers a copy which can be a "
                     "performance bottleneck.", op_def.type, index, target, tensor._device, device)
    return devices.copy_to(tensor._value, target)


def _copy_allowed(op_def, tensor, target: str, device: str) -> bool:
    if target != device:
        return True                                  # host memory of a GPU op: our own transfer
    policy = mode.options.device_policy
    if policy == mode.DEVICE_PLACEMENT_EXPLICIT:
        return False
    if policy in (mode.DEVICE_PLACEMENT_SILENT, mode.DEVICE_PLACEMENT_WARN):
        return True
    if tensor._dtype.base_dtype is dtypes.int32 or op_def.ref_inputs:
        return True
    if device == CPU and op_def.gpu_kernel is None and device_scope.current() not in ("", CPU):
        return True                                  # our own CPU fallback, not the user's mix
    return int(np.prod(tensor._value.shape)) <= 1    # scalars, e.g. the 2 in x * 2


def copy_tensor(tensor, device: str):
    """``tensor.gpu()`` / ``tensor.cpu()``: a new EagerTensor in ``device``'s memory."""
    if device not in devices.available_devices():
        raise errors.InvalidArgumentError(None, None, (
            f"Error copying tensor to device: {device}. {device} unknown device. "
            f"(minitf has {len(devices.available_devices()) - 1} GPU(s): "
            f"{devices.why_no_gpu() or 'ask for a GPU index that exists'})"))
    if device != CPU:
        note_gpu_in_use()
    if tensor._device == device:
        return tensor
    return eager_tensor.EagerTensor(devices.copy_to(tensor._value, device), tensor._dtype, device)


def wrap_like(tensor, value):
    """A new EagerTensor holding ``value`` on ``tensor``'s device."""
    if devices.on_host(value):
        value = np.asarray(value)
    return eager_tensor.EagerTensor(value, tensor._dtype, tensor._device)
