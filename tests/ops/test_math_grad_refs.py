"""Binary-op gradients against TensorFlow: values, integer inputs, and the graph they build.

The op table checks gradients with central differences, which cannot see two
things: what happens where the formula has a special case (``Pow`` at a base
<= 0), and which ops the gradient builds (TF skips the broadcast reduction when
both static shapes are known and equal).  The expected values and op types
below were recorded with TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode)
running the same programs.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

REDUCTION_OPS = {"BroadcastGradientArgs", "Sum", "Reshape"}
BINARY = {"add": tf.add, "subtract": tf.subtract, "multiply": tf.multiply, "divide": tf.divide,
          "maximum": tf.maximum, "squared_difference": tf.squared_difference, "pow": tf.pow}


def _run(fetches):
    with tf.Session() as sess:
        return sess.run(fetches)


def _gradient_op_types(fn, x_shape, y_shape) -> set:
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, x_shape)
        y = tf.placeholder(tf.float32, y_shape)
        out = fn(x, y)
        before = len(graph.get_operations())
        tf.gradients(out, [x, y])
        return {op.type for op in graph.get_operations()[before:]}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_equal_static_shapes_skip_the_broadcast_reduction(name):
    # TF: [2, 3] with [2, 3] builds no BroadcastGradientArgs, Sum or Reshape for any of these ops.
    assert not _gradient_op_types(BINARY[name], [2, 3], [2, 3]) & REDUCTION_OPS


@pytest.mark.parametrize("name", sorted(BINARY))
def test_unknown_or_different_shapes_reduce(name):
    # TF: [None, 3] with [None, 3] needs the run-time shapes; [2, 3] with [3] sums y's gradient over axis 0.
    assert REDUCTION_OPS <= _gradient_op_types(BINARY[name], [None, 3], [None, 3])
    assert {"Sum", "Reshape"} <= _gradient_op_types(BINARY[name], [2, 3], [3])


@pytest.mark.parametrize("name", ["pow", "squared_difference"])
def test_integer_binary_ops_get_no_gradient_and_build_none(name):
    # TF: tf.gradients(int op, [x, y], grad_ys=...) is [None, None]; gradients never flow through
    # integer tensors, so no <op>_grad node is built.
    with tf.Graph().as_default() as graph:
        x, y = tf.constant([1, 2, 3]), tf.constant([2, 2, 2])
        out = BINARY[name](x, y)
        before = len(graph.get_operations())
        assert tf.gradients(out, [x, y], grad_ys=tf.constant([1, 1, 1])) == [None, None]
        assert not [op.name for op in graph.get_operations()[before:] if "_grad" in op.name]


def test_integer_square_gets_no_gradient():
    with tf.Graph().as_default() as graph:
        x = tf.constant([1, 2, 3])
        out = tf.square(x)
        before = len(graph.get_operations())
        assert tf.gradients(out, x, grad_ys=tf.constant([1, 1, 1])) == [None]
        assert not [op.name for op in graph.get_operations()[before:] if "_grad" in op.name]


def test_gradient_through_an_integer_cast_is_none():
    # TF: tf.gradients(cast(cast(x, int32) ** 2, float32), x) == [None].
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        i = tf.cast(x, tf.int32)
        assert tf.gradients(tf.cast(i * i, tf.float32), x) == [None]


def test_pow_gradient_at_zero_and_negative_bases():
    # TF: d/dx = g*y*x^(y-1); d/dy = g*x^y*log(x) where x > 0, and 0 where x <= 0 (not nan).
    xs = np.array([-2.0, 0.0, 0.5, 3.0])
    ys = np.array([2.0, 3.0, 1.5, 0.5])
    up = np.array([1.0, 2.0, 3.0, 4.0])
    with tf.Graph().as_default():
        x, y = tf.constant(xs), tf.constant(ys)
        gx, gy = _run(tf.gradients(tf.pow(x, y), [x, y], grad_ys=tf.constant(up)))
    np.testing.assert_allclose(gx, [-4.0, 0.0, 3.18198052, 1.15470054])          # recorded from TF
    np.testing.assert_allclose(gy, [0.0, 0.0, -0.73519361, 7.61140921])
    np.testing.assert_allclose(gx, up * ys * xs ** (ys - 1))                        # the formula in numpy
    safe = np.where(xs > 0, xs, 1.0)
    np.testing.assert_allclose(gy, up * xs ** ys * np.log(safe))


def test_squared_difference_gradient_with_broadcasting():
    a = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    b = np.array([2.0, 1.0, -3.0])
    up = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.Graph().as_default():
        ta, tb = tf.constant(a), tf.constant(b)
        ga, gb = _run(tf.gradients(tf.squared_difference(ta, tb), [ta, tb], grad_ys=tf.constant(up)))
    np.testing.assert_allclose(ga, [[-2.0, -12.0, 36.0], [-12.0, 30.0, 24.0]])    # recorded from TF
    np.testing.assert_allclose(gb, [14.0, -18.0, -60.0])
    np.testing.assert_allclose(ga, 2 * up * (a - b))
    np.testing.assert_allclose(gb, -(2 * up * (a - b)).sum(axis=0))


def test_square_gradient():
    with tf.Graph().as_default():
        x = tf.constant([-1.5, 2.0], tf.float64)
        (g,) = _run(tf.gradients(tf.square(x), x, grad_ys=tf.constant([3.0, -1.0], tf.float64)))
    np.testing.assert_allclose(g, [-9.0, -4.0])                                      # recorded from TF


@pytest.mark.parametrize("name", ["add", "multiply"])
def test_a_broadcast_x_gets_its_gradient_summed(name):
    # x of shape [3] broadcast against y [2, 3]: x's gradient sums over the broadcast axis.
    xs, ys = np.array([1.0, -2.0, 0.5]), np.array([[2.0, 1.0, -1.0], [0.5, 3.0, 4.0]])
    up = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.Graph().as_default():
        x, y = tf.constant(xs), tf.constant(ys)
        gx, gy = _run(tf.gradients(BINARY[name](x, y), [x, y], grad_ys=tf.constant(up)))
    if name == "add":
        np.testing.assert_allclose(gx, up.sum(axis=0))
        np.testing.assert_allclose(gy, up)
    else:
        np.testing.assert_allclose(gx, (up * ys).sum(axis=0))
        np.testing.assert_allclose(gy, up * xs)
