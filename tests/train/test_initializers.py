"""Initializers: values, dtypes, and the statistics TF 1.x's formulas promise.

minitf's random streams are not TF's Philox streams, so random initializers are
checked by their distribution (ranges, standard deviations on tens of thousands of
samples, orthogonality) rather than by value.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitf as tf

TRUNC_STD = 0.87962566103423978       # std of a unit normal cut at ±2


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def value_of(init, shape, dtype=None):
    t = init(shape, dtype=dtype)
    with tf.Session() as sess:
        return sess.run(t)


def op_types():
    return {op.type for op in tf.get_default_graph().get_operations()}


def test_constant_zeros_ones():
    np.testing.assert_array_equal(value_of(tf.zeros_initializer(), [2, 3]), np.zeros((2, 3)))
    np.testing.assert_array_equal(value_of(tf.ones_initializer(), [2], tf.int32), [1, 1])
    np.testing.assert_array_equal(value_of(tf.constant_initializer(7.0), [2, 2]), np.full((2, 2), 7.0))
    # TF pads a short list with its last element and reshapes a list of the right size.
    np.testing.assert_array_equal(value_of(tf.constant_initializer([1, 2]), [4]), [1, 2, 2, 2])
    np.testing.assert_array_equal(value_of(tf.constant_initializer([1, 2, 3, 4]), [2, 2]), [[1, 2], [3, 4]])
    with pytest.raises(TypeError):
        value_of(tf.constant_initializer([1, 2, 3], verify_shape=True), [2])


def test_initializer_dtype_defaults_and_overrides():
    assert value_of(tf.zeros_initializer(dtype=tf.float64), [1]).dtype == np.float64
    assert value_of(tf.random_normal_initializer(), [2], tf.float64).dtype == np.float64
    assert value_of(tf.glorot_uniform_initializer(), [2, 2], tf.float64).dtype == np.float64
    with pytest.raises(ValueError, match="Expected floating point type, got int32."):
        tf.random_normal_initializer(dtype=tf.int32)


def test_random_uniform_and_normal_statistics():
    u = value_of(tf.random_uniform_initializer(-0.5, 1.5, seed=1), [200, 100])
    assert u.min() >= -0.5 and u.max() < 1.5 and u.mean() == pytest.approx(0.5, abs=0.02)
    n = value_of(tf.random_normal_initializer(1.0, 2.0, seed=2), [200, 100])
    assert n.mean() == pytest.approx(1.0, abs=0.05) and n.std() == pytest.approx(2.0, rel=0.02)
    t = value_of(tf.truncated_normal_initializer(0.0, 0.5, seed=3), [200, 100])
    assert np.abs(t).max() <= 1.0
    assert t.std() == pytest.approx(0.5 * TRUNC_STD, rel=0.02)
    assert {"RandomUniform", "RandomStandardNormal", "TruncatedNormal"} <= op_types()


@pytest.mark.parametrize("mode, n", [("fan_in", 3 * 3 * 16), ("fan_out", 3 * 3 * 32),
                                     ("fan_avg", (3 * 3 * 16 + 3 * 3 * 32) / 2)])
def test_variance_scaling_fans_of_a_conv_kernel(mode, n):
    shape = [3, 3, 16, 32]
    normal = value_of(tf.variance_scaling_initializer(2.0, mode, "normal", seed=4), shape)
    # "normal" is a truncated normal whose stddev is corrected so the samples have variance scale/n.
    assert normal.std() == pytest.approx(math.sqrt(2.0 / n), rel=0.03)
    assert np.abs(normal).max() <= 2 * math.sqrt(2.0 / n) / TRUNC_STD + 1e-6
    uniform = value_of(tf.variance_scaling_initializer(2.0, mode, "uniform", seed=5), shape)
    limit = math.sqrt(3.0 * 2.0 / n)
    assert np.abs(uniform).max() <= limit and np.abs(uniform).max() > 0.98 * limit
    plain = value_of(tf.variance_scaling_initializer(2.0, mode, "untruncated_normal", seed=6), shape)
    assert plain.std() == pytest.approx(math.sqrt(2.0 / n), rel=0.03)


def test_variance_scaling_small_shapes_and_errors():
    # A scalar and a vector: fans are 1 and the length (TF's _compute_fans); scale divides by max(1, n).
    scalar = value_of(tf.variance_scaling_initializer(1.0, distribution="uniform", seed=1), [])
    assert abs(scalar) <= math.sqrt(3)
    v = value_of(tf.variance_scaling_initializer(1.0, distribution="uniform", seed=1), [40000])
    assert np.abs(v).max() <= math.sqrt(3 / 40000)
    with pytest.raises(ValueError, match="`scale` must be positive float."):
        tf.variance_scaling_initializer(0.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument:"):
        tf.variance_scaling_initializer(mode="fan_max")
    with pytest.raises(ValueError, match="Invalid `distribution` argument:"):
        tf.variance_scaling_initializer(distribution="cauchy")


def test_glorot_uniform_and_normal():
    shape = [300, 200]
    u = value_of(tf.glorot_uniform_initializer(seed=7), shape)
    limit = math.sqrt(6.0 / 500)
    assert np.abs(u).max() <= limit and u.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)
    n = value_of(tf.glorot_normal_initializer(seed=8), shape)
    assert n.std() == pytest.approx(math.sqrt(2.0 / 500), rel=0.02)


def test_get_variable_default_initializer_is_glorot_uniform():
    w = tf.get_variable("w", [300, 200])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(w)
    limit = math.sqrt(6.0 / 500)
    assert np.abs(value).max() <= limit and np.abs(value).max() > 0.99 * limit


def test_xavier_initializer_contrib_formulas():
    shape = [300, 200]
    u = value_of(tf.contrib.layers.xavier_initializer(seed=9), shape)
    assert np.abs(u).max() <= math.sqrt(3.0 / 250) and np.abs(u).max() > 0.99 * math.sqrt(3.0 / 250)
    # uniform=False: a truncated normal with stddev sqrt(1.3 / n), no correction (contrib's formula).
    n = value_of(tf.contrib.layers.xavier_initializer(uniform=False, seed=9), shape)
    assert n.std() == pytest.approx(math.sqrt(1.3 / 250) * TRUNC_STD, rel=0.02)
    he = value_of(tf.contrib.layers.variance_scaling_initializer(seed=1), shape)    # factor 2, FAN_IN
    assert he.std() == pytest.approx(math.sqrt(2.6 / 300) * TRUNC_STD, rel=0.02)
    with pytest.raises(TypeError, match="Cannot create initializer for non-floating point type."):
        tf.contrib.layers.xavier_initializer(dtype=tf.int32)


@pytest.mark.parametrize("shape", [[4, 6], [6, 4], [5, 5], [3, 3, 4, 8]])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    q = value_of(tf.orthogonal_initializer(gain=2.0, seed=10), shape, tf.float64)
    assert q.shape == tuple(shape)
    flat = q.reshape(-1, shape[-1]) / 2.0
    small = min(flat.shape)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-10)
    assert {"Qr", "DiagPart", "Sign"} <= op_types()


def test_orthogonal_needs_a_matrix():
    with pytest.raises(ValueError, match="The tensor to initialize must be at least two-dimensional"):
        tf.orthogonal_initializer()([3])


def test_same_op_seed_gives_the_same_values_and_graph_seed_rules():
    a = tf.random_normal_initializer(seed=11)([5])
    b = tf.random_normal_initializer(seed=11)([5])
    c = tf.random_normal_initializer(seed=12)([5])
    with tf.Session() as sess:
        va, vb, vc = sess.run([a, b, c])
    np.testing.assert_array_equal(va, vb)
    assert not np.array_equal(va, vc)
    with tf.Session() as sess:                   # a new Session replays the stream
        np.testing.assert_array_equal(sess.run(a), va)


def test_initializers_namespace_and_configs():
    assert tf.initializers.zeros is tf.zeros_initializer
    assert tf.initializers.glorot_uniform is tf.glorot_uniform_initializer
    assert tf.initializers.orthogonal is tf.orthogonal_initializer
    assert tf.initializers.variance_scaling is tf.variance_scaling_initializer
    he = tf.initializers.he_normal(seed=1)
    assert (he.scale, he.mode, he.distribution) == (2.0, "fan_in", "truncated_normal")
    config = tf.variance_scaling_initializer(3.0, "fan_out", "uniform", seed=2).get_config()
    again = tf.variance_scaling_initializer.from_config(config)
    assert (again.scale, again.mode, again.distribution, again.seed) == (3.0, "fan_out", "uniform", 2)
    v = tf.Variable(tf.ones([2]))
    with tf.Session() as sess:
        sess.run(tf.initializers.global_variables())
        np.testing.assert_array_equal(sess.run(v), [1, 1])


def test_initializer_class_is_instantiated_by_get_variable():
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer)    # a class, as TF accepts
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), [1, 1])
