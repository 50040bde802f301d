"""Convolution and pooling on the CPU: im2col loops in numba, the arithmetic in BLAS.

A convolution is a matrix product in disguise.  ``im2col`` copies every
receptive field (kh x kw x in_channels numbers) into one row of a matrix; one
BLAS ``matmul`` with the filter, seen as a (kh*kw*in_channels, out_channels)
matrix, then computes every output at once.  numba writes the copies (plain
loops, no Python overhead); numpy's matmul does the multiply-adds, which BLAS
does far faster than any loop we could write (design.md: no hand-written
matmul loops).  The two gradients reuse the same pieces:

    d input  = col2im(d out @ filter^T)     (scatter-add each row back to its window)
    d filter = im2col(input)^T @ d out

The batch is worked through in slices of a few images (``batch_chunks.py``): a
slice's patches are built in a reused per-thread buffer and multiplied while
they are still in cache, and with ``config.num_threads`` > 1 the slices are
shared out over that many threads, each with a one-thread BLAS.

Pooling has no matrix product, so each pooling kernel is one direct loop.

Images are NHWC.  ``pads`` is (top, left): how many zeros sit before row 0 and
column 0; the callers compute it with TensorFlow's SAME rule.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from minitf.kernels import batch_chunks

# Compiled once per dtype and cached on disk, like the other CPU kernels (kernels/cpu_jit.py).
JIT = dict(cache=True, nogil=True)


# --- im2col / col2im ----------------------------------------------------------------------------
@njit(**JIT)
def _im2col(x, kh, kw, strides, dilations, pads, cols):
    """Fill cols (n, oh, ow, kh, kw, c) with the windows of x; taps in the padding get 0.

    ``cols`` is a reused buffer (``np.empty``), so the zeros are written here, not inherited.
    """
    n, h, w, c = x.shape
    oh, ow = cols.shape[1], cols.shape[2]
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for p in range(kh):
                    r = i * strides[0] + p * dilations[0] - pads[0]
                    for q in range(kw):
                        s = j * strides[1] + q * dilations[1] - pads[1]
                        if 0 <= r < h and 0 <= s < w:
                            for ch in range(c):       # explicit loops: numba slices cost a view each
                                cols[b, i, j, p, q, ch] = x[b, r, s, ch]
                        else:
                            for ch in range(c):
                                cols[b, i, j, p, q, ch] = 0


@njit(**JIT)
def _col2im(cols, strides, dilations, pads, x):
    """Add each row of cols back onto its window of x (n, h, w, c), which starts at 0."""
    n, oh, ow, kh, kw, c = cols.shape
    h, w = x.shape[1], x.shape[2]
    x[:] = 0
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for p in range(kh):
                    r = i * strides[0] + p * dilations[0] - pads[0]
                    if r < 0 or r >= h:
                        continue
                    for q in range(kw):
                        s = j * strides[1] + q * dilations[1] - pads[1]
                        if 0 <= s < w:                  # windows overlap: add, never assign
                            for ch in range(c):
                                x[b, r, s, ch] += cols[b, i, j, p, q, ch]


def im2col(x, kh, kw, strides, dilations, pads, out_hw, out=None) -> np.ndarray:
    """Every receptive field as one row: shape (n * oh * ow, kh * kw * c).

    ``out`` (optional) is a buffer of n * oh * ow * kh * kw * c elements to write into.
    """
    n, c = x.shape[0], x.shape[3]
    shape = (n, out_hw[0], out_hw[1], kh, kw, c)
    cols = np.empty(shape, x.dtype) if out is None else out.reshape(shape)
    _im2col(np.ascontiguousarray(x), kh, kw, strides, dilations, pads, cols)
    return cols.reshape(-1, kh * kw * c)


# --- the three convolution kernels --------------------------------------------------------------
# Each works on slices of a few images (batch_chunks.py): a slice's patch matrix is built in a
# per-thread buffer and multiplied while it is in cache, and the slices share out the threads.

def _patches(x, lo, hi, kh, kw, strides, dilations, pads, out_hw):
    """im2col of images lo..hi-1 into the calling thread's reused buffer."""
    rows = (hi - lo) * out_hw[0] * out_hw[1]
    buf = batch_chunks.scratch("im2col", (rows, kh * kw * x.shape[3]), x.dtype)
    return im2col(x[lo:hi], kh, kw, strides, dilations, pads, out_hw, out=buf)


def _slices(n, out_hw, row_items, dtype):
    return batch_chunks.slices(n, out_hw[0] * out_hw[1] * row_items * np.dtype(dtype).itemsize)


def conv2d(x, f, strides, dilations, pads, out_hw):
    """Forward: patches @ filter matrix, reshaped to (n, oh, ow, out_channels)."""
    kh, kw, c, o = f.shape
    x, n, pixels = np.ascontiguousarray(x), x.shape[0], out_hw[0] * out_hw[1]
    fm = np.ascontiguousarray(f).reshape(kh * kw * c, o)
    out = np.empty((n * pixels, o), np.result_type(x.dtype, f.dtype))

    def forward(lo, hi):
        cols = _patches(x, lo, hi, kh, kw, strides, dilations, pads, out_hw)
        np.matmul(cols, fm, out=out[lo * pixels:hi * pixels])
    batch_chunks.run(forward, _slices(n, out_hw, kh * kw * c, x.dtype))
    return out.reshape(n, out_hw[0], out_hw[1], o)


