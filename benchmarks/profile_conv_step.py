"""Where the Deep MNIST CNN training step spends its time, kernel by kernel (minitf), and TF's totals.

Builds the step of ``bench_conv.py`` (same graph, same data), runs it until its plan
is fused, then wraps every bound kernel of the plan in a timer and recompiles the
plan's function: each kernel's minimum over the timed steps (and the sum of the
minima) is printed, largest first, next to the whole step's minimum.

Then "GEMMs alone": the step's matrix products and nothing else, at the same shapes
through numpy's BLAS on one thread (the convolutions' products in the slices their
kernels use), the floor for any engine built on numpy's matmul.

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


def _min_time(fn, steps):
    fn()
    best = float("inf")
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def gemm_floor(steps):
    """The step's matrix products alone, numpy's BLAS on one thread: (name, seconds) rows."""
    import numpy as np
    from minitf.kernels.blas_threads import BlasThreads
    rng = np.random.default_rng(0)
    m = lambda *shape: rng.random(shape, dtype=np.float32)  # noqa: E731
    n, rows1, rows2 = bench_conv.BATCH, bench_conv.BATCH * 28 * 28, bench_conv.BATCH * 14 * 14
    slice2 = 6 * 14 * 14              # conv2's kernels multiply slices of 6 images (batch_chunks.py)
    p1, f1, g1 = m(25, rows1), m(25, 32), m(rows1, 32)
    p2, f2, g2, c2 = m(slice2, 800), m(800, 64), m(rows2, 64), m(slice2, 800)   # one slice's patches, in cache
    x3, w3, g3, x4, w4, g4 = m(n, 3136), m(3136, 1024), m(n, 1024), m(n, 1024), m(1024, 10), m(n, 10)

    def sliced(fn):
        return lambda: [fn(lo, min(lo + slice2, rows2)) for lo in range(0, rows2, slice2)]
    products = {
        "conv1 forward": lambda: p1.T @ f1,
        "conv1 d filter": lambda: p1 @ g1,
        "conv2 forward": sliced(lambda lo, hi: p2[:hi - lo] @ f2),
        "conv2 d filter": sliced(lambda lo, hi: p2[:hi - lo].T @ g2[lo:hi]),
        "conv2 d input": sliced(lambda lo, hi: np.matmul(g2[lo:hi], f2.T, out=c2[:hi - lo])),
        "fc1 forward": lambda: x3 @ w3, "fc1 d input": lambda: g3 @ w3.T, "fc1 d weights": lambda: x3.T @ g3,
        "fc2 forward": lambda: x4 @ w4, "fc2 d input": lambda: g4 @ w4.T, "fc2 d weights": lambda: x4.T @ g4,
    }
    with BlasThreads(1):
        return [(name, _min_time(fn, steps)) for name, fn in products.items()]


def print_gemm_floor(steps):
    rows = gemm_floor(steps)
    print(f"\nGEMMs alone (numpy BLAS, 1 thread): {sum(t for _, t in rows) * 1e3:.2f} ms")
    for name, t in rows:
        print(f"  {name:<32} {t * 1e3:8.3f} ms")


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
    print_gemm_floor(args.steps)
    if not args.no_tf:
        profile_tf(args.steps, args.threads)


if __name__ == "__main__":
    main()
