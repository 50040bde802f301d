"""Kernel factories for op definitions: one line per op picks its CPU and GPU kernel.

An OpDef's ``kernel`` is ``(op, runtime) -> fn(*arrays)``.  For elementwise ops
the function comes from the numba kernel library in ``minitf.kernels``, by name,
for the CPU (numba ``njit``) and the GPU (``numba.cuda``) alike.
"""

from __future__ import annotations

import numpy as np
from .. import kernels

# The kernel library compiles float32/64 and int32/64 signatures only.  The rarer
# small integer types (``tf.int16`` in the classic "basic operations" tutorial)
# are computed in int32 and cast back, which wraps around exactly as TF does.
_SMALL_INTS = {"int8", "int16", "uint8", "uint16"}


def widened_for(op, kernel):
    """``kernel``, or a wrapper computing in int32 when ``op`` works on a small int type."""
    if not op.inputs or op.inputs[0].dtype.base_dtype.name not in _SMALL_INTS:
        return kernel
    small = op.inputs[0].dtype.base_dtype.np_dtype

    def widened(*args):
        out = kernel(*[np.asarray(a).astype(np.int32) if np.asarray(a).dtype == small else a
                       for a in args])
        return out if out.dtype == np.bool_ else out.astype(small)
    return widened


def unary(name: str) -> dict:
    """``kernel``/``gpu_kernel`` fields for a one-input elementwise op."""
    def cpu_kernel(op, runtime):
        return widened_for(op, kernels.cpu.unary(name))

    def gpu_kernel(op, runtime):
        return kernels.gpu.unary(name)
    cpu_kernel.elementwise = ("unary", name)      # the planner may fuse it (client/fusion.py)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def binary(name: str) -> dict:
    """``kernel``/``gpu_kernel`` fields for a two-input broadcasting op."""
    def cpu_kernel(op, runtime):
        return widened_for(op, kernels.cpu.binary(name))

    def gpu_kernel(op, runtime):
        return kernels.gpu.binary(name)
    cpu_kernel.elementwise = ("binary", name)     # the planner may fuse it (client/fusion.py)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}