def conv2d_backprop_input(input_shape, f, dy, strides, dilations, pads):
    """d input: each output's gradient spread over its window by the filter, summed (col2im)."""
    n, h, w, c = input_shape
    kh, kw, _, o = f.shape
    oh, ow = dy.shape[1], dy.shape[2]
    fmt = np.ascontiguousarray(f).reshape(kh * kw * c, o).T
    dym = np.ascontiguousarray(dy).reshape(-1, o)
    dx = np.empty((n, h, w, c), np.result_type(dy.dtype, f.dtype))

    def backward(lo, hi):
        cols = batch_chunks.scratch("col2im", ((hi - lo) * oh * ow, kh * kw * c), dx.dtype)
        np.matmul(dym[lo * oh * ow:hi * oh * ow], fmt, out=cols)
        _col2im(cols.reshape(hi - lo, oh, ow, kh, kw, c), strides, dilations, pads, dx[lo:hi])
    batch_chunks.run(backward, _slices(n, (oh, ow), kh * kw * c, dx.dtype))
    return dx


def conv2d_backprop_filter(x, filter_shape, dy, strides, dilations, pads):
    """d filter: patches^T @ d out, summed over the slices of the batch."""
    kh, kw, c, o = filter_shape
    x, n, out_hw = np.ascontiguousarray(x), x.shape[0], dy.shape[1:3]
    pixels = out_hw[0] * out_hw[1]
    dym = np.ascontiguousarray(dy).reshape(-1, o)

    def partial(lo, hi):
        cols = _patches(x, lo, hi, kh, kw, strides, dilations, pads, out_hw)
        return cols.T @ dym[lo * pixels:hi * pixels]
    parts = batch_chunks.run(partial, _slices(n, out_hw, kh * kw * c, x.dtype))
    df = parts[0] if parts else np.zeros((kh * kw * c, o), np.result_type(x.dtype, dy.dtype))
    for part in parts[1:]:
        df += part
    return df.reshape(kh, kw, c, o)


# --- pooling ------------------------------------------------------------------------------------
# Loops run channels innermost: in NHWC the channels of one pixel sit next to each other in
# memory, so every window position reads one contiguous run (3-4x faster than a channel outside).

@njit(**JIT)
def _window_argmax(x, b, i, j, ksize, strides, pads, best, best_r, best_s):
    """Fill best[ch] with the largest value of window (i, j), best_r/best_s[ch] with its (row, col).

    A tie keeps the first maximum in row-major window order (``>``, not ``>=``): the input TF
    routes the gradient to.
    """
    h, w, c = x.shape[1], x.shape[2], x.shape[3]
    best_r[:] = -1
    for p in range(ksize[0]):
        r = i * strides[0] + p - pads[0]
        if r < 0 or r >= h:
            continue                                      # padding never wins a max
        for q in range(ksize[1]):
            s = j * strides[1] + q - pads[1]
            if s < 0 or s >= w:
                continue
            for ch in range(c):
                if best_r[ch] < 0 or x[b, r, s, ch] > best[ch]:
                    best[ch], best_r[ch], best_s[ch] = x[b, r, s, ch], r, s


@njit(**JIT)
def max_pool(x, ksize, strides, pads, oh, ow):
    n, c = x.shape[0], x.shape[3]
    y = np.empty((n, oh, ow, c), x.dtype)
    best, best_r, best_s = np.empty(c, x.dtype), np.empty(c, np.int64), np.empty(c, np.int64)
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                _window_argmax(x, b, i, j, ksize, strides, pads, best, best_r, best_s)
                y[b, i, j, :] = best
    return y


@njit(**JIT)
def max_pool_grad(x, dy, ksize, strides, pads):
    """Each output's gradient goes to the one input that won its window (found again here:
    TF's MaxPoolGrad takes the forward input, not the argmax)."""
    n, oh, ow, c = dy.shape
    dx = np.zeros(x.shape, dy.dtype)
    best, best_r, best_s = np.empty(c, x.dtype), np.empty(c, np.int64), np.empty(c, np.int64)
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                _window_argmax(x, b, i, j, ksize, strides, pads, best, best_r, best_s)
                for ch in range(c):
                    dx[b, best_r[ch], best_s[ch], ch] += dy[b, i, j, ch]
    return dx


@njit(**JIT)
def _window_bounds(i, k, stride, pad, size):
    """The valid input range [lo, hi) of window i: padding is left out of the average."""
    start = i * stride - pad
    return max(start, 0), min(start + k, size)


@njit(**JIT)
def avg_pool(x, ksize, strides, pads, oh, ow):
    n, h, w, c = x.shape
    y = np.zeros((n, oh, ow, c), x.dtype)
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
    return y


@njit(**JIT)
def avg_pool_grad(n, h, w, dy, ksize, strides, pads):
    """Each output's gradient shared equally by the valid inputs of its window."""
    oh, ow, c = dy.shape[1], dy.shape[2], dy.shape[3]
    dx = np.zeros((n, h, w, c), dy.dtype)
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
    return dx
