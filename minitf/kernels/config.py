"""Global switches for the kernel library: threads, matmul kernel, GPU block size.

These are the only pieces of mutable state in ``minitf.kernels``. They are
plain module attributes so that the kernels can read them with one attribute
lookup on every call (the engine runs many tiny ops; every microsecond counts).
Nothing here imports numba: importing this module is free.
"""

from __future__ import annotations

import os

# Arrays with at least this many elements use the multi-threaded (prange)
# version of a kernel. Below it, starting the thread pool costs more than it
# saves (perf-anchors §3: a parallel region on 1e5 float32 is ~10 µs).
PARALLEL_THRESHOLD = 100_000


def _threads_from_env() -> int:
    """$MINITF_NUM_THREADS, else $OMP_NUM_THREADS, else 1."""
    for var in ("MINITF_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    # One thread by default: spin-waiting pools collapse on a shared machine
    # when another process takes a core (perf-anchors §6).
    return 1


num_threads: int = _threads_from_env()
matmul_kernel: str = "blas"
threads_per_block: int | None = None   # None: chosen by gpu.py for the backend


def set_num_threads(n: int) -> None:
    """Use ``n`` threads in the parallel CPU kernels (1 = never go parallel)."""
    global num_threads
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"set_num_threads expects a positive int, got {n!r}")
    import numba   # deferred: keeps this module import-free

    if n > numba.config.NUMBA_NUM_THREADS:
        raise ValueError(
            f"set_num_threads({n}): numba was started with at most "
            f"{numba.config.NUMBA_NUM_THREADS} threads (set NUMBA_NUM_THREADS before import)")
    num_threads = n


def apply_num_threads() -> None:
    """Tell numba how many threads the next parallel kernel may use.

    Capped at the pool numba started with, so that a large $MINITF_NUM_THREADS
    on a small machine just means "all of them".
    """
    import numba

    numba.set_num_threads(min(num_threads, numba.config.NUMBA_NUM_THREADS))


def set_matmul_kernel(name: str) -> None:
    """Choose what ``cpu.matmul`` runs: ``"blas"`` (numpy) or ``"tiled"`` (teaching kernel)."""
    global matmul_kernel
    if name not in ("blas", "tiled"):
        raise ValueError(f"set_matmul_kernel expects 'blas' or 'tiled', got {name!r}")
    matmul_kernel = name


def set_threads_per_block(n: int) -> None:
    """Threads per block of the GPU kernels; a power of two (tree reductions halve it)."""
    global threads_per_block
    if not isinstance(n, int) or n < 1 or n & (n - 1):
        raise ValueError(f"set_threads_per_block expects a power of two, got {n!r}")
    threads_per_block = n
