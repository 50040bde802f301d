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

from ..kernels import devices, gpu, layout
from .gpu_support import empty, flat, launch, shape_dummy


def _k():
    from . import array_kernels_cuda     # imports numba.cuda: only when a kernel launches
    return array_kernels_cuda


# --- values that never change, and values passed through ------------------------------------
def const(op, runtime):
    """The constant, copied to the GPU once when the kernel is made."""
    value = devices.to_device(op.get_attr("value"))
    return lambda: value


def pass_through(op, runtime):
    """Identity-like ops: the device array itself."""
    return lambda x: x


def same_as_cpu(op, runtime):
    """Ops whose CPU kernel already works on device arrays (it reads only shapes, or raises)."""
    return op.op_def.kernel(op, runtime)


# --- reshapes: a new view, shaped by the CPU kernel run on a memoryless stand-in ------------
def reshape_like_cpu(op, runtime):
    cpu_fn = op.op_def.kernel(op, runtime)

    def reshape_on_gpu(x, *rest):
        return x.reshape(cpu_fn(shape_dummy(x), *rest).shape)
    return reshape_on_gpu


# --- writing memory ---------------------------------------------------------------------------
def _filled(shape, dtype, value):
    out = empty(shape, dtype)
    if out.size:
        launch(_k().fill, out.size)(flat(out), value)
    return out


def fill(op, runtime):
    return lambda dims, value: _filled(np.asarray(dims).tolist(), np.asarray(value).dtype,
                                       np.asarray(value).item())


def _like_kernel(fill_value):
    def factory(op, runtime):
        return lambda x: _filled(x.shape, x.dtype, np.dtype(x.dtype).type(fill_value).item())
    return factory


def cast(op, runtime):
    dst = op.get_attr("DstT").np_dtype

    def cast_on_gpu(x):
        out = empty(x.shape, dst)
        if out.size:
            kernel = _k().cast_to_bool if dst == np.bool_ else _k().cast
            launch(kernel, out.size)(flat(x), flat(out))
        return out
    return cast_on_gpu


def broadcast_to(op, runtime):
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


def transpose(op, runtime):
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


def select(op, runtime):
    """SelectV2: condition, x and y broadcast against each other."""
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


def select_rows(op, runtime):
    """TF 1.x Select: the broadcasting kernel, with a vector condition shaped to pick whole rows."""
    run = select(op, runtime)

    def select_rows_on_gpu(c, x, y):
        if len(c.shape) == 1 and len(x.shape) > 1:
            c = c.reshape((c.shape[0],) + (1,) * (len(x.shape) - 1))
        return run(c, x, y)
    return select_rows_on_gpu


def add_n(op, runtime):
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


zeros_like = _like_kernel(0)
ones_like = _like_kernel(1)
