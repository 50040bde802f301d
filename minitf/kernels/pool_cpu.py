"""Max and average pooling on the CPU: one direct numba loop per kernel.

Pooling has no matrix product, so each kernel walks the windows itself.  The
loops run channels innermost: in NHWC the channels of one pixel sit next to
each other in memory, so every window position reads one contiguous run (3-4x
faster than a channel loop outside).  Outputs are allocated by numpy in the
Python wrappers and filled by the loops (numpy's large allocations fault in
their pages far faster than an allocation inside numba, design.md).

Images are NHWC.  ``pads`` is (top, left): how many zeros sit before row 0 and
column 0; the callers compute it with TensorFlow's SAME rule.  Padding never
takes part in a max, and an average counts only the valid elements, as in TF.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Compiled once per dtype and cached on disk, like the other CPU kernels (kernels/cpu_jit.py).
JIT = dict(cache=True, nogil=True)


# --- max pooling --------------------------------------------------------------------------------
@njit(**JIT)
def _max_pool(x, ksize, strides, pads, y):
    """y[b, i, j, :] = the largest value of each window.

    The first valid tap of the window starts the max and only a strictly larger value
    replaces it (``>``), so of equal values the first one in row-major window order wins.
    """
    n, h, w, c = x.shape
    oh, ow = y.shape[1], y.shape[2]
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                started = False
                for p in range(ksize[0]):
                    r = i * strides[0] + p - pads[0]
                    if r < 0 or r >= h:
                        continue                          # padding never wins a max
                    for q in range(ksize[1]):
                        s = j * strides[1] + q - pads[1]
                        if s < 0 or s >= w:
                            continue
                        for ch in range(c):
                            v = x[b, r, s, ch]
                            if not started or v > y[b, i, j, ch]:
                                y[b, i, j, ch] = v
                        started = True


@njit(**JIT)
def _max_pool_grad(x, dy, ksize, strides, pads, dx, best, winner):
    """Add each output's gradient to the input that won its window (the first max, as forward).

    TF's MaxPoolGrad takes the forward input, not the argmax, so the winners are found again:
    one pass over the window keeps, per channel, the running max (``best``) and the number of
    the tap that holds it (``winner``, p * kw + q); a second pass adds the gradient where the
    tap number matches.  Both passes are plain channel loops that numba vectorizes.
    """
    n, oh, ow, c = dy.shape
    h, w, kw = x.shape[1], x.shape[2], ksize[1]
    for b in range(n):
        dx[b] = 0                    # one image at a time: still in cache when the adds come
        for i in range(oh):
            for j in range(ow):
                started = False
                for p in range(ksize[0]):
                    r = i * strides[0] + p - pads[0]
                    if r < 0 or r >= h:
                        continue
                    for q in range(kw):
                        s = j * strides[1] + q - pads[1]
                        if s < 0 or s >= w:
                            continue
                        for ch in range(c):
                            v = x[b, r, s, ch]
                            if not started or v > best[ch]:
                                best[ch], winner[ch] = v, p * kw + q
                        started = True
                for p in range(ksize[0]):
                    r = i * strides[0] + p - pads[0]
                    if r < 0 or r >= h:
                        continue
                    for q in range(kw):
                        s = j * strides[1] + q - pads[1]
                        if s < 0 or s >= w:
                            continue
                        for ch in range(c):          # windows may overlap: add, never assign
                            if winner[ch] == p * kw + q:
                                dx[b, r, s, ch] += dy[b, i, j, ch]


def max_pool(x, ksize, strides, pads, oh, ow) -> np.ndarray:
    x = np.ascontiguousarray(x)
    y = np.empty((x.shape[0], oh, ow, x.shape[3]), x.dtype)
    _max_pool(x, ksize, strides, pads, y)
    return y


def max_pool_grad(x, dy, ksize, strides, pads) -> np.ndarray:
    x, dy = np.ascontiguousarray(x), np.ascontiguousarray(dy)
    c = x.shape[3]
    dx = np.empty(x.shape, dy.dtype)
    _max_pool_grad(x, dy, ksize, strides, pads, dx, np.empty(c, x.dtype), np.empty(c, np.int32))
    return dx


# --- average pooling ----------------------------------------------------------------------------
@njit(**JIT)
def _window_bounds(i, k, stride, pad, size):
    """The valid input range [lo, hi) of window i: padding is left out of the average."""
    start = i * stride - pad
    return max(start, 0), min(start + k, size)


@njit(**JIT)
def _avg_pool(x, ksize, strides, pads, y):
    n, h, w, c = x.shape
    oh, ow = y.shape[1], y.shape[2]
    y[:] = 0
    for b in range(n):
        for i in range(oh):
            r0, r1 = _window_bounds(i, ksize[0], strides[0], pads[0], h)
            for j in range(ow):
                s0, s1 = _window_bounds(j, ksize[1], strides[1], pads[1], w)
                for r in range(r0, r1):
                    for s in range(s0, s1):
                        for ch in range(c):
                            y[b, i, j, ch] += x[b, r, s, ch]
                count = (r1 - r0) * (s1 - s0)             # valid elements only, as TF
                for ch in range(c):
                    y[b, i, j, ch] /= count


@njit(**JIT)
def _avg_pool_grad(dy, ksize, strides, pads, dx):
    """Each output's gradient shared equally by the valid inputs of its window."""
    h, w = dx.shape[1], dx.shape[2]
    n, oh, ow, c = dy.shape
    dx[:] = 0
    for b in range(n):
        for i in range(oh):
            r0, r1 = _window_bounds(i, ksize[0], strides[0], pads[0], h)
            for j in range(ow):
                s0, s1 = _window_bounds(j, ksize[1], strides[1], pads[1], w)
                count = (r1 - r0) * (s1 - s0)
                for r in range(r0, r1):
                    for s in range(s0, s1):
                        for ch in range(c):
                            dx[b, r, s, ch] += dy[b, i, j, ch] / count


def avg_pool(x, ksize, strides, pads, oh, ow) -> np.ndarray:
    x = np.ascontiguousarray(x)
    y = np.empty((x.shape[0], oh, ow, x.shape[3]), x.dtype)
    _avg_pool(x, ksize, strides, pads, y)
    return y


def avg_pool_grad(n, h, w, dy, ksize, strides, pads) -> np.ndarray:
    dy = np.ascontiguousarray(dy)
    dx = np.empty((n, h, w, dy.shape[3]), dy.dtype)
    _avg_pool_grad(dy, ksize, strides, pads, dx)
    return dx
