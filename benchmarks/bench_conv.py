"""Conv2D forward + backward on a 64x28x28x1 batch with 5x5x1x32 filters: minitf vs hand-written numpy.

The numpy baseline is the same algorithm written the short way a student would:
im2col with a Python loop over the 25 filter taps (numpy slicing does the
copying), one matmul forward, two matmuls backward, col2im with the same loop.
minitf runs one Session.run of the conv, its input gradient and its filter
gradient.  Reports times and the ratio; asserts nothing.

    PYTHONPATH=. python benchmarks/bench_conv.py
"""

from __future__ import annotations

import numpy as np

import minitf as tf
from _timing import report, run_interleaved

N, H, W, C, K, O = 64, 28, 28, 1, 5, 32


def numpy_im2col(x, k):
    """SAME, stride 1: (n*h*w, k*k*c) rows, one column block per filter tap."""
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


def main():
    rng = np.random.default_rng(0)
    x_val = rng.normal(size=(N, H, W, C)).astype(np.float32)
    f_val = rng.normal(size=(K, K, C, O)).astype(np.float32)
    dy_val = rng.normal(size=(N, H, W, O)).astype(np.float32)

    x = tf.placeholder(tf.float32, [N, H, W, C])
    f = tf.placeholder(tf.float32, [K, K, C, O])
    y = tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME")
    dx, df = tf.gradients(y, [x, f], grad_ys=[tf.constant(dy_val)])
    sess = tf.Session()
    feed = {x: x_val, f: f_val}

    got = sess.run([y, dx, df], feed)
    for a, b in zip(got, numpy_step(x_val, f_val, dy_val)):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)     # same numbers before timing them

    results = run_interleaved({
        "numpy im2col + matmul (hand-written)": lambda: numpy_step(x_val, f_val, dy_val),
        "minitf conv2d + both gradients": lambda: sess.run([y, dx, df], feed),
    }, repeats=7)
    report(f"conv2d forward+backward, {N}x{H}x{W}x{C} * {K}x{K}x{C}x{O}, SAME", results,
           "numpy im2col + matmul (hand-written)", unit="ms", scale=1e3)


if __name__ == "__main__":
    main()
