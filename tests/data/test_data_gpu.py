"""tf.data with a GPU: iterator ops placed on the GPU run on the host (TF's host memory) and their
elements reach GPU ops through copies.  Runs under the CUDA simulator (``-m gpu``)."""

import numpy as np
import pytest

import minitf as tf
from data_helpers import drain

pytestmark = pytest.mark.gpu

GPU = "/job:localhost/replica:0/task:0/device:GPU:0"


@pytest.fixture(autouse=True)
def fresh_graph(monkeypatch):
    from minitf.client import placer
    monkeypatch.setattr(placer, "SIMULATOR_AS_DEFAULT", True)   # the simulator stands in for a real GPU
    with tf.Graph().as_default():
        yield


def test_pipeline_feeds_a_gpu_matmul(capsys):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    w = np.array([[1.0], [-1.0]], np.float32)
    with tf.device("/gpu:0"):
        data = tf.placeholder(tf.float32, [None, 2], name="data")
        iterator = tf.data.Dataset.from_tensor_slices(data).batch(4).make_initializable_iterator()
        batch = iterator.get_next()
        y = tf.matmul(batch, tf.constant(w), name="y")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        sess.run(iterator.initializer, {data: x})
        got = drain(sess, y)
    placed = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines() if ": (" in line)
    assert placed["IteratorGetNext"] == f"(IteratorGetNext): {GPU}" and placed["y"] == f"(MatMul): {GPU}"
    np.testing.assert_allclose(np.concatenate(got), x @ w)
    assert [len(g) for g in got] == [4, 2]
