"""Compile the op-level CUDA kernels (array moves, optimizer updates) to PTX, without a GPU.

The CUDA simulator runs kernels as Python, so it accepts code real CUDA would
reject (a float stored into a bool, a missing cast).  This type-checks and
compiles each kernel of ``minitf/ops/array_kernels_cuda.py`` and
``minitf/train/training_kernels_cuda.py`` with NVVM for compute capability
9.0, answering numba-cuda's driver questions the way
``tests/gpu/ptx_check.py`` does.  Prints "N kernels compiled to PTX, M failed".
"""

from __future__ import annotations

import sys
import types as pytypes

import numba.cuda.api
import numba.cuda.compiler
import numba.cuda.cudadrv.devices
import numba.cuda.dispatcher


def _fake_device():
    return pytypes.SimpleNamespace(compute_capability=(9, 0))


for _module in (numba.cuda.api, numba.cuda.dispatcher, numba.cuda.compiler):
    _module.get_current_device = _fake_device
numba.cuda.cudadrv.devices.get_context = lambda devnum=0: pytypes.SimpleNamespace(
    device=_fake_device())

import numpy as np  # noqa: E402
from numba import cuda, from_dtype, types  # noqa: E402

from minitf.ops import array_kernels_cuda as A  # noqa: E402
from minitf.train import training_kernels_cuda as T  # noqa: E402

SHAPE = types.UniTuple(types.int64, 8)
FLOATS = (np.float32, np.float64)
NUMBERS = FLOATS + (np.int32, np.int64)
ALL = NUMBERS + (np.bool_,)


def array(dtype):
    return types.Array(from_dtype(np.dtype(dtype)), 1, "C")


def signatures():
    """(label, kernel, argument types) for the ways the op kernels launch them."""
    for dt in ALL:
        value = types.boolean if dt is np.bool_ else from_dtype(np.dtype(dt))
        yield f"fill {dt.__name__}", A.fill, (array(dt), value)
        yield f"expand {dt.__name__}", A.expand, (array(dt), array(dt), SHAPE, SHAPE)
        yield (f"select {dt.__name__}", A.select,
               (array(np.bool_), array(dt), array(dt), array(dt), SHAPE, SHAPE, SHAPE, SHAPE))
        for src in ALL:
            if dt is np.bool_:
                yield f"cast_to_bool {src.__name__}", A.cast_to_bool, (array(src), array(dt))
            elif src is not dt:
                yield f"cast {src.__name__}->{dt.__name__}", A.cast, (array(src), array(dt))
    for dt in FLOATS:
        a = array(dt)
        yield f"gradient_descent {dt.__name__}", T.gradient_descent, (a, a, a, a)
        yield f"momentum {dt.__name__}", T.momentum, (a, a, a, a, a, types.boolean, a, a)
        yield f"adam {dt.__name__}", T.adam, (a,) * 13
        yield f"adagrad {dt.__name__}", T.adagrad, (a,) * 6
        yield f"rmsprop {dt.__name__}", T.rmsprop, (a,) * 11


def main() -> int:
    compiled, failures = 0, []
    for label, kernel, argtypes in signatures():
        try:
            cuda.compile_ptx(kernel.py_func, argtypes, cc=(9, 0))
            compiled += 1
        except Exception as exc:     # report them all, not just the first
            failures.append(f"FAIL {label}\n    " + "\n    ".join(str(exc).splitlines()[:12]))
    print("\n".join(failures))
    print(f"{compiled} kernels compiled to PTX, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
