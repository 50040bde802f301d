"""TensorFlow imports and runs minitf's control flow: frozen models and training graphs.

minitf writes ``tf.cond`` / ``tf.while_loop`` / ``tf.map_fn`` as functional ``If`` /
``While`` ops with their bodies in the GraphDef's function library.  Real TensorFlow
(compat.v1 graph mode) loads (1) a frozen model (``convert_variables_to_constants``)
and computes minitf's outputs for both branches, and (2) a training graph whose
gradients flow through the loop, trains it, and reaches minitf's numbers.
Marker ``tensorflow``: skipped where the real package is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow

X = np.random.RandomState(1).randn(4, 3).astype(np.float32)


def build_model():
    """A small model: a dense layer, a cond on a bool placeholder, a loop and a map_fn."""
    tf = minitf
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    training = tf.placeholder_with_default(False, [], name="training")
    w = tf.get_variable("w", initializer=np.linspace(-1, 1, 6).reshape(3, 2).astype(np.float32))
    h = tf.matmul(x, w)
    h = tf.cond(training, lambda: h * 0.5, lambda: tf.tanh(h), name="branch")
    _, h = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * 0.9 + tf.reduce_mean(w)), [0, h],
                         name="refine")
    row_norms = tf.map_fn(lambda r: tf.sqrt(tf.reduce_sum(r * r)), h)
    y = tf.identity(h, name="y")
    norms = tf.identity(row_norms, name="norms")
    loss = tf.reduce_mean(tf.square(h - 1.0), name="loss")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, name="train")
    return y, norms, loss, train


def test_frozen_control_flow_model_runs_in_tensorflow(real_tf):
    g = minitf.Graph()
    with g.as_default():
        y, norms, _, train = build_model()
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            sess.run(train, {"x:0": X, "training:0": True})
            want = [sess.run([y, norms], {"x:0": X, "training:0": t}) for t in (True, False)]
            frozen = minitf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["y", "norms"])
    kinds = {f.signature.name.rsplit("_", 1)[0] for f in frozen.library.function}
    assert kinds >= {"cond_true", "cond_false", "while_cond", "while_body"}
    tf = real_tf
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(frozen.SerializeToString())
    with tf.Graph().as_default() as tg:
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=tg) as sess:
            got = [sess.run(["y:0", "norms:0"], {"x:0": X, "training:0": t}) for t in (True, False)]
    for g_pair, w_pair in zip(got, want):
        for a, b in zip(g_pair, w_pair):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_tensorflow_trains_through_the_loop_to_minitfs_numbers(real_tf):
    g = minitf.Graph()
    with g.as_default():
        _, _, loss, train = build_model()
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            for t in (True, False, True):
                sess.run(train, {"x:0": X, "training:0": t})
            want = sess.run([loss, "w:0"], {"x:0": X})
        serialized = g.as_graph_def().SerializeToString()
    tf = real_tf
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(serialized)
    with tf.Graph().as_default() as tg:
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=tg) as sess:
            sess.run("w/Assign")
            for t in (True, False, True):
                sess.run("train", {"x:0": X, "training:0": t})
            got = sess.run(["loss:0", "w:0"], {"x:0": X})
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_tensorflow_runs_initialized_value_as_a_cond(real_tf):
    """``w.initialized_value()`` is an If whose read branch names ``w``: TF shares the variable by name."""
    g = minitf.Graph()
    with g.as_default():
        a = minitf.Variable(2.0, name="a")
        minitf.Variable(a.initialized_value() * 3, name="b")
        init = minitf.global_variables_initializer()
    tf = real_tf
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(g.as_graph_def().SerializeToString())
    with tf.Graph().as_default() as tg:
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=tg) as sess:
            sess.run(init.name)
            assert sess.run(["a:0", "b:0"]) == [2.0, 6.0]
            sess.run(tf.assign(tg.get_tensor_by_name("a:0"), 5.0))
            sess.run("b/Assign")                       # a is initialized now: its value, 5
            assert sess.run("b:0") == 15.0
