"""Public op behaviours no other test reached: constant's shape=, dropout's rate= and
noise_shape, clip_by_value, tf.tuple, keep_dims with two unknown dimensions."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- tf.constant(value, shape=...) --------------------------------------------------------
def test_constant_broadcasts_one_value_to_the_shape():
    c = tf.constant(7.0, shape=[2, 3])
    assert c.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(c), np.full((2, 3), 7.0, np.float32))


def test_constant_reshapes_a_list_of_the_right_size():
    np.testing.assert_array_equal(run(tf.constant([1, 2, 3, 4, 5, 6], shape=[3, 2])),
                                  [[1, 2], [3, 4], [5, 6]])


def test_constant_pads_a_short_list_with_its_last_value():
    """TF1: "the last element of the list is used to fill the remaining entries"."""
    np.testing.assert_array_equal(run(tf.constant([1.0, 2.0, 3.0], shape=[2, 3])),
                                  [[1.0, 2.0, 3.0], [3.0, 3.0, 3.0]])


def test_constant_with_too_many_values_is_tfs_value_error():
    with pytest.raises(ValueError, match=r"^Too many elements provided\. Needed at most 5, but received 7$"):
        tf.constant([1, 2, 3, 4, 5, 6, 7], shape=[5])


def test_constant_verify_shape_refuses_any_other_shape():
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2, 3\), got \(3,\)\."):
        tf.constant([1.0, 2.0, 3.0], shape=[2, 3], verify_shape=True)
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2,\), got \(\)\."):
        tf.constant(1.0, shape=[2], verify_shape=True)
    ok = tf.constant([[1.0, 2.0]], shape=[1, 2], verify_shape=True)
    np.testing.assert_array_equal(run(ok), [[1.0, 2.0]])


# --- dropout ----------------------------------------------------------------------------------
def test_dropout_rate_is_one_minus_keep_prob():
    x = tf.ones([200, 50])
    a = run(tf.nn.dropout(x, rate=0.25, seed=3))
    kept = a != 0
    np.testing.assert_allclose(a[kept], 1 / 0.75, rtol=1e-6)         # survivors scaled by 1/(1-rate)
    assert abs(kept.mean() - 0.75) < 0.02                              # 10,000 draws: ~0.0043 std
    with tf.Graph().as_default():
        b = run(tf.nn.dropout(tf.ones([200, 50]), keep_prob=0.75, seed=3))
    np.testing.assert_array_equal(a, b)                                # same mask, same seed


def test_dropout_noise_shape_shares_the_mask_along_broadcast_dimensions():
    x = tf.reshape(tf.range(1.0, 41.0), [4, 10])
    out = run(tf.nn.dropout(x, rate=0.5, noise_shape=[4, 1], seed=1))
    rows_dropped = (out == 0).all(axis=1)
    rows_kept = (out != 0).all(axis=1)
    assert (rows_dropped | rows_kept).all(), out                       # whole rows at once
    np.testing.assert_allclose(out[rows_kept], 2 * np.arange(1.0, 41.0).reshape(4, 10)[rows_kept])


def test_dropout_rate_out_of_range_and_zero():
    with pytest.raises(ValueError, match=r"rate must be a scalar tensor or a float in the range \[0, 1\)"):
        tf.nn.dropout(tf.ones([2]), rate=1.0)
    x = tf.ones([3])
    assert tf.nn.dropout(x, rate=0.0) is x


# --- clip_by_value ------------------------------------------------------------------------------
def test_clip_by_value_values_and_gradient():
    x = tf.constant([-2.0, -0.5, 0.0, 0.5, 2.0])
    y = tf.clip_by_value(x, -1.0, 1.0)
    g = tf.gradients(tf.reduce_sum(y * tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])), x)[0]
    value, grad = run([y, g])
    np.testing.assert_array_equal(value, [-1.0, -0.5, 0.0, 0.5, 1.0])
    np.testing.assert_array_equal(grad, [0.0, 2.0, 3.0, 4.0, 0.0])    # no gradient where clipped


def test_clip_by_value_with_tensor_bounds_broadcasts():
    x = tf.constant([[1.0, 5.0], [-3.0, 0.5]])
    lo, hi = tf.constant([0.0, 1.0]), tf.constant(2.0)
    np.testing.assert_array_equal(run(tf.clip_by_value(x, lo, hi)), [[1.0, 2.0], [0.0, 1.0]])


# --- tf.tuple -------------------------------------------------------------------------------------
def test_tuple_waits_for_every_input_and_for_control_inputs():
    v = tf.Variable(0.0)
    a = tf.constant(1.0)
    bump = v.assign_add(1.0)
    out = tf.tuple([a, v.read_value() * 0.0], control_inputs=[bump])
    assert len(out) == 2 and out[0].shape == a.shape
    with tf.Session() as sess:
        sess.run(v.initializer)
        first, _ = sess.run(out)
        assert first == 1.0
        assert sess.run(v) == 1.0                                       # fetching out[0] ran bump
        sess.run(out[0])
        assert sess.run(v) == 2.0


def test_tuple_keeps_none_and_rejects_non_tensors():
    a = tf.constant(1.0)
    out = tf.tuple([a, None])
    assert out[1] is None and run(out[0]) == 1.0
    with pytest.raises(TypeError, match="Control input must be Operation or Tensor: "):
        tf.tuple([a], control_inputs=[object()])


# --- keep_dims with two unknown dimensions -------------------------------------------------------
@pytest.mark.parametrize("axis, static, value_shape", [
    ([0, 1], [1, 1, 3], (1, 1, 3)),
    (2, [None, None, 1], (4, 5, 1)),
    (None, [1, 1, 1], (1, 1, 1)),
    ([1], [None, 1, 3], (4, 1, 3)),
])
def test_keep_dims_with_two_unknown_dimensions(axis, static, value_shape):
    x = tf.placeholder(tf.float32, [None, None, 3])
    data = np.arange(60, dtype=np.float32).reshape(4, 5, 3)
    for reduce_fn, ref in ((tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max)):
        y = reduce_fn(x, axis, keep_dims=True)
        assert y.shape.as_list() == static
        got = run(y, {x: data})
        assert got.shape == value_shape
        np.testing.assert_allclose(got, ref(data, axis=None if axis is None else tuple(np.atleast_1d(axis)),
                                            keepdims=True), rtol=1e-6)


def test_keep_dims_gradient_with_two_unknown_dimensions():
    x = tf.placeholder(tf.float32, [None, None])
    g = tf.gradients(tf.reduce_sum(tf.reduce_mean(x, [0, 1], keep_dims=True) * 6.0), x)[0]
    np.testing.assert_allclose(run(g, {x: np.ones((2, 3), np.float32)}), np.ones((2, 3)))


# --- reduce_mean's gradient over the whole tensor, shapes known -------------------------------------
@pytest.mark.parametrize("shape", [[2, 3], [5], [1, 1]])
def test_mean_gradient_over_every_element_is_one_over_the_count(shape):
    """Each of the n inputs moves the mean by 1/n (the op table only reduces along some axes)."""
    x = tf.constant(np.arange(np.prod(shape), dtype=np.float64).reshape(shape))
    g = tf.gradients(tf.reduce_mean(x), x)[0]
    np.testing.assert_allclose(run(g), np.full(shape, 1.0 / np.prod(shape)), rtol=1e-15)
