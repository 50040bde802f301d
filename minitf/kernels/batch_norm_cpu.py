"""Batch normalization on the CPU (numba): the loops behind FusedBatchNormV3 and its gradient.

The image is seen as a (rows, channels) matrix: every pixel of every example is
a row, and each channel is normalized with its own mean and variance.  Each
kernel is one or two passes over that matrix; the per-channel sums are kept in
float64 so a float32 batch of many rows does not lose precision.  The callers
(``ops/fused_batch_norm_ops.py``) allocate the outputs with numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit

JIT = dict(cache=True, nogil=True)


@njit(**JIT)
def channel_moments(x, mean, variance):
    """Per-channel mean and biased variance of ``x`` (rows, channels), written into the outputs."""
    rows, channels = x.shape
    total = np.zeros(channels)
    for r in range(rows):
        for c in range(channels):
            total[c] += x[r, c]
    for c in range(channels):
        mean[c] = total[c] / rows
    squares = np.zeros(channels)
    for r in range(rows):
        for c in range(channels):
            d = x[r, c] - mean[c]
            squares[c] += d * d
    for c in range(channels):
        variance[c] = squares[c] / rows


@njit(**JIT)
def normalize(x, scale, offset, mean, variance, epsilon, y):
    """y = x * inv + (offset - mean * inv), inv = scale / sqrt(variance + epsilon): TF's order."""
    rows, channels = x.shape
    inv = scale / np.sqrt(variance + epsilon)
    shift = offset - mean * inv
    for r in range(rows):
        for c in range(channels):
            y[r, c] = x[r, c] * inv[c] + shift[c]


@njit(**JIT)
def normalize_grad(dy, x, scale, mean, variance, epsilon, training, dx, dscale, doffset):
    """The three gradients of ``normalize``; in training the batch statistics depend on x too.

    With x_hat = (x - mean) * rsqrt(var + eps) and n rows:
        d offset = sum(dy)          d scale = sum(dy * x_hat)
        d x      = scale * rsqrt(var + eps) * (dy - d offset / n - x_hat * d scale / n)   (training)
        d x      = scale * rsqrt(var + eps) * dy                                          (inference)
    """
    rows, channels = x.shape
    inv = 1.0 / np.sqrt(variance.astype(np.float64) + epsilon)
    sum_dy = np.zeros(channels)
    sum_dy_xhat = np.zeros(channels)
    for r in range(rows):
        for c in range(channels):
            sum_dy[c] += dy[r, c]
            sum_dy_xhat[c] += dy[r, c] * (x[r, c] - mean[c]) * inv[c]
    for c in range(channels):
        dscale[c] = sum_dy_xhat[c]
        doffset[c] = sum_dy[c]
    for r in range(rows):
        for c in range(channels):
            g = dy[r, c]
            if training:
                x_hat = (x[r, c] - mean[c]) * inv[c]
                g = g - sum_dy[c] / rows - x_hat * sum_dy_xhat[c] / rows
            dx[r, c] = scale[c] * inv[c] * g
