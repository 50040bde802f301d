"""GPU update ops write into the variable's device arrays, unless something shares them.

Runs under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``) or on a real GPU.
"""

from __future__ import annotations

import weakref

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu


def _session(make_optimizer):
    g = tf.Graph()
    with g.as_default():
        with tf.device("/gpu:0"):
            w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
            train = make_optimizer().minimize(tf.reduce_sum(tf.square(w)))
        sess = tf.Session(graph=g)
        sess.run(tf.variables_initializer([v for v in g.get_collection("variables")]))
    return sess, train, w


OPTIMIZERS = [lambda: tf.train.GradientDescentOptimizer(0.1), lambda: tf.train.AdamOptimizer(0.1),
              lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True)]


@pytest.mark.parametrize("make", OPTIMIZERS, ids=["gd", "adam", "centered_rmsprop"])
def test_the_update_writes_into_the_variables_device_array(make):
    sess, train, w = _session(make)
    sess.run(train)
    storage = weakref.ref(sess._runtime.variables[w.op.name])
    before = sess.run(w)
    sess.run(train)
    assert sess._runtime.variables[w.op.name] is storage()
    assert not np.array_equal(sess.run(w), before)


@pytest.mark.parametrize("share", ["array", "reshaped view"])
def test_a_shared_device_array_keeps_its_value(share):
    sess, train, w = _session(OPTIMIZERS[0])
    sess.run(train)
    value = sess._runtime.variables[w.op.name]
    held = value if share == "array" else value.reshape(6)
    del value
    snapshot = held.copy_to_host()
    sess.run(train)
    np.testing.assert_array_equal(held.copy_to_host(), snapshot)
    assert not np.array_equal(sess.run(w).reshape(-1), snapshot.reshape(-1))
