"""Time minitf's CPU kernels against hand-written numpy, in one process run.

    python benchmarks/bench_kernels.py            # everything (about a minute)
    python benchmarks/bench_kernels.py overhead   # one section: overhead, chain, matmul, startup

Method (perf-anchors "Method"): each case is calibrated so that one repeat
takes a fixed time, repeats are interleaved round-robin across the cases being
compared so that drift on a shared machine hits them alike, GC is off while
timing, and the tables give the min (best estimate of the uncontended cost),
the median, and ratios of mins. Results are checked against numpy first.
Compare ratios within one run, not absolute numbers across runs.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from minitf.kernels import config, cpu  # noqa: E402


def _per_call(fn, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _calibrate(fn, target: float) -> int:
    """Calls per repeat so that one repeat takes about ``target`` seconds."""
    number = 1
    while True:
        elapsed = _per_call(fn, number) * number
        if elapsed >= target / 4:
            return max(1, int(number * target / elapsed))
        number *= 4


def run_interleaved(cases: dict, target: float = 0.02, repeats: int = 15) -> dict:
    """{label: (min s/call, median s/call)} with repeats interleaved across ``cases``."""
    for fn in cases.values():
        fn()                                          # warm-up: compile or load kernels
    numbers = {label: _calibrate(fn, target) for label, fn in cases.items()}
    times = {label: [] for label in cases}
    gc.disable()
    try:
        for _ in range(repeats):
            for label, fn in cases.items():
                times[label].append(_per_call(fn, numbers[label]))
                time.sleep(0.002)
    finally:
        gc.enable()
    return {label: (min(t), statistics.median(t)) for label, t in times.items()}


def header(title: str) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n## {title}  (load average {load:.1f}, minitf threads {config.num_threads})\n")


# --------------------------------------------------------------------------


def bench_overhead() -> None:
    """Per-call cost of tiny ops: the engine runs ~20 of them per training step."""
    header("call overhead on small float32 arrays, µs per call")
    add, exp = cpu.binary("add"), cpu.unary("exp")
    reduce_sum = cpu.reduce("sum")
    one = np.ones(1, np.float32)
    col = np.ones((800, 1), np.float32)
    two = np.float32(2.0) * np.ones((), np.float32)
    row = np.ones((800, 4), np.float32)
    bias = np.ones(4, np.float32)
    pairs = [
        ("add, 1 element", lambda: add(one, one), lambda: np.add(one, one)),
        ("add, (800,1) + (800,1)", lambda: add(col, col), lambda: np.add(col, col)),
        ("add, (800,1) + 0-d", lambda: add(col, two), lambda: np.add(col, two)),
        ("add, (800,4) + (4,)", lambda: add(row, bias), lambda: np.add(row, bias)),
        ("exp, (800,1)", lambda: exp(col), lambda: np.exp(col)),
        ("reduce_sum, (800,1) all axes", lambda: reduce_sum(col, (0, 1)), lambda: np.sum(col)),
    ]
    for _, ours, theirs in pairs:
        np.testing.assert_allclose(ours(), theirs(), rtol=1e-6)
    cases = {}
    for label, ours, theirs in pairs:
        cases[("minitf", label)] = ours
        cases[("numpy", label)] = theirs
    result = run_interleaved(cases)
    print("| case | minitf min | minitf median | numpy min | numpy median | minitf / numpy |")
    print("|---|---|---|---|---|---|")
    for label, _, _ in pairs:
        ours, theirs = result[("minitf", label)], result[("numpy", label)]
        print(f"| {label} | {ours[0] * 1e6:.2f} | {ours[1] * 1e6:.2f} | {theirs[0] * 1e6:.2f} "
              f"| {theirs[1] * 1e6:.2f} | {ours[0] / theirs[0]:.2f}x |")


def bench_chain() -> None:
    """y = relu(1.5 x - 0.25) * 2 - 0.5, one kernel per op, like numpy eager."""
    header("elementwise chain relu(1.5*x - 0.25)*2 - 0.5, float32 (5 ops, unfused)")
    mul, sub, relu = cpu.binary("mul"), cpu.binary("sub"), cpu.unary("relu")
    a, b, c, d = (np.array(v, np.float32) for v in (1.5, 0.25, 2.0, 0.5))
    print("| n | minitf min ms | minitf median ms | numpy min ms | numpy median ms "
          "| numpy / minitf (speed-up) | minitf GB/s |")
    print("|---|---|---|---|---|---|---|")
    for n in (1_000, 100_000, 1_000_000):
        x = np.random.default_rng(0).standard_normal(n).astype(np.float32)

        def ours(x=x):
            return sub(mul(relu(sub(mul(x, a), b)), c), d)

        def theirs(x=x):
            return np.maximum(x * a - b, 0) * c - d

        np.testing.assert_allclose(ours(), theirs(), rtol=1e-6)
        result = run_interleaved({"minitf": ours, "numpy": theirs}, target=0.05)
        (o_min, o_med), (t_min, t_med) = result["minitf"], result["numpy"]
        print(f"| {n:.0e} | {o_min * 1e3:.4f} | {o_med * 1e3:.4f} | {t_min * 1e3:.4f} "
              f"| {t_med * 1e3:.4f} | {t_min / o_min:.2f}x | {8 * n / o_min / 1e9:.1f} |")


def bench_matmul() -> None:
    """GFLOP/s of BLAS (numpy) and of the tiled teaching kernel."""
    header("matmul, float32 square, GFLOP/s = 2 n^3 / min time")
    print("| n | BLAS (cpu.matmul) | tiled (cpu.matmul_tiled) | BLAS / tiled |")
    print("|---|---|---|---|")
    for n in (256, 1024):
        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n)).astype(np.float32)
        b = rng.standard_normal((n, n)).astype(np.float32)
        np.testing.assert_allclose(cpu.matmul_tiled(a, b), a @ b, rtol=1e-3, atol=1e-2)
        result = run_interleaved({"blas": lambda a=a, b=b: cpu.matmul(a, b),
                                  "tiled": lambda a=a, b=b: cpu.matmul_tiled(a, b)},
                                 target=0.2, repeats=7)
        flops = 2 * n ** 3
        blas, tiled = flops / result["blas"][0] / 1e9, flops / result["tiled"][0] / 1e9
        print(f"| {n} | {blas:.1f} | {tiled:.1f} | {blas / tiled:.1f}x |")


STARTUP_CHILD = """
import json, time
t0 = time.perf_counter()
import numpy as np
from minitf.kernels import cpu
t1 = time.perf_counter()
x = np.ones((8, 4), np.float32)
cpu.binary("add")(x, x)
t2 = time.perf_counter()
cpu.unary("exp")(x); cpu.binary("mul")(x, x[0]); cpu.reduce("sum")(x, (0,))
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "next3": t3 - t2}))
"""


def bench_startup() -> None:
    """First-call latency in fresh processes: empty cache (compile) vs warm cache (load)."""
    header("startup in a fresh process, ms (import; first kernel call; next 3 kernels)")
    print("| cache | import minitf.kernels.cpu | first call (add) | next 3 kernels |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT)}
        for label in ("cold (empty cache)", "warm 1", "warm 2", "warm 3"):
            out = subprocess.run([sys.executable, "-c", textwrap.dedent(STARTUP_CHILD)],
                                 env=env, capture_output=True, text=True, check=True).stdout
            t = json.loads(out.strip().splitlines()[-1])
            print(f"| {label} | {t['import'] * 1e3:.0f} | {t['first'] * 1e3:.0f} "
                  f"| {t['next3'] * 1e3:.0f} |")


SECTIONS = {"overhead": bench_overhead, "chain": bench_chain, "matmul": bench_matmul,
            "startup": bench_startup}

if __name__ == "__main__":
    for name in sys.argv[1:] or SECTIONS:
        SECTIONS[name]()
