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




# --- ApplyGradientDescent's in-place fast path (training_ops._descent_in_place) and its fallbacks ---
def _descent(shape, dtype=tf.float32, use_locking=False, lr=0.5):
    """A variable of ones, a fed gradient and the one update op; the session and its parts."""
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(tf.ones(shape, dtype))
        d = tf.placeholder(dtype, None)
        up = tf.train.GradientDescentOptimizer(lr, use_locking=use_locking).apply_gradients([(d, v)])
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    return sess, up, v, d


@pytest.mark.parametrize("shape", [(), (3,), (4, 1), (2, 1, 3)])
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_gradient_descent_in_place_for_every_rank_and_float_dtype(shape, dtype):
    sess, up, v, d = _descent(shape, dtype)
    grad = np.arange(1, np.prod(shape, dtype=int) + 1).reshape(shape).astype(dtype.as_numpy_dtype)
    sess.run(up, {d: grad})
    storage = weakref.ref(sess._runtime.variables[v.op.name])
    sess.run(up, {d: grad})
    assert sess._runtime.variables[v.op.name] is storage()                 # written in place
    value = sess.run(v)
    assert value.dtype == dtype.as_numpy_dtype
    np.testing.assert_array_equal(value, 1 - 2 * (np.asarray(dtype.as_numpy_dtype(0.5)) * grad))


def test_gradient_descent_with_a_non_contiguous_gradient():
    sess, up, v, d = _descent((3, 2))
    grad = np.arange(6, dtype=np.float32).reshape(2, 3).T                 # a transposed view
    sess.run(up, {d: grad})
    np.testing.assert_array_equal(sess.run(v), 1 - np.float32(0.5) * grad)


def test_gradient_descent_when_the_variable_is_held_by_a_user_copies_first():
    sess, up, v, d = _descent((4, 1))
    sess.run(up, {d: np.ones((4, 1), np.float32)})                         # the fast path, warm
    held = sess._runtime.variables[v.op.name]
    sess.run(up, {d: np.ones((4, 1), np.float32)})
    np.testing.assert_array_equal(held, np.full((4, 1), 0.5, np.float32))   # what the user saw
    np.testing.assert_array_equal(sess.run(v), np.zeros((4, 1), np.float32))
    assert sess._runtime.variables[v.op.name] is not held


def test_gradient_descent_on_a_read_only_or_view_buffer_copies_first():
    sess, up, v, d = _descent((4,))
    base = np.ones(8, np.float32)
    sess._runtime.variables[v.op.name] = base[:4]                          # a view: base is shared
    sess.run(up, {d: np.ones(4, np.float32)})
    np.testing.assert_array_equal(base, np.ones(8, np.float32))
    frozen = np.ones(4, np.float32)
    frozen.flags.writeable = False
    sess._runtime.variables[v.op.name] = frozen
    del frozen
    sess.run(up, {d: np.ones(4, np.float32)})
    np.testing.assert_array_equal(sess.run(v), np.full(4, 0.5, np.float32))


def test_gradient_descent_after_the_fast_path_still_raises_tf_errors():
    sess, up, v, d = _descent((4, 1))
    sess.run(up, {d: np.ones((4, 1), np.float32)})                         # the fast path taken
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(up, {d: np.ones((3, 1), np.float32)})                      # wrong shape: no fast path
    np.testing.assert_array_equal(sess.run(v), np.full((4, 1), 0.5, np.float32))
    sess.run(v.initializer)
    del sess._runtime.variables[v.op.name]
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value Variable"):
        sess.run(up, {d: np.ones((4, 1), np.float32)})


def test_gradient_descent_with_use_locking_and_big_variables_takes_the_general_path():
    for shape, locking in [((4, 1), True), ((1_000_000,), False)]:
        sess, up, v, d = _descent(shape, use_locking=locking)
        sess.run(up, {d: np.ones(shape, np.float32)})
        sess.run(up, {d: np.ones(shape, np.float32)})
        np.testing.assert_array_equal(sess.run(v), np.zeros(shape, np.float32))
