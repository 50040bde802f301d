"""Gradient clipping: ``clip_by_norm``, ``global_norm``, ``clip_by_global_norm`` (and their gradients)."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def np_clip_by_norm(t, clip, axes=None):
    norm = np.sqrt((t * t).sum(axis=axes, keepdims=True))
    return t * clip / np.maximum(norm, clip)


def test_clip_by_norm_scales_down_only_when_too_long():
    x = np.array([[3.0, 4.0], [0.3, 0.4]], np.float32)
    out = tf.clip_by_norm(x, 1.0)
    np.testing.assert_allclose(run(out), np_clip_by_norm(x, 1.0), rtol=1e-6)
    np.testing.assert_allclose(run(tf.clip_by_norm(x, 100.0)), x)
    rows = run(tf.clip_by_norm(x, 1.0, axes=[1]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    assert out.name == "clip_by_norm:0" and out.shape.as_list() == [2, 2]


def test_clip_by_norm_of_zeros_has_a_finite_gradient():
    x = tf.placeholder(tf.float64, [3])
    y = tf.clip_by_norm(x, 1.0)
    g, = tf.gradients(tf.reduce_sum(y), [x])
    value, grad = run([y, g], {x: np.zeros(3)})
    np.testing.assert_array_equal(value, np.zeros(3))
    assert np.all(np.isfinite(grad))


def test_clip_by_norm_gradient_matches_central_differences():
    x0 = np.array([1.0, -2.0, 2.5])
    w = np.array([0.3, -1.1, 0.7])
    x = tf.placeholder(tf.float64, [3])
    loss = tf.reduce_sum(tf.clip_by_norm(x, 2.0) * w)
    g, = tf.gradients(loss, [x])
    got = run(g, {x: x0})

    def f(v):
        return (np_clip_by_norm(v, 2.0) * w).sum()
    eps = 1e-6
    want = [(f(x0 + eps * e) - f(x0 - eps * e)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_clip_by_norm_rejects_broadcasting_clip_norm():
    with pytest.raises(ValueError):
        tf.clip_by_norm(tf.constant([1.0, 2.0]), tf.constant([[1.0], [2.0]]))


def test_global_norm_skips_none():
    a, b = np.array([3.0, 4.0], np.float32), np.array([[12.0]], np.float32)
    norm = tf.global_norm([tf.constant(a), None, tf.constant(b)])
    assert run(norm) == pytest.approx(13.0)
    assert norm.name == "global_norm/global_norm:0"
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.global_norm(tf.constant(a))


def test_clip_by_global_norm_keeps_the_direction_and_none_entries():
    a, b = np.array([3.0, 4.0], np.float32), np.array([[12.0]], np.float32)
    clipped, norm = tf.clip_by_global_norm([tf.constant(a), None, tf.constant(b)], 6.5)
    assert clipped[1] is None
    assert clipped[0].name == "clip_by_global_norm/clip_by_global_norm/_0:0"   # TF's names
    ca, cb, n = run([clipped[0], clipped[2], norm])
    assert n == pytest.approx(13.0)
    np.testing.assert_allclose(ca, a / 2, rtol=1e-6)
    np.testing.assert_allclose(cb, b / 2, rtol=1e-6)
    small, _ = tf.clip_by_global_norm([tf.constant(a)], 100.0)
    np.testing.assert_allclose(run(small[0]), a, rtol=1e-6)


def test_clip_by_global_norm_with_use_norm_and_infinite_norm():
    a = tf.constant([3.0, 4.0])
    clipped, norm = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(10.0))
    np.testing.assert_allclose(run(clipped[0]), [0.3, 0.4], rtol=1e-6)
    inf, _ = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.isnan(run(inf[0])).all()


def test_clipping_gradients_in_a_training_step():
    """The classic pattern: compute_gradients → clip_by_global_norm → apply_gradients."""
    w = tf.Variable([0.0, 0.0])
    loss = tf.reduce_sum(w * tf.constant([30.0, 40.0]))            # gradient (30, 40), norm 50
    opt = tf.train.GradientDescentOptimizer(0.1)
    grads, variables = zip(*opt.compute_gradients(loss))
    clipped, norm = tf.clip_by_global_norm(grads, 5.0)
    train = opt.apply_gradients(zip(clipped, variables))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _, n = sess.run([train, norm])
        np.testing.assert_allclose(sess.run(w), [-0.3, -0.4], rtol=1e-6)
    assert n == pytest.approx(50.0)
