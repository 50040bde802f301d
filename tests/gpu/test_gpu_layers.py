"""A small tf.layers model with fused batch norm trains on the GPU (simulated) as it does on the CPU."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu


def _train(device, switched=False):
    """Two training steps; ``switched``: ``training`` is a bool placeholder (fed True), so tf.cond."""
    rng = np.random.RandomState(0)
    x_value = rng.uniform(0, 1, (2, 4, 4, 1)).astype(np.float32)
    with tf.Graph().as_default():
        with tf.device(device):
            x = tf.placeholder(tf.float32, [None, 4, 4, 1])
            training = tf.placeholder(tf.bool, [], name="training") if switched else True
            h = tf.layers.conv2d(x, 2, 3, padding="same",
                                 kernel_initializer=tf.constant_initializer(rng.normal(0, 0.5, (3, 3, 1, 2))))
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
            h = tf.layers.dropout(h, 0.25, training=training, seed=3)
            logits = tf.layers.dense(tf.layers.flatten(h), 2,
                                     kernel_initializer=tf.constant_initializer(rng.normal(0, 0.5, (32, 2))))
            loss = tf.reduce_mean(tf.square(logits - 1.0))
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        moving = [v for v in tf.global_variables() if "moving" in v.name]
        feed = {x: x_value, training: True} if switched else {x: x_value}
        with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([train, loss], feed)[1] for _ in range(2)]
            plan = sess.explain(train, feed)
            return losses, sess.run(moving), plan


def test_fused_batch_norm_layer_trains_on_the_gpu_like_the_cpu():
    gpu_losses, gpu_moving, plan = _train("/GPU:0")
    cpu_losses, cpu_moving, _ = _train("/CPU:0")
    assert any("FusedBatchNormGradV3" in line and "[GPU:0]" in line for line in plan.splitlines()), plan
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-5)
    for g, c in zip(gpu_moving, cpu_moving):
        np.testing.assert_allclose(g, c, rtol=1e-5, atol=1e-6)


def test_batch_norm_and_dropout_switched_by_a_placeholder_train_on_the_gpu_like_the_cpu():
    """With ``training`` a placeholder the layers build If ops: placed on the GPU, their values on the host."""
    gpu_losses, gpu_moving, plan = _train("/GPU:0", switched=True)
    cpu_losses, cpu_moving, _ = _train("/CPU:0", switched=True)
    conds = [line for line in plan.splitlines() if "If " in line and "/cond " in line]
    assert any("batch_normalization/cond " in line and "[GPU:0]" in line for line in conds), plan
    assert any("dropout/cond " in line and "[GPU:0]" in line for line in conds), plan
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-5)
    np.testing.assert_allclose(gpu_losses, _train("/GPU:0")[0], rtol=1e-5)     # as training=True
    for g, c in zip(gpu_moving, cpu_moving):
        np.testing.assert_allclose(g, c, rtol=1e-5, atol=1e-6)
