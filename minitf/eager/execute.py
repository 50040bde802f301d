"""Running one op now: what ``apply_op`` does in eager mode.

For every call:

1. pick the device (``placement.op_device``);
2. look the op up in the kernel cache, keyed by (type, attrs, device, input
   shapes and dtypes).  On a miss, run the registry's shape function (its
   checks raise TF's errors), build the device's kernel from the registry's
   factory, and remember both;
3. call the kernel on the input values and wrap the results as EagerTensors;
4. tell any recording GradientTape what ran.

The cache is what makes a small eager op cheap: a hit costs one dict lookup,
no shape function, no kernel construction.
"""

from __future__ import annotations

import time

import numpy as np

from ..client import memory
from ..framework import debug, dtypes, errors
from ..framework.op_builder import infer_outputs, run_time_shape_message
from ..kernels import devices
from . import device_scope, mode, placement, tape
from .eager_op import EagerOp, StaticOutput
from .eager_tensor import EagerTensor
from .runtime import runtime

CPU = devices.CPU
_INT_TYPES = (dtypes.int32, dtypes.int64)
_CONST_KEY_LIMIT = 16         # int inputs this small are part of the cache key (shape functions read them)
_CACHE_LIMIT = 20_000


class _Entry:
    """A cached kernel and what it needs: input memory per input, output dtypes and devices."""
    __slots__ = ("kernel", "targets", "out_dtypes", "out_devices", "np_dtypes", "one_host_output")

    def __init__(self, kernel, targets, out_dtypes, out_devices):
        self.kernel = kernel
        self.targets = targets
        self.out_dtypes = out_dtypes
        self.out_devices = out_devices
        self.np_dtypes = tuple(d.np_dtype for d in out_dtypes)
        self.one_host_output = out_devices == (CPU,)


_cache: dict = {}


def execute(op_def, inputs, attrs: dict, name=None):
    """Run ``op_def`` on EagerTensor ``inputs`` now; return its output(s) like graph mode does."""
    op_type = op_def.type
    if op_def.constant:
        return _constant(attrs)
    # The common case (everything on the CPU, no variable) skips all device bookkeeping.
    simple = not placement.gpu_in_use and not op_def.ref_inputs
    device = CPU if simple else placement.op_device(op_def, inputs)
    entry, key = _lookup(op_type, attrs, device, inputs)
    if entry is None:
        start = time.perf_counter()
        entry = _build(op_def, inputs, attrs, name, device)
        _remember(key, entry)
        if debug.level():
            _log_miss(op_type, inputs, device, start)
    args = [t._value for t in inputs] if simple else _arguments(op_def, inputs, entry, device)
    try:
        result = entry.kernel(*args)
    except errors.OpError:
        raise
    except Exception as e:
        raise _kernel_error(op_type, name, e, device) from (e if device == CPU else None)
    if entry.one_host_output:          # the common case again: one numpy result
        if type(result) is not np.ndarray or result.dtype != entry.np_dtypes[0]:
            result = np.asarray(result, dtype=entry.np_dtypes[0])
        outputs = [EagerTensor(result, entry.out_dtypes[0], CPU)]
    else:
        outputs = _wrap(result, entry)
    if not simple and device == CPU:
        outputs = _back_to_scope_device(op_def, outputs)
    if op_def.ref_inputs or tape.recording:
        _record(op_def, attrs, inputs, name, outputs)
    if mode.options.log_device_placement:
        print(f"Executing op {op_type} in device {device}")
    if len(outputs) == 1:
        return outputs[0]
    return outputs if outputs else None


def _lookup(op_type, attrs, device, inputs):
    """The cached entry for this call, and its key (None when an attr cannot be hashed)."""
    key = [op_type, device, *attrs.items()]
    for t in inputs:
        value = getattr(t, "_value", None)
        if value is None:                              # a variable reference: one kernel each
            key.append(t.op.name)
            continue
        np_dtype = value.dtype
        key.append(value.shape)
        key.append(np_dtype)
        if np_dtype.kind == "i" and value.size <= _CONST_KEY_LIMIT:
            key.append(devices.to_host(value).tobytes())   # axes, shapes: shape functions read them
    key = tuple(key)
    try:
        return _cache.get(key), key
    except TypeError:                                  # an unhashable attr (a numpy value)
        return None, None


def _log_miss(op_type, inputs, device, start) -> None:
    """MINITF_DEBUG >= 1: one line per kernel-cache miss."""
    args = ", ".join(f"{t.dtype.name}{list(t.shape)}" if hasattr(t, "_value") else "ref" for t in inputs)
    debug.log(1, f"eager cache miss: {op_type}({args}) on {device.rsplit('/device:', 1)[-1]}, "
                 f"kernel built in {debug.ms(time.perf_counter() - start)}")


