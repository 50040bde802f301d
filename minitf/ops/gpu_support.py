"""What the ``*_gpu.py`` op files share: launching a kernel, device arrays.

``minitf.kernels.gpu`` holds the math kernels (elementwise, reductions,
matmul, softmax).  The ``*_gpu.py`` files next to this one hold the GPU kernel
factories of the remaining ops: data movement (reshape, cast, fill, select),
variables, random numbers and the optimizers' updates.  An op's record names
its factory as a string (``gpu_kernel="minitf.ops.array_ops_gpu:fill"``), so
these files, and the ``numba.cuda`` kernels of the ``*_cuda.py`` files, are
imported only when a GPU kernel is first built: ``import minitf`` never
imports numba.cuda.
"""

from __future__ import annotations

import functools

import numpy as np
from .. import kernels



@functools.cache
def cuda():
    """The ``numba.cuda`` module (imported on first use: it costs half a second)."""
    from numba import cuda as numba_cuda
    return numba_cuda


def launch(kernel, n: int):
    """``kernel[blocks, threads]`` for ``n`` work items (the kernels loop grid-stride)."""
    threads = kernels.gpu.threads_per_block()
    cap = 4 if kernels.gpu.backend() == "cudasim" else 4096    # the simulator runs threads one by one
    blocks = max(1, min(cap, -(-n // threads)))
    return kernel[blocks, threads]


def empty(shape, dtype):
    """An uninitialized device array."""
    return cuda().device_array(tuple(int(d) for d in shape), np.dtype(dtype))


def flat(d_x):
    """A 1-D view of a C-contiguous device array (a scalar becomes one element)."""
    return d_x.reshape(max(int(d_x.size), 1)) if d_x.size else d_x.reshape(0)


def shape_dummy(d_x) -> np.ndarray:
    """A host array with ``d_x``'s shape and no memory (strides 0): for shape-only CPU code."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, np.int8), shape=tuple(d_x.shape),
                                           strides=(0,) * len(d_x.shape))
