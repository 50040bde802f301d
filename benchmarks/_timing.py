"""Interleaved timing: every case is repeated round-robin so machine drift hits all alike.

We report the minimum (best estimate of the uncontended cost) and the median,
and ratios within one run.  Never assert timings in tests.
"""

from __future__ import annotations

import gc
import statistics
import time


def run_interleaved(cases: dict, repeats: int = 15, target_s: float = 0.05, warmup: int = 20) -> dict:
    """``cases`` maps name -> zero-arg function; returns name -> (min_s, median_s) per call.

    Each case first runs ``warmup`` times (compile, plan; minitf fuses a plan on its
    10th run when ``fusion.FUSE_AFTER_SECONDS`` is 0, as the bench scripts set it, and
    that one-off compile must not fall into the calibration).
    """
    for fn in cases.values():
        for _ in range(warmup):
            fn()                                          # warm up (compile, plan, fuse)
    loops = {name: _calibrate(fn, target_s) for name, fn in cases.items()}
    samples = {name: [] for name in cases}
    gc.disable()
    try:
        for _ in range(repeats):
            for name, fn in cases.items():
                n = loops[name]
                t0 = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - t0) / n)
                time.sleep(0.005)
    finally:
        gc.enable()
    return {name: (min(s), statistics.median(s)) for name, s in samples.items()}


def _calibrate(fn, target_s: float) -> int:
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= target_s / 4 or n >= 1 << 20:
            return max(1, int(n * target_s / max(time.perf_counter() - t0, 1e-9) / 4) * 4 // 4)
        n *= 2


def report(title: str, results: dict, baseline: str, unit: str = "us", scale: float = 1e6) -> None:
    print(f"\n{title}")
    base = results[baseline][0]
    for name, (lo, med) in results.items():
        print(f"  {name:<40} min {lo * scale:9.2f} {unit}   median {med * scale:9.2f} {unit}   "
              f"ratio vs {baseline}: {lo / base:6.2f}x")
