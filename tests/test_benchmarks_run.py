"""The benchmark scripts still run against today's engine.

They reach into the Session's plans (``bench_steps.py`` replays an optimized
plan's kernel calls one by one), so a change to the plan's calling convention
can break them without any engine test noticing: an optimized plan's
specialized steps take their output buffers as arguments, which once broke
``bench_steps``.  These are smoke tests of the scripts, with the timing loops
cut short; they check no timing.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.client import fusion

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARKS = os.path.join(ROOT, "benchmarks")


@pytest.fixture
def bench_steps(monkeypatch):
    """The ``bench_steps`` module, its global fusion setting undone after the test."""
    monkeypatch.setattr(fusion, "FUSE_AFTER_SECONDS", fusion.FUSE_AFTER_SECONDS)
    monkeypatch.syspath_prepend(BENCHMARKS)
    import bench_steps
    fusion.FUSE_AFTER_SECONDS = 0.0                  # (the import set it once; set again per test)
    monkeypatch.setattr(bench_steps, "best_us", lambda fn, **_: (fn(), 1.0)[1])   # one call, no timing
    return bench_steps


@pytest.mark.parametrize("workload", ["linreg", "mlp", "adam_mlp"])
def test_bench_steps_replays_every_kernel_call_of_an_optimized_plan(bench_steps, workload):
    with tf.Graph().as_default():
        train, feed = getattr(bench_steps, workload)()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(fusion.FUSE_AFTER_RUNS + 2):
                sess.run(train, feed)
            plan = sess._last[1]
            assert plan.optimized, "the plan was not optimized: nothing specialized to replay"
            assert any(getattr(s, "out_specs", None) is not None for s in plan.steps)
            times = bench_steps.replay(plan, list(feed.values()))
    assert sorted(times) == list(range(len(plan.steps)))


def test_bench_compare_prints_its_targets():
    result = subprocess.run(
        [sys.executable, os.path.join(BENCHMARKS, "bench_compare.py"), "--only", "linreg,trivial",
         "--repeats", "1", "--target-ms", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=ROOT))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "linreg    minitf / numpy" in result.stdout
    assert "trivial   minitf sess.run" in result.stdout
    lines = [line for line in result.stdout.splitlines() if "loss after 5 steps, minitf" in line]
    numpy_loss = [line for line in result.stdout.splitlines() if "loss after 5 steps, numpy" in line]
    assert lines and numpy_loss                      # each implementation's loss checked before timing
    assert np.isclose(float(lines[0].split()[-1]), float(numpy_loss[0].split()[-1]), rtol=1e-4)
