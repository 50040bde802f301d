"""Files written by real TensorFlow (2.21, TF1 mode) load in minitf and compute the same values."""

import json
import os
import shutil

import numpy as np
import pytest

import minitf as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf")
FROZEN = ["seed_add", "linreg_frozen", "mlp_frozen", "elementwise_frozen"]


def _case(name):
    folder = os.path.join(FIXTURES, name)
    with open(os.path.join(folder, "case.json")) as f:
        case = json.load(f)
    inputs = dict(np.load(os.path.join(folder, "inputs.npz")))
    expected = dict(np.load(os.path.join(folder, "expected.npz")))
    return folder, case, inputs, expected


@pytest.mark.parametrize("name", FROZEN)
def test_frozen_graph_reproduces_tensorflow(name):
    folder, case, inputs, expected = _case(name)
    with tf.Graph().as_default() as g:
        graph_def = tf.GraphDef()
        with tf.gfile.GFile(os.path.join(folder, case["artifact"]), "rb") as f:
            graph_def.ParseFromString(f.read())
        tf.import_graph_def(graph_def, name="")
        feeds = {g.get_tensor_by_name(t): inputs[k] for t, k in case["feeds"].items()}
        fetch_names = list(case["fetches"])
        with tf.Session() as sess:
            got = sess.run(fetch_names, feed_dict=feeds)
    for t, value in zip(fetch_names, got):
        want = expected[case["fetches"][t]]
        assert value.shape == want.shape and value.dtype == want.dtype, t
        np.testing.assert_allclose(value, want, rtol=2e-5, atol=1e-6, err_msg=t)


@pytest.mark.parametrize("name", FROZEN)
def test_text_and_binary_graphs_agree(name):
    from google.protobuf import text_format
    folder, case, _, _ = _case(name)
    binary, text = tf.GraphDef(), tf.GraphDef()
    with open(os.path.join(folder, "model.pb"), "rb") as f:
        binary.ParseFromString(f.read())
    with open(os.path.join(folder, "model.pbtxt")) as f:
        text_format.Merge(f.read(), text)
    assert binary == text


def test_checkpoint_and_meta_graph_from_tensorflow(tmp_path):
    folder, case, inputs, expected = _case("linreg_ckpt")
    ckpt_dir = tmp_path / "ckpt"
    shutil.copytree(folder, ckpt_dir)
    assert tf.train.latest_checkpoint(str(ckpt_dir)).endswith("model.ckpt-300")
    names = dict(tf.train.list_variables(str(ckpt_dir)))
    assert set(names) == set(case["variables"])
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(str(ckpt_dir / case["meta_graph"]))
        assert saver is not None
        assert {v.op.name for v in tf.global_variables()} >= {"weight", "bias"}
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(str(ckpt_dir)))
            for var_name, key in case["variables"].items():
                value = sess.run(var_name + ":0")
                np.testing.assert_allclose(value, expected[key], rtol=1e-6)
            feeds = {g.get_tensor_by_name(t): inputs[k] for t, k in case["feeds"].items()}
            for t, key in case["fetches"].items():
                np.testing.assert_allclose(sess.run(t, feeds), expected[key], rtol=2e-5, atol=1e-6)


def test_checkpoint_reader_reads_tensorflow_values():
    folder, case, _, expected = _case("linreg_ckpt")
    reader = tf.train.load_checkpoint(os.path.join(folder, "model.ckpt-300"))
    for var_name, key in case["variables"].items():
        np.testing.assert_array_equal(reader.get_tensor(var_name), expected[key])


def test_unknown_op_is_rejected_by_name():
    graph_def = tf.GraphDef()
    node = graph_def.node.add()
    node.name, node.op = "mystery", "FancyNewOp"
    with tf.Graph().as_default(), pytest.raises(ValueError, match="FancyNewOp"):
        tf.import_graph_def(graph_def)


def test_minitf_graph_round_trips_through_graph_def():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.constant([[1.0], [2.0]], name="w")
        y = tf.add(tf.matmul(x, w), 1.0, name="y")
        gd = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="imp")
        with tf.Session() as sess:
            out = sess.run("imp/y:0", {"imp/x:0": [[1.0, 1.0]]})
    assert out.tolist() == [[4.0]]
    node = {n.name: n for n in gd.node}
    assert set(node["y"].attr) == {"T"} and node["y"].op == "Add"
    assert set(node["x"].attr) == {"dtype", "shape"}
    assert set(node["MatMul"].attr) == {"T", "transpose_a", "transpose_b"}
