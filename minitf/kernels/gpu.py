"""The GPU kernels that ops call: the CPU API (``cpu.py``) on device arrays.

    gpu.available(), gpu.backend()            "cudasim", "cuda" or None
    d = gpu.to_device(x); gpu.to_host(d)
    gpu.unary("exp")(d_x)                     gpu.binary("add")(d_x, d_y)
    gpu.reduce("sum")(d_x, axes, keepdims)    gpu.argreduce("argmax")(d_x, axis)
    gpu.matmul(d_a, d_b), gpu.softmax(d_logits), gpu.softmax_cross_entropy(...), ...

Every function takes and returns device arrays: data stays on the GPU between
ops (only shapes and a few scalars travel as kernel arguments).

Importing this module never fails and costs nothing: numba.cuda (0.6 s to
import, more to probe a driver) is only touched by ``available()`` and by the
first kernel. Under ``NUMBA_ENABLE_CUDASIM=1`` numba swaps in its CUDA
simulator, which runs the very same kernels as Python threads: slow, but it
lets the GPU code be tested on any machine.
"""

from __future__ import annotations

import math
from functools import cache

import numba
import numpy as np

from minitf.kernels import catalog, config, layout, rows

__all__ = ["available", "backend", "to_device", "to_host", "unary", "binary", "reduce",
           "argreduce", "matmul", "softmax", "log_softmax", "softmax_cross_entropy",
           "sparse_softmax_cross_entropy"]


# --------------------------------------------------------------------------
# Is there a GPU?
# --------------------------------------------------------------------------

@cache
def _driver_available() -> bool:
    """Ask numba.cuda once whether a real GPU is usable (the probe takes 1-2 s)."""
    try:
        from numba import cuda
        return bool(cuda.is_available())
    except Exception:          # no numba-cuda, no driver, no toolkit: all mean "no GPU"
        return False


def backend() -> str | None:
    """``"cudasim"`` under the CUDA simulator, ``"cuda"`` with a usable GPU, else None."""
    # The simulator is checked first: under it cuda.is_available() is always True.
    if numba.config.ENABLE_CUDASIM:
        return "cudasim"
    return "cuda" if _driver_available() else None


def available() -> bool:
    """True when the GPU kernels can run (a real GPU, or the simulator)."""
    return backend() is not None


def _cuda():
    """The ``numba.cuda`` module, imported on first use; raises if there is no GPU."""
    if not available():
        raise RuntimeError("no GPU: numba.cuda found no usable device "
                           "(set NUMBA_ENABLE_CUDASIM=1 to use the CUDA simulator)")
    from numba import cuda
    return cuda


def _factories():
    from minitf.kernels import cuda_factories   # imports numba.cuda
    return cuda_factories


# --------------------------------------------------------------------------
# Launch geometry
# --------------------------------------------------------------------------

def threads_per_block() -> int:
    """Threads per block: ``config.set_threads_per_block``, else 16 simulated / 256 real."""
    if config.threads_per_block:
        return config.threads_per_block
    return 16 if backend() == "cudasim" else 256


def matmul_tile() -> int:
    """Side of the square matmul tiles: sqrt(threads per block) when set, else 16.

    16 x 16 = 256 threads per block is the classic choice on GPUs, and it is
    also the fastest under the simulator (fewer blocks to run one by one).
    """
    return math.isqrt(config.threads_per_block) if config.threads_per_block else 16


