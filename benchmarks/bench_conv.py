"""Conv2D forward + backward, and a whole Deep MNIST CNN training step: minitf vs hand-written numpy (and TF).

Part 1: Conv2D forward + backward on a 64x28x28x1 batch with 5x5x1x32 filters.

The numpy baseline is the same algorithm written the short way a student would:
im2col with a Python loop over the 25 filter taps (numpy slicing does the
copying), one matmul forward, two matmuls backward, col2im with the same loop.
minitf runs one Session.run of the conv, its input gradient and its filter
gradient.  Reports times and the ratio; asserts nothing.

Part 2: one Adam training step of the "Deep MNIST for Experts" CNN (conv 5x5x32 ->
pool -> conv 5x5x64 -> pool -> fc 1024 -> dropout 0.5 -> 10) on a batch of 50:
minitf, the same step written by hand in numpy (im2col convolutions, the
backward pass and Adam spelled out), and TensorFlow 1.x (``compat.v1``) when it
is importable in the same process.

    PYTHONPATH=. python benchmarks/bench_conv.py
    PYTHONPATH=. /tmp/tfvenv/bin/python benchmarks/bench_conv.py     # with TensorFlow in the race
    ... bench_conv.py --part step --repeats 3 --threads 2            # quicker; both engines on 2 threads

``--threads`` sets minitf's ``intra_op_parallelism_threads`` (its convolutions share the batch
over that many threads) and TensorFlow's intra- and inter-op pools alike, and the hand-written numpy
step's BLAS (threadpoolctl): otherwise numpy's OpenBLAS workers, still spinning after its step, take a
core from the engine timed next; without it each keeps its default (minitf: 1 thread of its own, BLAS
as numpy set it; TensorFlow: every core).

The GEMMs dominate this step, so the BLAS build matters: the header line shows which OpenBLAS
kernel numpy runs.  ``OPENBLAS_CORETYPE=Haswell`` (set on the course's shared machine) holds
OpenBLAS to AVX2 on a CPU with AVX-512, half the speed of the kernel it would pick itself, while
TensorFlow's oneDNN picks AVX-512; compare with ``env -u OPENBLAS_CORETYPE ...`` to see both.
"""

from __future__ import annotations

import argparse
import contextlib
import os

import numpy as np

import minitf as tf
from _timing import report, run_interleaved
from minitf.client import fusion

fusion.FUSE_AFTER_SECONDS = 0.0   # time the fused steady state, as the other bench scripts do

N, H, W, C, K, O = 64, 28, 28, 1, 5, 32


