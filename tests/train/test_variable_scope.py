"""``tf.get_variable`` and ``tf.variable_scope``: sharing, reuse modes, names and TF's errors.

The expected names were recorded by running the same code under TensorFlow 2.21's
``tensorflow.compat.v1`` with ``disable_v2_behavior()`` (/tmp/tfvenv).
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_reuse_true_returns_the_same_variable_and_reopened_scope_gets_a_new_name_scope():
    with tf.variable_scope("foo"):
        w = tf.get_variable("w", [3, 2])
        x = tf.add(w, 1.0)
    with tf.variable_scope("foo", reuse=True) as scope:
        w2 = tf.get_variable("w", [3, 2])
        y = tf.add(w2, 1.0)
    assert w2 is w
    assert (w.name, x.name, y.name) == ("foo/w:0", "foo/Add:0", "foo_1/Add:0")
    assert scope.name == "foo" and scope.original_name_scope == "foo_1/"
    assert tf.global_variables() == [w] and tf.trainable_variables() == [w]


def test_variable_names_ignore_name_scopes_and_initializer_ops_live_under_the_variable():
    with tf.name_scope("outer_ns"):
        with tf.variable_scope("vs"):
            v = tf.get_variable("v", [2])
            op = tf.identity(v, name="out")
    assert v.name == "vs/v:0" and op.name == "outer_ns/vs/out:0"
    names = [o.name for o in tf.get_default_graph().get_operations()]
    # TF 1.x builds get_variable's default (Glorot uniform) initializer exactly like this.
    assert names[:10] == [
        "vs/v/Initializer/random_uniform/shape", "vs/v/Initializer/random_uniform/min",
        "vs/v/Initializer/random_uniform/max", "vs/v/Initializer/random_uniform/RandomUniform",
        "vs/v/Initializer/random_uniform/sub", "vs/v/Initializer/random_uniform/mul",
        "vs/v/Initializer/random_uniform", "vs/v", "vs/v/Assign", "vs/v/read"]


def test_creating_twice_without_reuse_is_tfs_value_error():
    with tf.variable_scope("foo"):
        tf.get_variable("w", [2])
    with pytest.raises(ValueError) as err, tf.variable_scope("foo"):
        tf.get_variable("w", [2])
    assert str(err.value) == ("Variable foo/w already exists, disallowed. Did you mean to set reuse=True "
                              "or reuse=tf.AUTO_REUSE in VarScope?")


def test_reusing_a_missing_variable_is_tfs_value_error():
    with pytest.raises(ValueError) as err, tf.variable_scope("foo", reuse=True):
        tf.get_variable("w", [2])
    assert str(err.value) == ("Variable foo/w does not exist, or was not created with tf.get_variable(). "
                              "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")


def test_a_tf_variable_of_the_same_name_is_not_found_by_get_variable():
    tf.Variable(1.0, name="x")
    with pytest.raises(ValueError, match="Variable x does not exist"), tf.variable_scope("", reuse=True):
        tf.get_variable("x", [])


def test_shape_and_dtype_mismatch_on_reuse():
    with tf.variable_scope("foo"):
        tf.get_variable("w", [2])
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError) as err:
            tf.get_variable("w", [3])
        assert str(err.value) == ("Trying to share variable foo/w, but specified shape (3,) and found "
                                  "shape (2,).")
        with pytest.raises(ValueError, match="specified dtype float64 and found dtype float32"):
            tf.get_variable("w", [2], dtype=tf.float64)
        assert tf.get_variable("w").name == "foo/w:0"          # shape may be left out when reusing


def test_auto_reuse_creates_then_shares():
    def tower():
        with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
            return tf.get_variable("w", [4])
    assert tower() is tower()
    assert len(tf.global_variables()) == 1


def test_reuse_variables_on_the_current_scope_and_reuse_is_inherited_by_subscopes():
    with tf.variable_scope("model") as scope:
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [2])
        scope.reuse_variables()
        assert tf.get_variable_scope().reuse is True
        with tf.variable_scope("layer") as inner:
            assert inner.reuse is True
            assert tf.get_variable("w", [2]) is w
    with tf.variable_scope("model"):
        assert tf.get_variable_scope().reuse is False


def test_reuse_false_means_inherit_and_other_values_are_rejected():
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b", reuse=False) as b:
            assert b.reuse is True
    with pytest.raises(ValueError, match="The reuse parameter must be True or False or None."):
        with tf.variable_scope("c", reuse="yes"):
            pass
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        with tf.variable_scope(None):
            pass


def test_reentering_a_captured_scope_object():
    with tf.variable_scope("foo") as foo:
        w = tf.get_variable("w", [1])
    with tf.variable_scope("outer"):
        with tf.variable_scope(foo, reuse=True) as again:
            assert again.name == "foo" and again.original_name_scope == "foo/"
            assert tf.get_variable("w", [1]) is w
            assert tf.add(1.0, 2.0).name == "outer/foo/Add:0"   # TF: the name scope is nested
        with tf.variable_scope(foo):
            q = tf.get_variable("q", [1])
    assert q.name == "foo/q:0"
    with tf.variable_scope(foo):
        assert tf.identity(w, name="z").name == "foo_1/z:0"


def test_default_names_are_made_unique():
    names = []
    for _ in range(2):
        with tf.variable_scope(None, default_name="dense"):
            v = tf.get_variable("kernel", [1])
            names.append((v.name, tf.add(v, 1.0).name))
    assert names == [("dense/kernel:0", "dense/Add:0"), ("dense_1/kernel:0", "dense_1/Add:0")]
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="x", reuse=True):
            pass


def test_scope_initializer_is_inherited_and_overridden():
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        a = tf.get_variable("a", [2])
        with tf.variable_scope("inner"):
            b = tf.get_variable("b", [2])
            c = tf.get_variable("c", [2], initializer=tf.ones_initializer())
        with tf.variable_scope("other", initializer=tf.zeros_initializer()):
            d = tf.get_variable("d", [2])
    i = tf.get_variable("i", [2], dtype=tf.int32)          # integers default to zeros
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([a, b, c, d, i])
    np.testing.assert_array_equal(got[0], [0.5, 0.5])
    np.testing.assert_array_equal(got[1], [0.5, 0.5])
    np.testing.assert_array_equal(got[2], [1, 1])
    np.testing.assert_array_equal(got[3], [0, 0])
    assert got[4].dtype == np.int32 and not got[4].any()


def test_initializer_given_as_a_value_or_tensor():
    v = tf.get_variable("v", initializer=[1.0, 2.0])
    t = tf.get_variable("t", initializer=tf.constant([[3, 4]]))
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("bad", [2], initializer=np.zeros(2))
    with pytest.raises(ValueError, match=r"Shape of a new variable \(s\) must be fully defined"):
        tf.get_variable("s")
    assert v.shape.as_list() == [2] and t.dtype.base_dtype == tf.int32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(v), [1, 2])
        np.testing.assert_array_equal(sess.run(t), [[3, 4]])


def test_trainable_and_collections():
    a = tf.get_variable("a", [1], trainable=False)
    b = tf.get_variable("b", [1], collections=[tf.GraphKeys.LOCAL_VARIABLES])
    assert a in tf.global_variables() and a not in tf.trainable_variables()
    assert b in tf.local_variables() and b not in tf.global_variables()


def test_scope_regularizer_collects_losses_with_tfs_names():
    with tf.variable_scope("layer", regularizer=tf.contrib.layers.l2_regularizer(0.1)):
        w = tf.get_variable("w", [2, 3], initializer=tf.constant_initializer(2.0))
        b = tf.get_variable("b", [3], regularizer=tf.no_regularizer)
    v = tf.get_variable("v", [2], initializer=tf.constant_initializer(-3.0),
                        regularizer=tf.contrib.layers.l1_regularizer(0.5))
    losses = tf.losses.get_regularization_losses()
    assert [t.name for t in losses] == ["layer/w/Regularizer/l2_regularizer:0",
                                        "v/Regularizer/l1_regularizer:0"]
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == losses
    assert tf.losses.get_regularization_losses(scope="layer") == losses[:1]
    total = tf.losses.get_regularization_loss()
    assert total.name == "total_regularization_loss:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        l2, l1, tot = sess.run([losses[0], losses[1], total])
    assert l2 == pytest.approx(0.1 * 6 * 4.0 / 2)
    assert l1 == pytest.approx(0.5 * 2 * 3.0)
    assert tot == pytest.approx(l2 + l1)
    assert b.name == "layer/b:0"


def test_regularizer_scale_checks_and_zero_scale_disables():
    with pytest.raises(ValueError, match="scale cannot be an integer: 1"):
        tf.contrib.layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="Setting a scale less than 0 on a regularizer: -0.1."):
        tf.contrib.layers.l1_regularizer(-0.1)
    tf.get_variable("w", [2], regularizer=tf.contrib.layers.l2_regularizer(0.0))
    assert tf.losses.get_regularization_losses() == []
    with tf.Session() as sess:
        assert sess.run(tf.losses.get_regularization_loss()) == 0.0


def test_custom_getter_wraps_creation():
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name, *args, **kwargs)
    with tf.variable_scope("g", custom_getter=getter):
        v = tf.get_variable("v", [1])
    assert seen == ["g/v"] and v.name == "g/v:0"


def test_stores_are_per_graph():
    tf.get_variable("w", [1])
    with tf.Graph().as_default():
        assert tf.get_variable("w", [1]).name == "w:0"      # no "already exists" across graphs
        assert tf.get_variable_scope().name == ""


def test_gradients_flow_to_a_variable_used_through_two_scopes():
    with tf.variable_scope("net", initializer=tf.constant_initializer(2.0)):
        w = tf.get_variable("w", [])
    with tf.variable_scope("net", reuse=True):
        y = tf.get_variable("w", []) * 3.0
    grad, = tf.gradients(w * w + y, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(grad) == pytest.approx(2 * 2.0 + 3.0)


def test_get_variable_initializer_ignores_surrounding_control_dependencies():
    counter = tf.Variable(0.0)
    bump = counter.assign_add(1.0)
    with tf.control_dependencies([bump]):
        v = tf.get_variable("v", [2], regularizer=tf.contrib.layers.l2_regularizer(0.5))
    assert v.initializer.control_inputs == [] and v.initial_value.op.control_inputs == []
    loss, = tf.losses.get_regularization_losses()
    assert loss.op.control_inputs == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(counter) == 0.0


def test_scope_dtype_and_local_variables():
    with tf.variable_scope("d", dtype=tf.float64):
        x = tf.get_variable("x", [1])
        with tf.variable_scope("inner"):
            y = tf.get_variable("y", [1])
    assert x.dtype.base_dtype == tf.float64 and y.dtype.base_dtype == tf.float64
    count = tf.get_local_variable("count", [], dtype=tf.int32)
    assert count in tf.local_variables() and count not in tf.global_variables()
    assert count not in tf.trainable_variables()


def test_auxiliary_name_scope_false_keeps_the_current_name_scope():
    with tf.name_scope("ns"):
        with tf.variable_scope("vs", auxiliary_name_scope=False) as scope:
            v = tf.get_variable("v", [1])
            op = tf.identity(v, name="here")
    assert v.name == "vs/v:0" and op.name == "ns/here:0" and scope.original_name_scope == "ns/"


def test_l1_l2_and_sum_regularizers():
    reg = tf.contrib.layers.l1_l2_regularizer(0.5, 0.25)
    w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, -2.0]), regularizer=reg)
    loss, = tf.losses.get_regularization_losses()
    assert loss.name == "w/Regularizer/l1_l2_regularizer:0"
    assert tf.contrib.layers.sum_regularizer([]) is None
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(loss) == pytest.approx(0.5 * 3.0 + 0.25 * 5.0 / 2)
