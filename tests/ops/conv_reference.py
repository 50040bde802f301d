"""Naive numpy convolution and pooling: the references the op table checks the kernels against.

Written the slow, obvious way (pad, then one window at a time) so that they share
nothing with minitf's im2col kernels.  NHWC; ``s`` stride, ``d`` dilation.
"""

from __future__ import annotations

import numpy as np


def same_or_valid(size, k, s, d, padding):
    """(output size, pad before, pad after) by TensorFlow's rule, written out independently."""
    span = (k - 1) * d + 1
    if padding == "VALID":
        return int(np.ceil((size - span + 1) / s)), 0, 0
    out = int(np.ceil(size / s))
    total = max((out - 1) * s + span - size, 0)
    return out, total // 2, total - total // 2


def _padded(x, kh, kw, s, d, padding, fill=0.0):
    oh, t, b = same_or_valid(x.shape[1], kh, s, d, padding)
    ow, l, r = same_or_valid(x.shape[2], kw, s, d, padding)
    return np.pad(x, [(0, 0), (t, b), (l, r), (0, 0)], constant_values=fill), (oh, ow), (t, l)


def _window(xp, i, j, kh, kw, s, d):
    return xp[:, i * s:i * s + (kh - 1) * d + 1:d, j * s:j * s + (kw - 1) * d + 1:d, :]


def conv2d(x, f, s=1, d=1, padding="SAME"):
    kh, kw, _, o = f.shape
    xp, (oh, ow), _ = _padded(x, kh, kw, s, d, padding)
    y = np.zeros((x.shape[0], oh, ow, o), x.dtype)
    for i in range(oh):
        for j in range(ow):
            y[:, i, j] = np.einsum("nhwc,hwco->no", _window(xp, i, j, kh, kw, s, d), f)
    return y


def conv2d_backprop_input(input_shape, f, dy, s=1, d=1, padding="SAME"):
    kh, kw = f.shape[:2]
    xp, (oh, ow), (t, l) = _padded(np.zeros(input_shape, dy.dtype), kh, kw, s, d, padding)
    for i in range(oh):
        for j in range(ow):
            _window(xp, i, j, kh, kw, s, d)[...] += np.einsum("no,hwco->nhwc", dy[:, i, j], f)
    return xp[:, t:t + input_shape[1], l:l + input_shape[2]]


def conv2d_backprop_filter(x, filter_shape, dy, s=1, d=1, padding="SAME"):
    kh, kw = filter_shape[:2]
    xp, (oh, ow), _ = _padded(x, kh, kw, s, d, padding)
    df = np.zeros(filter_shape, x.dtype)
    for i in range(oh):
        for j in range(ow):
            df += np.einsum("nhwc,no->hwco", _window(xp, i, j, kh, kw, s, d), dy[:, i, j])
    return df


def max_pool(x, k, s, padding):
    xp, (oh, ow), _ = _padded(x, k, k, s, 1, padding, fill=-np.inf)
    return np.stack([np.stack([_window(xp, i, j, k, k, s, 1).max((1, 2)) for j in range(ow)], 1)
                     for i in range(oh)], 1)


def max_pool_grad(x, dy, k, s, padding):
    """The gradient of each window goes to its first maximum in row-major order (TF's choice)."""
    xp, (oh, ow), (t, l) = _padded(x, k, k, s, 1, padding, fill=-np.inf)
    dxp = np.zeros_like(xp)
    for b in range(x.shape[0]):
        for c in range(x.shape[3]):
            for i in range(oh):
                for j in range(ow):
                    win = xp[b, i * s:i * s + k, j * s:j * s + k, c]
                    p, q = np.unravel_index(np.argmax(win), win.shape)
                    dxp[b, i * s + p, j * s + q, c] += dy[b, i, j, c]
    return dxp[:, t:t + x.shape[1], l:l + x.shape[2]]


def avg_pool(x, k, s, padding):
    """Sum of each window over the number of real (unpadded) elements in it."""
    sums = conv2d_per_channel(x, k, s, padding)
    counts = conv2d_per_channel(np.ones(x.shape[:3] + (1,), x.dtype), k, s, padding)
    return sums / counts


def conv2d_per_channel(x, k, s, padding):
    xp, (oh, ow), _ = _padded(x, k, k, s, 1, padding)
    return np.stack([np.stack([_window(xp, i, j, k, k, s, 1).sum((1, 2)) for j in range(ow)], 1)
                     for i in range(oh)], 1)


def avg_pool_grad(input_shape, dy, k, s, padding):
    counts = conv2d_per_channel(np.ones(tuple(input_shape[:3]) + (1,), dy.dtype), k, s, padding)
    xp, (oh, ow), (t, l) = _padded(np.zeros(input_shape, dy.dtype), k, k, s, 1, padding)
    for i in range(oh):
        for j in range(ow):
            _window(xp, i, j, k, k, s, 1)[...] += (dy[:, i, j] / counts[:, i, j])[:, None, None, :]
    return xp[:, t:t + input_shape[1], l:l + input_shape[2]]
