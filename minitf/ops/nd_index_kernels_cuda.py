"""numba.cuda kernel for ReverseV2 (imported by ``nd_index_ops_gpu`` only when it first launches)."""

from __future__ import annotations

from numba import cuda

from ..kernels import indexing

position = cuda.jit(device=True)(indexing.position)


@cuda.jit
def gather_strided(x, out, shape, strides, offset):
    """out[i] = x[offset + position(i, shape, strides)]: any strides, negative ones included."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[offset + position(i, shape, strides)]
