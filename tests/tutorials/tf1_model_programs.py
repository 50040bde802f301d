"""Four TF1 tutorial programs, written as TF 1.x tutorials write them: a CNN, a tf.layers CNN, a GAN, a VAE.

Each ``run_*`` function builds its model in a fresh graph, trains a few steps on
small synthetic data and returns the numbers a student would print.  The same
code runs on real TensorFlow: ``record_tf1_models.py`` puts
``tensorflow.compat.v1`` in place of ``minitf`` and prints the numbers the tests
(``test_tf1_models.py``) compare against.  Initial weights come from a seeded
numpy RNG (through ``tf.constant`` / ``tf.constant_initializer``) so both
engines start equal, and no compared step drops anything (keep_prob 1.0).
"""

from __future__ import annotations

import numpy as np

import minitf as tf


def truncated_normal(rng, shape, stddev):
    """numpy's stand-in for tf.truncated_normal: normal draws, redrawn beyond two standard deviations."""
    x = rng.normal(0.0, 1.0, size=shape)
    while (np.abs(x) > 2).any():
        bad = np.abs(x) > 2
        x[bad] = rng.normal(0.0, 1.0, size=bad.sum())
    return (x * stddev).astype(np.float32)


def synthetic_mnist(rng, n):
    """n 28x28 "digits": a bright bar whose position is the label, plus noise."""
    labels = rng.randint(0, 10, size=n)
    images = rng.uniform(0, 0.3, size=(n, 28, 28)).astype(np.float32)
    for i, label in enumerate(labels):
        images[i, 2 + 2 * label:4 + 2 * label, 4:24] = 1.0
    return images.reshape(n, 784), np.eye(10, dtype=np.float32)[labels], labels


# --- (a) "Deep MNIST for Experts" ----------------------------------------------------------------------
def build_deep_mnist(seed=0):
    """The tutorial's graph: conv 5x5x32 -> pool -> conv 5x5x64 -> pool -> fc 1024 -> dropout -> 10."""
    rng = np.random.RandomState(seed)

    def weight_variable(shape):
        initial = tf.constant(truncated_normal(rng, shape, 0.1))     # tutorial: tf.truncated_normal(shape, stddev=0.1)
        return tf.Variable(initial)

    def bias_variable(shape):
        initial = tf.constant(0.1, shape=shape)
        return tf.Variable(initial)

    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')

    x = tf.placeholder(tf.float32, shape=[None, 784])
    y_ = tf.placeholder(tf.float32, shape=[None, 10])
    x_image = tf.reshape(x, [-1, 28, 28, 1])

    W_conv1 = weight_variable([5, 5, 1, 32])
    b_conv1 = bias_variable([32])
    h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)
    h_pool1 = max_pool_2x2(h_conv1)

    W_conv2 = weight_variable([5, 5, 32, 64])
    b_conv2 = bias_variable([64])
    h_conv2 = tf.nn.relu(conv2d(h_pool1, W_conv2) + b_conv2)
    h_pool2 = max_pool_2x2(h_conv2)

    W_fc1 = weight_variable([7 * 7 * 64, 1024])
    b_fc1 = bias_variable([1024])
    h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
    h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)

    keep_prob = tf.placeholder(tf.float32)
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)

    W_fc2 = weight_variable([1024, 10])
    b_fc2 = bias_variable([10])
    y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2

    cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv))
    train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)
    correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    return dict(x=x, y_=y_, keep_prob=keep_prob, y_conv=y_conv, loss=cross_entropy, train_step=train_step,
                accuracy=accuracy)


def run_deep_mnist(steps=3, batch=8):
    with tf.Graph().as_default():
        m = build_deep_mnist()
        images, labels, _ = synthetic_mnist(np.random.RandomState(1), batch)
        feed = {m["x"]: images, m["y_"]: labels, m["keep_prob"]: 1.0}
        losses, accuracies = [], []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                loss, acc = sess.run([m["loss"], m["accuracy"]], feed)
                losses.append(float(loss))
                accuracies.append(float(acc))
                sess.run(m["train_step"], feed_dict=feed)
            losses.append(float(sess.run(m["loss"], feed)))
            logits = sess.run(m["y_conv"], feed)
        return dict(losses=losses, accuracies=accuracies, logits_row0=logits[0].tolist())


# --- (b) a tf.layers CNN with batch normalization ------------------------------------------------
def run_layers_cnn(steps=4, batch=8):
    rng = np.random.RandomState(2)
    init = lambda *shape: tf.constant_initializer(rng.normal(0, 0.2, shape).astype(np.float32))  # noqa: E731
    images = rng.uniform(0, 1, (batch, 14, 14, 1)).astype(np.float32)
    labels = rng.randint(0, 10, batch).astype(np.int32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 14, 14, 1])
        y = tf.placeholder(tf.int32, [None])
        training = tf.placeholder(tf.bool, name="training")

        conv1 = tf.layers.conv2d(x, 8, 3, padding="same", kernel_initializer=init(3, 3, 1, 8))
        bn1 = tf.layers.batch_normalization(conv1, training=training)
        pool1 = tf.layers.max_pooling2d(tf.nn.relu(bn1), 2, 2)
        conv2 = tf.layers.conv2d(pool1, 16, 3, padding="same", activation=tf.nn.relu,
                                 kernel_initializer=init(3, 3, 8, 16))
        pool2 = tf.layers.average_pooling2d(conv2, 2, 2)
        flat = tf.layers.flatten(pool2)
        fc = tf.layers.dense(flat, 32, kernel_initializer=init(144, 32))
        bn2 = tf.layers.batch_normalization(fc, training=training, momentum=0.9)
        logits = tf.layers.dense(tf.nn.relu(bn2), 10, kernel_initializer=init(32, 10))

        loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)

        moving = [v for v in tf.global_variables() if "moving_" in v.name]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            train_losses = []
            for _ in range(steps):
                _, value = sess.run([train_op, loss], {x: images, y: labels, training: True})
                train_losses.append(float(value))
            eval_loss = float(sess.run(loss, {x: images, y: labels, training: False}))
            moving_values = sess.run(moving)
        return dict(train_losses=train_losses, eval_loss=eval_loss,
                    moving_names=[v.name for v in moving],
                    moving_sums=[float(np.sum(v)) for v in moving_values])


