"""A variable read ordered after its own update sees the new value (TF 1.x reference variables).

In TF 1.x ``W/read`` hands out the variable's buffer, so an op that runs after an
update (by a control dependency or a data path) reads the updated value.
"""

import numpy as np
import pytest

import minitf as tf


def _three_runs(make_read):
    with tf.Graph().as_default():
        v = tf.Variable(0.0)
        inc = tf.assign_add(v, 1.0)
        with tf.control_dependencies([inc]):
            y = make_read(v)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [float(sess.run(y)) for _ in range(3)]


@pytest.mark.parametrize("make_read, expected", [
    (lambda v: tf.identity(v), [1, 2, 3]),
    (lambda v: v * 2, [2, 4, 6]),
    (lambda v: tf.add(v, 0.0), [1, 2, 3]),
    (lambda v: v.read_value(), [1, 2, 3]),
    (lambda v: tf.identity(tf.convert_to_tensor(v)), [1, 2, 3]),
], ids=["identity", "mul", "add", "read_value", "convert_to_tensor"])
def test_read_ordered_after_update_sees_new_value(make_read, expected):
    assert _three_runs(make_read) == expected


def test_hand_written_moving_average():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        avg = tf.Variable(0.0)
        update = tf.assign(avg, avg * 0.5 + x * 0.5)
        with tf.control_dependencies([update]):
            out = tf.identity(avg)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = [float(sess.run(out, {x: 4.0})) for _ in range(3)]
    assert got == [2.0, 3.0, 3.5]


def test_read_ordered_through_data_path():
    with tf.Graph().as_default():
        v = tf.Variable(np.array([1.0, 2.0], np.float32))
        inc = tf.assign_add(v, [10.0, 10.0])
        with tf.control_dependencies([inc]):
            z = tf.zeros([2])
        y = z + v                                   # after inc through z
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run(y), [11.0, 12.0])


def test_unordered_read_in_one_run_still_fine():
    """Reads not ordered after an update: the usual training step still works."""
    with tf.Graph().as_default():
        w = tf.Variable(1.0)
        loss = tf.square(w)
        train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _, l0 = sess.run([train, loss])
            assert l0 == 1.0
            assert sess.run(w) == 0.5
