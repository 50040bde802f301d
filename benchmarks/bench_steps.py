"""Where one ``sess.run`` goes: each kernel call of the cached plan, timed alone.

    python benchmarks/bench_steps.py             # the lecture's linear regression step
    python benchmarks/bench_steps.py --mlp       # the 784-256-10 GD MLP step (batch 128)
    python benchmarks/bench_steps.py --adam      # the 784-256-256-10 Adam MLP step (batch 100)
    python benchmarks/bench_steps.py --threads 2 # any of them on 2 threads (BLAS and numba)

Prints the plan (``sess.explain``), then the time of ``Session.run``, of the
plan's generated function alone (``run_plan``, see ``client/codegen.py``) and
of every kernel call in it, replayed on the inputs of a real run.  The
difference between the first two lines is what ``Session.run`` itself costs
(resolving feeds, finding the plan); the difference between ``run_plan`` and
the sum of the calls is the generated function's own bookkeeping.

Update ops are replayed as they run in the step: the variable's array held by
nobody else, so they write in place (``train/copy_on_write.py``).  Each
replay applies the update again, so the variables drift; only the time matters
here.  Minima over repeats: compare lines within one run, not across runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import timeit

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_compare import linreg_data, mlp_data  # noqa: E402

import minitf as tf  # noqa: E402
from minitf.client import fusion  # noqa: E402

fusion.FUSE_AFTER_SECONDS = 0.0   # a long loop's steady state: fused after the warm-up


def linreg():
    """The lecture's step: 800x4 features, MSE, full-batch gradient descent."""
    X, y = linreg_data()
    data = tf.placeholder(tf.float32, [None, 4])
    label = tf.placeholder(tf.float32, [None, 1])
    weight = tf.Variable(tf.zeros([4, 1]))
    bias = tf.Variable(tf.zeros([1]))
    loss = tf.reduce_mean(tf.square(label - (tf.matmul(data, weight) + bias)))
    return tf.train.GradientDescentOptimizer(0.2).minimize(loss), {data: X, label: y}


def mlp(sizes=(784, 256, 10), batch=128, optimizer=None):
    """A ReLU MLP with softmax cross-entropy: 784-256-10, gradient descent, batch 128 by default."""
    x, labels, params = mlp_data(list(sizes), batch)
    xs = tf.placeholder(tf.float32, [None, sizes[0]])
    ys = tf.placeholder(tf.float32, [None, sizes[-1]])
    h = xs
    for i in range(len(params) // 2):
        h = tf.matmul(h, tf.Variable(params[2 * i])) + tf.Variable(params[2 * i + 1])
        if i < len(params) // 2 - 1:
            h = tf.nn.relu(h)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=ys, logits=h))
    optimizer = optimizer or tf.train.GradientDescentOptimizer(0.1)
    return optimizer.minimize(loss), {xs: x, ys: labels}


def adam_mlp():
    """784-256-256-10, Adam, batch 100: ``bench_compare.py``'s Adam workload."""
    return mlp((784, 256, 256, 10), 100, tf.train.AdamOptimizer(1e-3))


def best_us(fn, seconds: float = 0.05, repeats: int = 9) -> float:
    """The minimum time of one call of ``fn`` over ``repeats`` timed loops, in microseconds."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * seconds / 0.2))
    return min(timer.repeat(repeat=repeats, number=number)) / number * 1e6


def replay(plan, feed_values) -> dict:
    """Step index -> microseconds per call of its kernel, on the values of one real run.

    Updates are timed last, once nothing here holds a variable's array any more.
    """
    values = list(plan.initial)
    for slot, value in zip(plan.feed_slots, feed_values):
        values[slot] = value
    calls = []
    for step in plan.steps:
        args = [values[slot] if slot else None for slot in step.ins] + _outputs(step)
        result = step.kernel(*args)
        for slot, value in zip(step.outs, result if len(step.outs) > 1 else (result,)):
            values[slot] = value
        calls.append(args)
    del values, result, value, args             # (each may hold a variable's array)
    times = {}
    updates = [i for i, step in enumerate(plan.steps) if _is_update(step)]
    for i, step in enumerate(plan.steps):
        if i not in updates:
            times[i] = best_us(lambda: step.kernel(*calls[i]))
            calls[i] = None                      # may hold a variable's array
    for i in updates:
        times[i] = best_us(lambda: plan.steps[i].kernel(*calls[i]))
    return times


def _outputs(step) -> list:
    """A specialized step's output arguments (``client/buffers.py``): its buffers, or fresh arrays."""
    if getattr(step, "out_specs", None) is None:
        return []
    return [np.empty(spec.shape, spec.dtype) if buffer is None else buffer
            for spec, buffer in zip(step.out_specs, step.buffers)]


def _is_update(step) -> bool:
    """An op that writes a variable (``ApplyGradientDescent``, ``Assign``...)."""
    op_def = getattr(step.op, "op_def", None)
    return op_def is not None and op_def.stateful and bool(op_def.ref_inputs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mlp", action="store_true", help="the GD MLP step instead of linear regression")
    parser.add_argument("--adam", action="store_true", help="the Adam MLP step instead of linear regression")
    parser.add_argument("--threads", type=int, default=1, help="minitf's threads (its kernels and BLAS)")
    args = parser.parse_args()
    tf.reset_default_graph()
    train, feed = adam_mlp() if args.adam else mlp() if args.mlp else linreg()
    sess = tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=args.threads))
    sess.run(tf.global_variables_initializer())
    for _ in range(30):                            # plan, compile, fuse on the 10th run
        sess.run(train, feed)
    print(sess.explain(train, feed), "\n")
    plan = sess._last[1]                           # the plan that run used
    feed_values = list(feed.values())
    run_us = plan_us = float("inf")
    for _ in range(3):                             # interleaved: drift hits both alike
        run_us = min(run_us, best_us(lambda: sess.run(train, feed)))
        plan_us = min(plan_us, best_us(lambda: plan.run(*feed_values)))
    times = replay(plan, feed_values)
    print(f"  Session.run             {run_us:8.2f} us   (Session.run itself: {run_us - plan_us:.2f} us)")
    print(f"  run_plan                {plan_us:8.2f} us   (its own bookkeeping: "
          f"{plan_us - sum(times.values()):.2f} us)")
    for i, step in enumerate(plan.steps):
        print(f"  {i:3d}  {step.op.type:<28} {times[i]:8.2f} us   {step.op.name}")
    print(f"\n  ({time.strftime('%H:%M:%S')}; minima of 9 repeats, {args.threads} thread(s))")


if __name__ == "__main__":
    main()
