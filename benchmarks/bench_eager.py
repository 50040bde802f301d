"""minitf eager mode vs numpy: the cost of one small op, and of one eager training step.

    python benchmarks/bench_eager.py

An eager op is dominated by fixed costs (argument conversion, device choice,
the kernel-cache lookup, wrapping the result), not by arithmetic, so it is
timed on tiny tensors.  Interleaved repeats, min and median, ratios within
this run.  Anchors measured on this machine class (reference/perf-anchors.md):
TF 2 eager costs 67 µs per ``a + b``, PyTorch eager 3.3 µs; the target for
minitf is under 10 µs.
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import report, run_interleaved  # noqa: E402

import minitf as tf  # noqa: E402

tf.enable_eager_execution()

from minitf.eager.execute import execute  # noqa: E402
from minitf.framework.registry import get_op_def  # noqa: E402

ANCHORS_US = {"TF 2 eager a+b (perf-anchors)": 67.0, "PyTorch eager a+b (perf-anchors)": 3.3}


def small_op_cases() -> dict:
    """One op on 4x4 float32 tensors, several ways."""
    a_np = np.ones((4, 4), np.float32)
    b_np = np.full((4, 4), 2.0, np.float32)
    a, b = tf.constant(a_np), tf.constant(b_np)
    add, attrs = get_op_def("Add"), {"T": tf.float32}
    cases = {
        "numpy a + b": lambda: a_np + b_np,
        "minitf a + b": lambda: a + b,
        "minitf tf.add(a, b)": lambda: tf.add(a, b),
        "minitf executor only (execute)": lambda: execute(add, [a, b], attrs),
        "minitf a * 2.0 (Python scalar)": lambda: a * 2.0,
        "minitf tf.matmul(a, b)": lambda: tf.matmul(a, b),
        "minitf tape + watch + a + b": _taped(a, b),
    }
    try:
        import torch
        ta, tb = torch.ones(4, 4), torch.full((4, 4), 2.0)
        cases["torch a + b"] = lambda: ta + tb
    except ImportError:
        pass
    return cases


def _taped(a, b):
    """a + b inside a fresh GradientTape watching ``a`` (tape set-up plus one recorded op)."""
    def run():
        with tf.GradientTape() as tape:
            tape.watch(a)
            return a + b
    return run


def training_step_cases() -> dict:
    """The lecture's linear regression, one full-batch GD step on 800 x 4 rows."""
    rng = np.random.RandomState(0)
    X = rng.randn(800, 4).astype(np.float32)
    y = (X @ rng.randn(4, 1) + 0.5).astype(np.float32)
    w_np, b_np = np.zeros((4, 1), np.float32), np.zeros((1,), np.float32)

    def numpy_step():
        nonlocal w_np, b_np
        err = X @ w_np + b_np - y
        w_np = w_np - np.float32(0.2) * (2.0 / 800) * (X.T @ err)
        b_np = b_np - np.float32(0.2) * (2.0 / 800) * err.sum(axis=0)

    w, b = tf.Variable(tf.zeros([4, 1])), tf.Variable(tf.zeros([1]))
    opt = tf.train.GradientDescentOptimizer(0.2)
    loss = lambda: tf.reduce_mean(tf.square(tf.matmul(X, w) + b - y))   # noqa: E731
    return {"numpy hand-written step": numpy_step,
            "minitf eager opt.minimize(loss)": lambda: opt.minimize(loss)}


def main():
    results = run_interleaved(small_op_cases())
    report("Eager per-op cost, 4x4 float32 tensors", results, "numpy a + b")
    ours = results["minitf a + b"][0] * 1e6
    for name, us in ANCHORS_US.items():
        print(f"  {name:<40} {us:9.2f} us   ratio minitf a + b / this: {ours / us:6.2f}x")
    print(f"  target: minitf a + b under 10 us -> {'met' if ours < 10 else 'NOT met'} ({ours:.2f} us)")
    results = run_interleaved(training_step_cases(), repeats=9)
    report("Eager linear-regression step (800x4, GradientTape + ApplyGradientDescent)", results,
           "numpy hand-written step")


if __name__ == "__main__":
    main()
