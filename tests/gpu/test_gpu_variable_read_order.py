"""On the GPU too: a variable read under control dependencies reads after the update."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu


@pytest.mark.parametrize("variable_device", ["/GPU:0", "/CPU:0"])
def test_read_value_on_the_gpu_runs_after_the_update(variable_device):
    with tf.Graph().as_default():
        with tf.device(variable_device):
            w = tf.Variable([1.0, 2.0])
            update = tf.assign_add(w, [10.0, 10.0])
        with tf.device("/GPU:0"), tf.control_dependencies([update]):
            after = w.read_value()
        with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
            sess.run(w.initializer)
            np.testing.assert_array_equal(sess.run(after), [11.0, 12.0])
            np.testing.assert_array_equal(sess.run(after), [21.0, 22.0])
            np.testing.assert_array_equal(sess.run(w), [21.0, 22.0])
