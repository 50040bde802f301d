"""What an ``Apply*`` update op returns and which lock it takes.

TF's ``ApplyMomentum``/``ApplyAdam``/... output is the updated variable (``out: Ref(T)``,
"Same as var"), never a slot; with ``use_locking=True`` the update runs under the
variable's lock.  The optimizer tests fetch only the train op, so they see neither.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.train import training_ops

W0, G = np.array([0.5, -1.0]), np.array([0.2, 0.4])


def _updated(build):
    """Run the update op made by ``build(var, slot1, slot2, grad)`` once and fetch its output."""
    with tf.Graph().as_default():
        var = tf.Variable(W0, name="w")
        slots = [tf.Variable(np.full(2, 0.5), name=f"s{i}") for i in range(2)]
        out = build(var, *slots, tf.constant(G))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(out), sess.run(var)


@pytest.mark.parametrize("name, build", [
    ("ApplyMomentum", lambda v, a, _, g: training_ops.apply_momentum(v, a, tf.constant(0.1, tf.float64), g,
                                                                    tf.constant(0.9, tf.float64))),
    ("ApplyAdagrad", lambda v, a, _, g: training_ops.apply_adagrad(v, a, tf.constant(0.1, tf.float64), g)),
    ("ApplyRMSProp", lambda v, ms, mom, g: training_ops.apply_rms_prop(
        v, ms, mom, *(tf.constant(c, tf.float64) for c in (0.1, 0.9, 0.0, 1e-10)), g)),
])
def test_an_update_op_outputs_the_updated_variable(name, build):
    out, var = _updated(build)
    np.testing.assert_array_equal(out, var)
    assert not np.array_equal(var, W0)


def test_a_sparse_update_op_outputs_the_updated_variable():
    with tf.Graph().as_default():
        var = tf.Variable(np.zeros((3, 2)), name="w")
        accum = tf.Variable(np.full((3, 2), 0.5), name="accum")
        out = training_ops.sparse_apply_momentum(var, accum, tf.constant(0.1, tf.float64),
                                                 tf.constant([[1.0, 2.0]], tf.float64), tf.constant([2]),
                                                 tf.constant(0.9, tf.float64))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(out)
            np.testing.assert_array_equal(got, sess.run(var))
    np.testing.assert_allclose(got[2], [-0.1 * (0.9 * 0.5 + 1.0), -0.1 * (0.9 * 0.5 + 2.0)])


@pytest.mark.parametrize("sparse", [False, True])
def test_use_locking_takes_the_variables_lock(monkeypatch, sparse):
    locked = []
    real = training_ops.update_lock

    def spy(op, runtime, var_op):
        locked.append(var_op.name)
        return real(op, runtime, var_op)

    monkeypatch.setattr(training_ops, "update_lock", spy)
    with tf.Graph().as_default():
        w = tf.Variable(np.ones((3, 2)), name="w")
        ids = tf.constant([0, 2])
        loss = tf.reduce_sum(tf.gather(w, ids) if sparse else w)
        train = tf.train.MomentumOptimizer(0.1, 0.9, use_locking=True).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
    assert locked == ["w"]
