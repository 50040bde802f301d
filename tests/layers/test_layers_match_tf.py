"""tf.layers' numbers against TensorFlow: a small DCGAN-style generator and discriminator, one training step.

``program()`` uses conv2d_transpose (SAME and VALID), unfused batch normalization
driven by a bool placeholder, conv2d with strides, both poolings, dropout with
``training=False``, flatten and dense.  The constants were printed by running
this same function under TF 2.21's ``tensorflow.compat.v1`` (``disable_v2_behavior``,
legacy Keras ``tf_keras`` 2.21 for tf.layers) with ``minitf`` replaced by it:

    import sys, tensorflow.compat.v1 as tf; tf.disable_v2_behavior(); sys.modules["minitf"] = tf
    import test_layers_match_tf as t; print(t.program())
"""

from __future__ import annotations

import numpy as np

import minitf as tf

TF_NUMBERS = {
    "image_shape": [3, 9, 9, 2],
    "losses": [1.3351105451583862, 0.703224241733551],
    "image_sum": 88.61105346679688,
    "eval_logits_sum": 1.011321783065796,
    "moving_variance_sum": 1.2280936241149902,
}


def program():
    rng = np.random.RandomState(7)
    init = lambda *shape: tf.constant_initializer(rng.normal(0, 0.3, shape).astype(np.float32))  # noqa: E731
    z_value = rng.normal(0, 1, (3, 6)).astype(np.float32)
    with tf.Graph().as_default():
        z = tf.placeholder(tf.float32, [None, 6])
        training = tf.placeholder(tf.bool)
        h = tf.reshape(tf.layers.dense(z, 2 * 2 * 4, kernel_initializer=init(6, 16)), [-1, 2, 2, 4])
        h = tf.layers.conv2d_transpose(h, 3, 3, strides=2, padding="same", kernel_initializer=init(3, 3, 3, 4))
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, fused=False, momentum=0.5))
        image = tf.layers.conv2d_transpose(h, 2, 3, strides=2, activation=tf.tanh,
                                           kernel_initializer=init(3, 3, 2, 3))       # VALID: 4 -> 9
        d = tf.layers.conv2d(image, 4, 3, strides=2, padding="same", activation=tf.nn.relu,
                             kernel_initializer=init(3, 3, 2, 4))
        d = tf.layers.max_pooling2d(d, 2, 1, padding="same")
        d = tf.layers.average_pooling2d(d, 2, 2)
        d = tf.layers.dropout(tf.layers.flatten(d), 0.5, training=False)
        logits = tf.layers.dense(d, 3, kernel_initializer=init(16, 3))
        loss = tf.reduce_mean(tf.square(logits - 1.0)) + tf.reduce_mean(tf.square(image))
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.GradientDescentOptimizer(0.3).minimize(loss)
        moving_variance = [v for v in tf.global_variables() if "moving_variance" in v.name][0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([train, loss], {z: z_value, training: True})[1]) for _ in range(2)]
            image_value, eval_logits = sess.run([image, logits], {z: z_value, training: False})
            return {"image_shape": list(image_value.shape), "losses": losses,
                    "image_sum": float(image_value.sum()), "eval_logits_sum": float(eval_logits.sum()),
                    "moving_variance_sum": float(sess.run(moving_variance).sum())}


def test_dcgan_style_layers_compute_tensorflows_numbers():
    got = program()
    assert got["image_shape"] == TF_NUMBERS["image_shape"]
    for key in ("losses", "image_sum", "eval_logits_sum", "moving_variance_sum"):
        np.testing.assert_allclose(got[key], TF_NUMBERS[key], rtol=1e-4, atol=1e-5, err_msg=key)
