"""minitf's compute kernels: numba on the CPU, numba.cuda on the GPU.

How the pieces fit (read them in this order):

    scalar.py          the math of every elementwise op, one plain function each
    catalog.py         op name -> scalar function and accepted dtypes
    cpu_factories.py   map / zip / reduce: scalar function -> numba CPU kernel
    cpu_jit.py         how those kernels are compiled and cached on disk
    layout.py          broadcasting and reduction plans (host-side shape work)
    cpu.py             what ops call: cpu.unary("exp")(x), cpu.binary("add")(x, y), ...
    cpu_matmul.py      BLAS matmul and a readable tiled numba kernel
    into.py            kernels that write into a given array (a Session plan's buffers)
    rows.py            softmax / cross-entropy / argmax on one row
    indexing.py        where element i of a broadcast array lives (used on the GPU)
    cuda_factories.py  map / zip / reduce again, for the GPU
    cuda_matmul.py     the shared-memory tiled matmul kernel
    gpu.py             the CPU API again, on device arrays
    config.py          threads, matmul kernel choice, GPU block size

Importing this package compiles nothing and does not even import numba (one
second): ``kernels.cpu`` and ``kernels.gpu`` are imported the first time an op
reads them (``__getattr__`` below), and a kernel is compiled (or loaded from
the on-disk cache) on its first call per dtype.  So op files write
``from .. import kernels`` at the top and ``kernels.cpu.unary("exp")`` inside.
"""

import importlib

from minitf.kernels import config  # noqa: F401

_ON_FIRST_USE = ("cpu", "gpu")         # these import numba


def __getattr__(name: str):
    """``kernels.cpu`` / ``kernels.gpu``: the module, imported on first use."""
    if name in _ON_FIRST_USE:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
