"""numba.cuda kernels for moving and reshaping data on the GPU: fill, cast, broadcast, select.

Each thread handles elements ``i, i + T, i + 2T, ...`` (a grid-stride loop),
so any grid covers any array.  Broadcasting reads an input through strides
that are 0 along repeated dimensions (``indexing.position``), as the kernel
library's binary ops do.  This module imports numba.cuda: ``array_ops_gpu``
imports it only when a GPU kernel is first built.
"""

from __future__ import annotations

from numba import cuda

from ..kernels import indexing

position = cuda.jit(device=True)(indexing.position)


@cuda.jit
def fill(out, value):
    """out[:] = value."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = value


@cuda.jit
def cast(x, out):
    """out[i] = x[i] converted to out's dtype (floats truncate toward zero, as in TF)."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i]


@cuda.jit
def cast_to_bool(x, out):
    """out[i] = x[i] != 0."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i] != 0


@cuda.jit
def expand(x, out, shape, x_strides):
    """out = x broadcast to ``shape`` (x read with stride 0 along repeated dimensions)."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[position(i, shape, x_strides)]


@cuda.jit
def select(c, x, y, out, shape, c_strides, x_strides, y_strides):
    """out = where(c, x, y), all three broadcast to ``shape``."""
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        if c[position(i, shape, c_strides)]:
            out[i] = x[position(i, shape, x_strides)]
        else:
            out[i] = y[position(i, shape, y_strides)]
