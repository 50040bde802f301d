"""GPU kernels for the core array ops: constants, identity, reshapes, shapes, fill, cast, select.

Most of these move no numbers at all.  A reshape on the GPU is a new view of
the same device memory; ``Shape`` only reads ``x.shape``.  The few that write
memory (fill, cast, broadcast, select) launch the small kernels of
``array_kernels_cuda.py``.  Every kernel takes and returns device arrays,
except the inputs and outputs ``client/memory.py`` keeps on the host (int32
shapes, axes, the fill value).
"""

from __future__ import annotations

import numpy as np

from ..client import devices
from ..framework.registry import get_op_def
from ..kernels import layout
from . import array_ops_extra  # noqa: F401  (registers ExpandDims, Squeeze, Transpose first)
from .gpu_support import add_gpu_kernel, empty, flat, launch, shape_dummy


def _k():
    from . import array_kernels_cuda
    return array_kernels_cuda


# --- values that never change, and values passed through ------------------------------------
def _const_kernel(op, runtime):
    """The constant, copied to the GPU once when the kernel is made."""
    value = devices.to_device(op.get_attr("value"))
    return lambda: value


def _pass_through(op, runtime):
    return lambda x: x


def _identity_kernel(op, runtime):
    """As on the CPU: a variable read (ref input) takes the variable's value when it runs."""
    if not op.inputs[0].dtype.is_ref:
        return _pass_through(op, runtime)
    from .state_ops import read_variable, variable_op_of
    var_op = variable_op_of(op.inputs[0])

    def read_on_gpu(x_unused):
        value = read_variable(runtime, var_op, op)
        return devices.to_device(np.asarray(value)) if devices.on_host(value) else value
    return read_on_gpu


def _cpu_kernel_of(op_type: str):
    """Ops whose CPU kernel already works on device arrays (it reads only shapes, or raises)."""
    return get_op_def(op_type).kernel


# --- reshapes: a new view, shaped by the CPU kernel run on a memoryless stand-in ------------
def _reshape_like_cpu(op_type: str):
    def factory(op, runtime):
        cpu_fn = get_op_def(op_type).kernel(op, runtime)

        def reshape_on_gpu(x, *rest):
            return x.reshape(cpu_fn(shape_dummy(x), *rest).shape)
        return reshape_on_gpu
    return factory


# --- writing memory ---------------------------------------------------------------------------
def _filled(shape, dtype, value):
    out = empty(shape, dtype)
    if out.size:
        launch(_k().fill, out.size)(flat(out), value)
    return out


def _fill_kernel(op, runtime):
    return lambda dims, value: _filled(np.asarray(dims).tolist(), np.asarray(value).dtype,
                                       np.asarray(value).item())


def _like_kernel(fill_value):
    def factory(op, runtime):
        return lambda x: _filled(x.shape, x.dtype, np.dtype(x.dtype).type(fill_value).item())
    return factory


def _cast_kernel(op, runtime):
    dst = op.get_attr("DstT").np_dtype

    def cast_on_gpu(x):
        out = empty(x.shape, dst)
        if out.size:
            kernel = _k().cast_to_bool if dst == np.bool_ else _k().cast
            launch(kernel, out.size)(flat(x), flat(out))
        return out
    return cast_on_gpu


def _broadcast_to_kernel(op, runtime):
    def broadcast_to_on_gpu(x, shape):
        target = tuple(int(d) for d in np.asarray(shape).reshape(-1))
        out_shape, loop, x_strides, _ = layout.broadcast_index_plan(tuple(x.shape), target)
        if out_shape != target:
            raise ValueError(f"Unable to broadcast tensor of shape {list(x.shape)} to {list(target)}")
        out = empty(target, x.dtype)
        if out.size:
            launch(_k().expand, out.size)(flat(x), flat(out), loop, x_strides)
        return out
    return broadcast_to_on_gpu


def _transpose_kernel(op, runtime):
    """A gather through permuted strides: out[i] = x[position(i, out_shape, x_strides[perm])]."""
    def transpose_on_gpu(x, perm):
        perm = [int(p) for p in np.asarray(perm).reshape(-1)]
        in_shape = tuple(x.shape)
        strides = layout.contiguous_strides(in_shape)
        out_shape = tuple(in_shape[p] for p in perm)
        out = empty(out_shape, x.dtype)
        if out.size:
            launch(_k().expand, out.size)(flat(x), flat(out), layout.padded(out_shape, 1),
                                          layout.padded([strides[p] for p in perm], 0))
        return out
    return transpose_on_gpu


def _select_kernel(op, runtime):
    def select_on_gpu(c, x, y):
        shape = layout.broadcast_shape(tuple(c.shape), layout.broadcast_shape(tuple(x.shape),
                                                                              tuple(y.shape)))
        strides = [layout.broadcast_index_plan(tuple(t.shape), shape)[2] for t in (c, x, y)]
        out = empty(shape, x.dtype)
        if out.size:
            launch(_k().select, out.size)(flat(c), flat(x), flat(y), flat(out),
                                          layout.padded(shape, 1), *strides)
        return out
    return select_on_gpu


def _add_n_kernel(op, runtime):
    from ..kernels import gpu
    add = gpu.binary("add")

    def add_n_on_gpu(*xs):
        total = xs[0]
        for x in xs[1:]:
            total = add(total, x)
        return total if len(xs) > 1 else _copy(xs[0])
    return add_n_on_gpu


def _copy(d_x):
    out = empty(d_x.shape, d_x.dtype)
    out.copy_to_device(d_x)
    return out


# --- registration -------------------------------------------------------------------------------
add_gpu_kernel("Const", _const_kernel)
add_gpu_kernel("Identity", _identity_kernel)
for _op in ("StopGradient", "PlaceholderWithDefault"):
    add_gpu_kernel(_op, _pass_through)
for _op in ("Placeholder", "Shape", "Size", "Rank", "NoOp"):
    add_gpu_kernel(_op, _cpu_kernel_of(_op))
for _op in ("Reshape", "ExpandDims", "Squeeze"):
    add_gpu_kernel(_op, _reshape_like_cpu(_op))
add_gpu_kernel("Fill", _fill_kernel)
add_gpu_kernel("ZerosLike", _like_kernel(0))
add_gpu_kernel("OnesLike", _like_kernel(1))
add_gpu_kernel("Cast", _cast_kernel)
add_gpu_kernel("BroadcastTo", _broadcast_to_kernel)
add_gpu_kernel("Transpose", _transpose_kernel)
add_gpu_kernel("Select", _select_kernel)
add_gpu_kernel("AddN", _add_n_kernel)
