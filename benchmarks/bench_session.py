"""minitf graph mode vs hand-written numpy: the lecture's linear regression and a trivial run.

    python benchmarks/bench_session.py

Prints min/median per step and the ratios (targets from the engine-core issue:
linreg step within 1.5x of numpy; trivial ``sess.run`` under 10 µs; TF 1.x
measured 350 µs/step and 322 µs/run on this machine class).
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import report, run_interleaved  # noqa: E402

import minitf as tf  # noqa: E402
from minitf.client import fusion  # noqa: E402

fusion.FUSE_AFTER_SECONDS = 0.0   # a long loop's steady state: fused after the warm-up


def make_data(n=1000, d=4, seed=0):
    """The perf-anchor dataset: 4 raw features on scales 1..1000, z-scored, 800 train rows."""
    rng = np.random.RandomState(seed)
    scales = np.array([1.0, 10.0, 100.0, 1000.0])
    X = rng.rand(n, d) * scales
    y = X @ (rng.randn(d, 1) / scales[:, None]) + 0.5 + 0.1 * rng.randn(n, 1)
    Xtr, ytr = X[:800], y[:800]
    mu, sd = Xtr.mean(0), Xtr.std(0)
    return ((Xtr - mu) / sd).astype(np.float32), ytr.astype(np.float32)


def numpy_step_factory(X, y, lr=0.2):
    w = np.zeros((X.shape[1], 1), np.float32)
    b = np.zeros((1,), np.float32)
    n = np.float32(X.shape[0])

    def step():
        nonlocal w, b
        err = X @ w + b - y                     # forward
        gw = (2.0 / n) * (X.T @ err)            # analytic gradient of the mean squared error
        gb = (2.0 / n) * err.sum(axis=0)
        w = w - np.float32(lr) * gw
        b = b - np.float32(lr) * gb
    return step


def minitf_step_factory(X, y, lr=0.2):
    g = tf.Graph()
    with g.as_default():
        data = tf.placeholder(tf.float32, [None, 4])
        real_label = tf.placeholder(tf.float32, [None, 1])
        weight = tf.Variable(tf.zeros([4, 1]))
        bias = tf.Variable(tf.zeros([1]))
        y_label = tf.add(tf.matmul(data, weight), bias)
        loss = tf.reduce_mean(tf.square(real_label - y_label))
        train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    feed = {data: X, real_label: y}
    return lambda: sess.run(train, feed_dict=feed), (sess, loss, feed)


def trivial_run_factory():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [])
        b = tf.placeholder(tf.float32, [])
        c = a + b
        sess = tf.Session()
    return lambda: sess.run(c, feed_dict={a: 1.0, b: 2.0})


def main():
    X, y = make_data()
    np_step = numpy_step_factory(X, y)
    tf_step, (sess, loss, feed) = minitf_step_factory(X, y)
    results = run_interleaved({"numpy hand-written step": np_step, "minitf sess.run(train)": tf_step})
    report("Lecture linear regression, one full-batch GD step (800x4)", results, "numpy hand-written step")
    for _ in range(1000):
        tf_step()
    print(f"  (minitf train MSE after the timing loops: {sess.run(loss, feed):.7f})")

    a = np.float32(1.0)
    results = run_interleaved({"numpy 0-d a+b": lambda: np.add(a, a),
                               "minitf sess.run(a+b), fed scalars": trivial_run_factory()})
    report("Trivial run: c = a + b", results, "numpy 0-d a+b")


if __name__ == "__main__":
    main()
