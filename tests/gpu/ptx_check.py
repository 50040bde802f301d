"""Compile every minitf GPU kernel to PTX for a real GPU (compute capability 9.0), without one.

The CUDA simulator runs kernels as Python, so it accepts code that real CUDA
would reject. This script type-checks and compiles each kernel with NVVM
instead. numba-cuda asks the driver for the compute capability while
compiling; with no driver, those lookups are answered with 9.0 below.
Needs ``pip install nvidia-cuda-nvcc-cu12 nvidia-cuda-nvrtc-cu12`` (NVVM,
libdevice, NVRTC). Run by test_gpu_ptx.py; prints "N kernels compiled to PTX, M failed".
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

from minitf.kernels import catalog, cuda_factories, cuda_matmul, rows  # noqa: E402

SHAPE = types.UniTuple(types.int64, 8)


def array(dtype, ndim=1):
    return types.Array(from_dtype(np.dtype(dtype)), ndim, "C")


def scalar(dtype):
    return from_dtype(np.dtype(dtype))


def signatures():
    """(label, kernel, argument types) for every kernel the GPU backend can launch."""
    for name, (fn, dtypes) in catalog.UNARY.items():
        kernel = cuda_factories.map(fn)
        for dt in dtypes:
            yield f"map {name} {dt}", kernel, (array(dt), array(dt))
    for name, (fn, dtypes) in catalog.BINARY.items():
        flat, broadcast = cuda_factories.zip(fn), cuda_factories.zip_broadcast(fn)
        for dt in dtypes:
            out = np.bool_ if name in catalog.BOOL_OUTPUT else dt
            yield f"zip {name} {dt}", flat, (array(dt), array(dt), array(out))
            yield (f"zip_broadcast {name} {dt}", broadcast,
                   (array(dt), array(dt), array(out), SHAPE, SHAPE, SHAPE))
    for name, (fn, finish, dtypes) in catalog.REDUCE.items():
        for dt in dtypes:
            kernel = cuda_factories.reduce(fn, finish, scalar(dt), 256)
            yield (f"reduce {name} {dt}", kernel,
                   (array(dt), array(dt), scalar(dt), SHAPE, SHAPE, SHAPE, SHAPE, types.int64))
    for name, line in (("argmax", rows.argmax_line), ("argmin", rows.argmin_line)):
        kernel = cuda_factories.argreduce(line)
        for dt in catalog.NUMBER:
            yield f"{name} {dt}", kernel, (array(dt, 3), array(np.int64, 2))
    for dt in catalog.FLOAT:
        for row_fn in (rows.softmax_row, rows.log_softmax_row):
            yield (f"{row_fn.__name__} {dt}", cuda_factories.map_rows(row_fn),
                   (array(dt, 2), array(dt, 2)))
        yield (f"xent {dt}", cuda_factories.loss_rows(rows.xent_row),
               (array(dt, 2), array(dt, 2), array(dt), array(dt, 2)))
        for label_dt in catalog.INT:
            yield (f"sparse xent {dt} {label_dt}", cuda_factories.loss_rows(rows.sparse_xent_row),
                   (array(dt, 2), array(label_dt), array(dt), array(dt, 2)))
    for dt in catalog.NUMBER:
        kernel = cuda_matmul.matmul(16, scalar(dt), np.dtype(dt).type(0))
        yield (f"matmul {dt}", kernel,
               (array(dt, 3), array(dt, 3), array(dt, 3), types.boolean, types.boolean))


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
