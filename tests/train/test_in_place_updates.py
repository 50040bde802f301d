"""Update ops write into the variable's buffer, yet values read earlier never change (copy on write)."""

import tracemalloc
import weakref

import numpy as np
import pytest

import minitf as tf


def _linreg_session(optimizer):
    rng = np.random.RandomState(0)
    X, y = rng.randn(64, 4).astype(np.float32), rng.randn(64, 1).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        data = tf.placeholder(tf.float32, [None, 4])
        label = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(tf.zeros([4, 1]))
        b = tf.Variable(tf.zeros([1]))
        loss = tf.reduce_mean(tf.square(label - (tf.matmul(data, w) + b)))
        train = optimizer.minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    return sess, train, w, {data: X, label: y}


@pytest.mark.parametrize("make", [lambda: tf.train.GradientDescentOptimizer(0.1),
                                  lambda: tf.train.AdamOptimizer(0.1),
                                  lambda: tf.train.MomentumOptimizer(0.1, 0.9)],
                         ids=["gd", "adam", "momentum"])
def test_a_training_step_updates_the_variable_in_place(make):
    sess, train, w, feed = _linreg_session(make())
    sess.run(train, feed)
    storage = weakref.ref(sess._runtime.variables[w.op.name])     # (a weak reference: holding
    sess.run(train, feed)                                           # the array would force a copy)
    assert sess._runtime.variables[w.op.name] is storage()


def test_a_fetched_value_never_changes_behind_the_users_back():
    sess, train, w, feed = _linreg_session(tf.train.GradientDescentOptimizer(0.1))
    sess.run(train, feed)
    before = sess.run(w)
    copy = before.copy()
    old, _ = sess.run([w, train], feed)          # read in the same run as the update
    sess.run(train, feed)
    np.testing.assert_array_equal(before, copy)
    assert not np.array_equal(old, sess.run(w))


def test_a_value_held_elsewhere_is_copied_before_the_update():
    sess, train, w, feed = _linreg_session(tf.train.GradientDescentOptimizer(0.1))
    sess.run(train, feed)
    held = sess._runtime.variables[w.op.name]     # someone else holds the array now
    snapshot = held.copy()
    sess.run(train, feed)
    np.testing.assert_array_equal(held, snapshot)
    assert sess._runtime.variables[w.op.name] is not held


def test_a_training_step_allocates_nothing_that_stays_in_steady_state():
    sess, train, _, feed = _linreg_session(tf.train.AdamOptimizer(0.01))
    for _ in range(20):                            # plans, kernels, caches: built here
        sess.run(train, feed)
    tracemalloc.start()
    try:
        for _ in range(20):
            sess.run(train, feed)
        start, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            sess.run(train, feed)
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < 1024, f"{end - start} bytes more after 200 steps"


