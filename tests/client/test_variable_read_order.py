"""A read of a variable placed after an update (control dependency) sees the updated value.

TF 1.x's ``w/read`` aliases the variable's buffer, so
``with tf.control_dependencies([update]): w.read_value()`` reads after ``update``;
``ExponentialMovingAverage.apply`` and many TF1 programs rely on it.
"""

from __future__ import annotations

import numpy as np

import minitf as tf


def test_read_value_under_control_dependencies_runs_after_the_update():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0])
        update = tf.assign_add(w, [10.0, 10.0])
        with tf.control_dependencies([update]):
            after = w.read_value()
            doubled = after * 2
        with tf.Session() as sess:
            sess.run(w.initializer)
            np.testing.assert_array_equal(sess.run(after), [11.0, 12.0])
            np.testing.assert_array_equal(sess.run(doubled), [42.0, 44.0])
            np.testing.assert_array_equal(sess.run(w), [21.0, 22.0])


def test_plain_reads_without_control_inputs_are_unchanged():
    with tf.Graph().as_default():
        w = tf.Variable(3.0)
        y = w * 2
        with tf.Session() as sess:
            sess.run(w.initializer)
            assert sess.run(y) == 6.0
            sess.run(w.assign(5.0))
            assert sess.run(y) == 10.0