def _remember(key, entry) -> None:
    if key is None:
        return
    if len(_cache) > _CACHE_LIMIT:                     # programs with ever-new shapes: start over
        _cache.clear()
    _cache[key] = entry


def _record(op_def, attrs, inputs, name, outputs) -> None:
    """Keep an op record on the outputs (``t.op``) and give it to the recording tapes."""
    record = EagerOp(op_def, attrs, inputs, name, outputs)
    for t in outputs:
        t._op = record
    if tape.recording:
        tape.record_operation(record)


def _arguments(op_def, inputs, entry, device) -> list:
    """Input values in the memory the kernel expects (None for variable references)."""
    args = []
    for i, (t, target) in enumerate(zip(inputs, entry.targets)):
        if target is None:
            args.append(None)
        elif t._device == target or target is placement.ANY:
            args.append(t._value)
        else:
            args.append(placement.move_input(op_def, i, t, target, device))
    return args


def _wrap(result, entry) -> list:
    """Kernel results -> EagerTensors with the dtypes the shape function promised."""
    n = len(entry.out_dtypes)
    if n == 0:
        return []
    results = (result,) if n == 1 else result
    outputs = []
    for value, dtype, np_dtype, dev in zip(results, entry.out_dtypes, entry.np_dtypes, entry.out_devices):
        if dev == CPU or devices.on_host(value):
            if type(value) is not np.ndarray or value.dtype != np_dtype:
                value = np.asarray(value, dtype=np_dtype)
            dev = CPU
        outputs.append(EagerTensor(value, dtype, dev))
    return outputs


def _back_to_scope_device(op_def, outputs) -> list:
    """An op without a GPU kernel ran on the CPU inside a GPU scope: its results go where asked."""
    scope = device_scope.current()
    if scope in ("", CPU) or op_def.gpu_kernel is not None or op_def.ref_inputs:
        return outputs
    return [placement.copy_tensor(t, scope) if not memory.host_dtype(t._dtype) else t
            for t in outputs]


# --- building a cache entry ---------------------------------------------------------------------
def _build(op_def, inputs, attrs, name, device) -> _Entry:
    """Check the inputs with the shape function, then make the kernel for ``device``."""
    op_name = name or op_def.type
    shapes = [t.shape for t in inputs]
    consts = [_const_of(t) for t in inputs]
    try:
        inferred = infer_outputs(op_def, op_name, inputs, attrs, shapes=shapes, consts=consts)
    except ValueError as e:            # a shape error: TF eager reports it as InvalidArgumentError
        message = run_time_shape_message(op_def, shapes, attrs, e)    # in the kernel's words
        raise errors.InvalidArgumentError(None, None, f"{message} [Op:{op_def.type}]") from None
    out_dtypes = tuple(d.base_dtype for _, d in inferred)
    template = EagerOp(op_def, attrs, inputs, op_name, [StaticOutput(d, s) for s, d in inferred])
    in_dtypes = [t.dtype for t in inputs]
    use_cpu_kernel, targets, out_devices = placement.memory_plan(op_def, device, in_dtypes, out_dtypes)
    factory = op_def.kernel if use_cpu_kernel else op_def.gpu_kernel
    if factory is None:
        raise errors.UnimplementedError(None, None, f"No kernel registered for op '{op_def.type}'")
    return _Entry(factory(template, runtime), targets, out_dtypes, out_devices)


def _const_of(t):
    """The value a shape function may read: small int tensors (axes, shapes), on the host."""
    if type(t) is EagerTensor and t._dtype in _INT_TYPES and t._value.size <= _CONST_KEY_LIMIT:
        return devices.to_host(t._value)
    return None


def _kernel_error(op_type, name, e, device) -> errors.OpError:
    """A failure inside a kernel, as TF eager words it (never a raw numba or CUDA trace)."""
    text = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    suffix = f" [Op:{op_type}]" if not name else f" [Op:{op_type}] name: {name}"
    if device != CPU and not isinstance(e, (ValueError, TypeError, IndexError)):
        return errors.InternalError(None, None, f"{op_type} failed on {device}: {text}{suffix}")
    return errors.InvalidArgumentError(None, None, f"{text}{suffix}")


# --- constants ----------------------------------------------------------------------------------
def _constant(attrs) -> EagerTensor:
    """``tf.constant`` in eager mode: the value itself, on the scope's device."""
    value = np.array(attrs["value"])                 # our own copy: the caller may reuse theirs
    dtype = attrs["dtype"]
    device = device_scope.current() or CPU
    if device != CPU and not memory.host_dtype(dtype):
        return EagerTensor(devices.to_device(value), dtype, device)
    return EagerTensor(value, dtype, CPU)
