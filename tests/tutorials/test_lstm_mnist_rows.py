"""A TF1-tutorial program: an LSTM reads an image row by row (``dynamic_rnn``) and classifies it.

As the classic "RNN over MNIST" tutorials write it: each 28x28 image is a sequence of 28 rows
of 28 pixels, a ``BasicLSTMCell`` runs over the rows, and a dense layer on the last output
gives 10 logits, trained with Adam on softmax cross-entropy.  The images are small synthetic
"digits" from a seeded numpy generator (the class draws a bright bar at a class-dependent
row, on noise).  Initial weights come from numpy through ``constant_initializer``.

The expected losses were recorded by running ``program`` below under TensorFlow 2.21's
``tensorflow.compat.v1`` with ``disable_v2_behavior()`` (/tmp/tfvenv).  Keras 3 hides TF's
v1 cells there, so the recording passed ``tensorflow.python.keras.layers.legacy_rnn.
rnn_cell_impl`` as ``tf.nn.rnn_cell`` (the same classes TF 1.x exported under that name).
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf

STEPS, ROWS, PIXELS, HIDDEN, CLASSES, BATCH = 5, 28, 28, 16, 10, 32

rng = np.random.RandomState(7)
LABELS = rng.randint(0, CLASSES, BATCH)
IMAGES = (rng.rand(BATCH, ROWS, PIXELS) * 0.3).astype(np.float32)
IMAGES[np.arange(BATCH), 2 + 2 * LABELS, 4:24] += 0.7               # the class's bar
ONE_HOT = np.eye(CLASSES, dtype=np.float32)[LABELS]
KERNEL = rng.normal(0, 0.1, (PIXELS + HIDDEN, 4 * HIDDEN)).astype(np.float32)
W_OUT = rng.normal(0, 0.1, (HIDDEN, CLASSES)).astype(np.float32)

# Loss before each of 5 Adam steps and after the last (TensorFlow 1.x's numbers, see above).
TF_LOSSES = [2.30537033, 2.27959776, 2.24971056, 2.20818043, 2.16955566, 2.14571548]
TF_ACCURACY_AFTER = 0.21875


def program(tf):
    """The tutorial's graph, built with the module ``tf`` (minitf, or TensorFlow for recording)."""
    x = tf.placeholder(tf.float32, [None, ROWS, PIXELS], name="x")
    y = tf.placeholder(tf.float32, [None, CLASSES], name="y")
    with tf.variable_scope("lstm", initializer=tf.constant_initializer(KERNEL)):
        cell = tf.nn.rnn_cell.BasicLSTMCell(HIDDEN)
        outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    w = tf.get_variable("w_out", initializer=tf.constant_initializer(W_OUT), shape=[HIDDEN, CLASSES])
    b = tf.get_variable("b_out", initializer=tf.zeros_initializer(), shape=[CLASSES])
    logits = tf.add(tf.matmul(outputs[:, -1, :], w), b, name="logits")
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return x, y, loss, train, accuracy, state


def train(tf):
    """Losses before each step and after the last, final accuracy, and the session's frozen graph."""
    with tf.Graph().as_default() as graph:
        x, y, loss, step, accuracy, _ = program(tf)
        feed = {x: IMAGES, y: ONE_HOT}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(STEPS):
                losses.append(float(sess.run(loss, feed)))
                sess.run(step, feed)
            losses.append(float(sess.run(loss, feed)))
            frozen = tf.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), ["logits"])
            logits = sess.run("logits:0", feed)
            return losses, float(sess.run(accuracy, feed)), frozen, logits


def test_variables_have_tensorflows_names():
    with minitf.Graph().as_default():
        program(minitf)
        names = [v.op.name for v in minitf.trainable_variables()]
    assert names == ["lstm/rnn/basic_lstm_cell/kernel", "lstm/rnn/basic_lstm_cell/bias", "w_out", "b_out"]


def test_training_matches_tensorflow():
    losses, accuracy, _, _ = train(minitf)
    np.testing.assert_allclose(losses, TF_LOSSES, rtol=1e-4)
    assert accuracy == pytest.approx(TF_ACCURACY_AFTER)


@pytest.mark.tensorflow
def test_frozen_lstm_runs_in_tensorflow():
    real = pytest.importorskip("tensorflow").compat.v1
    real.disable_v2_behavior()
    _, _, frozen, want = train(minitf)
    graph_def = real.GraphDef()
    graph_def.ParseFromString(frozen.SerializeToString())
    with real.Graph().as_default() as g:
        real.import_graph_def(graph_def, name="")
        with real.Session(graph=g) as sess:
            got = sess.run("logits:0", {"x:0": IMAGES})
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


class _WithV1Cells:
    """Real TF with its v1 RNN cells under ``tf.nn`` (Keras 3 hides them; see the module docstring)."""

    def __init__(self, real):
        from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_impl
        from tensorflow.python.ops import rnn

        self._real = real
        self.nn = type("nn", (), {"__getattr__": lambda _, name: getattr(real.nn, name)})()
        self.nn.rnn_cell, self.nn.dynamic_rnn = rnn_cell_impl, rnn.dynamic_rnn

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.mark.tensorflow
def test_tensorflow_restores_minitfs_lstm_checkpoint(tmp_path):
    real = pytest.importorskip("tensorflow").compat.v1
    real.disable_v2_behavior()
    with minitf.Graph().as_default():
        x, y, loss, step, _, _ = program(minitf)
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            for _ in range(2):
                sess.run(step, {x: IMAGES, y: ONE_HOT})
            want = sess.run(["logits:0", loss], {x: IMAGES, y: ONE_HOT})
            path = minitf.train.Saver().save(sess, str(tmp_path / "lstm"))
    tf = _WithV1Cells(real)
    with real.Graph().as_default():
        x, y, loss, _, _, _ = program(tf)
        with real.Session() as sess:
            real.train.Saver().restore(sess, path)
            got = sess.run(["logits:0", loss], {x: IMAGES, y: ONE_HOT})
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5, atol=1e-6)
    assert got[1] == pytest.approx(want[1], rel=1e-5)
