"""``tf.nn.nce_loss``, ``tf.nn.sampled_softmax_loss`` and the log-uniform candidate sampler against TF.

The expected values were recorded with TF 2.21 (``tensorflow.compat.v1``,
graph mode) running the same calls on the same arrays, with the samples
given through ``sampled_values`` so the losses are deterministic:

    /tmp/tfvenv/bin/python  (W, b, x, labels, sampled, counts as below; np.random.default_rng(0))
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.ops.candidate_sampling_ops import log_uniform_probability

RNG = np.random.default_rng(0)
W = RNG.uniform(-1, 1, (10, 3)).astype(np.float32)
B = RNG.uniform(-1, 1, (10,)).astype(np.float32)
X = RNG.uniform(-1, 1, (4, 3)).astype(np.float32)
LABELS = np.array([[1], [3], [7], [0]], np.int64)
LABELS2 = np.array([[1, 2], [3, 4], [7, 0], [0, 9]], np.int64)
SAMPLED = np.array([3, 0, 5, 8, 2], np.int64)
TRUE_COUNT = np.array([[0.4], [0.2], [0.1], [0.9]], np.float32)
TRUE_COUNT2 = np.array([[0.4, 0.3], [0.2, 0.25], [0.1, 0.9], [0.9, 0.05]], np.float32)
SAMPLED_COUNT = np.array([0.2, 0.9, 0.15, 0.1, 0.3], np.float32)

# Recorded from TF 2.21 compat.v1 (see the module docstring).
TF_NCE = [9.2244, 8.804955, 9.263073, 10.717815]
TF_NCE_HITS = [9.2244, 7.5940895, 9.263073, 9.491785]
TF_SSM = [3.3424234, 3.241628, 0.77997446, 3.1647174]
TF_SSM_NO_HITS = [3.3424234, 3.279983, 0.77997446, 3.2060764]
TF_SSM_TRUE2 = [3.4077594, 2.8797994, 1.9537916, 2.3252459]
TF_NCE_TRUE2 = [10.177589, 10.274389, 11.737848, 12.893403]
# log_uniform_candidate_sampler(LABELS2, 2, 6, unique=False, range_max=10): true_expected_count.
TF_NONUNIQUE_TRUE_COUNT = [[1.0145526, 0.7198365], [0.55834854, 0.45620397], [0.29471606, 1.734389],
                           [1.734389, 0.23848459]]


def _run(t):
    with tf.Session() as sess:
        return sess.run(t)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, TF_NCE), ({"remove_accidental_hits": True}, TF_NCE_HITS)])
def test_nce_loss_matches_tf(kwargs, expected):
    with tf.Graph().as_default():
        loss = tf.nn.nce_loss(W, B, LABELS, X, 5, 10, sampled_values=(SAMPLED, TRUE_COUNT, SAMPLED_COUNT),
                              **kwargs)
        assert loss.shape.as_list() == [4] or loss.shape.as_list() == [None]
        np.testing.assert_allclose(_run(loss), expected, rtol=1e-5)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, TF_SSM), ({"remove_accidental_hits": False}, TF_SSM_NO_HITS)])
def test_sampled_softmax_loss_matches_tf(kwargs, expected):
    with tf.Graph().as_default():
        loss = tf.nn.sampled_softmax_loss(W, B, LABELS, X, 5, 10,
                                          sampled_values=(SAMPLED, TRUE_COUNT, SAMPLED_COUNT), **kwargs)
        np.testing.assert_allclose(_run(loss), expected, rtol=1e-5)


def test_two_true_classes_match_tf():
    values = (SAMPLED, TRUE_COUNT2, SAMPLED_COUNT)
    with tf.Graph().as_default():
        ssm = tf.nn.sampled_softmax_loss(W, B, LABELS2, X, 5, 10, num_true=2, sampled_values=values)
        nce = tf.nn.nce_loss(W, B, LABELS2, X, 5, 10, num_true=2, sampled_values=values)
        got_ssm, got_nce = _run([ssm, nce])
    np.testing.assert_allclose(got_ssm, TF_SSM_TRUE2, rtol=1e-5)
    np.testing.assert_allclose(got_nce, TF_NCE_TRUE2, rtol=1e-5)


def test_log_uniform_sampler_is_seeded_unique_and_counts_like_tf():
    with tf.Graph().as_default():
        sampled, true_count, sampled_count = tf.nn.log_uniform_candidate_sampler(
            LABELS2, 2, 6, unique=False, range_max=10, seed=3)
        assert sampled.dtype == tf.int64 and sampled.shape.as_list() == [6]
        assert true_count.shape.as_list() == [4, 2] and sampled_count.shape.as_list() == [6]
        with tf.Session() as sess:
            s, t, c = sess.run([sampled, true_count, sampled_count])
        # Without ``unique`` the expected counts are num_sampled * P(k): TF's numbers exactly.
        np.testing.assert_allclose(t, TF_NONUNIQUE_TRUE_COUNT, rtol=1e-6)
        np.testing.assert_allclose(c, 6 * log_uniform_probability(s, 10), rtol=1e-6)
        assert ((s >= 0) & (s < 10)).all()

    def unique_draws(seed):
        with tf.Graph().as_default():
            tf.set_random_seed(seed)
            out = tf.nn.log_uniform_candidate_sampler(LABELS, 1, 8, unique=True, range_max=20)
            with tf.Session() as sess:
                return sess.run(out), sess.run(out)
    (s1, t1, c1), second = unique_draws(7)
    (again, _, _), _ = unique_draws(7)
    np.testing.assert_array_equal(s1, again)                    # seeded: the same per seed
    assert not np.array_equal(s1, second[0])                    # ... and new draws each run
    assert len(set(s1.tolist())) == 8 and ((s1 >= 0) & (s1 < 20)).all()
    # Unique sampling after n tries: expected count 1 - (1 - P(k))^n, one n for every class (TF's rule).
    p = log_uniform_probability(s1, 20)
    tries = np.log1p(-c1.astype(np.float64)) / np.log1p(-p)
    assert tries.min() >= 8 and np.allclose(tries, tries[0], rtol=1e-4)
    np.testing.assert_allclose(t1, -np.expm1(tries[0] * np.log1p(-log_uniform_probability(LABELS, 20))),
                               rtol=1e-4)


def test_sampled_softmax_trains_an_embedding_with_sampled_values_from_the_sampler():
    """The default path (sampler inside) runs, and a few SGD steps lower the full softmax loss."""
    rng = np.random.default_rng(1)
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        w = tf.Variable(rng.normal(0, 0.1, (50, 4)).astype(np.float32))
        b = tf.Variable(np.zeros(50, np.float32))
        x = rng.normal(size=(32, 4)).astype(np.float32)
        y = (np.abs(x[:, :1] * 10).astype(np.int64) % 50)
        loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(w, b, y, x, num_sampled=10, num_classes=50))
        full = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y[:, 0], logits=tf.matmul(x, w, transpose_b=True) + b))
        step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(full)
            for _ in range(30):
                sess.run(step)
            assert sess.run(full) < before - 0.1


def test_sampler_refuses_more_unique_samples_than_classes():
    with tf.Graph().as_default():
        out = tf.nn.log_uniform_candidate_sampler(LABELS, 1, 8, unique=True, range_max=5)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="range is too small"):
            sess.run(out)
