"""Matrix product on the GPU: the classic shared-memory tiled kernel.

Each block computes one ``tile x tile`` square of the output, one thread per
output element. Walking along the shared dimension a tile at a time, the
block's threads first copy one tile of A and one of B into shared memory
(each thread copies one element of each), wait for each other
(``cuda.syncthreads``), then each thread reads a row of the A tile and a
column of the B tile from fast shared memory instead of slow global memory:
every element loaded is reused ``tile`` times.
"""

from __future__ import annotations

from numba import cuda


def matmul(tile: int, dtype, zero):
    """Kernel ``(a, b, out, transpose_a, transpose_b)`` on 3-d (batch, rows, cols) arrays.

    Launch with blocks of ``(tile, tile)`` threads and a grid of
    ``(ceil(n / tile), ceil(m / tile), batch)``. A batch of 1 in ``a`` or
    ``b`` is reused for every batch entry of ``out``. ``dtype`` is the numba
    type of the shared tiles and ``zero`` a zero of that type (the
    accumulator starts from it, so float32 stays float32).
    """

    @cuda.jit
    def matmul_kernel(a, b, out, transpose_a, transpose_b):
        a_tile = cuda.shared.array((tile, tile), dtype)
        b_tile = cuda.shared.array((tile, tile), dtype)
        tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
        row = cuda.blockIdx.y * tile + ty
        col = cuda.blockIdx.x * tile + tx
        p = cuda.blockIdx.z
        pa = p if a.shape[0] > 1 else 0
        pb = p if b.shape[0] > 1 else 0
        m, n = out.shape[1], out.shape[2]
        k = a.shape[1] if transpose_a else a.shape[2]
        acc = zero
        for k0 in range(0, k, tile):
            # Each thread loads one element of each tile (0 past the edges).
            ka, kb = k0 + tx, k0 + ty
            if row < m and ka < k:
                a_tile[ty, tx] = a[pa, ka, row] if transpose_a else a[pa, row, ka]
            else:
                a_tile[ty, tx] = zero
            if kb < k and col < n:
                b_tile[ty, tx] = b[pb, col, kb] if transpose_b else b[pb, kb, col]
            else:
                b_tile[ty, tx] = zero
            cuda.syncthreads()            # the tiles are complete
            for kk in range(tile):
                acc += a_tile[ty, kk] * b_tile[kk, tx]
            cuda.syncthreads()            # everyone is done before the tiles are overwritten
        if row < m and col < n:
            out[p, row, col] = acc

    return matmul_kernel
