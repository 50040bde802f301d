"""TensorFlow loads and runs minitf's frozen tutorial CNNs: the Deep MNIST CNN and a tf.layers CNN.

minitf builds and trains the model, freezes it with
``graph_util.convert_variables_to_constants``; real TensorFlow (``compat.v1``)
imports the GraphDef and computes minitf's outputs.  Marker ``tensorflow``:
skipped where the package is not installed.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest

import minitf

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tutorials"))
import tf1_model_programs as programs  # noqa: E402

pytestmark = pytest.mark.tensorflow


def _run_in_tensorflow(tf, frozen, fetch, feed):
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(frozen.SerializeToString())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=g) as sess:
            return sess.run(fetch, feed)


def test_tensorflow_runs_the_frozen_deep_mnist_cnn(real_tf):
    images, labels, _ = programs.synthetic_mnist(np.random.RandomState(5), 4)
    with minitf.Graph().as_default() as g:
        m = programs.build_deep_mnist()
        feed = {m["x"]: images, m["y_"]: labels, m["keep_prob"]: 1.0}
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            sess.run(m["train_step"], feed)
            want = sess.run(m["y_conv"], feed)
            frozen = minitf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(),
                                                                      [m["y_conv"].op.name])
    assert {n.op for n in frozen.node} >= {"Conv2D", "MaxPool", "MatMul", "Const"}
    assert not any(n.op == "VariableV2" for n in frozen.node)
    got = _run_in_tensorflow(real_tf, frozen, m["y_conv"].name,
                             {m["x"].name: images, m["keep_prob"].name: 1.0})
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_tensorflow_runs_a_frozen_tf_layers_cnn_with_fused_batch_norm(real_tf):
    rng = np.random.RandomState(6)
    x_value = rng.uniform(0, 1, (3, 8, 8, 2)).astype(np.float32)
    tf = minitf
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 8, 8, 2], name="x")
        training = tf.placeholder(tf.bool, name="training")
        h = tf.layers.conv2d(x, 4, 3, padding="same")
        h = tf.layers.batch_normalization(h, training=training)
        h = tf.layers.max_pooling2d(tf.nn.relu(h), 2, 2)
        logits = tf.layers.dense(tf.layers.flatten(h), 3, name="logits")
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(logits)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {x: x_value, training: True})
            want = [sess.run(logits, {x: x_value, training: flag}) for flag in (True, False)]
            frozen = tf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["logits/BiasAdd"])
    # tf.cond on the `training` placeholder (TF's smart_cond): one If op, whose two branches, functions
    # of the GraphDef's library, hold the training and the inference FusedBatchNormV3.
    (cond,) = [n for n in frozen.node if n.name == "batch_normalization/cond"]
    assert cond.op == "StatelessIf"
    functions = {f.signature.name: f for f in frozen.library.function}
    for branch in ("then_branch", "else_branch"):
        branch_ops = [n.op for n in functions[cond.attr[branch].func.name].node_def]
        assert branch_ops.count("FusedBatchNormV3") == 1
    assert not any(n.op == "FusedBatchNormV3" for n in frozen.node)
    for flag, expected in zip((True, False), want):
        got = _run_in_tensorflow(real_tf, frozen, "logits/BiasAdd:0", {"x:0": x_value, "training:0": flag})
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
