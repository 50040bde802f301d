"""``tf.train.ExponentialMovingAverage``: shadow variables, TF's names, decay and num_updates.

Expected numbers of the control-dependency program were recorded with TensorFlow 2.21's
``tensorflow.compat.v1`` (``disable_v2_behavior()``); they also follow from the formula.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_shadow_variables_names_and_collections():
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(3.0, name="b")
    ema = tf.train.ExponentialMovingAverage(0.9)
    assert ema.name == "ExponentialMovingAverage"
    assert ema.average_name(w) == "w/ExponentialMovingAverage"       # known before apply
    assert ema.average(w) is None
    op = ema.apply([w, b])
    assert op.name == "ExponentialMovingAverage" and op.type == "NoOp"
    assert ema.average(w).name == "w/ExponentialMovingAverage:0"
    assert ema.average(w) not in tf.trainable_variables() and ema.average(w) in tf.global_variables()
    assert tf.moving_average_variables() == [w, b]
    assert tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES) == [w, b]
    names = {o.name for o in tf.get_default_graph().get_operations()}
    assert {"ExponentialMovingAverage/decay", "ExponentialMovingAverage/AssignMovingAvg",
            "ExponentialMovingAverage/AssignMovingAvg_1"} <= names


def test_update_formula_over_several_steps():
    w = tf.Variable([1.0, -2.0])
    ema = tf.train.ExponentialMovingAverage(0.8)
    apply = ema.apply([w])
    shift = w.assign_add([1.0, 1.0])
    shadow, value = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(ema.average(w)), value)   # starts at the initial value
        for _ in range(4):
            sess.run(shift)
            value = value + 1
            sess.run(apply)
            shadow = shadow - (shadow - value) * (1 - 0.8)
            np.testing.assert_allclose(sess.run(ema.average(w)), shadow, rtol=1e-6)


def test_num_updates_and_control_dependencies_match_tf():
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.Variable(0, name="step", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
    inc = tf.assign_add(w, [1.0, -1.0])
    with tf.control_dependencies([inc]):
        op = ema.apply([w])          # the documented pattern: average after the training step
    got = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(op)
            sess.run(tf.assign_add(step, 1))
            got.append(sess.run(ema.average(w)))
    # decay = min(0.9, (1 + n) / (10 + n)): 0.1, 2/11, 3/12.  Recorded from TF 1.x semantics.
    np.testing.assert_allclose(got, [[1.9, 1.1], [2.8, 0.2], [3.7, -0.7]], rtol=1e-5)


def test_averaging_a_tensor_starts_from_zero():
    x = tf.placeholder(tf.float32, [2])
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([x])
    assert ema.average(x).name == "Placeholder/ExponentialMovingAverage:0"
    assert tf.moving_average_variables() == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op, {x: [2.0, 4.0]})
        np.testing.assert_allclose(sess.run(ema.average(x)), [1.0, 2.0])


def test_variables_to_restore_maps_shadows_onto_variables():
    w = tf.Variable(1.0, name="w")
    counter = tf.Variable(0, name="counter", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.99)
    ema.apply([w])
    mapping = ema.variables_to_restore()
    assert mapping == {"w/ExponentialMovingAverage": w, "counter": counter}


def test_checkpointed_averages_restore_into_the_model(tmp_path):
    w = tf.Variable(0.0, name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    with tf.control_dependencies([w.assign(4.0)]):
        apply = ema.apply([w])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(apply)                                   # shadow: 0 - (0 - 4) * 0.5 = 2
        path = saver.save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        w2 = tf.Variable(0.0, name="w")
        restore = tf.train.Saver(tf.train.ExponentialMovingAverage(0.5).variables_to_restore())
        with tf.Session() as sess:
            restore.restore(sess, path)
            assert sess.run(w2) == pytest.approx(2.0)


def test_non_float_variables_are_rejected():
    v = tf.Variable(1, name="i")
    with pytest.raises(TypeError, match="The variables must be half, float, or double: i:0"):
        tf.train.ExponentialMovingAverage(0.9).apply([v])


def test_zero_debias_for_tensors_and_assign_moving_average_match_tf():
    """Expected values recorded from TensorFlow 2.21 compat.v1 running the same program."""
    from minitf.train import moving_averages
    x = tf.placeholder(tf.float32, [2], name="x")
    ema = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
    op = ema.apply([x])
    avg = tf.Variable([0.0, 0.0], name="avg", trainable=False)
    update = moving_averages.assign_moving_average(avg, x, 0.5)          # zero_debias=True by default
    plain = moving_averages.assign_moving_average(avg, x, 0.5, zero_debias=False)
    assert sorted(v.name for v in tf.global_variables()) == [
        "avg/biased:0", "avg/local_step:0", "avg:0", "x/ExponentialMovingAverage/biased:0",
        "x/ExponentialMovingAverage/local_step:0", "x/ExponentialMovingAverage:0"]
    assert (update.name, plain.name) == ("AssignMovingAvg:0", "AssignMovingAvg_1:0")
    got = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for feed in ([1.0, 2.0], [3.0, 0.0], [2.0, 2.0]):
            sess.run([op, update], {x: feed})
            got.append(sess.run([ema.average(x), avg]))
    want = [[[1.0, 2.0], [1.0, 2.0]],
            [[2.1111112, 0.88888896], [2.3333333, 0.6666667]],
            [[2.0655737, 1.3442624], [2.142857, 1.4285715]]]
    np.testing.assert_allclose(np.array(got), want, rtol=1e-6)


def test_shadow_variables_are_created_outside_control_dependencies():
    """Initializing the shadows must not run the training step the caller depends on."""
    w = tf.Variable(1.0)
    step = w.assign_add(1.0)
    with tf.control_dependencies([step]):
        ema = tf.train.ExponentialMovingAverage(0.5, zero_debias=True)
        ema.apply([w, tf.identity(w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(w) == 1.0
