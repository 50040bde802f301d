"""Autodiff and optimizers: gradient graphs, update rules against numpy, global step."""

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_gradients_sum_over_paths_and_none_when_unconnected():
    x = tf.constant(3.0)
    z = tf.constant(1.0)
    y = x * x + x
    gx, gz = tf.gradients(y, [x, z])
    assert gz is None
    with tf.Session() as sess:
        assert sess.run(gx) == 7.0


def test_gradient_node_names():
    x = tf.Variable([[1.0, 2.0]], name="x")
    w = tf.Variable([[1.0], [2.0]], name="w")
    y = tf.matmul(x, w)
    g = tf.gradients(y, [w])[0]
    assert g.op.name.startswith("gradients/MatMul_grad/")
    g2 = tf.gradients(y, [x])[0]
    assert g2.op.name.startswith("gradients_1/MatMul_grad/")


def test_broadcast_gradients_reduce_to_input_shapes():
    a = tf.placeholder(tf.float32, [3, 1])
    b = tf.placeholder(tf.float32, [4])
    ga, gb = tf.gradients(tf.reduce_sum(a * b), [a, b])
    with tf.Session() as sess:
        va, vb = np.arange(3.0).reshape(3, 1), np.arange(4.0)
        ra, rb = sess.run([ga, gb], {a: va, b: vb})
    np.testing.assert_allclose(ra, np.full((3, 1), vb.sum()))
    np.testing.assert_allclose(rb, np.full(4, va.sum()))


def test_stop_gradient_and_grad_ys():
    x = tf.constant(2.0)
    y = tf.stop_gradient(x * x) + x
    g = tf.gradients(y, x, grad_ys=tf.constant(3.0))[0]
    with tf.Session() as sess:
        assert sess.run(g) == 3.0


def _quadratic(opt_factory, steps=3):
    """Minimize sum((w - target)^2) and return the trajectory of w."""
    target = np.array([1.0, -2.0], dtype=np.float32)
    w = tf.Variable(np.array([0.5, 0.5], dtype=np.float32), name="w")
    loss = tf.reduce_sum(tf.square(w - target))
    train = opt_factory().minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for _ in range(steps):
            sess.run(train)
            out.append(sess.run(w))
    return target, out


def test_gradient_descent_matches_numpy():
    target, out = _quadratic(lambda: tf.train.GradientDescentOptimizer(0.1))
    w = np.array([0.5, 0.5])
    for got in out:
        w = w - 0.1 * 2 * (w - target)
        np.testing.assert_allclose(got, w, rtol=1e-6)


def test_momentum_matches_numpy():
    target, out = _quadratic(lambda: tf.train.MomentumOptimizer(0.1, 0.9))
    w, acc = np.array([0.5, 0.5]), np.zeros(2)
    for got in out:
        acc = 0.9 * acc + 2 * (w - target)
        w = w - 0.1 * acc
        np.testing.assert_allclose(got, w, rtol=1e-5)


def test_adam_matches_numpy():
    target, out = _quadratic(lambda: tf.train.AdamOptimizer(0.1))
    w, m, v = np.array([0.5, 0.5]), np.zeros(2), np.zeros(2)
    for t, got in enumerate(out, 1):
        g = 2 * (w - target)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        lr = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        w = w - lr * m / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(got, w, rtol=1e-5)


def test_adagrad_matches_numpy():
    target, out = _quadratic(lambda: tf.train.AdagradOptimizer(0.1))
    w, acc = np.array([0.5, 0.5]), np.full(2, 0.1)
    for got in out:
        g = 2 * (w - target)
        acc = acc + g * g
        w = w - 0.1 * g / np.sqrt(acc)
        np.testing.assert_allclose(got, w, rtol=1e-5)


def test_rmsprop_matches_numpy():
    target, out = _quadratic(lambda: tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=0.5))
    w, ms, mom = np.array([0.5, 0.5]), np.ones(2), np.zeros(2)
    for got in out:
        g = 2 * (w - target)
        ms = ms + (g * g - ms) * 0.1
        mom = 0.5 * mom + 0.01 * g / np.sqrt(ms + 1e-10)
        w = w - mom
        np.testing.assert_allclose(got, w, rtol=1e-5)


def test_slots_and_names():
    w = tf.Variable([1.0], name="W")
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(tf.reduce_sum(w * w))
    assert train.name == "Momentum"
    assert opt.get_slot(w, "momentum").op.name == "W/Momentum"
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert "Momentum/update_W/ApplyMomentum" in names


def test_compute_and_apply_gradients_with_global_step():
    w = tf.Variable(1.0, name="w")
    step = tf.train.get_or_create_global_step()
    assert tf.train.get_or_create_global_step() is step
    opt = tf.train.GradientDescentOptimizer(0.5)
    gv = opt.compute_gradients(w * w)
    assert gv[0][1] is w
    train = opt.apply_gradients(gv, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert sess.run(step) == 2
        assert sess.run(w) == pytest.approx(0.0)


def test_no_gradients_error():
    w = tf.Variable(1.0)
    c = tf.constant(1.0)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(c * 2.0, var_list=[w])
