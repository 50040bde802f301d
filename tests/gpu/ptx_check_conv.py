"""Compile the convolution and pooling CUDA kernels (minitf/kernels/conv_cuda.py) to PTX, without a GPU.

The simulator accepts code real CUDA rejects; NVVM does not.  Importing
``ptx_check_ops`` installs its stand-in for the driver (compute capability 9.0).
Prints "N kernels compiled to PTX, M failed" as ptx_check_ops.py does.
"""

from __future__ import annotations

import sys

import ptx_check_ops  # noqa: F401  (answers numba-cuda's driver questions: import it first)
import numpy as np  # noqa: E402
from numba import cuda, from_dtype, types  # noqa: E402

from minitf.kernels import conv_cuda as K  # noqa: E402

PAIR = types.UniTuple(types.int64, 2)


def array4(dtype):
    return types.Array(from_dtype(np.dtype(dtype)), 4, "C")


def signatures():
    for dt in (np.float32, np.float64):
        a = array4(dt)
        yield f"conv2d {dt.__name__}", K.conv2d_kernel, (a, a, a, PAIR, PAIR, PAIR)
        yield f"backprop_input {dt.__name__}", K.backprop_input_kernel, (a, a, a, PAIR, PAIR, PAIR)
        yield f"backprop_filter {dt.__name__}", K.backprop_filter_kernel, (a, a, a, PAIR, PAIR, PAIR)
        yield f"max_pool {dt.__name__}", K.max_pool_kernel, (a, a, PAIR, PAIR, PAIR)
        yield f"max_pool_grad {dt.__name__}", K.max_pool_grad_kernel, (a, a, a, PAIR, PAIR, PAIR)
        yield f"avg_pool {dt.__name__}", K.avg_pool_kernel, (a, a, PAIR, PAIR, PAIR)
        yield f"avg_pool_grad {dt.__name__}", K.avg_pool_grad_kernel, (a, a, PAIR, PAIR, PAIR)


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
