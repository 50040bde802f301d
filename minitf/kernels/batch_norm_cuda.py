"""Batch normalization on the GPU (numba.cuda): the twins of ``batch_norm_cpu.py``.

The batch is a (rows, channels) matrix here too.  The per-channel sums are one
thread per channel looping over the rows (a channel count is small, the rows
many: simple, not fast); the elementwise passes are one thread per element.
The op records (``ops/fused_batch_norm_ops.py``) name the two factories at the
bottom; this module and numba.cuda are imported the first time one is built.
"""

from __future__ import annotations

import math

import numpy as np
from numba import cuda

from . import gpu


@cuda.jit
def moments_kernel(x, mean, variance, batch_variance, bessel):
    for c in range(cuda.grid(1), x.shape[1], cuda.gridsize(1)):
        total = 0.0
        for r in range(x.shape[0]):
            total += x[r, c]
        m = total / x.shape[0]
        squares = 0.0
        for r in range(x.shape[0]):
            squares += (x[r, c] - m) * (x[r, c] - m)
        mean[c] = m
        variance[c] = squares / x.shape[0]
        batch_variance[c] = squares / x.shape[0] * bessel


@cuda.jit
def normalize_kernel(x, scale, offset, mean, variance, epsilon, y):
    for idx in range(cuda.grid(1), y.size, cuda.gridsize(1)):
        r, c = idx // y.shape[1], idx % y.shape[1]
        inv = scale[c] / math.sqrt(variance[c] + epsilon)
        y[r, c] = x[r, c] * inv + (offset[c] - mean[c] * inv)


@cuda.jit
def grad_sums_kernel(dy, x, mean, variance, epsilon, dscale, doffset):
    for c in range(cuda.grid(1), x.shape[1], cuda.gridsize(1)):
        inv = 1.0 / math.sqrt(variance[c] + epsilon)
        sum_dy, sum_dy_xhat = 0.0, 0.0
        for r in range(x.shape[0]):
            sum_dy += dy[r, c]
            sum_dy_xhat += dy[r, c] * (x[r, c] - mean[c]) * inv
        dscale[c] = sum_dy_xhat
        doffset[c] = sum_dy


@cuda.jit
def grad_input_kernel(dy, x, scale, mean, variance, epsilon, dscale, doffset, training, dx):
    rows = x.shape[0]
    for idx in range(cuda.grid(1), dx.size, cuda.gridsize(1)):
        r, c = idx // dx.shape[1], idx % dx.shape[1]
        inv = 1.0 / math.sqrt(variance[c] + epsilon)
        g = dy[r, c]
        if training:
            g = g - doffset[c] / rows - (x[r, c] - mean[c]) * inv * dscale[c] / rows
        dx[r, c] = scale[c] * inv * g


def _launch(kernel, n, *args):
    if n:
        threads = gpu.threads_per_block()
        cap = 4 if gpu.backend() == "cudasim" else 4096     # the simulator runs threads one by one
        kernel[max(1, min(cap, -(-n // threads))), threads](*args)


def _rows(d_x):
    """The NHWC batch as (pixels, channels); shape[3], not shape[-1]: the simulator's shapes index forward."""
    depth = d_x.shape[3]
    return d_x.reshape(d_x.size // depth if depth else 0, depth)


def _bessel(n):
    """n / (n - 1), the unbiased variance's factor (1 for a single row)."""
    return n / (n - 1) if n > 1 else 1.0


def _copy(d):
    out = cuda.device_array(d.shape, d.dtype)
    if d.size:
        out.copy_to_device(d)
    return out


def fused_batch_norm(op, runtime):
    epsilon, training = op.get_attr("epsilon"), op.get_attr("is_training")

    def fused_batch_norm_on_gpu(x, scale, offset, mean, variance):
        rows = _rows(x)
        depth, dtype = rows.shape[1], x.dtype
        if training:
            mean, variance = cuda.device_array(depth, dtype), cuda.device_array(depth, dtype)
            batch_variance = cuda.device_array(depth, dtype)
            if rows.shape[0]:
                _launch(moments_kernel, depth, rows, mean, variance, batch_variance, _bessel(rows.shape[0]))
        else:
            batch_variance = _copy(variance)
        y = cuda.device_array(rows.shape, dtype)
        _launch(normalize_kernel, y.size, rows, scale, offset, mean, variance, epsilon, y)
        return (y.reshape(x.shape), _copy(mean), batch_variance, mean, variance,
                cuda.device_array(0, dtype))
    return fused_batch_norm_on_gpu


def fused_batch_norm_grad(op, runtime):
    epsilon, training = op.get_attr("epsilon"), bool(op.get_attr("is_training"))

    def fused_batch_norm_grad_on_gpu(dy, x, scale, mean, variance, reserve_space_3):
        rows, dy_rows = _rows(x), _rows(dy)
        depth, dtype = rows.shape[1], x.dtype
        dscale = cuda.to_device(np.zeros(depth, dtype))
        doffset = cuda.to_device(np.zeros(depth, dtype))
        dx = cuda.device_array(rows.shape, dtype)
        if rows.shape[0]:
            _launch(grad_sums_kernel, depth, dy_rows, rows, mean, variance, epsilon, dscale, doffset)
            _launch(grad_input_kernel, dx.size, dy_rows, rows, scale, mean, variance, epsilon, dscale, doffset,
                    training, dx)
        return (dx.reshape(x.shape), dscale, doffset, cuda.device_array(0, dtype),
                cuda.device_array(0, dtype))
    return fused_batch_norm_grad_on_gpu


# FusedBatchNorm (V1) and FusedBatchNormV2: five outputs, and gradients of five inputs.
def _five_outputs(op, runtime):
    fn = fused_batch_norm(op, runtime)
    return lambda *inputs: fn(*inputs)[:5]


def _five_inputs(op, runtime):
    fn = fused_batch_norm_grad(op, runtime)
    return lambda dy, x, scale, mean, variance: fn(dy, x, scale, mean, variance, None)


fused_batch_norm_v1 = fused_batch_norm_v2 = _five_outputs
fused_batch_norm_grad_v1 = fused_batch_norm_grad_v2 = _five_inputs
