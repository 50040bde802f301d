"""Work over slices of a batch, on ``config.num_threads`` threads: how the CPU convolutions go parallel.

A convolution's patch matrix (im2col) for a whole batch is large (Deep MNIST's
second layer: 50 images x 196 windows x 800 numbers = 31 MB), so building it
all and then handing it to one big BLAS call streams it through memory twice.
Cut the batch into slices of a few images instead and each slice's patches are
built and multiplied while they are still in cache.

The slices are also the unit of parallel work.  We do not let OpenBLAS use
its own threads: its workers spin-wait for each other, and on a shared machine
where another process holds a core, one product can take 100x its time
(perf-anchors §6).  Here every worker runs whole slices with a one-thread
BLAS, and takes the next slice when it is done (no worker waits for a slow
one), much as TensorFlow's Eigen pool shares out its work.

BLAS threads are set through ``blas_threads`` (threadpoolctl, about 1 µs per
convolution); without threadpoolctl the slices run one after another on the
caller's thread, with BLAS left as it is.  Nothing is changed at import
time: the limit holds only while a convolution runs, so the user's own numpy
keeps its BLAS threads.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from minitf.kernels import config
from minitf.kernels.blas_threads import BlasThreads, blas_libraries

# A slice holds about this many bytes of patches: well inside a 32 MB L3 cache,
# large enough that each BLAS call is a real matrix (hundreds of rows).
SLICE_BYTES = 4 << 20
# Scratch buffers up to this size stay with their thread for the next call; larger ones (a slice
# of one big image can exceed SLICE_BYTES) are allocated per call rather than held for ever.
KEEP_BYTES = 64 << 20

_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_local = threading.local()          # each worker's scratch buffers (see ``scratch``)


def slices(n: int, bytes_per_item: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges covering ``range(n)``: at most SLICE_BYTES each, and at least 4 per thread
    when ``n`` allows (so that a thread slowed by another process leaves work to the others)."""
    per = max(1, min(-(-n // (4 * config.num_threads)), SLICE_BYTES // max(bytes_per_item, 1)))
    return [(lo, min(lo + per, n)) for lo in range(0, n, per)]


def run(fn, ranges) -> list:
    """[fn(lo, hi) for each range], on config.num_threads threads, each with a one-thread BLAS.

    One thread (minitf's default) runs the slices in order on the caller's thread, BLAS held to
    one thread as well: the kernel then uses exactly the threads the user asked for.
    """
    threads = min(config.num_threads, len(ranges))
    if not blas_libraries():             # no threadpoolctl: BLAS as it is, so no threads of ours
        return [fn(lo, hi) for lo, hi in ranges]
    with BlasThreads(1):
        if threads <= 1:
            return [fn(lo, hi) for lo, hi in ranges]
        return list(_workers(threads).map(lambda r: fn(*r), ranges))


def scratch(key, shape, dtype):
    """A buffer of this shape and dtype owned by the calling thread, reused from call to call.

    Keyed by its use (``key``) so that two kernels running one after the other on a thread never
    share one; it only grows (the last, shorter slice of a batch reuses the first's memory).
    Its contents are whatever the last user left: callers overwrite every element.
    """
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    size = math.prod(shape)
    if size * np.dtype(dtype).itemsize > KEEP_BYTES:
        return np.empty(shape, dtype)    # one huge image's patches: not worth keeping per thread
    buf = buffers.get((key, dtype))
    if buf is None or buf.size < size:
        buf = buffers[(key, dtype)] = np.empty(size, dtype)
    return buf[:size].reshape(shape)


def _workers(threads: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != threads:
        if _pool is not None:
            _pool.shutdown(wait=False)
        _pool, _pool_size = ThreadPoolExecutor(threads, thread_name_prefix="minitf-conv"), threads
    return _pool
