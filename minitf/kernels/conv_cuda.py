"""Convolution and pooling on the GPU (numba.cuda): direct kernels, one thread per output element.

On the CPU a convolution is im2col + BLAS (``conv_cpu.py``).  On the GPU the
direct form is the simplest correct one: each thread owns one element of the
result and sums over its window.  The gradients are written the same way,
each thread *gathering* what flows into its element (never scattering), so no
two threads write the same memory and no atomics are needed:

    Conv2DBackpropInput   thread per input element: the outputs whose windows cover it
    Conv2DBackpropFilter  thread per filter tap: the whole batch, every output position
    MaxPoolGrad           thread per input element: the windows it won
    AvgPoolGrad           thread per input element: its share of each window's gradient

Threads loop grid-stride (``i, i + T, i + 2T, ...``), so any grid covers any
array.  The op records name the factories at the bottom as strings
(``gpu_kernel="minitf.kernels.conv_cuda:conv2d"``): this module, and numba.cuda,
are imported the first time a GPU kernel is built.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from . import gpu
from .conv_geometry import check_out_backprop, op_geometry, spatial


# --- index helpers (device functions) -----------------------------------------------------------
@cuda.jit(device=True)
def unravel4(idx, shape):
    """(a, b, c, d) of flat index ``idx`` in a C-ordered 4-D array of ``shape``."""
    d = idx % shape[3]
    idx //= shape[3]
    c = idx % shape[2]
    idx //= shape[2]
    return idx // shape[1], idx % shape[1], c, d


@cuda.jit(device=True)
def covering(pos, k, stride, dilation, pad, tap, n_out):
    """The output index whose window has tap ``tap`` on input ``pos``, or -1 if none."""
    start = pos + pad - tap * dilation
    if start < 0 or start % stride != 0 or start // stride >= n_out:
        return -1
    return start // stride


@cuda.jit(device=True)
def window_argmax(x, b, ch, i, j, ksize, strides, pads):
    """(row, col) of the first largest value in one pooling window (TF routes the gradient there)."""
    best_r, best_s = -1, -1
    for p in range(ksize[0]):
        r = i * strides[0] + p - pads[0]
        if 0 <= r < x.shape[1]:
            for q in range(ksize[1]):
                s = j * strides[1] + q - pads[1]
                if 0 <= s < x.shape[2] and (best_r < 0 or x[b, r, s, ch] > x[b, best_r, best_s, ch]):
                    best_r, best_s = r, s
    return best_r, best_s


@cuda.jit(device=True)
def window_count(i, j, ksize, strides, pads, h, w):
    """How many real (unpadded) inputs window (i, j) holds: AvgPool's divisor."""
    r0, s0 = i * strides[0] - pads[0], j * strides[1] - pads[1]
    rows = min(r0 + ksize[0], h) - max(r0, 0)
    cols = min(s0 + ksize[1], w) - max(s0, 0)
    return rows * cols


# --- convolution ----------------------------------------------------------------------------------
@cuda.jit
def conv2d_kernel(x, f, y, strides, dilations, pads):
    for idx in range(cuda.grid(1), y.size, cuda.gridsize(1)):
        b, i, j, o = unravel4(idx, y.shape)
        acc = 0.0                                          # summed in float64, stored as y's dtype
        for p in range(f.shape[0]):
            r = i * strides[0] + p * dilations[0] - pads[0]
            if 0 <= r < x.shape[1]:
                for q in range(f.shape[1]):
                    s = j * strides[1] + q * dilations[1] - pads[1]
                    if 0 <= s < x.shape[2]:
                        for c in range(x.shape[3]):
                            acc += x[b, r, s, c] * f[p, q, c, o]
        y[b, i, j, o] = acc


