"""Sparse gradients (issue 10): an embedding lookup's gradient is an IndexedSlices, and the
optimizers update only the rows that were looked up (TF 1.x's ScatterSub / SparseApply*)."""

import numpy as np
import pytest

import minitf as tf


def _train(make_optimizer, steps=4):
    """Embedding of 3 rows; only rows 0 and 2 are looked up."""
    with tf.Graph().as_default():
        emb = tf.Variable(np.ones((3, 2), np.float32))
        ids = tf.constant([0, 2, 0])
        loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids))
        train = make_optimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train)
            return sess.run(emb)


OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_rows_not_looked_up_do_not_move(name):
    emb = _train(OPTIMIZERS[name])
    np.testing.assert_array_equal(emb[1], [1.0, 1.0])
    assert (emb[0] < 1.0).all() and (emb[2] < 1.0).all()


def test_momentum_after_a_step_on_another_row():
    """The issue's case: row 1 is looked up once, then never; momentum must not keep moving it."""
    with tf.Graph().as_default():
        emb = tf.Variable(np.ones((3, 1), np.float32))
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids))
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {ids: [1]})
            for _ in range(3):
                sess.run(train, {ids: [0]})
            got = sess.run(emb)
    np.testing.assert_allclose(got[1], [0.9])          # one step of 0.1, not 3.439 - 2.439...
    np.testing.assert_allclose(got[2], [1.0])


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop"])
def test_looked_up_rows_match_the_dense_rule(name):
    """Rows that are looked up every step move exactly as with a dense gradient (duplicates summed)."""
    sparse = _train(OPTIMIZERS[name])

    with tf.Graph().as_default():
        emb = tf.Variable(np.ones((3, 2), np.float32))
        counts = tf.constant([[2.0], [0.0], [1.0]])
        loss = tf.reduce_sum(emb * counts)              # the same gradient, dense
        train = OPTIMIZERS[name]().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                sess.run(train)
            dense = sess.run(emb)
    np.testing.assert_allclose(sparse[[0, 2]], dense[[0, 2]], rtol=1e-5)


def test_adam_sparse_follows_tf1():
    """TF 1.x's sparse Adam: m and v decay on all rows, so a row looked up once keeps moving."""
    with tf.Graph().as_default():
        emb = tf.Variable(np.zeros((2, 1), np.float32))
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {ids: [0]})
            first = sess.run(emb).copy()
            sess.run(train, {ids: [1]})
            second = sess.run(emb)
    np.testing.assert_allclose(first[0], [-0.1], rtol=1e-4)
    assert second[0, 0] < first[0, 0]                  # m decays but is not zero: row 0 moves on
    lr_2 = 0.1 * np.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)   # step 2, row 1: m = 0.1, v = 0.001
    np.testing.assert_allclose(second[1], [-lr_2 * 0.1 / (np.sqrt(0.001) + 1e-8)], rtol=1e-4)


def test_gradient_of_gather_is_indexed_slices():
    with tf.Graph().as_default():
        params = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
        (g,) = tf.gradients(tf.reduce_sum(tf.gather(params, [2, 0, 2])), [params])
        assert isinstance(g, tf.IndexedSlices)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(g)
            dense = sess.run(tf.convert_to_tensor(g))
    assert isinstance(value, tf.IndexedSlicesValue)
    np.testing.assert_array_equal(value.indices, [2, 0, 2])
    np.testing.assert_array_equal(value.dense_shape, [3, 2])
    np.testing.assert_array_equal(dense, [[1, 1], [0, 0], [2, 2]])


def test_two_lookups_stay_sparse():
    with tf.Graph().as_default():
        emb = tf.Variable(np.ones((4, 1), np.float32))
        loss = tf.reduce_sum(tf.gather(emb, [0])) + tf.reduce_sum(tf.gather(emb, [3]))
        (g,) = tf.gradients(loss, [emb])
        assert isinstance(g, tf.IndexedSlices)


def test_sparse_gradient_through_more_ops_is_made_dense():
    """A gather of a computed tensor: the ops before it get a plain (dense) gradient."""
    with tf.Graph().as_default():
        x = tf.constant([[1.0], [2.0], [3.0]])
        y = tf.gather(x * 2.0, [0, 0, 2])
        (g,) = tf.gradients(tf.reduce_sum(y), [x])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(g), [[4.0], [0.0], [2.0]])
