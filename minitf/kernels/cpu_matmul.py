"""Matrix product on the CPU: BLAS by default, a readable tiled numba kernel to learn from.

``matmul`` hands the work to numpy, which calls OpenBLAS: hand-written loops
are 3-6x slower than BLAS on this kind of machine (perf-anchors §4), so the
engine uses BLAS. ``matmul_tiled`` is the teaching kernel: the classic blocked
loop nest that keeps a tile of each operand in cache while it is reused.
``config.set_matmul_kernel("tiled")`` makes ``matmul`` run it instead.

BLAS runs on ``config.num_threads`` threads, like minitf's own kernels
(``blas_threads``); products too small for BLAS to split are left alone.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from minitf.kernels import config
from minitf.kernels.blas_threads import MIN_WORK, BlasThreads
from minitf.kernels.catalog import NUMBER, check_dtype
from minitf.kernels.cpu_jit import kernel
from minitf.kernels.layout import broadcast_shape

# Tile sizes: rows of A, columns of B, shared dimension. A 64 x 1024 tile of
# B (256 KiB in float32) stays in the L2 cache while 16 rows of A use it.
TILE_M = 16
TILE_N = 1024
TILE_K = 64


def _matmul_tiled_kernel(a, b, out):
    """out[p] += a[p] @ b[p] for every p, one tile at a time."""
    batch, m, k = a.shape
    n = b.shape[2]
    for p in range(batch):
        for tile in prange((m + TILE_M - 1) // TILE_M):   # threads own disjoint rows of out
            i0 = tile * TILE_M
            for k0 in range(0, k, TILE_K):
                for j0 in range(0, n, TILE_N):
                    for i in range(i0, min(i0 + TILE_M, m)):
                        # Row slices, not index offsets: a slice along the last
                        # axis of a C array is contiguous, and the loops below
                        # start at 0, so numba can prove every index is >= 0,
                        # drops its negative-index wraparound check, and LLVM
                        # vectorizes the j loop. (range(j0, j1) with indices
                        # into `out` ran at 3 GFLOP/s, perf-anchors §3; 2-d
                        # tile views at 1.)
                        c_row = out[p, i, j0:j0 + TILE_N]
                        a_row = a[p, i, k0:k0 + TILE_K]
                        for kk in range(a_row.shape[0]):
                            a_ik = a_row[kk]
                            b_row = b[p, k0 + kk, j0:j0 + TILE_N]
                            for j in range(c_row.shape[0]):
                                c_row[j] += a_ik * b_row[j]


_tiled = {}


def _tiled_kernel(parallel: bool):
    """The tiled kernel, built on first use (fastmath: fused multiply-adds)."""
    if parallel not in _tiled:
        _tiled[parallel] = kernel(_matmul_tiled_kernel, "matmul_tiled", parallel, fastmath=True)
    return _tiled[parallel]


def _operands(a, b, transpose_a: bool, transpose_b: bool):
    """Check dtypes and shapes; return the (possibly transposed) views and the batch shape."""
    a, b = np.asarray(a), np.asarray(b)
    check_dtype("matmul", "matmul", a.dtype, NUMBER)
    if b.dtype != a.dtype:
        raise TypeError(f"matmul kernel needs inputs of one dtype, got {a.dtype} and {b.dtype}")
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(f"matmul needs inputs of rank >= 2, got shapes {list(a.shape)} "
                         f"and {list(b.shape)}")
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    if a.shape[-1] != b.shape[-2]:
        raise ValueError(f"Matrix size-incompatible: In[0]: {list(a.shape)}, "
                         f"In[1]: {list(b.shape)}")
    return a, b, broadcast_shape(a.shape[:-2], b.shape[:-2])


def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False) -> np.ndarray:
    """a @ b over the last two axes (batched and broadcast like tf.matmul)."""
    if config.matmul_kernel == "tiled":
        return matmul_tiled(a, b, transpose_a, transpose_b)
    if (type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 == b.ndim
            and a.dtype is b.dtype and a.dtype.kind == "f"):
        a = a.T if transpose_a else a        # the common 2-D float case, checked cheaply
        b = b.T if transpose_b else b
        if a.shape[1] == b.shape[0]:
            if a.shape[0] * a.shape[1] * b.shape[1] < MIN_WORK:
                return a @ b                 # one BLAS thread anyway: skip the switch
            with BlasThreads(config.num_threads):
                return a @ b
    a, b, batch = _operands(a, b, transpose_a, transpose_b)
    if math.prod(batch) * a.shape[-2] * a.shape[-1] * b.shape[-1] < MIN_WORK:
        return np.matmul(a, b)
    with BlasThreads(config.num_threads):
        return np.matmul(a, b)


def matmul_into(a, b, transpose_a: bool, transpose_b: bool, out):
    """``f(a, b, out)`` for 2-D float Specs (see ``into.py``): ``np.matmul(a, b, out=out)``.

    The same BLAS call as ``matmul`` (transposes are views, BLAS reads them as
    such), with the same BLAS thread rule, decided here once.
    """
    if not (len(a.shape) == 2 == len(b.shape) and a.dtype == b.dtype == out.dtype
            and a.dtype.kind == "f"):
        return None
    m, k = a.shape[::-1] if transpose_a else a.shape
    k_b, n = b.shape[::-1] if transpose_b else b.shape
    if k != k_b or out.shape != (m, n):
        return None
    small = m * k * n < MIN_WORK            # one BLAS thread anyway: skip the switch

    def run_into(a, b, out):
        if config.matmul_kernel == "tiled":    # the teaching kernel, chosen after planning
            out[...] = matmul_tiled(a, b, transpose_a, transpose_b)
            return out
        a = a.T if transpose_a else a
        b = b.T if transpose_b else b
        if small:
            return np.matmul(a, b, out=out)
        with BlasThreads(config.num_threads):
            return np.matmul(a, b, out=out)
    return run_into


def matmul_tiled(a, b, transpose_a: bool = False, transpose_b: bool = False) -> np.ndarray:
    """a @ b computed by the tiled numba kernel (same results as ``matmul``)."""
    a, b, batch = _operands(a, b, transpose_a, transpose_b)
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    # Give both operands the full batch shape, then flatten it: the kernel
    # sees three C-contiguous 3-d arrays.
    size = math.prod(batch)
    if a.shape[:-2] != batch:
        a = np.broadcast_to(a, batch + (m, k))
    if b.shape[:-2] != batch:
        b = np.broadcast_to(b, batch + (k, n))
    a = np.ascontiguousarray(a).reshape(size, m, k)
    b = np.ascontiguousarray(b).reshape(size, k, n)
    out = np.zeros((size, m, n), a.dtype)
    parallel = config.num_threads > 1 and m * n * k >= config.PARALLEL_THRESHOLD
    if parallel:
        config.apply_num_threads()
    _tiled_kernel(parallel)(a, b, out)
    return out.reshape(batch + (m, n))
