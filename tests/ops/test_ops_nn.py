"""``tf.nn`` and ``tf.losses`` beyond the table: layouts, named arguments, which inputs get
gradients, numerical stability, weighting and reduction of losses."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
LABELS = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]])


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def np_log_softmax(x, axis=-1):
    m = x.max(axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis, keepdims=True))


def test_softmax_along_another_axis_and_with_huge_logits():
    x = np.array([[1.0, 1000.0], [2.0, -1000.0]])
    np.testing.assert_allclose(run(tf.nn.softmax(x, axis=0)), np.exp(np_log_softmax(x, 0)))
    np.testing.assert_allclose(run(tf.nn.softmax(x)), [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(run(tf.nn.log_softmax(x, dim=0)), np_log_softmax(x, 0))
    assert tf.nn.softmax(tf.placeholder(tf.float32, [None, 4]), axis=0).shape.as_list() == [None, 4]


def test_softmax_cross_entropy_v2_sends_gradients_to_labels_v1_does_not():
    logits, labels = tf.constant(LOGITS), tf.constant(LABELS)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert v2.op.name == "softmax_cross_entropy_with_logits"
    assert v1.op.name == "softmax_cross_entropy_with_logits_sg"
    expected = -(LABELS * np_log_softmax(LOGITS)).sum(-1)
    np.testing.assert_allclose(run(v2), expected)
    np.testing.assert_allclose(run(v1), expected)
    g_logits, g_labels = tf.gradients(v2, [logits, labels])
    np.testing.assert_allclose(run(g_logits), np.exp(np_log_softmax(LOGITS)) - LABELS)
    np.testing.assert_allclose(run(g_labels), -np_log_softmax(LOGITS))
    assert tf.gradients(v1, labels) == [None]


def test_softmax_cross_entropy_on_rank_3_logits_and_another_class_axis():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    y = np.exp(np_log_softmax(np.random.default_rng(1).normal(size=(2, 3, 4))))
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x)
    assert loss.shape.as_list() == [2, 3]
    np.testing.assert_allclose(run(loss), -(y * np_log_softmax(x)).sum(-1))
    on_axis1 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x, axis=1)
    assert on_axis1.shape.as_list() == [2, 4]
    np.testing.assert_allclose(run(on_axis1), -(y * np_log_softmax(x, 1)).sum(1))


def test_sparse_softmax_cross_entropy_matches_the_dense_one():
    labels = np.array([0, 1])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    assert sparse.op.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits"
    np.testing.assert_allclose(run(sparse), -np_log_softmax(LOGITS)[[0, 1], labels])
    logits = tf.constant(LOGITS)
    (g,) = tf.gradients(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits),
                        logits)
    np.testing.assert_allclose(run(g), np.exp(np_log_softmax(LOGITS)) - np.eye(3)[labels])


def test_sparse_softmax_cross_entropy_on_rank_3_logits():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    labels = np.array([[0, 3, 1], [2, 2, 0]], np.int64)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
    assert loss.shape.as_list() == [2, 3]
    want = -np.take_along_axis(np_log_softmax(x), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(run(loss), want)


def test_sigmoid_cross_entropy_is_stable_for_large_logits():
    x = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    z = np.array([1.0, 0.0, 0.5, 1.0, 0.0])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert loss.op.name == "logistic_loss"
    want = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(run(loss), want)
    assert np.isfinite(run(loss)).all()


def test_l2_loss_and_bias_add():
    assert run(tf.nn.l2_loss(tf.constant([3.0, 4.0]))) == 12.5
    value = np.arange(12.0).reshape(2, 3, 2)
    out = tf.nn.bias_add(value, [1.0, 2.0])
    np.testing.assert_array_equal(run(out), value + [1.0, 2.0])
    nchw = tf.nn.bias_add(value, [1.0, 2.0, 3.0], data_format="NCHW")
    np.testing.assert_array_equal(run(nchw), value + np.array([1.0, 2.0, 3.0])[:, None])
    with pytest.raises(ValueError, match="data_format must be of the form"):
        tf.nn.bias_add(value, [1.0, 2.0], data_format="HWC")


def test_bias_add_gradient_is_bias_add_grad():
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant([0.0, 0.0, 0.0])
    (g,) = tf.gradients(tf.nn.bias_add(x, b), b)
    assert g.op.type == "BiasAddGrad"
    np.testing.assert_array_equal(run(g, {x: np.ones((4, 3))}), [4.0, 4.0, 4.0])


def test_activations():
    x = np.array([-2.0, -0.5, 0.5, 7.0])
    np.testing.assert_allclose(run(tf.nn.relu(x)), [0, 0, 0.5, 7.0])
    np.testing.assert_allclose(run(tf.nn.relu6(x)), [0, 0, 0.5, 6.0])
    np.testing.assert_allclose(run(tf.nn.elu(x)), np.where(x > 0, x, np.expm1(x)))
    np.testing.assert_allclose(run(tf.nn.softplus(x)), np.log1p(np.exp(x)))
    np.testing.assert_allclose(run(tf.nn.leaky_relu(x, alpha=0.1)), np.where(x > 0, x, 0.1 * x))
    assert tf.nn.sigmoid is tf.sigmoid and tf.nn.tanh is tf.tanh
    with pytest.raises(TypeError, match="Value for attr 'T' of int32 is not in the list of allowed values"):
        tf.nn.relu(tf.constant([1, -1]))            # float kernels only: caught when the graph is built


def test_xw_plus_b_and_embedding_lookup():
    x, w, b = np.ones((2, 3)), np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])
    np.testing.assert_array_equal(run(tf.nn.xw_plus_b(x, w, b)), x @ w + b)
    table = np.arange(8.0).reshape(4, 2)
    np.testing.assert_array_equal(run(tf.nn.embedding_lookup(table, [3, 0])), table[[3, 0]])


def test_moments():
    x = np.random.default_rng(0).normal(size=(4, 3))
    mean, var = tf.nn.moments(tf.constant(x), axes=[0])
    assert mean.shape.as_list() == [3] and var.shape.as_list() == [3]
    m, v = run([mean, var])
    np.testing.assert_allclose(m, x.mean(0))
    np.testing.assert_allclose(v, x.var(0))
    mean_k, _ = tf.nn.moments(tf.constant(x), axes=[0, 1], keep_dims=True)
    assert mean_k.shape.as_list() == [1, 1]


# --- tf.losses ---------------------------------------------------------------------------------
def test_mean_squared_error_defaults_to_the_mean():
    labels, predictions = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.5, 2.0], [2.0, 5.0]])
    loss = tf.losses.mean_squared_error(labels, predictions)
    assert loss.dtype == tf.float32 and loss.shape.as_list() == []
    assert loss.op.name == "mean_squared_error/value"
    np.testing.assert_allclose(run(loss), np.mean((labels - predictions) ** 2), rtol=1e-6)
    assert tf.losses.get_losses() == [loss]
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]


def test_weights_and_reductions():
    labels, predictions = np.zeros(4), np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([1.0, 0.0, 2.0, 0.0])
    sq = predictions ** 2
    R = tf.losses.Reduction
    cases = {R.SUM_BY_NONZERO_WEIGHTS: (sq * weights).sum() / 2, R.SUM: (sq * weights).sum(),
             R.MEAN: (sq * weights).sum() / weights.sum(), R.SUM_OVER_BATCH_SIZE: (sq * weights).sum() / 4,
             R.NONE: sq * weights}
    for reduction, want in cases.items():
        loss = tf.losses.mean_squared_error(labels, predictions, weights=weights, reduction=reduction)
        np.testing.assert_allclose(run(loss), want, rtol=1e-6, err_msg=reduction)
    assert R.SUM_OVER_NONZERO_WEIGHTS == R.SUM_BY_NONZERO_WEIGHTS
    zero = tf.losses.mean_squared_error(labels, predictions, weights=0.0)
    assert run(zero) == 0.0                                   # 0 / 0 weights gives 0, not NaN


def test_losses_can_stay_out_of_the_collection_and_be_totalled():
    a = tf.losses.absolute_difference([1.0, 2.0], [2.0, 4.0])
    tf.losses.mean_squared_error([1.0], [3.0], loss_collection=None)
    assert tf.losses.get_losses() == [a]
    tf.losses.add_loss(tf.constant(10.0))
    assert run(tf.losses.get_total_loss()) == pytest.approx(11.5)


def test_classification_losses():
    onehot = np.eye(3)[[0, 1]]
    xent = tf.losses.softmax_cross_entropy(onehot, LOGITS)
    np.testing.assert_allclose(run(xent), -(onehot * np_log_softmax(LOGITS)).sum(-1).mean(), rtol=1e-6)
    smooth = tf.losses.softmax_cross_entropy(onehot, LOGITS, label_smoothing=0.3)
    smoothed = onehot * 0.7 + 0.1
    np.testing.assert_allclose(run(smooth), -(smoothed * np_log_softmax(LOGITS)).sum(-1).mean(),
                               rtol=1e-6)
    sparse = tf.losses.sparse_softmax_cross_entropy(np.array([[0], [1]]), LOGITS)
    np.testing.assert_allclose(run(sparse), run(xent), rtol=1e-6)
    x, z = np.array([[1.0, -2.0]]), np.array([[1.0, 0.0]])
    sig = tf.losses.sigmoid_cross_entropy(z, x)
    want = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(run(sig), want.mean(), rtol=1e-6)


def test_a_loss_trains_a_variable():
    w = tf.Variable([0.0, 0.0])
    loss = tf.losses.mean_squared_error([1.0, -1.0], w)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.0, -1.0], atol=1e-4)