def _blocks(n: int) -> int:
    """Blocks for ``n`` work items; grid-stride loops cover the rest of a capped grid."""
    # The simulator runs each thread as a Python thread, so it gets a small grid.
    cap = 4 if backend() == "cudasim" else 4096
    return max(1, min(cap, -(-n // threads_per_block())))


def _launch(kernel, n: int):
    """``kernel`` configured for ``n`` work items, one per thread."""
    return kernel[_blocks(n), threads_per_block()]


# --------------------------------------------------------------------------
# Moving data
# --------------------------------------------------------------------------

def to_device(x):
    """Copy a numpy array (or anything array-like) to the GPU."""
    x = np.asarray(x)
    # (not np.ascontiguousarray: it turns 0-d arrays into 1-d ones)
    return _cuda().to_device(x if x.flags.c_contiguous else x.copy(order="C"))


def to_host(d_x) -> np.ndarray:
    """Copy a device array back to a numpy array."""
    return d_x.copy_to_host()


def _empty(shape, dtype):
    return _cuda().device_array(tuple(shape), np.dtype(dtype))


def _check(kind: str, name: str, d_x, accepted) -> None:
    """The input must be a C-contiguous device array of an accepted dtype."""
    if not hasattr(d_x, "copy_to_host"):
        raise TypeError(f"gpu {kind} kernel {name!r} takes device arrays, got "
                        f"{type(d_x).__name__}; use gpu.to_device(x)")
    catalog.check_dtype(f"gpu {kind}", name, np.dtype(d_x.dtype), accepted)
    if not d_x.is_c_contiguous():
        raise ValueError(f"gpu {kind} kernel {name!r} needs a C-contiguous device array")


# --------------------------------------------------------------------------
# Elementwise
# --------------------------------------------------------------------------

@cache
def unary(name: str):
    """The kernel ``f(d_x) -> d_y`` applying scalar op ``name`` to every element."""
    fn, accepted = catalog.lookup(catalog.UNARY, "unary", name)
    kernel = None

    def run(d_x):
        nonlocal kernel
        _check("unary", name, d_x, accepted)
        out = _empty(d_x.shape, d_x.dtype)
        if out.size:
            if kernel is None:
                kernel = _factories().map(fn)
            _launch(kernel, out.size)(d_x.reshape(-1), out.reshape(-1))
        return out

    run.__name__ = run.__qualname__ = name
    return run


@cache
def binary(name: str):
    """The kernel ``f(d_x, d_y) -> d_z`` for scalar op ``name``, with broadcasting."""
    fn, accepted = catalog.lookup(catalog.BINARY, "binary", name)
    kernels = {}

    def run(d_x, d_y):
        _check("binary", name, d_x, accepted)
        _check("binary", name, d_y, accepted)
        if d_x.dtype != d_y.dtype:
            raise TypeError(f"gpu binary kernel {name!r} needs both inputs of one dtype, "
                            f"got {d_x.dtype} and {d_y.dtype}")
        out_dtype = np.bool_ if name in catalog.BOOL_OUTPUT else d_x.dtype
        x_shape, y_shape = tuple(d_x.shape), tuple(d_y.shape)
        if x_shape == y_shape:
            out = _empty(x_shape, out_dtype)
            if out.size:
                if "flat" not in kernels:
                    kernels["flat"] = _factories().zip(fn)
                _launch(kernels["flat"], out.size)(
                    d_x.reshape(-1), d_y.reshape(-1), out.reshape(-1))
            return out
        out_shape, shape, x_strides, y_strides = layout.broadcast_index_plan(x_shape, y_shape)
        out = _empty(out_shape, out_dtype)
        if out.size:
            if "broadcast" not in kernels:
                kernels["broadcast"] = _factories().zip_broadcast(fn)
            _launch(kernels["broadcast"], out.size)(
                d_x.reshape(-1), d_y.reshape(-1), out.reshape(-1), shape, x_strides, y_strides)
        return out

    run.__name__ = run.__qualname__ = name
    return run


# --------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------

@cache
def _reduce_kernel(name: str, dtype: np.dtype, tpb: int):
    fn, finish, _ = catalog.REDUCE[name]
    return _factories().reduce(fn, finish, numba.from_dtype(dtype), tpb)


@cache
def reduce(name: str):
    """The kernel ``f(d_x, axes, keepdims) -> d_y`` (a shared-memory tree reduction)."""
    _, _, accepted = catalog.lookup(catalog.REDUCE, "reduce", name)

    def run(d_x, axes, keepdims: bool = False):
        _check("reduce", name, d_x, accepted)
        dtype = np.dtype(d_x.dtype)
        shape = tuple(d_x.shape)
        axes, _, _, out_shape = layout.reduce_plan(shape, tuple(axes), bool(keepdims))
        if not axes:
            out = _empty(shape, dtype)
            out.copy_to_device(d_x)
            return out
        kept_shape, kept_strides, red_shape, red_strides, count = \
            layout.reduce_index_plan(shape, axes)
        out = _empty(out_shape, dtype)
        if out.size:
            tpb = threads_per_block()
            # No more threads than inputs to fold (rounded up to a power of two
            # for the tree): reducing 4 numbers takes 2 tree steps, not 8.
            threads = min(tpb, 1 << max(count - 1, 0).bit_length())
            blocks = min(out.size, 4 if backend() == "cudasim" else 65535)
            kernel = _reduce_kernel(name, dtype, tpb)
            kernel[blocks, threads](d_x.reshape(-1), out.reshape(-1),
                                catalog.reduce_start(name, dtype), kept_shape, kept_strides,
                                red_shape, red_strides, count)
        return out

    run.__name__ = run.__qualname__ = name
    return run


@cache
def argreduce(name: str):
    """The kernel ``f(d_x, axis) -> int64 indices``, first index on ties."""
    accepted = catalog.lookup(catalog.ARGREDUCE, "argreduce", name)
    line_fn = rows.argmax_line if name == "argmax" else rows.argmin_line
    kernel = None

    def run(d_x, axis: int):
        nonlocal kernel
        _check("argreduce", name, d_x, accepted)
        shape = tuple(d_x.shape)
        if not shape or not -len(shape) <= axis < len(shape):
            raise ValueError(f"{name}: axis {axis} is out of range for input of rank {len(shape)}")
        axis %= len(shape)
        (a, r, b), out_shape = layout.argreduce_plan(shape, axis)
        if r == 0:
            raise ValueError(f"Reduction axis {axis} is empty in shape {list(shape)}")
        out = _empty((a, b), np.int64)
        if out.size:
            if kernel is None:
                kernel = _factories().argreduce(line_fn)
            _launch(kernel, out.size)(d_x.reshape(a, r, b), out)
        return out.reshape(out_shape)

    run.__name__ = run.__qualname__ = name
    return run


# --------------------------------------------------------------------------
# Matrix product
# --------------------------------------------------------------------------

@cache
def _matmul_kernel(dtype: np.dtype, tile: int):
    from minitf.kernels import cuda_matmul   # imports numba.cuda: only when a GPU matmul is built
    return cuda_matmul.matmul(tile, numba.from_dtype(dtype), dtype.type(0))


def _as_batch3(d, batch: tuple, rows_: int, cols: int):
    """A (batch, rows, cols) view of ``d``; its batch must be the full one or all ones."""
    own = tuple(d.shape)[:-2]
    size = math.prod(own)
    if own != batch and size != 1:
        raise ValueError(f"gpu.matmul: batch dimensions {list(own)} cannot be flattened "
                         f"against {list(batch)}; broadcast them first")
    return d.reshape(size, rows_, cols)


def matmul(d_a, d_b, transpose_a: bool = False, transpose_b: bool = False):
    """a @ b over the last two axes, with the shared-memory tiled kernel."""
    _check("matmul", "matmul", d_a, catalog.NUMBER)
    _check("matmul", "matmul", d_b, catalog.NUMBER)
    if d_a.dtype != d_b.dtype:
        raise TypeError(f"gpu matmul needs inputs of one dtype, got {d_a.dtype} and {d_b.dtype}")
    a_shape, b_shape = tuple(d_a.shape), tuple(d_b.shape)   # plain tuples: negative indexing
    if len(a_shape) < 2 or len(b_shape) < 2:
        raise ValueError(f"matmul needs inputs of rank >= 2, got shapes {list(a_shape)} "
                         f"and {list(b_shape)}")
    a_rows, a_cols = a_shape[-2:]
    b_rows, b_cols = b_shape[-2:]
    m, k = (a_cols, a_rows) if transpose_a else (a_rows, a_cols)
    k_b, n = (b_cols, b_rows) if transpose_b else (b_rows, b_cols)
    if k != k_b:
        raise ValueError(f"Matrix size-incompatible: In[0]: {list(a_shape)}, "
                         f"In[1]: {list(b_shape)} (transpose_a={transpose_a}, "
                         f"transpose_b={transpose_b})")
    batch = layout.broadcast_shape(a_shape[:-2], b_shape[:-2])
    out = _empty(batch + (m, n), d_a.dtype)
    if out.size == 0:
        return out
    dtype = np.dtype(d_a.dtype)
    a3 = _as_batch3(d_a, batch, a_rows, a_cols)
    b3 = _as_batch3(d_b, batch, b_rows, b_cols)
    out3 = out.reshape(math.prod(batch), m, n)
    tile = matmul_tile()
    grid = (-(-n // tile), -(-m // tile), out3.shape[0])
    _matmul_kernel(dtype, tile)[grid, (tile, tile)](a3, b3, out3, transpose_a, transpose_b)
    return out


# --------------------------------------------------------------------------
# Softmax and cross-entropy: one thread per row.
# --------------------------------------------------------------------------

@cache
def _rows_kernel(factory_name: str, row_fn):
    return getattr(_factories(), factory_name)(row_fn)


def _logits_2d(name: str, d_logits):
    _check(name, name, d_logits, catalog.FLOAT)
    shape = tuple(d_logits.shape)
    if not shape:
        raise ValueError(f"{name}: logits must have rank >= 1, got a scalar")
    return d_logits.reshape(d_logits.size // shape[-1], shape[-1]) if d_logits.size else d_logits


def _map_rows(name: str, row_fn, d_logits):
    x = _logits_2d(name, d_logits)
    out = _empty(d_logits.shape, d_logits.dtype)
    if x.size:
        _launch(_rows_kernel("map_rows", row_fn), x.shape[0])(x, out.reshape(x.shape))
    return out


def softmax(d_logits):
    """exp(logits) / sum(exp(logits)) over the last axis."""
    return _map_rows("softmax", rows.softmax_row, d_logits)


def log_softmax(d_logits):
    """logits - log(sum(exp(logits))) over the last axis."""
    return _map_rows("log_softmax", rows.log_softmax_row, d_logits)


def _loss(name: str, row_fn, d_logits, d_labels, labels_2d: bool):
    x = _logits_2d(name, d_logits)
    shape = tuple(d_logits.shape)
    loss = _empty(shape[:-1], d_logits.dtype)
    backprop = _empty(shape, d_logits.dtype)
    if x.size:
        labels = d_labels.reshape(x.shape) if labels_2d else d_labels.reshape(x.shape[0])
        _launch(_rows_kernel("loss_rows", row_fn), x.shape[0])(
            x, labels, loss.reshape(x.shape[0]), backprop.reshape(x.shape))
    elif loss.size or backprop.size:        # rows of zero classes: loss 0, like the CPU
        loss.copy_to_device(np.zeros(loss.shape, loss.dtype))
    return loss, backprop


def softmax_cross_entropy(d_logits, d_labels):
    """TF's SoftmaxCrossEntropyWithLogits: ``(loss[...], backprop[..., classes])``."""
    _check("softmax_cross_entropy", "labels", d_labels, catalog.FLOAT)
    if tuple(d_labels.shape) != tuple(d_logits.shape) or d_labels.dtype != d_logits.dtype:
        raise ValueError("softmax_cross_entropy: labels must match logits in shape and dtype; "
                         f"got logits {list(d_logits.shape)} {d_logits.dtype}, "
                         f"labels {list(d_labels.shape)} {d_labels.dtype}")
    return _loss("softmax_cross_entropy", rows.xent_row, d_logits, d_labels, True)


def sparse_softmax_cross_entropy(d_logits, d_labels):
    """Cross-entropy against class indices; a label out of range gives a NaN row (TF on GPUs)."""
    _check("sparse_softmax_cross_entropy", "labels", d_labels, catalog.INT)
    if tuple(d_labels.shape) != tuple(d_logits.shape)[:-1]:
        raise ValueError(f"sparse_softmax_cross_entropy: labels must have shape "
                         f"{list(tuple(d_logits.shape)[:-1])}, got {list(d_labels.shape)}")
    return _loss("sparse_softmax_cross_entropy", rows.sparse_xent_row, d_logits, d_labels, False)