# --- (c) a small GAN ------------------------------------------------------------------------------------
def run_gan(steps=5, batch=16):
    rng = np.random.RandomState(3)
    weights = {name: rng.normal(0, 0.3, shape).astype(np.float32) for name, shape in
               [("g1", (4, 16)), ("g2", (16, 2)), ("d1", (2, 16)), ("d2", (16, 1))]}
    real = (rng.normal(0, 0.5, (batch, 2)) + [2.0, -1.0]).astype(np.float32)
    noise = rng.uniform(-1, 1, (batch, 4)).astype(np.float32)

    def generator(z, reuse=False):
        with tf.variable_scope("generator", reuse=reuse):
            h = tf.layers.dense(z, 16, activation=tf.nn.leaky_relu,
                                kernel_initializer=tf.constant_initializer(weights["g1"]))
            return tf.layers.dense(h, 2, kernel_initializer=tf.constant_initializer(weights["g2"]))

    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            h = tf.layers.dense(x, 16, activation=tf.nn.leaky_relu,
                                kernel_initializer=tf.constant_initializer(weights["d1"]))
            return tf.layers.dense(h, 1, kernel_initializer=tf.constant_initializer(weights["d2"]))

    with tf.Graph().as_default():
        X = tf.placeholder(tf.float32, [None, 2])
        Z = tf.placeholder(tf.float32, [None, 4])
        G_sample = generator(Z)
        D_real = discriminator(X)
        D_fake = discriminator(G_sample, reuse=True)

        D_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=D_real, labels=tf.ones_like(D_real))) + \
            tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=D_fake, labels=tf.zeros_like(D_fake)))
        G_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=D_fake, labels=tf.ones_like(D_fake)))

        t_vars = tf.trainable_variables()
        d_vars = [var for var in t_vars if var.name.startswith("discriminator")]
        g_vars = [var for var in t_vars if var.name.startswith("generator")]
        D_solver = tf.train.AdamOptimizer(1e-2, beta1=0.5).minimize(D_loss, var_list=d_vars)
        G_solver = tf.train.AdamOptimizer(1e-2, beta1=0.5).minimize(G_loss, var_list=g_vars)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            d_losses, g_losses = [], []
            for _ in range(steps):
                _, d = sess.run([D_solver, D_loss], feed_dict={X: real, Z: noise})
                _, g = sess.run([G_solver, G_loss], feed_dict={Z: noise})
                d_losses.append(float(d))
                g_losses.append(float(g))
            sample = sess.run(G_sample, {Z: noise[:2]})
        return dict(d_losses=d_losses, g_losses=g_losses, sample=sample.ravel().tolist(),
                    d_vars=[v.name for v in d_vars], g_vars=[v.name for v in g_vars])


# --- (d) a small variational autoencoder ----------------------------------------------------------------
def run_vae(steps=5, batch=12):
    rng = np.random.RandomState(4)
    data = (rng.uniform(0, 1, (batch, 16)) > 0.5).astype(np.float32)
    epsilon = rng.normal(0, 1, (batch, 2)).astype(np.float32)      # the reparameterization noise, fixed
    init = lambda *shape: tf.constant_initializer(rng.normal(0, 0.3, shape).astype(np.float32))  # noqa: E731

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 16], name="x")
        eps = tf.placeholder(tf.float32, [None, 2], name="eps")
        with tf.variable_scope("encoder"):
            h = tf.layers.dense(x, 8, activation=tf.nn.relu, kernel_initializer=init(16, 8))
            z_mean = tf.layers.dense(h, 2, kernel_initializer=init(8, 2), name="z_mean")
            z_log_var = tf.layers.dense(h, 2, kernel_initializer=init(8, 2), name="z_log_var")
        z = z_mean + tf.exp(0.5 * z_log_var) * eps
        with tf.variable_scope("decoder"):
            h_dec = tf.layers.dense(z, 8, activation=tf.nn.relu, kernel_initializer=init(2, 8))
            x_logits = tf.layers.dense(h_dec, 16, kernel_initializer=init(8, 16))

        reconstruction = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x_logits), 1)
        kl = -0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), 1)
        loss = tf.reduce_mean(reconstruction + kl)
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(steps):
                _, value = sess.run([train_op, loss], {x: data, eps: epsilon})
                losses.append(float(value))
            rec, div = sess.run([tf.reduce_mean(reconstruction), tf.reduce_mean(kl)], {x: data, eps: epsilon})
        return dict(losses=losses, reconstruction=float(rec), kl=float(div),
                    variables=[v.name for v in tf.trainable_variables()])
