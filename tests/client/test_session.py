"""Session.run: fetch structures, feeds, pruning, plan caching, lifetime and errors."""

import collections

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_fetch_structures():
    a, b = tf.constant(1.0, name="a"), tf.constant(2.0, name="b")
    c = a + b
    Pair = collections.namedtuple("Pair", "x y")
    with tf.Session() as sess:
        assert sess.run(c) == 3.0
        assert sess.run([a, (b, c)]) == [1.0, (2.0, 3.0)]
        assert sess.run({"a": a, "c": [c]}) == {"a": 1.0, "c": [3.0]}
        assert sess.run(Pair(a, c)) == Pair(1.0, 3.0)
        assert sess.run("add:0") == 3.0
        assert sess.run(c.op) is None
        assert sess.run("add") is None


def test_feed_by_tensor_and_name_with_dtype_conversion():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = x * 2
    with tf.Session() as sess:
        out = sess.run(y, feed_dict={x: [[1, 2]]})
        assert out.dtype == np.float32 and out.tolist() == [[2.0, 4.0]]
        assert sess.run(y, feed_dict={"x:0": np.ones((3, 2))}).shape == (3, 2)


def test_wrong_feed_shape_message():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.Session() as sess, pytest.raises(ValueError) as e:
        sess.run(x * 2, feed_dict={x: np.ones((2, 2))})
    assert str(e.value) == "Cannot feed value of shape (2, 2) for Tensor 'x:0', which has shape '(?, 3)'"


def test_missing_feed_message():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(x * 2)
    assert str(e.value).startswith(
        "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,3]")
    assert "[[{{node x}}]]" in str(e.value)
    s = tf.placeholder(tf.int32, name="s")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(s + 1)
    assert str(e.value).startswith("You must feed a value for placeholder tensor 's' with dtype int32\n")


def test_only_needed_subgraph_runs():
    x = tf.placeholder(tf.float32, name="x")
    a = tf.constant(1.0) + 1.0
    unused = x * 3
    with tf.Session() as sess:
        assert sess.run(a) == 2.0          # x is not fed and not needed
        plan_text = sess.explain(a)
        assert "x" not in [line.split()[2] for line in plan_text.splitlines()[1:] if line.strip()[:1].isdigit()]
    del unused


def test_plan_is_cached_per_signature():
    x = tf.placeholder(tf.float32, [None])
    y = x + 1
    with tf.Session() as sess:
        sess.run(y, {x: [1.0]})
        sess.run(y, {x: [2.0]})
        assert len(sess._plans) == 1
        sess.run(y, {x: [1.0, 2.0]})
        assert len(sess._plans) == 2


def test_fetch_none_and_foreign_graph_and_bad_names():
    a = tf.constant(1.0)
    with tf.Graph().as_default():
        other = tf.constant(2.0)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Fetch argument None has invalid type <class 'NoneType'>"):
            sess.run(None)
        with pytest.raises(ValueError) as e:
            sess.run(other)
        assert str(e.value) == (
            "Fetch argument <tf.Tensor 'Const:0' shape=() dtype=float32> cannot be interpreted as a "
            "Tensor. (Tensor Tensor(\"Const:0\", shape=(), dtype=float32) is not an element of this graph.)")
        with pytest.raises(ValueError, match="The operation, 'nope', does not exist in the graph"):
            sess.run("nope:0")
        with pytest.raises(TypeError, match="Fetch argument 3 has invalid type"):
            sess.run(3)
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Tensor "):
            sess.run(a, feed_dict={other: 1.0})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(a, feed_dict={a.op: 1.0})
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object"):
            sess.run(a, feed_dict={a: a})


def test_prevent_feeding(fresh_graph):
    a = tf.constant(1.0)
    fresh_graph.prevent_feeding(a)
    with tf.Session() as sess, pytest.raises(ValueError, match="may not be fed"):
        sess.run(a, feed_dict={a: 2.0})


def test_feeding_an_intermediate_tensor_overrides_it():
    a = tf.constant(1.0)
    b = a * 10
    with tf.Session() as sess:
        assert sess.run(b, feed_dict={a: 3.0}) == 30.0


def test_closed_session_and_empty_graph():
    with tf.Session() as sess:
        with pytest.raises(RuntimeError, match="The Session graph is empty"):
            sess.run([])
    a = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(a)


def test_eval_and_run_use_the_default_session():
    v = tf.Variable(3.0)
    c = v * 2
    with tf.Session() as sess:
        v.initializer.run()
        assert c.eval() == 6.0
    with pytest.raises(ValueError, match="No default session is registered"):
        c.eval()


def test_interactive_session_is_default():
    a = tf.constant(5.0)
    sess = tf.InteractiveSession()
    try:
        assert a.eval() == 5.0
    finally:
        sess.close()


def test_two_sessions_are_independent():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0


def test_fetched_values_do_not_alias_state():
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
        got[0] = 100.0
        assert sess.run(v).tolist() == [1.0, 2.0]
        c = tf.constant([1.0])
        sess.run(c)[0] = 7.0
        assert sess.run(c).tolist() == [1.0]


_NO_GPU = pytest.mark.skipif(tf.test.is_gpu_available(), reason="expects a machine without a GPU")


@_NO_GPU
def test_log_device_placement_prints_tf_format(capsys):
    v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name="v1")
    v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name="v2")
    sum12 = v1 + v2
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        print(sess.run(sum12))
    out = capsys.readouterr().out.splitlines()
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    assert out == ["Device mapping: no known devices.", f"add: (Add): {cpu}", f"v2: (Const): {cpu}",
                   f"v1: (Const): {cpu}", "[2. 4. 6.]"]


@_NO_GPU
def test_unsatisfiable_device_and_soft_placement():
    with tf.device("/GPU:0"):
        c = tf.constant(1.0, name="c") * 2
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Cannot assign a device for operation 'c': Could not satisfy explicit device specification '/device:GPU:0'"):
        sess.run(c)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(c) == 2.0


def test_make_callable():
    x = tf.placeholder(tf.float32, [])
    y = x * x
    with tf.Session() as sess:
        f = sess.make_callable(y, [x])
        assert f(3.0) == 9.0


def test_runtime_kernel_error_names_the_op():
    x = tf.placeholder(tf.float32, [None, None], name="x")
    y = tf.placeholder(tf.float32, [None, None], name="y")
    z = tf.matmul(x, y, name="mm")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match=r"\{\{node mm\}\}"):
        sess.run(z, {x: np.ones((2, 3)), y: np.ones((2, 3))})


def test_training_plan_skips_the_unneeded_forward_loss():
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable([[1.0], [2.0]])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        text = sess.explain(train, {x: np.ones((3, 2))})
        kinds = [line.split()[1] for line in text.splitlines()[1:] if line.strip()[:1].isdigit()]
        # grad_ys is Fill(Shape(loss)); with the shape folded, Mean and Square need not run
        assert "Mean" not in kinds and "Square" not in kinds
        assert kinds.count("ApplyGradientDescent") == 1
        assert sess.run(loss, {x: np.ones((3, 2))}) == pytest.approx(4.0)


def test_plan_is_compiled_to_straight_line_python():
    a = tf.placeholder(tf.float32, [])
    c = a + 1.0
    with tf.Session() as sess:
        sess.run(c, {a: 1.0})
        plan = next(iter(sess._plans.values()))
        assert plan.source.startswith("def run_plan(")
        assert "= k0(" in plan.source
