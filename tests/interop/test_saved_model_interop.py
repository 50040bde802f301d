"""SavedModels both ways: TensorFlow loads what minitf writes, minitf loads what TensorFlow writes.

Runs only where the real ``tensorflow`` package is importable (marker ``tensorflow``), e.g.
``PYTHONPATH=. /tmp/tfvenv/bin/python -m pytest -p no:nbval tests/interop/test_saved_model_interop.py``.
TF is used in TF1 mode (``tf.compat.v1``, reference variables), as the course does.
"""

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow

W = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
B = np.array([0.5, -0.5], np.float32)
X = np.array([[1, 2, 3], [0, -1, 0.5]], np.float32)


def _build(tf):
    """The same small classifier, in either library (a step of training moves the variables)."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(W, name="w")
    b = tf.Variable(B, name="b")
    y = tf.nn.softmax(tf.matmul(x, w) + b, name="y")
    step = tf.train.GradientDescentOptimizer(0.5).minimize(-tf.reduce_sum(tf.log(y[:, 0])))
    return x, y, step


def _save(tf, export_dir, with_builder):
    """Train one step, save, and return the outputs on X the saved model must reproduce."""
    with tf.Graph().as_default(), tf.Session() as sess:
        x, y, step = _build(tf)
        sess.run(tf.global_variables_initializer())
        sess.run(step, {x: X})
        if with_builder:
            builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
            sig = tf.saved_model.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
            builder.add_meta_graph_and_variables(
                sess, [tf.saved_model.tag_constants.SERVING],
                signature_def_map={tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig})
            builder.save()
        else:
            tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": y})
        return sess.run(y, {x: X})


def _untrained():
    z = X @ W + B
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def _load(tf, export_dir):
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        sig = meta.signature_def[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        return sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: X})


@pytest.mark.parametrize("with_builder", [False, True], ids=["simple_save", "builder"])
def test_tensorflow_loads_a_minitf_saved_model(real_tf, tmp_path, with_builder):
    export_dir = str(tmp_path / "minitf_model")
    want = _save(minitf, export_dir, with_builder)
    assert not np.allclose(want, _untrained())        # so the trained values must have been restored
    np.testing.assert_allclose(_load(real_tf, export_dir), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("with_builder", [False, True], ids=["simple_save", "builder"])
def test_minitf_loads_a_tensorflow_saved_model(real_tf, tmp_path, with_builder):
    export_dir = str(tmp_path / "tf_model")
    want = _save(real_tf, export_dir, with_builder)
    assert not np.allclose(want, _untrained())
    np.testing.assert_allclose(_load(minitf, export_dir), want, rtol=1e-5, atol=1e-6)
    # TF's sharded Saver nodes (ShardedFilename, MergeV2Checkpoints...) were left out of the import.
    with minitf.Graph().as_default() as graph, minitf.Session() as sess:
        minitf.saved_model.loader.load(sess, ["serve"], export_dir)
        assert "MergeV2Checkpoints" not in {op.type for op in graph.get_operations()}
