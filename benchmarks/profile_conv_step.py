"""Where the Deep MNIST CNN training step spends its time, kernel by kernel (minitf), and TF's totals.

Builds the step of ``bench_conv.py`` (same graph, same data), runs it until its plan
is fused, then wraps every bound kernel of the plan in a timer and recompiles the
plan's function: each kernel's minimum over the timed steps (and the sum of the
minima) is printed, largest first, next to the whole step's minimum.

With TensorFlow importable (``/tmp/tfvenv/bin/python``), the same step runs under
``RunOptions(trace_level=FULL_TRACE)`` and its ``step_stats`` are summed per op type
(TF's own per-kernel wall times, minimum over the traced steps).

    PYTHONPATH=. python benchmarks/profile_conv_step.py [--steps 20] [--threads 1]
"""

from __future__ import annotations

import argparse
import collections
import time

import minitf as tf
from minitf.client import fusion

import bench_conv

fusion.FUSE_AFTER_SECONDS = 0.0


def _timed(kernel, key, samples):
    def call(*args):
        t0 = time.perf_counter()
        out = kernel(*args)
        samples[key].append(time.perf_counter() - t0)
        return out
    return call


def profile_minitf(steps, threads):
    params, feed_values = bench_conv_inputs()
    sess, _, train, feed = bench_conv._session_step(tf, params, feed_values, threads)
    for _ in range(20):
        sess.run(train, feed)                       # plan, compile, fuse
    plan = sess._last_plan
    samples = collections.defaultdict(list)
    kernels = [s.kernel for s in plan.steps]
    for i, s in enumerate(plan.steps):
        s.kernel = _timed(s.kernel, (i, s.op.type, s.op.name), samples)
    plan.compile()
    whole = []
    for _ in range(steps):
        t0 = time.perf_counter()
        sess.run(train, feed)
        whole.append(time.perf_counter() - t0)
    for s, k in zip(plan.steps, kernels):
        s.kernel = k
    plan.compile()
    rows = sorted(((min(v), key) for key, v in samples.items()), reverse=True)
    total = sum(t for t, _ in rows)
    print(f"\nminitf: {len(rows)} kernel calls; step min {min(whole) * 1e3:.2f} ms, "
          f"sum of kernel minima {total * 1e3:.2f} ms")
    by_type = collections.Counter()
    for t, (_, typ, _) in rows:
        by_type[typ] += t
    for typ, t in by_type.most_common():
        print(f"  {typ:<32} {t * 1e3:8.3f} ms")
    print("  -- per kernel (>= 0.05 ms) --")
    for t, (i, typ, name) in rows:
        if t >= 5e-5:
            print(f"  {i:3d} {typ:<28} {name[:48]:<48} {t * 1e3:8.3f} ms")


def bench_conv_inputs():
    import numpy as np
    rng = np.random.default_rng(1)
    params = [(rng.normal(0, 0.1, s) if len(s) > 1 else np.full(s, 0.1)).astype(np.float32)
              for s in bench_conv.SHAPES]
    images = rng.uniform(0, 1, (bench_conv.BATCH, 784)).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, bench_conv.BATCH)]
    return params, (images, labels, 0.5)


def profile_tf(steps, threads):
    try:
        import tensorflow.compat.v1 as real_tf
    except ImportError:
        print("(TensorFlow is not installed in this interpreter)")
        return
    real_tf.disable_v2_behavior()
    params, feed_values = bench_conv_inputs()
    sess, _, train, feed = bench_conv._session_step(real_tf, params, feed_values, threads)
    for _ in range(10):
        sess.run(train, feed)
    per_type = collections.defaultdict(list)
    whole = []
    for _ in range(steps):
        meta = real_tf.RunMetadata()
        options = real_tf.RunOptions(trace_level=real_tf.RunOptions.FULL_TRACE)
        t0 = time.perf_counter()
        sess.run(train, feed, options=options, run_metadata=meta)
        whole.append(time.perf_counter() - t0)
        step = collections.Counter()
        for dev in meta.step_stats.dev_stats:
            if "stream" in dev.device or "memcpy" in dev.device:
                continue
            for node in dev.node_stats:
                typ = node.timeline_label.split("(")[0].split("= ")[-1].strip() or node.node_name
                step[typ] += node.all_end_rel_micros
        for typ, us in step.items():
            per_type[typ].append(us)
    rows = sorted(((min(v), typ) for typ, v in per_type.items()), reverse=True)
    print(f"\nTensorFlow (traced): step min {min(whole) * 1e3:.2f} ms, "
          f"sum of per-type minima {sum(t for t, _ in rows) / 1e3:.2f} ms")
    for us, typ in rows:
        if us >= 20:
            print(f"  {typ:<32} {us / 1e3:8.3f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-tf", action="store_true")
    args = parser.parse_args()
    print(bench_conv.blas_line())
    profile_minitf(args.steps, args.threads)
    if not args.no_tf:
        profile_tf(args.steps, args.threads)


if __name__ == "__main__":
    main()
