"""``tf.saved_model``: the directory layout, the SavedModel proto, round trips, signatures and errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.io.protos import saved_model_pb2

W = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
X = np.array([[1, 2, 3], [0, -1, 0.5]], np.float32)


def _model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(W, name="w")
    b = tf.Variable([0.5, -0.5], name="b")
    y = tf.nn.softmax(tf.matmul(x, w) + b, name="y")
    return x, w, b, y


def _expected():
    z = X @ W + np.array([0.5, -0.5], np.float32)
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def _simple_saved(export_dir):
    with tf.Graph().as_default():
        x, w, b, y = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign_add(b, [1.0, 1.0]))           # saved values, not the initial ones
            tf.saved_model.simple_save(sess, str(export_dir), {"x": x}, {"y": y})


def test_simple_save_writes_tfs_layout_and_proto(tmp_path):
    export_dir = tmp_path / "model"
    _simple_saved(export_dir)
    files = sorted(str(p.relative_to(export_dir)) for p in export_dir.rglob("*"))
    assert files == ["saved_model.pb", "variables", "variables/variables.data-00000-of-00001",
                     "variables/variables.index"]
    saved = saved_model_pb2.SavedModel.FromString((export_dir / "saved_model.pb").read_bytes())
    assert saved.saved_model_schema_version == 1 and len(saved.meta_graphs) == 1
    meta = saved.meta_graphs[0]
    assert list(meta.meta_info_def.tags) == ["serve"]
    sig = meta.signature_def["serving_default"]
    assert sig.method_name == "tensorflow/serving/predict"
    assert sig.inputs["x"].name == "x:0" and sig.inputs["x"].dtype == tf.float32.as_datatype_enum
    assert [d.size for d in sig.inputs["x"].tensor_shape.dim] == [-1, 3]
    assert sig.outputs["y"].name == "y:0"
    assert all(not node.device for node in meta.graph_def.node)           # simple_save clears devices
    assert meta.saver_def.restore_op_name and meta.collection_def["variables"].bytes_list.value
    reader = tf.train.load_checkpoint(str(export_dir / "variables" / "variables"))
    np.testing.assert_array_equal(reader.get_tensor("b"), [1.5, 0.5])
    np.testing.assert_array_equal(reader.get_tensor("w"), W)


def test_load_restores_variables_and_returns_the_meta_graph(tmp_path):
    export_dir = tmp_path / "model"
    _simple_saved(export_dir)
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], str(export_dir))
        assert sess.graph is graph
        sig = meta.signature_def[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        x = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["x"])
        y = tf.saved_model.utils.get_tensor_from_tensor_info(sig.outputs["y"])
        got = sess.run(y, {x: X})
        b = [v for v in tf.global_variables() if v.op.name == "b"][0]
        np.testing.assert_array_equal(sess.run(b), [1.5, 0.5])
        assert {v.op.name for v in tf.trainable_variables()} == {"w", "b"}
    z = X @ W + np.array([1.5, 0.5], np.float32)
    e = np.exp(z - z.max(1, keepdims=True))
    np.testing.assert_allclose(got, e / e.sum(1, keepdims=True), rtol=1e-6)


def test_builder_with_two_meta_graphs_text_format_and_an_import_scope(tmp_path):
    export_dir = tmp_path / "model"
    with tf.Graph().as_default():
        x, w, b, y = _model()
        step = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.builder.SavedModelBuilder(str(export_dir))
            sig = tf.saved_model.signature_def_utils.build_signature_def(
                inputs={"images": tf.saved_model.utils.build_tensor_info(x)},
                outputs={"scores": tf.saved_model.utils.build_tensor_info(y)},
                method_name=tf.saved_model.signature_constants.PREDICT_METHOD_NAME)
            builder.add_meta_graph_and_variables(sess, [tf.saved_model.tag_constants.TRAINING],
                                                 signature_def_map={"predict": sig})
            with pytest.raises(AssertionError, match="already been saved"):
                builder.add_meta_graph_and_variables(sess, ["x"])
            builder.add_meta_graph(["serve", "gpu"], signature_def_map={"predict": sig})
            path = builder.save(as_text=True)
    assert path == str(export_dir / "saved_model.pbtxt").encode()
    assert step is not None
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["gpu", "serve"], str(export_dir), import_scope="m")
        assert sorted(meta.meta_info_def.tags) == ["gpu", "serve"]
        got = sess.run("m/" + meta.signature_def["predict"].outputs["scores"].name,
                       {"m/x:0": X})
    np.testing.assert_allclose(got, _expected(), rtol=1e-6)


def test_the_main_op_runs_after_the_variables_are_restored(tmp_path):
    export_dir = tmp_path / "model"
    with tf.Graph().as_default():
        counter = tf.Variable(5, name="counter")
        local = tf.Variable(0, name="seen", trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        with tf.control_dependencies([tf.variables_initializer([local])]):
            main_op = tf.group(tf.assign(local, counter * 2), name="main")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.Builder(str(export_dir))
            builder.add_meta_graph_and_variables(sess, ["serve"], main_op=main_op)
            builder.save()
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.saved_model.load(sess, ["serve"], str(export_dir))
        assert sess.run("counter:0") == 5
        assert sess.run("seen:0") == 10          # main: initialize ``seen``, then seen = counter * 2


def test_errors_in_tfs_words(tmp_path):
    export_dir = tmp_path / "model"
    _simple_saved(export_dir)
    with pytest.raises(AssertionError, match="Export directory already exists, and isn't empty"):
        tf.saved_model.builder.SavedModelBuilder(str(export_dir))
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(RuntimeError, match="MetaGraphDef associated with tags 'train' could not be found"
                                               r"(.|\n)*available_tags: \[\['serve'\]\]"):
            tf.saved_model.loader.load(sess, ["train"], str(export_dir))
        with pytest.raises(IOError, match="SavedModel file does not exist at: .*nowhere/"
                                          r"\{saved_model.pbtxt\|saved_model.pb\}"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "nowhere"))
    assert tf.saved_model.loader.maybe_saved_model_directory(str(export_dir))
    assert not tf.saved_model.loader.maybe_saved_model_directory(str(tmp_path))
    with pytest.raises(ValueError, match="Prediction inputs cannot be None or empty."):
        tf.saved_model.signature_def_utils.predict_signature_def({}, {"y": 1})


def test_an_empty_export_dir_is_accepted_and_a_graph_without_variables_saves(tmp_path):
    export_dir = tmp_path / "empty"
    export_dir.mkdir()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.multiply(x, 3.0, name="y")
        with tf.Session() as sess:
            tf.saved_model.simple_save(sess, str(export_dir), {"x": x}, {"y": y})
    assert (export_dir / "variables").is_dir() and not list((export_dir / "variables").iterdir())
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(export_dir))
        np.testing.assert_allclose(sess.run(meta.signature_def["serving_default"].outputs["y"].name,
                                            {"x:0": [1.0, 2.0]}), [3.0, 6.0])


def test_signature_helpers():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int64, None, name="ids")
        info = tf.saved_model.utils.build_tensor_info(x)
        assert info.name == "ids:0" and info.dtype == tf.int64.as_datatype_enum
        assert info.tensor_shape.unknown_rank
        sig = tf.saved_model.predict_signature_def({"ids": x}, {"same": x})
        assert tf.saved_model.is_valid_signature(sig)
        assert not tf.saved_model.is_valid_signature(tf.saved_model.build_signature_def({}, {}, "m"))
        assert tf.saved_model.utils.get_tensor_from_tensor_info(info) is x
    with pytest.raises(TypeError, match="graph Tensor"):
        tf.saved_model.utils.build_tensor_info(np.zeros(2))


def test_a_graph_with_py_func_is_not_saved(tmp_path):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.py_func(lambda v: v + 1, [x], tf.float32, name="plus_one")
        with tf.Session() as sess, pytest.raises(ValueError, match="Cannot save the SavedModel: node 'plus_one'"):
            tf.saved_model.simple_save(sess, str(tmp_path / "m"), {"x": x}, {"y": y})
