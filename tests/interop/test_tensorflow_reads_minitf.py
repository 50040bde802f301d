"""The other direction: TensorFlow opens the files minitf writes and computes the same values.

Runs only where the real ``tensorflow`` package is importable (marker ``tensorflow``);
CI does not need it.  TF is used in TF1 mode (``tf.compat.v1``), as the lecture does.
"""

import os

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow


def _linear_model(g):
    with g.as_default():
        data = minitf.placeholder(minitf.float32, [None, 4], name="data")
        label = minitf.placeholder(minitf.float32, [None, 1], name="label")
        weight = minitf.Variable(minitf.random_normal([4, 1], seed=1), name="weight")
        bias = minitf.Variable(minitf.ones([1]), name="bias")
        y = minitf.add(minitf.matmul(data, weight), bias, name="y_label")
        probs = minitf.nn.softmax(minitf.concat([y, -y], axis=1), name="probs")
        loss = minitf.reduce_mean(minitf.square(label - y), name="loss")
        step = minitf.train.get_or_create_global_step()
        train = minitf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return data, label, y, probs, train


def test_tensorflow_loads_a_frozen_minitf_graph(real_tf, tmp_path):
    rng = np.random.RandomState(0)
    X = rng.randn(6, 4).astype(np.float32)
    g = minitf.Graph()
    data, label, y, probs, train = _linear_model(g)
    with minitf.Session(graph=g) as sess:
        sess.run(minitf.global_variables_initializer())
        sess.run(train, {data: X, label: X[:, :1]})
        want_y, want_p = sess.run([y, probs], {data: X})
        frozen = minitf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(),
                                                                  ["y_label", "probs"])
    path = tmp_path / "model.pb"
    path.write_bytes(frozen.SerializeToString())
    graph_def = real_tf.GraphDef()
    graph_def.ParseFromString(path.read_bytes())
    with real_tf.Graph().as_default() as tg:
        real_tf.import_graph_def(graph_def, name="")
        with real_tf.Session(graph=tg) as tsess:
            got_y, got_p = tsess.run(["y_label:0", "probs:0"], {"data:0": X})
    np.testing.assert_allclose(got_y, want_y, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_p, want_p, rtol=1e-5, atol=1e-6)


def test_tensorflow_restores_a_minitf_checkpoint(real_tf, tmp_path):
    rng = np.random.RandomState(1)
    X = rng.randn(5, 4).astype(np.float32)
    g = minitf.Graph()
    data, label, y, probs, train = _linear_model(g)
    with g.as_default():
        saver = minitf.train.Saver(max_to_keep=2)
    with minitf.Session(graph=g) as sess:
        sess.run(minitf.global_variables_initializer())
        for step in range(3):
            sess.run(train, {data: X, label: X[:, 1:2]})
            prefix = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step + 1)
        want = sess.run(y, {data: X})
        want_vars = {v.op.name: sess.run(v) for v in minitf.global_variables() if v.graph is g}
    assert real_tf.train.latest_checkpoint(str(tmp_path)) == prefix
    reader = real_tf.train.NewCheckpointReader(prefix)
    for name, value in want_vars.items():
        np.testing.assert_array_equal(reader.get_tensor(name), value)
    with real_tf.Graph().as_default() as tg:
        tf_saver = real_tf.train.import_meta_graph(prefix + ".meta")
        with real_tf.Session(graph=tg) as tsess:
            tf_saver.restore(tsess, prefix)
            got = tsess.run("y_label:0", {"data:0": X})
            tsess.run("GradientDescent", {"data:0": X, "label:0": X[:, 1:2]})   # the train op runs too
            assert tsess.run("global_step:0") == 4
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert sorted(os.listdir(tmp_path))[:1] == ["checkpoint"]
