"""TF 1.x semantics where minitf used to differ (issue 10): tf.where, reduce_prod's gradient,
integer division by zero, run-time validation of fed values."""

import numpy as np
import pytest

import minitf as tf
from minitf import errors


def _run(fetch, feed=None):
    with tf.Session() as sess:
        return sess.run(fetch, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


# --- tf.where: TF 1.x selects whole rows with a vector condition -------------------------
def test_where_vector_condition_selects_rows():
    x = tf.constant([[1, 2, 3], [4, 5, 6]])
    y = tf.constant([[-1, -2, -3], [-4, -5, -6]])
    np.testing.assert_array_equal(_run(tf.where([True, False], x, y)), [[1, 2, 3], [-4, -5, -6]])


def test_where_v2_broadcasts_along_last_axis():
    x = tf.constant([[1, 2], [4, 5]])
    y = tf.constant([[-1, -2], [-4, -5]])
    np.testing.assert_array_equal(_run(tf.where_v2([True, False], x, y)), [[1, -2], [4, -5]])


def test_where_x_y_shapes_must_match():
    with pytest.raises(ValueError):
        tf.where([True, False], tf.zeros([2, 3]), tf.zeros([3]))


def test_where_fed_mismatch_is_invalid_argument():
    c = tf.placeholder(tf.bool, [None])
    out = tf.where(c, tf.zeros([2, 3]), tf.ones([2, 3]))
    with pytest.raises(errors.InvalidArgumentError, match="not compatible"):
        _run(out, {c: [True, False, True]})


def test_where_rows_gradient():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.constant([[5.0, 6.0], [7.0, 8.0]])
    out = tf.where([True, False], x, y)
    gx, gy = tf.gradients(tf.reduce_sum(out * out), [x, y])
    np.testing.assert_allclose(_run(gx), [[2, 4], [0, 0]])
    np.testing.assert_allclose(_run(gy), [[0, 0], [14, 16]])


# --- reduce_prod's gradient where an input is 0 (TF uses exclusive cumprods) -------------
def test_reduce_prod_gradient_at_zero():
    x = tf.constant([2.0, 0.0, 4.0])
    (g,) = tf.gradients(tf.reduce_prod(x), [x])
    np.testing.assert_array_equal(_run(g), [0.0, 8.0, 0.0])


def test_reduce_prod_gradient_two_zeros_is_zero():
    x = tf.constant([[0.0, 3.0, 0.0], [1.0, 2.0, 3.0]])
    (g,) = tf.gradients(tf.reduce_prod(x, axis=1), [x])
    np.testing.assert_array_equal(_run(g), [[0.0, 0.0, 0.0], [6.0, 3.0, 2.0]])


# --- integer division by zero ------------------------------------------------------------
@pytest.mark.parametrize("divide", [lambda a, b: a // b, lambda a, b: a % b, tf.div, tf.floordiv,
                                    tf.floormod],
                         ids=["floordiv_op", "mod_op", "div", "floordiv", "floormod"])
def test_integer_division_by_zero_is_invalid_argument(divide):
    a = tf.placeholder(tf.int32, [None])
    b = tf.placeholder(tf.int32, [None])
    with pytest.raises(errors.InvalidArgumentError, match="Integer division by zero"):
        _run(divide(a, b), {a: [7, 8], b: [2, 0]})


def test_integer_division_without_zero_still_works():
    a, b = tf.constant([7, -7]), tf.constant([2, 2])
    np.testing.assert_array_equal(_run([a // b, a % b]), [[3, -4], [1, 1]])


def test_float_division_by_zero_is_inf():
    assert _run(tf.constant(1.0) / tf.constant(0.0)) == np.inf


# --- values fed at run time are checked with TF's words ------------------------------------
def _fed_error(build, feed_value, dtype=tf.int32, shape=None):
    fed = tf.placeholder(dtype, shape)
    out = build(fed)
    with pytest.raises(errors.InvalidArgumentError) as info:
        _run(out, {fed: feed_value})
    return str(info.value)


def test_fed_reduction_axis_out_of_range():
    x = tf.ones([2, 3])
    text = _fed_error(lambda a: tf.reduce_mean(x, axis=a), [7], shape=[1])
    assert "Invalid reduction dimension (7 for input with 2 dimension(s)" in text


def test_fed_duplicate_reduction_axes():
    x = tf.ones([2, 3])
    text = _fed_error(lambda a: tf.reduce_sum(x, axis=a), [1, -1], shape=[2])
    assert "Axes contains duplicate dimension: 1" in text


def test_fed_argmax_axis_out_of_range():
    x = tf.ones([2, 3])
    assert "Expected dimension in the range [-2, 2), but got 7" in _fed_error(lambda a: tf.argmax(x, a), 7)


def test_fed_gather_index_out_of_range():
    params = tf.ones([5, 2])
    assert "indices[0] = 9 is not in [0, 5)" in _fed_error(lambda i: tf.gather(params, i), [9], shape=[1])


def test_fed_gather_axis_out_of_range():
    params = tf.ones([5, 2])
    text = _fed_error(lambda a: tf.gather(params, [0], axis=a), 7)
    assert "Expected axis in the range [-2, 2), but got 7" in text


def test_fed_reshape_negative_size():
    x = tf.ones([2, 3])
    assert "Size 0 must be non-negative, not -5" in _fed_error(lambda s: tf.reshape(x, s), [-5], shape=[1])


def test_fed_reshape_two_unknown_sizes():
    x = tf.ones([2, 3])
    text = _fed_error(lambda s: tf.reshape(x, s), [-1, -1], shape=[2])
    assert "Only one input size may be -1, not both 0 and 1" in text


def test_fed_one_hot_negative_depth():
    assert "depth must be non-negative, got: -1" in _fed_error(lambda d: tf.one_hot([0, 1], d), -1)


def test_constant_reshape_negative_size_is_build_error():
    with pytest.raises(ValueError, match="must be non-negative"):
        tf.reshape(tf.ones([2, 3]), [-5])
