"""A TF1-tutorial program: a two-tower (siamese) model sharing its weights through ``variable_scope``.

Written as TF 1.x tutorials write it (``get_variable`` inside scopes, ``scope.reuse_variables()``
between the towers).  The expected losses were recorded by running this same program
under TensorFlow 2.21's ``tensorflow.compat.v1`` with ``disable_v2_behavior()``; the
initial weights come from numpy through ``constant_initializer`` so both runs start equal.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

rng = np.random.RandomState(0)
W1 = rng.normal(0, 0.5, (4, 8)).astype(np.float32)
W2 = rng.normal(0, 0.5, (8, 3)).astype(np.float32)
XA = rng.normal(0, 1, (6, 4)).astype(np.float32)
XB = rng.normal(0, 1, (6, 4)).astype(np.float32)
SAME = np.array([1, 0, 1, 1, 0, 0], np.float32)

# Contrastive loss before each of 5 SGD steps and after the last (TensorFlow 1.x's numbers).
TF_LOSSES = [1.56130922, 0.72946662, 0.46265364, 0.3191905, 0.22809489, 0.16717856]


def dense(x, n_in, n_out, init, activation=None):
    w = tf.get_variable("weights", [n_in, n_out], initializer=tf.constant_initializer(init))
    b = tf.get_variable("biases", [n_out], initializer=tf.zeros_initializer())
    y = tf.matmul(x, w) + b
    return activation(y) if activation else y


def tower(x):
    with tf.variable_scope("layer1"):
        h = dense(x, 4, 8, W1, tf.nn.relu)
    with tf.variable_scope("layer2"):
        return dense(h, 8, 3, W2)


def contrastive_loss(left, right, same, margin=1.0):
    d2 = tf.reduce_sum(tf.square(left - right), 1)
    apart = tf.square(tf.maximum(margin - tf.sqrt(d2 + 1e-6), 0.0))
    return tf.reduce_mean(same * d2 + (1 - same) * apart)


def build(shared=True):
    left_in = tf.placeholder(tf.float32, [None, 4], name="left")
    right_in = tf.placeholder(tf.float32, [None, 4], name="right")
    same = tf.placeholder(tf.float32, [None], name="same")
    if shared:
        with tf.variable_scope("siamese") as scope:
            left = tower(left_in)
            scope.reuse_variables()
            right = tower(right_in)
    else:                                   # the same network with separate weights per tower
        with tf.variable_scope("left_tower"):
            left = tower(left_in)
        with tf.variable_scope("right_tower"):
            right = tower(right_in)
    loss = contrastive_loss(left, right, same)
    return loss, left, right, {left_in: XA, right_in: XB, same: SAME}


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_both_towers_use_the_same_four_variables():
    loss, left, right, _ = build()
    assert [v.name for v in tf.trainable_variables()] == [
        "siamese/layer1/weights:0", "siamese/layer1/biases:0",
        "siamese/layer2/weights:0", "siamese/layer2/biases:0"]
    assert (left.name, right.name) == ("siamese/layer2/add:0", "siamese/layer2_1/add:0")   # as TF names them
    w1 = tf.trainable_variables()[0]
    readers = [op for op in tf.get_default_graph().get_operations()
               if op.type == "MatMul" and op.inputs[1].op.name == "siamese/layer1/weights/read"]
    assert len(readers) == 2, "each tower multiplies by the one shared weight matrix"
    assert w1.op.name == "siamese/layer1/weights"


def test_training_matches_tensorflow():
    loss, _, _, feed = build()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = []
        for _ in range(5):
            losses.append(sess.run(loss, feed))
            sess.run(train, feed)
        losses.append(sess.run(loss, feed))
        last_bias = sess.run(tf.trainable_variables()[3])
    np.testing.assert_allclose(losses, TF_LOSSES, rtol=1e-5)
    # The loss depends on left - right only: the last bias gets +g from one tower and -g from
    # the other, and the two contributions cancel exactly.
    np.testing.assert_array_equal(last_bias, np.zeros(3, np.float32))


def test_the_shared_gradient_is_the_sum_of_both_towers_gradients():
    shared_loss, _, _, feed = build(shared=True)
    shared_vars = tf.trainable_variables()
    shared_grads = tf.gradients(shared_loss, shared_vars)
    untied_loss, _, _, untied_feed = build(shared=False)
    left_vars = tf.trainable_variables("left_tower")
    right_vars = tf.trainable_variables("right_tower")
    assert len(left_vars) == len(right_vars) == 4
    left_grads = tf.gradients(untied_loss, left_vars)
    right_grads = tf.gradients(untied_loss, right_vars)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(shared_loss, feed) == pytest.approx(sess.run(untied_loss, untied_feed))
        got = sess.run(shared_grads, feed)
        per_tower = sess.run(left_grads + right_grads, untied_feed)
    for i, g in enumerate(got):
        np.testing.assert_allclose(g, per_tower[i] + per_tower[4 + i], rtol=1e-5, atol=1e-7)
    assert np.abs(got[0]).sum() > 0


def test_forgetting_reuse_gives_tfs_error():
    left_in = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("siamese"):
        tower(left_in)
    with pytest.raises(ValueError, match="Variable siamese/layer1/weights already exists, disallowed"):
        with tf.variable_scope("siamese"):
            tower(left_in)