def numpy_im2col(x, k):
    """SAME, stride 1 (odd k): (n*h*w, k*k*c) rows, one column block per filter tap."""
    n, h, w, c = x.shape
    xp = np.pad(x, [(0, 0), (k // 2, k // 2), (k // 2, k // 2), (0, 0)])
    cols = np.empty((n, h, w, k, k, c), x.dtype)
    for p in range(k):
        for q in range(k):
            cols[:, :, :, p, q, :] = xp[:, p:p + h, q:q + w, :]
    return cols.reshape(n * h * w, k * k * c)


def numpy_col2im(cols, shape, k):
    n, h, w, c = shape
    cols = cols.reshape(n, h, w, k, k, c)
    xp = np.zeros((n, h + k - 1, w + k - 1, c), cols.dtype)
    for p in range(k):
        for q in range(k):
            xp[:, p:p + h, q:q + w, :] += cols[:, :, :, p, q, :]
    return xp[:, k // 2:k // 2 + h, k // 2:k // 2 + w, :]


def numpy_step(x, f, dy):
    cols = numpy_im2col(x, K)
    fm = f.reshape(K * K * C, O)
    y = (cols @ fm).reshape(N, H, W, O)
    dym = dy.reshape(-1, O)
    df = (cols.T @ dym).reshape(f.shape)
    dx = numpy_col2im(dym @ fm.T, x.shape, K)
    return y, dx, df


def bench_conv2d(repeats=7, threads=None):
    rng = np.random.default_rng(0)
    x_val = rng.normal(size=(N, H, W, C)).astype(np.float32)
    f_val = rng.normal(size=(K, K, C, O)).astype(np.float32)
    dy_val = rng.normal(size=(N, H, W, O)).astype(np.float32)

    x = tf.placeholder(tf.float32, [N, H, W, C])
    f = tf.placeholder(tf.float32, [K, K, C, O])
    y = tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME")
    dx, df = tf.gradients(y, [x, f], grad_ys=[tf.constant(dy_val)])
    sess = tf.Session(config=_config(tf, threads))
    feed = {x: x_val, f: f_val}

    got = sess.run([y, dx, df], feed)
    for a, b in zip(got, numpy_step(x_val, f_val, dy_val)):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)     # same numbers before timing them

    results = run_interleaved({
        "numpy im2col + matmul (hand-written)": lambda: numpy_step(x_val, f_val, dy_val),
        "minitf conv2d + both gradients": lambda: sess.run([y, dx, df], feed),
    }, repeats=repeats)
    report(f"conv2d forward+backward, {N}x{H}x{W}x{C} * {K}x{K}x{C}x{O}, SAME", results,
           "numpy im2col + matmul (hand-written)", unit="ms", scale=1e3)


# --- part 2: the Deep MNIST training step ---------------------------------------------------------------
BATCH, LR, BETA1, BETA2, EPS = 50, 1e-4, 0.9, 0.999, 1e-8
SHAPES = [(5, 5, 1, 32), (32,), (5, 5, 32, 64), (64,), (7 * 7 * 64, 1024), (1024,), (1024, 10), (10,)]


def deep_mnist_step(tf, params):
    """The tutorial's graph, built with ``tf`` (minitf or TensorFlow); returns (x, y_, keep_prob, loss, train)."""
    W_conv1, b_conv1, W_conv2, b_conv2, W_fc1, b_fc1, W_fc2, b_fc2 = [tf.Variable(p) for p in params]
    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)
    pool = lambda h: tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")  # noqa: E731
    h = tf.nn.relu(tf.nn.conv2d(tf.reshape(x, [-1, 28, 28, 1]), W_conv1, [1, 1, 1, 1], "SAME") + b_conv1)
    h = tf.nn.relu(tf.nn.conv2d(pool(h), W_conv2, [1, 1, 1, 1], "SAME") + b_conv2)
    h = tf.nn.relu(tf.matmul(tf.reshape(pool(h), [-1, 7 * 7 * 64]), W_fc1) + b_fc1)
    y_conv = tf.matmul(tf.nn.dropout(h, keep_prob), W_fc2) + b_fc2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
    return x, y_, keep_prob, loss, tf.train.AdamOptimizer(LR).minimize(loss)


def numpy_pool(h):
    n, hh, ww, c = h.shape
    return h.reshape(n, hh // 2, 2, ww // 2, 2, c).max((2, 4))


def numpy_pool_grad(h, pooled, g):
    """Route each window's gradient to where its max was (ties: to every max; random data has none)."""
    up = lambda a: a.repeat(2, 1).repeat(2, 2)  # noqa: E731
    return (h == up(pooled)) * up(g)


def numpy_conv(x, w):
    n, hh, ww, _ = x.shape
    cols = numpy_im2col(x, w.shape[0])
    return cols, (cols @ w.reshape(-1, w.shape[3])).reshape(n, hh, ww, w.shape[3])


def numpy_conv_grads(cols, x_shape, w, g):
    gm = g.reshape(-1, w.shape[3])
    dw = (cols.T @ gm).reshape(w.shape)
    dx = numpy_col2im(gm @ w.reshape(-1, w.shape[3]).T, x_shape, w.shape[0]) if x_shape[3] > 1 else None
    return dx, dw


def numpy_deep_mnist_loss_and_grads(params, images, labels, keep_prob, rng):
    """Forward and backward of the tutorial's CNN, by hand (what minitf's graph computes)."""
    W1, b1, W2, b2, W3, b3, W4, b4 = params
    x = images.reshape(-1, 28, 28, 1)
    cols1, z1 = numpy_conv(x, W1)
    h1 = np.maximum(z1 + b1, 0)
    p1 = numpy_pool(h1)
    cols2, z2 = numpy_conv(p1, W2)
    h2 = np.maximum(z2 + b2, 0)
    p2 = numpy_pool(h2)
    flat = p2.reshape(len(x), -1)
    h3 = np.maximum(flat @ W3 + b3, 0)
    mask = (rng.random(h3.shape) < keep_prob) / keep_prob
    d3 = h3 * mask
    logits = d3 @ W4 + b4
    shifted = logits - logits.max(1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    loss = -(labels * log_p).sum(1).mean()
    g_logits = (np.exp(log_p) - labels) / len(x)
    g_d3 = g_logits @ W4.T
    g_z3 = g_d3 * mask * (h3 > 0)
    g_flat = g_z3 @ W3.T
    g_z2 = numpy_pool_grad(h2, p2, g_flat.reshape(p2.shape)) * (h2 > 0)
    g_p1, gW2 = numpy_conv_grads(cols2, p1.shape, W2, g_z2)
    g_z1 = numpy_pool_grad(h1, p1, g_p1) * (h1 > 0)
    _, gW1 = numpy_conv_grads(cols1, x.shape, W1, g_z1)
    grads = [gW1, g_z1.sum((0, 1, 2)), gW2, g_z2.sum((0, 1, 2)), flat.T @ g_z3, g_z3.sum(0),
             d3.T @ g_logits, g_logits.sum(0)]
    return loss, grads


class NumpyAdam:
    def __init__(self, params):
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        lr_t = LR * np.sqrt(1 - BETA2 ** self.t) / (1 - BETA1 ** self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= BETA1
            m += (1 - BETA1) * g
            v *= BETA2
            v += (1 - BETA2) * g * g
            p -= lr_t * m / (np.sqrt(v) + EPS)


def _config(tf, threads):
    """A ConfigProto giving the engine ``threads`` threads, or None (its default) without a count."""
    if threads is None:
        return None
    return tf.ConfigProto(intra_op_parallelism_threads=threads, inter_op_parallelism_threads=threads)


def _blas_limit(threads):
    """numpy's BLAS held to ``threads`` threads inside (no limit without a count or threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threads = None
    return contextlib.nullcontext() if threads is None else threadpool_limits(threads, user_api="blas")


def _session_step(tf, params, feed_values, threads=None):
    graph = tf.Graph()
    with graph.as_default():
        x, y_, keep_prob, loss, train = deep_mnist_step(tf, params)
        sess = tf.Session(graph=graph, config=_config(tf, threads))
        sess.run(tf.global_variables_initializer())
    feed = {x: feed_values[0], y_: feed_values[1], keep_prob: feed_values[2]}
    return sess, loss, train, feed


def bench_deep_mnist_step(repeats=5, threads=None):
    rng = np.random.default_rng(1)
    params = [(rng.normal(0, 0.1, s) if len(s) > 1 else np.full(s, 0.1)).astype(np.float32) for s in SHAPES]
    images = rng.uniform(0, 1, (BATCH, 784)).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, BATCH)]

    sess, loss, train, feed = _session_step(tf, params, (images, labels, 0.5), threads)
    check = dict(feed)
    check[next(k for k in feed if feed[k] is not images and feed[k] is not labels)] = 1.0
    want, _ = numpy_deep_mnist_loss_and_grads(params, images, labels, 1.0, rng)
    np.testing.assert_allclose(sess.run(loss, check), want, rtol=1e-4)      # the same model before timing

    np_params, adam = [p.copy() for p in params], None
    adam = NumpyAdam(np_params)

    def numpy_train_step():
        with _blas_limit(threads):
            _, grads = numpy_deep_mnist_loss_and_grads(np_params, images, labels, 0.5, rng)
            adam.step(np_params, grads)

    cases = {"numpy by hand (im2col + matmul + Adam)": numpy_train_step,
             "minitf Session.run(train_step)": lambda: sess.run(train, feed)}
    try:
        import tensorflow.compat.v1 as real_tf      # optional: only when installed in this interpreter
        real_tf.disable_v2_behavior()
        tf_sess, _, tf_train, tf_feed = _session_step(real_tf, params, (images, labels, 0.5), threads)
        cases["TensorFlow 1.x (compat.v1) Session.run"] = lambda: tf_sess.run(tf_train, tf_feed)
    except ImportError:
        print("(TensorFlow is not installed in this interpreter: its row is left out)")
    results = run_interleaved(cases, repeats=repeats, target_s=0.2)
    report(f"Deep MNIST CNN training step (Adam), batch {BATCH}", results,
           "numpy by hand (im2col + matmul + Adam)", unit="ms", scale=1e3)
    if "TensorFlow 1.x (compat.v1) Session.run" in results:
        ratio = results["minitf Session.run(train_step)"][0] / results["TensorFlow 1.x (compat.v1) Session.run"][0]
        print(f"  minitf / TensorFlow: {ratio:.2f}x")


def blas_line() -> str:
    """Which BLAS numpy calls and with how many threads (threadpoolctl, when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS: (threadpoolctl not installed)"
    libs = [f"{i['internal_api']} {i.get('version')} {i.get('architecture')} x{i['num_threads']}"
            for i in threadpool_info() if i["user_api"] == "blas"]
    forced = os.environ.get("OPENBLAS_CORETYPE")
    return "BLAS: " + ", ".join(libs) + (f"  (OPENBLAS_CORETYPE={forced})" if forced else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("conv", "step", "all"), default="all")
    parser.add_argument("--repeats", type=int, default=None, help="rounds of the interleaved timing")
    parser.add_argument("--threads", type=int, default=None, help="threads for minitf and TensorFlow")
    args = parser.parse_args()
    print(blas_line())
    if args.part in ("conv", "all"):
        bench_conv2d(args.repeats or 7, args.threads)
    if args.part in ("step", "all"):
        bench_deep_mnist_step(args.repeats or 5, args.threads)


if __name__ == "__main__":
    main()
