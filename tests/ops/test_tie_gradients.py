"""Maximum and Minimum gradients where x == y: TF gives the whole gradient to x.

TF1's ``_MaximumGrad`` builds ``xmask = greater_equal(x, y)`` (``less_equal``
for Minimum): at a tie x takes the gradient and y gets zero.  Central
differences cannot see this (the function has a kink there), so the expected
values are written out here, with broadcasting and in eager mode too.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

X = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
Y = np.array([1.0, 5.0, 3.0, 0.0], np.float32)    # ties at 0 and 2
UPSTREAM = np.array([10.0, 20.0, 30.0, 40.0], np.float32)


def _grads(op_name, x, y, upstream):
    with tf.Graph().as_default():
        tx, ty = tf.constant(x), tf.constant(y)
        out = getattr(tf, op_name)(tx, ty)
        gx, gy = tf.gradients(out, [tx, ty], grad_ys=tf.constant(upstream))
        with tf.Session() as sess:
            return sess.run([gx, gy])


def test_maximum_tie_goes_to_x():
    gx, gy = _grads("maximum", X, Y, UPSTREAM)
    np.testing.assert_array_equal(gx, [10.0, 0.0, 30.0, 40.0])
    np.testing.assert_array_equal(gy, [0.0, 20.0, 0.0, 0.0])


def test_minimum_tie_goes_to_x():
    gx, gy = _grads("minimum", X, Y, UPSTREAM)
    np.testing.assert_array_equal(gx, [10.0, 20.0, 30.0, 0.0])
    np.testing.assert_array_equal(gy, [0.0, 0.0, 0.0, 40.0])


@pytest.mark.parametrize("op_name", ["maximum", "minimum"])
def test_all_ties_everything_to_x(op_name):
    gx, gy = _grads(op_name, X, X.copy(), UPSTREAM)
    np.testing.assert_array_equal(gx, UPSTREAM)
    np.testing.assert_array_equal(gy, np.zeros(4, np.float32))


@pytest.mark.parametrize("op_name", ["maximum", "minimum"])
def test_broadcast_scalar_tie_sums_into_nothing_for_y(op_name):
    """y = 2 broadcast against [1, 2, 3]: the tie at index 1 is x's; y's sum leaves it out."""
    x = np.array([1.0, 2.0, 3.0], np.float32)
    gx, gy = _grads(op_name, x, np.float32(2.0), np.array([1.0, 10.0, 100.0], np.float32))
    if op_name == "maximum":    # y wins at index 0 only
        np.testing.assert_array_equal(gx, [0.0, 10.0, 100.0])
        assert gy == 1.0
    else:                       # y wins at index 2 only
        np.testing.assert_array_equal(gx, [1.0, 10.0, 0.0])
        assert gy == 100.0


def test_relu_through_maximum_with_zero_keeps_gradient_at_zero():
    """tf.maximum(x, 0.) at x == 0 passes the gradient to x (unlike tf.nn.relu, which gives 0)."""
    with tf.Graph().as_default():
        x = tf.constant([0.0, -1.0, 2.0])
        g = tf.gradients(tf.reduce_sum(tf.maximum(x, 0.0)), x)[0]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(g), [1.0, 0.0, 1.0])
