"""Convolution on the CPU: im2col loops in numba, the arithmetic in BLAS.

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

Pooling has no matrix product: its kernels are direct loops, in ``pool_cpu.py``.

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


@njit(**JIT)
def _im2col_by_tap(x, kh, kw, strides, dilations, pads, cols_t):
    """Fill cols_t (kh, kw, c, n, oh, ow), the patch matrix transposed: one row per filter tap.

    For an image with few channels (a grayscale input has one), a window row of the
    usual layout is kh*kw runs of only ``c`` numbers; here the innermost loop runs along
    an image row instead (``ow`` numbers), which copies 3-4x faster.
    """
    n, h, w, c = x.shape
    oh, ow = cols_t.shape[4], cols_t.shape[5]
    for p in range(kh):
        for q in range(kw):
            for ch in range(c):
                for b in range(n):
                    for i in range(oh):
                        r = i * strides[0] + p * dilations[0] - pads[0]
                        if r < 0 or r >= h:
                            for j in range(ow):
                                cols_t[p, q, ch, b, i, j] = 0
                            continue
                        for j in range(ow):
                            s = j * strides[1] + q * dilations[1] - pads[1]
                            cols_t[p, q, ch, b, i, j] = x[b, r, s, ch] if 0 <= s < w else 0


# Images with at most this many channels are copied tap by tap (_im2col_by_tap); with more,
# each window's channels are a long enough run for the row-by-row copy (_im2col).
FEW_CHANNELS = 4


def im2col(x, kh, kw, strides, dilations, pads, out_hw, out=None) -> np.ndarray:
    """Every receptive field as one row: a (n * oh * ow, kh * kw * c) matrix.

    ``out`` (optional) is a buffer of n * oh * ow * kh * kw * c elements to write into.
    With few channels the matrix is the transpose of a tap-major array (Fortran order):
    BLAS multiplies either layout at the same speed.
    """
    x = np.ascontiguousarray(x)
    n, c = x.shape[0], x.shape[3]
    rows, row = n * out_hw[0] * out_hw[1], kh * kw * c
    buf = np.empty(rows * row, x.dtype) if out is None else out.reshape(-1)
    if c <= FEW_CHANNELS:
        cols_t = buf.reshape(kh, kw, c, n, out_hw[0], out_hw[1])
        _im2col_by_tap(x, kh, kw, strides, dilations, pads, cols_t)
        return buf.reshape(row, rows).T
    cols = buf.reshape(n, out_hw[0], out_hw[1], kh, kw, c)
    _im2col(x, kh, kw, strides, dilations, pads, cols)
    return buf.reshape(rows, row)


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
