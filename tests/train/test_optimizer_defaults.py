"""``AdadeltaOptimizer()`` with TF 1.x's documented defaults: learning_rate=0.001, rho=0.95,
epsilon=1e-8 (``tf.compat.v1.train.AdadeltaOptimizer``), against its update written in numpy.

(The other optimizers' defaults are in test_optimizer_references.py: ``AdamOptimizer()``,
``RMSPropOptimizer(lr)``, ``AdagradOptimizer(lr)``.)
"""

from __future__ import annotations

import numpy as np

import minitf as tf

W0 = np.array([0.5, -1.0, 2.0])
TARGET = np.array([1.0, 0.25, -0.5])


def test_adadelta_defaults_match_tfs_formula():
    with tf.Graph().as_default():
        w = tf.Variable(W0)
        loss = 0.5 * tf.reduce_sum(tf.square(w - TARGET))
        train = tf.train.AdadeltaOptimizer().minimize(loss)
        got = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
                got.append(sess.run(w))
    # TF turns the Python hyperparameters into float32 tensors, then casts them to float64.
    lr, rho, eps = (float(np.float32(v)) for v in (0.001, 0.95, 1e-8))
    w, accum, accum_update = W0.copy(), np.zeros(3), np.zeros(3)
    for value in got:
        g = w - TARGET
        accum = rho * accum + (1 - rho) * g * g
        update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * g
        accum_update = rho * accum_update + (1 - rho) * update * update
        w = w - lr * update
        np.testing.assert_allclose(value - W0, w - W0, rtol=1e-9)      # the steps, not just the weights


def test_adadelta_use_locking_defaults_to_false():
    for kwargs, expected in (({}, False), ({"use_locking": True}, True)):
        with tf.Graph().as_default() as graph:
            w = tf.Variable(W0)
            tf.train.AdadeltaOptimizer(**kwargs).minimize(tf.reduce_sum(w * w))
            applies = [op for op in graph.get_operations() if op.type == "ApplyAdadelta"]
            assert [op.get_attr("use_locking") for op in applies] == [expected]
