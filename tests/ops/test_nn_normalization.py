"""tf.nn's normalization helpers and friends: batch_normalization, l2_normalize, moments, dropout, top_k.

batch_normalization and l2_normalize are thin Python over ops (as in TF), so
they have no op-table row; their values, names and gradients are checked here.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

from ops_helpers import Case, check_gradients, positive, uniform


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_batch_normalization_matches_the_formula_and_tf_names():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 3, 2)).astype(np.float32)
    mean, variance = tf.nn.moments(tf.constant(x), [0, 1, 2])
    y = tf.nn.batch_normalization(x, mean, variance, offset=0.5, scale=2.0, variance_epsilon=1e-3)
    assert y.op.name == "batchnorm/add_1" and y.shape.as_list() == [4, 3, 3, 2]
    want = (x - x.mean((0, 1, 2))) / np.sqrt(x.var((0, 1, 2)) + 1e-3) * 2.0 + 0.5
    np.testing.assert_allclose(_run(y), want, rtol=1e-5, atol=1e-5)
    no_affine = tf.nn.batch_normalization(x, mean, variance, None, None, 1e-3)
    np.testing.assert_allclose(_run(no_affine), (want - 0.5) / 2.0, rtol=1e-4, atol=1e-5)


def test_batch_normalization_gradient():
    def bn(x, m, v, o, s):
        return tf.nn.batch_normalization(x, m, v, o, s, 1e-3)
    check_gradients(Case("batchnorm", bn, None, (uniform(2, 3), uniform(3), positive(3), uniform(3),
                                                  uniform(3))))


def test_l2_normalize_values_epsilon_and_gradient():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], np.float32)
    y = tf.nn.l2_normalize(x, axis=1)
    assert y.op.name == "l2_normalize"
    np.testing.assert_allclose(_run(y), [[0.6, 0.8], [0.0, 0.0]])       # epsilon: zeros stay zeros
    np.testing.assert_allclose(_run(tf.nn.l2_normalize(x, dim=0)), x / np.array([3.0, 4.0]))
    check_gradients(Case("l2_normalize", lambda t: tf.nn.l2_normalize(t, 1), None, (uniform(2, 3),)))


def test_moments_over_the_conv_axes():
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 4))
    mean, variance = _run(tf.nn.moments(tf.constant(x), [0, 1, 2], keep_dims=True))
    assert mean.shape == (1, 1, 1, 4)
    np.testing.assert_allclose(mean, x.mean((0, 1, 2), keepdims=True))
    np.testing.assert_allclose(variance, x.var((0, 1, 2), keepdims=True))


@pytest.mark.parametrize("kwargs", [{"keep_prob": 0.75}, {"rate": 0.25}])
def test_dropout_keeps_about_keep_prob_and_scales_by_its_inverse(kwargs):
    tf.set_random_seed(3)
    y = _run(tf.nn.dropout(tf.ones([200, 50]), seed=1, **kwargs))
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)


def test_dropout_errors():
    with pytest.raises(ValueError, match="rate must be a scalar tensor or a float in the range"):
        tf.nn.dropout(tf.ones([2]), rate=1.0)
    with pytest.raises(ValueError, match="You must provide a rate"):
        tf.nn.dropout(tf.ones([2]))


def test_top_k_shapes_and_errors():
    x = tf.placeholder(tf.float32, [None, 5])
    values, indices = tf.nn.top_k(x, 3)
    assert values.shape.as_list() == [None, 3] and indices.dtype == tf.int32
    with pytest.raises(ValueError, match="input must have at least k columns. Had 5, needed 6"):
        tf.nn.top_k(x, 6)


def test_in_top_k_counts_ties_at_the_boundary_in():
    predictions = np.array([[0.1, 0.5, 0.5, 0.2]], np.float32)
    got = [_run(tf.nn.in_top_k(predictions, [t], 1))[0] for t in range(4)]
    assert got == [False, True, True, False]
