"""Classic public TF 1.x tutorial programs, as people wrote them, run on ``import minitf as tf``.

The programs follow the well-known TensorFlow-Examples style (basic operations, logistic
regression, a multilayer perceptron, save/restore).  MNIST is replaced by a small synthetic
data set of the same shape conventions, since nothing may be downloaded at test time.
"""

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def _blobs(n=300, d=20, classes=3, seed=0):
    """Well-separated Gaussian blobs with one-hot labels (an MNIST stand-in)."""
    rng = np.random.RandomState(seed)
    centers = rng.randn(classes, d) * 3
    labels = rng.randint(classes, size=n)
    x = (centers[labels] + rng.randn(n, d)).astype(np.float32)
    return x, np.eye(classes, dtype=np.float32)[labels]


def test_basic_operations(capsys):
    a = tf.constant(2)
    b = tf.constant(3)
    with tf.Session() as sess:
        print("a=2, b=3")
        print("Addition with constants: %i" % sess.run(a + b))
        print("Multiplication with constants: %i" % sess.run(a * b))
    a = tf.placeholder(tf.int16)
    b = tf.placeholder(tf.int16)
    add = tf.add(a, b)
    mul = tf.multiply(a, b)
    with tf.Session() as sess:
        print("Addition with variables: %i" % sess.run(add, feed_dict={a: 2, b: 3}))
        print("Multiplication with variables: %i" % sess.run(mul, feed_dict={a: 2, b: 3}))
    matrix1 = tf.constant([[3., 3.]])
    matrix2 = tf.constant([[2.], [2.]])
    product = tf.matmul(matrix1, matrix2)
    with tf.Session() as sess:
        print(sess.run(product))
    assert capsys.readouterr().out.splitlines() == [
        "a=2, b=3", "Addition with constants: 5", "Multiplication with constants: 6",
        "Addition with variables: 5", "Multiplication with variables: 6", "[[12.]]"]


def test_logistic_regression():
    train_x, train_y = _blobs()
    learning_rate, training_epochs, batch_size = 0.1, 15, 50
    x = tf.placeholder(tf.float32, [None, 20])
    y = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable(tf.zeros([20, 3]))
    b = tf.Variable(tf.zeros([3]))
    pred = tf.nn.softmax(tf.matmul(x, W) + b)
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        costs = []
        for epoch in range(training_epochs):
            avg_cost = 0.
            total_batch = len(train_x) // batch_size
            for i in range(total_batch):
                batch_xs = train_x[i * batch_size:(i + 1) * batch_size]
                batch_ys = train_y[i * batch_size:(i + 1) * batch_size]
                _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
                avg_cost += c / total_batch
            costs.append(avg_cost)
        correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
        acc = accuracy.eval({x: train_x, y: train_y})
    assert costs[-1] < costs[0] / 5 and acc > 0.95


def test_multilayer_perceptron_with_adam():
    train_x, train_y = _blobs(seed=1)
    n_hidden_1, n_hidden_2, n_input, n_classes = 16, 16, 20, 3
    X = tf.placeholder("float", [None, n_input])
    Y = tf.placeholder("float", [None, n_classes])
    tf.set_random_seed(7)
    weights = {
        'h1': tf.Variable(tf.random_normal([n_input, n_hidden_1])),
        'h2': tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2])),
        'out': tf.Variable(tf.random_normal([n_hidden_2, n_classes]))
    }
    biases = {
        'b1': tf.Variable(tf.random_normal([n_hidden_1])),
        'b2': tf.Variable(tf.random_normal([n_hidden_2])),
        'out': tf.Variable(tf.random_normal([n_classes]))
    }

    def multilayer_perceptron(x):
        layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
        layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))
        return tf.matmul(layer_2, weights['out']) + biases['out']

    logits = multilayer_perceptron(X)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    train_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss_op)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        first = sess.run(loss_op, feed_dict={X: train_x, Y: train_y})
        for step in range(150):
            sess.run(train_op, feed_dict={X: train_x, Y: train_y})
        last = sess.run(loss_op, feed_dict={X: train_x, Y: train_y})
        pred = tf.nn.softmax(logits)
        correct = tf.equal(tf.argmax(pred, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, "float"))
        acc = accuracy.eval({X: train_x, Y: train_y})
    assert last < first / 10 and acc > 0.95


def test_save_and_restore_a_model(tmp_path):
    train_x, train_y = _blobs(seed=2)
    x = tf.placeholder(tf.float32, [None, 20])
    y = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable(tf.zeros([20, 3]), name="W")
    b = tf.Variable(tf.zeros([3]), name="b")
    logits = tf.matmul(x, W) + b
    cost = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.argmax(y, 1), logits=logits))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(cost)
    saver = tf.train.Saver()
    model_path = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train, {x: train_x, y: train_y})
        trained = sess.run(cost, {x: train_x, y: train_y})
        save_path = saver.save(sess, model_path)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(cost, {x: train_x, y: train_y}) > trained
        saver.restore(sess, save_path)
        assert sess.run(cost, {x: train_x, y: train_y}) == pytest.approx(trained, rel=1e-6)