@cuda.jit
def backprop_input_kernel(f, dy, dx, strides, dilations, pads):
    for idx in range(cuda.grid(1), dx.size, cuda.gridsize(1)):
        b, r, s, c = unravel4(idx, dx.shape)
        acc = 0.0
        for p in range(f.shape[0]):
            i = covering(r, f.shape[0], strides[0], dilations[0], pads[0], p, dy.shape[1])
            if i >= 0:
                for q in range(f.shape[1]):
                    j = covering(s, f.shape[1], strides[1], dilations[1], pads[1], q, dy.shape[2])
                    if j >= 0:
                        for o in range(f.shape[3]):
                            acc += dy[b, i, j, o] * f[p, q, c, o]
        dx[b, r, s, c] = acc


@cuda.jit
def backprop_filter_kernel(x, dy, df, strides, dilations, pads):
    for idx in range(cuda.grid(1), df.size, cuda.gridsize(1)):
        p, q, c, o = unravel4(idx, df.shape)
        acc = 0.0
        for i in range(dy.shape[1]):
            r = i * strides[0] + p * dilations[0] - pads[0]
            if 0 <= r < x.shape[1]:
                for j in range(dy.shape[2]):
                    s = j * strides[1] + q * dilations[1] - pads[1]
                    if 0 <= s < x.shape[2]:
                        for b in range(x.shape[0]):
                            acc += x[b, r, s, c] * dy[b, i, j, o]
        df[p, q, c, o] = acc


# --- pooling --------------------------------------------------------------------------------------
@cuda.jit
def max_pool_kernel(x, y, ksize, strides, pads):
    for idx in range(cuda.grid(1), y.size, cuda.gridsize(1)):
        b, i, j, c = unravel4(idx, y.shape)
        r, s = window_argmax(x, b, c, i, j, ksize, strides, pads)
        y[b, i, j, c] = x[b, r, s, c]


@cuda.jit
def max_pool_grad_kernel(x, dy, dx, ksize, strides, pads):
    for idx in range(cuda.grid(1), dx.size, cuda.gridsize(1)):
        b, r, s, c = unravel4(idx, dx.shape)
        acc = 0.0
        for p in range(ksize[0]):
            i = covering(r, ksize[0], strides[0], 1, pads[0], p, dy.shape[1])
            if i >= 0:
                for q in range(ksize[1]):
                    j = covering(s, ksize[1], strides[1], 1, pads[1], q, dy.shape[2])
                    if j >= 0:
                        wr, ws = window_argmax(x, b, c, i, j, ksize, strides, pads)
                        if wr == r and ws == s:            # this input won window (i, j)
                            acc += dy[b, i, j, c]
        dx[b, r, s, c] = acc


@cuda.jit
def avg_pool_kernel(x, y, ksize, strides, pads):
    for idx in range(cuda.grid(1), y.size, cuda.gridsize(1)):
        b, i, j, c = unravel4(idx, y.shape)
        acc = 0.0
        for p in range(ksize[0]):
            r = i * strides[0] + p - pads[0]
            if 0 <= r < x.shape[1]:
                for q in range(ksize[1]):
                    s = j * strides[1] + q - pads[1]
                    if 0 <= s < x.shape[2]:
                        acc += x[b, r, s, c]
        y[b, i, j, c] = acc / window_count(i, j, ksize, strides, pads, x.shape[1], x.shape[2])


@cuda.jit
def avg_pool_grad_kernel(dy, dx, ksize, strides, pads):
    for idx in range(cuda.grid(1), dx.size, cuda.gridsize(1)):
        b, r, s, c = unravel4(idx, dx.shape)
        acc = 0.0
        for p in range(ksize[0]):
            i = covering(r, ksize[0], strides[0], 1, pads[0], p, dy.shape[1])
            if i >= 0:
                for q in range(ksize[1]):
                    j = covering(s, ksize[1], strides[1], 1, pads[1], q, dy.shape[2])
                    if j >= 0:
                        count = window_count(i, j, ksize, strides, pads, dx.shape[1], dx.shape[2])
                        acc += dy[b, i, j, c] / count
        dx[b, r, s, c] = acc


