"""Ops the value table cannot drive: placeholders, NoOp, variables, optimizer updates,
random numbers, checkpoint I/O.  They need feeds, session state or files."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.ops import io_ops


def test_placeholder_must_be_fed():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = x * 2
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(y, {x: np.ones((2, 3))}), np.full((2, 3), 2.0))
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"You must feed a value for placeholder tensor 'x' with dtype "
                                     r"float and shape \[\?,3\]"):
                sess.run(y)


def test_placeholder_with_default_uses_the_default_unless_fed():
    with tf.Graph().as_default():
        x = tf.placeholder_with_default([1.0, 2.0], [None])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(x), [1.0, 2.0])
            np.testing.assert_array_equal(sess.run(x, {x: [5.0]}), [5.0])


def test_group_runs_its_control_inputs():
    with tf.Graph().as_default():
        a = tf.Variable(0, name="a")
        b = tf.Variable(10, name="b")
        step = tf.group(tf.assign_add(a, 1), tf.assign_sub(b, 2))
        assert step.type == "NoOp" and step.outputs == []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(step) is None
            sess.run(step)
            assert sess.run([a, b]) == [2, 6]


def test_variable_assign_ops():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        assert v.op.type == "VariableV2"
        assert v.initializer.type == "Assign"
        inited = tf.is_variable_initialized(v)
        assert inited.op.type == "IsVariableInitialized"
        add = tf.assign_add(v, [10.0, 10.0])
        sub = tf.assign_sub(v, [1.0, 2.0])
        put = tf.assign(v, [7.0, 8.0])
        assert (add.op.type, sub.op.type, put.op.type) == ("AssignAdd", "AssignSub", "Assign")
        with tf.Session() as sess:
            assert not sess.run(inited)
            with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
                sess.run(v)
            sess.run(v.initializer)
            assert sess.run(inited)
            np.testing.assert_array_equal(sess.run(add), [11.0, 12.0])
            np.testing.assert_array_equal(sess.run(sub), [10.0, 10.0])
            np.testing.assert_array_equal(sess.run(put), [7.0, 8.0])
            np.testing.assert_array_equal(sess.run(v), [7.0, 8.0])


def test_report_uninitialized_variables_names_them_as_bytes():
    with tf.Graph().as_default():
        a = tf.Variable(1.0, name="a")
        tf.Variable([2.0], name="b")
        report = tf.report_uninitialized_variables()
        assert report.dtype == tf.string and report.shape.as_list() == [None]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(report), np.array([b"a", b"b"], dtype=object))
            sess.run(a.initializer)
            assert sess.run(report).tolist() == [b"b"]
            sess.run(tf.global_variables_initializer())
            assert sess.run(report).shape == (0,)


def test_variable_indexing_reads_the_current_value():
    with tf.Graph().as_default():
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        first_col = v[:, 0]
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_array_equal(sess.run(first_col), [1.0, 3.0])
            sess.run(tf.assign(v, [[5.0, 6.0], [7.0, 8.0]]))
            np.testing.assert_array_equal(sess.run(first_col), [5.0, 7.0])


# --- optimizers: two steps of each update op against the formula in numpy -------------------------
def _numpy_steps(name, w, target, lr, steps=2):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    accum = np.full_like(w, 0.1) if name == "Adagrad" else np.ones_like(w) if name == "RMSProp" \
        else np.zeros_like(w)
    for t in range(1, steps + 1):
        g = 2 * (w - target)
        if name == "GradientDescent":
            w = w - lr * g
        elif name == "Momentum":
            m = 0.9 * m + g
            w = w - lr * m
        elif name == "Adam":
            lr_t = lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w = w - lr_t * m / (np.sqrt(v) + 1e-8)
        elif name == "Adagrad":
            accum = accum + g * g
            w = w - lr * g / np.sqrt(accum)
        elif name == "RMSProp":
            accum = 0.9 * accum + 0.1 * g * g
            m = 0.5 * m + lr * g / np.sqrt(accum + 1e-10)
            w = w - m
    return w


OPTIMIZERS = {
    "GradientDescent": ("ApplyGradientDescent", lambda lr: tf.train.GradientDescentOptimizer(lr)),
    "Momentum": ("ApplyMomentum", lambda lr: tf.train.MomentumOptimizer(lr, 0.9)),
    "Adam": ("ApplyAdam", lambda lr: tf.train.AdamOptimizer(lr)),
    "Adagrad": ("ApplyAdagrad", lambda lr: tf.train.AdagradOptimizer(lr)),
    "RMSProp": ("ApplyRMSProp", lambda lr: tf.train.RMSPropOptimizer(lr, momentum=0.5)),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_step_matches_numpy(name):
    op_type, make = OPTIMIZERS[name]
    w0, target = np.array([1.0, -2.0, 0.5]), np.array([0.0, 1.0, 3.0])
    with tf.Graph().as_default() as g:
        w = tf.Variable(w0.astype(np.float32), name="w")
        loss = tf.reduce_sum(tf.square(w - target.astype(np.float32)))
        train = make(0.1).minimize(loss)
        assert op_type in {op.type for op in g.get_operations()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            sess.run(train)
            np.testing.assert_allclose(sess.run(w), _numpy_steps(name, w0, target, 0.1), rtol=1e-5)


def test_adam_minimizes_a_float64_variable():
    with tf.Graph().as_default():
        w = tf.Variable(np.array([1.0, 2.0]))
        train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(w)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            assert np.all(np.abs(sess.run(w)) < np.array([1.0, 2.0]))


# --- random ops ---------------------------------------------------------------------------------
def test_random_ops_shapes_dtypes_and_ranges():
    with tf.Graph().as_default() as g:
        ops = {
            "normal": tf.random_normal([200, 50], mean=1.0, stddev=2.0, dtype=tf.float64),
            "uniform": tf.random_uniform([200, 50], minval=-1.0, maxval=3.0),
            "truncated": tf.truncated_normal([200, 50], stddev=0.5),
            "ints": tf.random_uniform([200, 50], minval=2, maxval=7, dtype=tf.int32),
        }
        types = {op.type for op in g.get_operations()}
        assert {"RandomStandardNormal", "RandomUniform", "TruncatedNormal", "RandomUniformInt"} <= types
        with tf.Session() as sess:
            values = sess.run(ops)
    assert {k: (v.shape, v.dtype) for k, v in values.items()} == {
        "normal": ((200, 50), np.float64), "uniform": ((200, 50), np.float32),
        "truncated": ((200, 50), np.float32), "ints": ((200, 50), np.int32)}
    assert abs(values["normal"].mean() - 1.0) < 0.1 and abs(values["normal"].std() - 2.0) < 0.1
    assert values["uniform"].min() >= -1.0 and values["uniform"].max() < 3.0
    assert abs(values["uniform"].mean() - 1.0) < 0.1
    assert np.abs(values["truncated"]).max() <= 1.0       # within two standard deviations
    assert set(np.unique(values["ints"])) == {2, 3, 4, 5, 6}


def test_random_ops_with_a_seed_repeat_in_a_new_session_and_change_between_runs():
    with tf.Graph().as_default():
        r = tf.random_uniform([4], seed=7)
        with tf.Session() as sess:
            first, second = sess.run(r), sess.run(r)
        with tf.Session() as sess:
            again = sess.run(r)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_graph_seed_makes_unseeded_ops_repeatable():
    def draw():
        with tf.Graph().as_default():
            tf.set_random_seed(1234)
            a, b = tf.random_normal([3]), tf.random_normal([3])
            with tf.Session() as sess:
                return sess.run([a, b])
    a1, b1 = draw()
    a2, b2 = draw()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, b1)


def test_random_op_without_seeds_differs_between_sessions():
    with tf.Graph().as_default():
        r = tf.random_normal([8])
        with tf.Session() as s1, tf.Session() as s2:
            assert not np.array_equal(s1.run(r), s2.run(r))


def test_dropout_scales_kept_values_and_is_seeded():
    with tf.Graph().as_default():
        x = tf.ones([1000])
        y = tf.nn.dropout(x, keep_prob=0.25, seed=3)
        with tf.Session() as sess:
            a, b = sess.run(y), sess.run(y)
        with tf.Session() as sess:
            again = sess.run(y)
    assert set(np.unique(a)) == {0.0, 4.0}
    assert 0.18 < (a > 0).mean() < 0.32
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, again)


def test_dropout_with_keep_prob_one_is_the_identity():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        assert tf.nn.dropout(x, keep_prob=1.0) is x
        keep = tf.placeholder(tf.float32, [])
        y = tf.nn.dropout(x, keep)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(y, {keep: 1.0}), [1.0, 2.0])


# --- checkpoint I/O ops ---------------------------------------------------------------------------
def test_save_and_restore_ops_round_trip(tmp_path):
    prefix = str(tmp_path / "ckpt")
    values = {"w": np.arange(6.0).reshape(2, 3), "step": np.array(7, np.int64)}
    with tf.Graph().as_default():
        names = tf.constant(list(values), dtype=tf.string)
        slices = tf.constant(["", ""], dtype=tf.string)
        save = io_ops.save_v2(tf.constant(prefix), names, slices,
                              [tf.constant(v) for v in values.values()])
        assert save.type == "SaveV2"
        restored = io_ops.restore_v2(tf.constant(prefix), names, slices, [tf.float64, tf.int64])
        assert restored[0].op.type == "RestoreV2"
        with tf.Session() as sess:
            sess.run(save)
            got = sess.run(restored)
    np.testing.assert_array_equal(got[0], values["w"])
    assert got[1] == 7 and got[1].dtype == np.int64
