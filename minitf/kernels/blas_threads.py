"""How many threads BLAS may use during one kernel call: the one place that decides it.

OpenBLAS keeps its own pool of threads (one per core) whose workers spin-wait
for each other; on a shared machine where another process holds a core, one
product can take 5-20x its time (perf-anchors §6: a fully connected layer's
matmul took 10-48 ms on 2 threads under load, ~2 ms on one).  So minitf's
kernels give BLAS the threads the user gave minitf (``config.num_threads``,
set by ConfigProto's ``intra_op_parallelism_threads``, 1 by default), and the
convolutions, which run their own workers, give it one each.

The limit holds only while a kernel runs, and is put back afterwards: the
user's own numpy keeps its BLAS threads, and nothing is set at import time.

Cost: threadpoolctl's ``limit()`` context re-scans the loaded libraries and
costs ~10 µs, more than the lecture's whole 800x4 @ 4x1 product (~3 µs).  We
find the BLAS libraries once and call their ``set_num_threads`` directly
(~0.4 µs each way), and skip products too small for OpenBLAS to split anyway.
Without threadpoolctl, BLAS is left as it is.

Measured (2-core shared machine, loaded, 3 interleaved rounds, OpenBLAS started
with 2 threads, minitf with 1): the GD MLP step's median went from 12-84 ms to
2.1-2.9 ms, the Adam MLP's from 7-34 ms to 2.8-4.0 ms, the Deep MNIST CNN step
from 110-245 ms (min) to 63-125 ms.  With BLAS already at 1 thread the switch
is a no-op (one get_num_threads per large product).
"""

from __future__ import annotations

# m*n*k below which a product is not worth touching: OpenBLAS itself runs a gemm
# on one thread when m*n*k < 65536 * GEMM_MULTITHREAD_THRESHOLD (4 by default).
MIN_WORK = 65536

_libs = None          # threadpoolctl's controllers of the loaded BLAS libraries; [] when absent


def blas_libraries() -> list:
    """The BLAS libraries numpy loaded (threadpoolctl controllers), found once."""
    global _libs
    if _libs is None:
        try:
            from threadpoolctl import ThreadpoolController
            _libs = list(ThreadpoolController().select(user_api="blas").lib_controllers)
        except Exception:        # not installed, or an unusual BLAS setup: leave BLAS as it is
            _libs = []
    return _libs


class BlasThreads:
    """``with BlasThreads(n):`` BLAS uses at most ``n`` threads inside, its old setting after."""

    __slots__ = ("threads", "saved")

    def __init__(self, threads: int):
        self.threads = threads
        self.saved = []

    def __enter__(self):
        for lib in _libs if _libs is not None else blas_libraries():
            old = lib.get_num_threads()
            if old is not None and old != self.threads:
                lib.set_num_threads(self.threads)
                self.saved.append((lib, old))
        return self

    def __exit__(self, *exc):
        for lib, old in self.saved:
            lib.set_num_threads(old)
        self.saved = []
        return False