# --- launching ------------------------------------------------------------------------------------
def _run(kernel, out_shape, dtype, *args):
    """A new device array of ``out_shape``, filled by ``kernel(*args, out, ...)`` one thread per element."""
    out = cuda.device_array(tuple(int(d) for d in out_shape), np.dtype(dtype))
    if out.size:
        threads = gpu.threads_per_block()
        cap = 4 if gpu.backend() == "cudasim" else 4096     # the simulator runs threads one by one
        kernel[max(1, min(cap, -(-out.size // threads))), threads](*args[:-3], out, *args[-3:])
    return out


# --- kernel factories, named by the op records (ops/conv_ops.py) --------------------------------
def conv2d(op, runtime):
    strides, dilations = spatial(op, "strides"), spatial(op, "dilations")

    def conv2d_on_gpu(x, f):
        (oh, ow), pads = op_geometry(op, x.shape[1:3], f.shape[:2])
        return _run(conv2d_kernel, (x.shape[0], oh, ow, f.shape[3]), x.dtype, x, f, strides, dilations, pads)
    return conv2d_on_gpu


def conv2d_backprop_input(op, runtime):
    strides, dilations = spatial(op, "strides"), spatial(op, "dilations")

    def backprop_input_on_gpu(input_sizes, f, dy):     # input_sizes stays on the host
        sizes = tuple(int(v) for v in input_sizes)
        check_out_backprop(op, sizes[1:3], f.shape[:2], dy.shape[1:3])
        _, pads = op_geometry(op, sizes[1:3], f.shape[:2])
        return _run(backprop_input_kernel, sizes, dy.dtype, f, dy, strides, dilations, pads)
    return backprop_input_on_gpu


def conv2d_backprop_filter(op, runtime):
    strides, dilations = spatial(op, "strides"), spatial(op, "dilations")

    def backprop_filter_on_gpu(x, filter_sizes, dy):
        sizes = tuple(int(v) for v in filter_sizes)
        check_out_backprop(op, x.shape[1:3], sizes[:2], dy.shape[1:3])
        _, pads = op_geometry(op, x.shape[1:3], sizes[:2])
        return _run(backprop_filter_kernel, sizes, dy.dtype, x, dy, strides, dilations, pads)
    return backprop_filter_on_gpu


def _pool_args(op, in_hw):
    ksize = spatial(op, "ksize")
    out_hw, pads = op_geometry(op, in_hw, ksize)
    return out_hw, (ksize, spatial(op, "strides"), pads)


def max_pool(op, runtime):
    def max_pool_on_gpu(x):
        (oh, ow), window = _pool_args(op, x.shape[1:3])
        return _run(max_pool_kernel, (x.shape[0], oh, ow, x.shape[3]), x.dtype, x, *window)
    return max_pool_on_gpu


def max_pool_grad(op, runtime):
    def max_pool_grad_on_gpu(x, y, dy):
        _, window = _pool_args(op, x.shape[1:3])
        return _run(max_pool_grad_kernel, x.shape, dy.dtype, x, dy, *window)
    return max_pool_grad_on_gpu


def avg_pool(op, runtime):
    def avg_pool_on_gpu(x):
        (oh, ow), window = _pool_args(op, x.shape[1:3])
        return _run(avg_pool_kernel, (x.shape[0], oh, ow, x.shape[3]), x.dtype, x, *window)
    return avg_pool_on_gpu


def avg_pool_grad(op, runtime):
    def avg_pool_grad_on_gpu(input_shape, dy):        # input_shape stays on the host
        sizes = tuple(int(v) for v in input_shape)
        _, window = _pool_args(op, sizes[1:3])
        return _run(avg_pool_grad_kernel, sizes, dy.dtype, dy, *window)
    return avg_pool_grad_on_gpu
