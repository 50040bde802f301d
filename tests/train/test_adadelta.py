"""``AdadeltaOptimizer`` and ``RMSPropOptimizer(centered=True)``: TF's ApplyAdadelta /
ApplyCenteredRMSProp formulas, checked against numpy over several steps.

The final weights of the 5-step runs were also recorded from TensorFlow 2.21's
``tensorflow.compat.v1`` (``disable_v2_behavior()``) and match to float32 precision.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], np.float32)
Y = np.array([[1.0], [-1.0], [2.0]], np.float32)
W0 = np.array([[0.5], [-0.5]], np.float32)


def np_grad(w):
    """d/dw of mean((Xw - Y)²)."""
    return 2 * X.T @ (X @ w - Y) / len(X)


def train(make_optimizer, steps=5):
    with tf.Graph().as_default():
        w = tf.Variable(W0, name="w")
        loss = tf.reduce_mean(tf.square(tf.matmul(X, w) - Y))
        opt = make_optimizer()
        step = opt.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            history = []
            for _ in range(steps):
                sess.run(step)
                history.append(sess.run(w))
            slots = {name: opt.get_slot(w, name).name for name in opt.get_slot_names()}
    return np.array(history), slots


def test_adadelta_matches_tfs_formulas_over_several_steps():
    lr, rho, eps = 1.0, 0.9, 1e-6
    history, slots = train(lambda: tf.train.AdadeltaOptimizer(lr, rho=rho, epsilon=eps))
    w, accum, accum_update = W0.astype(np.float64), np.zeros((2, 1)), np.zeros((2, 1))
    for got in history:
        g = np_grad(w)
        accum = rho * accum + (1 - rho) * g * g
        update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * g
        accum_update = rho * accum_update + (1 - rho) * update * update
        w = w - lr * update
        np.testing.assert_allclose(got, w, rtol=1e-5)
    np.testing.assert_allclose(history[-1].ravel(), [0.48367602, -0.4836221], rtol=1e-6)   # TF
    assert slots == {"accum": "w/Adadelta:0", "accum_update": "w/Adadelta_1:0"}


def test_centered_rmsprop_matches_tfs_formulas_over_several_steps():
    lr, rho, momentum, eps = 0.01, 0.9, 0.5, 1e-6
    history, slots = train(lambda: tf.train.RMSPropOptimizer(lr, decay=rho, momentum=momentum,
                                                             epsilon=eps, centered=True))
    w = W0.astype(np.float64)
    ms, mg, mom = np.ones((2, 1)), np.zeros((2, 1)), np.zeros((2, 1))
    for got in history:
        g = np_grad(w)
        ms = rho * ms + (1 - rho) * g * g
        mg = rho * mg + (1 - rho) * g
        mom = momentum * mom + lr * g / np.sqrt(ms - mg * mg + eps)
        w = w - mom
        np.testing.assert_allclose(got, w, rtol=1e-5)
    np.testing.assert_allclose(history[-1].ravel(), [0.33033943, -0.32284442], rtol=1e-6)  # TF
    assert slots == {"rms": "w/RMSProp:0", "mg": "w/RMSProp_1:0", "momentum": "w/RMSProp_2:0"}


def test_uncentered_rmsprop_keeps_its_slots():
    _, slots = train(lambda: tf.train.RMSPropOptimizer(0.01), steps=1)
    assert slots == {"rms": "w/RMSProp:0", "momentum": "w/RMSProp_1:0"}


def test_adadelta_reduces_the_loss_and_builds_tfs_op():
    with tf.Graph().as_default():
        w = tf.Variable(W0)
        loss = tf.reduce_mean(tf.square(tf.matmul(X, w) - Y))
        train_op = tf.train.AdadeltaOptimizer(1.0).minimize(loss)
        types = {o.type for o in tf.get_default_graph().get_operations()}
        assert "ApplyAdadelta" in types
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(loss)
            for _ in range(50):
                sess.run(train_op)
            assert sess.run(loss) < before


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_apply_ops_keep_the_variable_dtype(dtype):
    with tf.Graph().as_default():
        w = tf.Variable(np.ones(3), dtype=dtype)
        step = tf.train.AdadeltaOptimizer(1.0).minimize(tf.reduce_sum(w * w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(step)
            assert sess.run(w).dtype == dtype.np_dtype
