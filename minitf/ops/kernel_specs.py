"""Kernel factories for op definitions: one line per op picks its CPU and GPU kernel.

An OpDef's ``kernel`` is ``(op, runtime) -> fn(*arrays)``.  For elementwise ops
the function comes from the numba kernel library in ``minitf.kernels``, by name,
for the CPU (numba ``njit``) and the GPU (``numba.cuda``) alike.
"""

from __future__ import annotations


def unary(name: str) -> dict:
    """``kernel``/``gpu_kernel`` fields for a one-input elementwise op."""
    def cpu_kernel(op, runtime):
        from ..kernels import cpu
        return cpu.unary(name)

    def gpu_kernel(op, runtime):
        from ..kernels import gpu
        return gpu.unary(name)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def binary(name: str) -> dict:
    """``kernel``/``gpu_kernel`` fields for a two-input broadcasting op."""
    def cpu_kernel(op, runtime):
        from ..kernels import cpu
        return cpu.binary(name)

    def gpu_kernel(op, runtime):
        from ..kernels import gpu
        return gpu.binary(name)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def numpy_only(fn) -> dict:
    """An op computed by a plain numpy function (data movement: reshape, concat...)."""
    return {"kernel": lambda op, runtime: fn}
