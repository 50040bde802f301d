"""Variables: initialization, assign ops, the uninitialized-value error, random seeds."""

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_uninitialized_variable_error():
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError) as e:
        sess.run(v)
    assert str(e.value).startswith("Attempting to use uninitialized value v")


def test_initializers_global_and_partial():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a]))
        assert sess.run(a) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(b)
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"b"]
        sess.run(tf.global_variables_initializer())
        assert sess.run(b) == 2.0
        assert sess.run(tf.report_uninitialized_variables()).tolist() == []
        sess.run(tf.initialize_all_variables())


def test_assign_ops():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v.assign([5.0, 6.0])).tolist() == [5.0, 6.0]
        assert sess.run(v.assign_add([1.0, 1.0])).tolist() == [6.0, 7.0]
        assert sess.run(tf.assign_sub(v, [6.0, 7.0])).tolist() == [0.0, 0.0]
        assert sess.run(v.read_value()).tolist() == [0.0, 0.0]
        v.load([9.0, 9.0], sess)
        assert sess.run(v).tolist() == [9.0, 9.0]


def test_assign_shape_mismatch():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError):
        v.assign([1.0, 2.0, 3.0])
    x = tf.placeholder(tf.float32)
    op = v.assign(x)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Assign"):
        sess.run(op, {x: [1.0, 2.0, 3.0]})


def test_variable_from_numpy_and_dtypes():
    w = tf.Variable(initial_value=np.random.randint(10, size=(2, 1)), name="col_vector", trainable=True)
    assert w.dtype == tf.int64._as_ref and w.shape.as_list() == [2, 1]
    f = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
    assert f.dtype.base_dtype == tf.float32


def test_initialized_value_chains():
    a = tf.Variable(2.0)
    b = tf.Variable(a.initialized_value() * 3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(b) == 6.0


def test_initialized_value_is_a_cond_on_is_variable_initialized():
    """As TF 1.x: the variable's value once initialized (whatever was assigned), else its initial value."""
    a = tf.Variable(2.0, name="a")
    value = a.initialized_value()
    assert value.op.type == "If" and value.op.name == "cond"
    assert value.op.inputs[0].op.type == "IsVariableInitialized"
    with tf.Session() as sess:
        assert sess.run(value) == 2.0                 # not initialized: the initial value
        sess.run(a.initializer)
        sess.run(a.assign(5.0))
        assert sess.run(value) == 5.0                 # initialized: the variable's value

def test_random_ops_draw_anew_each_run():
    r = tf.random_normal([1], name="random")
    with tf.Session() as sess:
        values = [sess.run(r)[0] for _ in range(5)]
    assert len(set(values)) == 5


def test_seeded_graph_repeats_in_new_session():
    tf.set_random_seed(1234)
    r = tf.random_uniform([3])
    s = tf.random_normal([2], seed=7)
    with tf.Session() as s1:
        first = [s1.run(r), s1.run(r), s1.run(s)]
    with tf.Session() as s2:
        second = [s2.run(r), s2.run(r), s2.run(s)]
    for x, y in zip(first, second):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(first[0], first[1])


def test_op_seed_attrs_follow_tf_rules():
    r = tf.random_uniform([1], seed=5)
    assert (r.op.inputs[0].op.type, ) and True
    rnd = [op for op in tf.get_default_graph().get_operations() if op.type == "RandomUniform"][0]
    assert (rnd.get_attr("seed"), rnd.get_attr("seed2")) == (87654321, 5)
    unseeded = tf.random_normal([1])
    rnd2 = unseeded.op.inputs[0].op.inputs[0].op
    assert (rnd2.get_attr("seed"), rnd2.get_attr("seed2")) == (0, 0)


def test_truncated_normal_within_two_stddev():
    t = tf.truncated_normal([1000], stddev=2.0, seed=1)
    with tf.Session() as sess:
        v = sess.run(t)
    assert np.all(np.abs(v) <= 4.0) and v.std() > 1.0
