"""tf.layers and tf.contrib.layers: TF 1.x's variable names, scopes, collections and update ops.

The expected names were printed by real TF (2.21, ``compat.v1`` with the legacy
Keras layers, graph mode) for the same programs.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _names(variables):
    return [v.name for v in variables]


def test_dense_layers_are_numbered_and_build_matmul_biasadd_activation():
    x = tf.placeholder(tf.float32, [None, 4])
    a = tf.layers.dense(x, 3)
    b = tf.layers.dense(a, 2, activation=tf.nn.relu)
    assert (a.name, b.name) == ("dense/BiasAdd:0", "dense_1/Relu:0")
    assert _names(tf.trainable_variables()) == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0",
                                                "dense_1/bias:0"]
    assert b.shape.as_list() == [None, 2]
    assert a.op.inputs[0].op.name == "dense/MatMul"


def test_a_named_layer_is_its_scope_and_reuse_shares_it():
    x = tf.placeholder(tf.float32, [None, 4])
    tf.layers.dense(x, 3, name="fc")
    with pytest.raises(ValueError, match="Variable fc/kernel already exists, disallowed"):
        tf.layers.dense(x, 3, name="fc")
    shared = tf.layers.dense(x, 3, name="fc", reuse=True)
    assert shared.name == "fc_2/BiasAdd:0"                  # TF: the failed call took fc_1
    assert _names(tf.global_variables()) == ["fc/kernel:0", "fc/bias:0"]


def test_layers_inside_reused_variable_scopes_share_weights():
    x = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("foo"):
        a = tf.layers.dense(x, 3)
    with tf.variable_scope("foo", reuse=True):
        b = tf.layers.dense(x, 3)
    assert (a.name, b.name) == ("foo/dense/BiasAdd:0", "foo_1/dense/BiasAdd:0")
    assert _names(tf.global_variables()) == ["foo/dense/kernel:0", "foo/dense/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.ones((2, 4), np.float32)}
        np.testing.assert_array_equal(*sess.run([a, b], feed))


def test_a_layer_object_called_twice_reuses_its_variables():
    x = tf.placeholder(tf.float32, [None, 4])
    layer = tf.layers.Dense(3, name="proj")
    y1, y2 = layer(x), layer.apply(x * 2.0)
    assert (y1.name, y2.name) == ("proj/BiasAdd:0", "proj/BiasAdd_1:0")
    assert _names(layer.trainable_variables) == ["proj/kernel:0", "proj/bias:0"]
    assert layer.kernel.shape.as_list() == [4, 3] and len(tf.global_variables()) == 2


def test_default_initializers_are_glorot_uniform_and_zeros():
    x = tf.placeholder(tf.float32, [None, 30])
    layer = tf.layers.Dense(20)
    layer(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = sess.run([layer.kernel, layer.bias])
    limit = np.sqrt(6 / (30 + 20))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit
    assert abs(kernel.std() - limit / np.sqrt(3)) < 0.1 * limit        # uniform(-l, l) has std l/sqrt(3)
    np.testing.assert_array_equal(bias, np.zeros(20))


def test_a_cnn_of_layers_has_tf_names_and_shapes():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
    assert h.name == "conv2d/Relu:0" and h.shape.as_list() == [None, 8, 8, 4]
    h = tf.layers.max_pooling2d(h, 2, 2)
    assert h.name == "max_pooling2d/MaxPool:0" and h.shape.as_list() == [None, 4, 4, 4]
    t = tf.layers.conv2d_transpose(h, 2, 3, strides=2, padding="same")
    assert t.name == "conv2d_transpose/BiasAdd:0" and t.shape.as_list() == [None, 8, 8, 2]
    v = tf.layers.conv2d_transpose(h, 2, 3, strides=2)                     # VALID: 4*2 + (3-2)
    assert v.shape.as_list() == [None, 9, 9, 2]
    p = tf.layers.average_pooling2d(t, 2, 2)
    assert p.name == "average_pooling2d/AvgPool:0"
    f = tf.layers.flatten(p)
    assert f.name == "flatten/Reshape:0" and f.shape.as_list() == [None, 32]
    assert _names(tf.trainable_variables()) == [
        "conv2d/kernel:0", "conv2d/bias:0", "conv2d_transpose/kernel:0", "conv2d_transpose/bias:0",
        "conv2d_transpose_1/kernel:0", "conv2d_transpose_1/bias:0"]
    assert tf.trainable_variables()[2].shape.as_list() == [3, 3, 2, 4]       # (kh, kw, out, in)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run([f, v], {x: np.ones((2, 8, 8, 1), np.float32)})
    assert out[0].shape == (2, 32) and out[1].shape == (2, 9, 9, 2)


def test_dropout_layer_only_drops_when_training():
    x = tf.ones([100, 10])
    training = tf.placeholder(tf.bool, [])
    off = tf.layers.dropout(x, 0.3, training=False)
    on = tf.layers.dropout(x, 0.3, training=True, seed=1)
    switched = tf.layers.dropout(x, 0.5, training=training, seed=2)
    assert off.name == "dropout/Identity:0"
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(off), np.ones((100, 10)))
        kept = sess.run(on) != 0
        assert abs(kept.mean() - 0.7) < 0.05
        np.testing.assert_array_equal(sess.run(switched, {training: False}), np.ones((100, 10)))
        assert set(np.unique(sess.run(switched, {training: True}))) == {0.0, 2.0}


def _bn_program(fused, training_value, steps=3):
    """Run a batch-norm layer's update ops a few times; return (outputs, moving mean, moving var)."""
    rng = np.random.default_rng(0)
    batches = [rng.normal(2.0, 3.0, size=(4, 3, 3, 2)).astype(np.float32) for _ in range(steps)]
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.batch_normalization(x, momentum=0.9, training=training, fused=fused)
    layer_vars = tf.global_variables()
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        step = tf.identity(y)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        outs = [sess.run(step, {x: b, training: training_value}) for b in batches]
        return batches, outs, sess.run(layer_vars[2:]), update_ops


@pytest.mark.parametrize("fused", [True, False])
def test_batch_normalization_moving_averages_move_only_when_training(fused):
    batches, outs, (moving_mean, moving_var), update_ops = _bn_program(fused, True)
    # As TF (tf_keras 2.21, TF_USE_LEGACY_KERAS=1, printed the same scopes with a bool placeholder):
    # the fused layer assigns with a momentum chosen by "cond_1", the unfused one assigns inside
    # the conds "cond_2" and "cond_3" (TF's UPDATE_OPS: their Merge ops; minitf's: the If ops).
    if fused:
        assert [op.name for op in update_ops] == ["batch_normalization/AssignMovingAvg",
                                                  "batch_normalization/AssignMovingAvg_1"]
        assert {op.type for op in update_ops} == {"AssignSub"}
    else:
        assert [op.name for op in update_ops] == ["batch_normalization/cond_2", "batch_normalization/cond_3"]
        assert {op.type for op in update_ops} == {"If"}
    want_mean, want_var = np.zeros(2), np.ones(2)
    for b in batches:
        rows = b.reshape(-1, 2)
        # TF's fused op reports the unbiased variance, the unfused path (tf.nn.moments) the biased one.
        want_mean = want_mean * 0.9 + rows.mean(0) * 0.1
        want_var = want_var * 0.9 + rows.var(0, ddof=1 if fused else 0) * 0.1
    np.testing.assert_allclose(moving_mean, want_mean, rtol=1e-5)
    np.testing.assert_allclose(moving_var, want_var, rtol=1e-5)
    rows = batches[-1].reshape(-1, 2)
    np.testing.assert_allclose(outs[-1], (batches[-1] - rows.mean(0)) / np.sqrt(rows.var(0) + 1e-3),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("fused", [True, False])
def test_batch_normalization_inference_uses_the_moving_averages(fused):
    batches, outs, (moving_mean, moving_var), _ = _bn_program(fused, False)
    np.testing.assert_array_equal(moving_mean, np.zeros(2))
    np.testing.assert_array_equal(moving_var, np.ones(2))
    np.testing.assert_allclose(outs[0], batches[0] / np.sqrt(1 + 1e-3), rtol=1e-5)


def test_batch_normalization_variables_and_collections():
    x = tf.placeholder(tf.float32, [None, 5])
    tf.layers.batch_normalization(x, training=True)
    tf.layers.batch_normalization(x, training=False)
    assert _names(tf.trainable_variables()) == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization_1/gamma:0", "batch_normalization_1/beta:0"]
    assert "batch_normalization/moving_variance:0" in _names(tf.global_variables())
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2           # training=False adds none
    with pytest.raises(ValueError, match="fused batch norm only supports"):
        tf.layers.batch_normalization(x, fused=True)


def test_batch_normalization_trains_through_the_fused_op():
    x = tf.constant(np.random.default_rng(1).normal(size=(4, 2, 2, 3)).astype(np.float32))
    y = tf.layers.batch_normalization(x, training=True)
    loss = tf.reduce_sum(y * tf.constant(np.arange(48, dtype=np.float32).reshape(4, 2, 2, 3)))
    grads = tf.gradients(loss, [x] + tf.trainable_variables())
    assert grads[0].op.type == "FusedBatchNormGradV3"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        dx, dgamma, dbeta = sess.run(grads)
    assert dx.shape == (4, 2, 2, 3)
    np.testing.assert_allclose(dbeta, np.arange(48).reshape(-1, 3).sum(0))


def test_contrib_fully_connected_and_flatten_names():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    flat = tf.contrib.layers.flatten(x)
    a = tf.contrib.layers.fully_connected(flat, 3)
    b = tf.contrib.layers.fully_connected(a, 2, activation_fn=None)
    c = tf.contrib.layers.fully_connected(flat, 3, scope="fully_connected", reuse=True)
    assert flat.name == "Flatten/flatten/Reshape:0" and flat.shape.as_list() == [None, 6]
    assert (a.name, b.name, c.name) == ("fully_connected/Relu:0", "fully_connected_1/BiasAdd:0",
                                        "fully_connected_2/Relu:0")
    expected = ["fully_connected/weights:0", "fully_connected/biases:0", "fully_connected_1/weights:0",
                "fully_connected_1/biases:0"]
    assert _names(tf.trainable_variables()) == expected
    assert _names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == expected


def test_layer_argument_errors():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    with pytest.raises(ValueError, match="padding"):
        tf.layers.conv2d(x, 4, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        tf.layers.conv2d(x, 4, (3, 3, 3))
    with pytest.raises(ValueError, match="last dimension of the inputs to `Dense` should be defined"):
        tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 3)
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=2"):
        tf.layers.conv2d(tf.placeholder(tf.float32, [None, 3]), 4, 3)


def test_optimizer_slots_built_under_update_ops_initialize_without_a_feed():
    """As TF's init_scope: a variable's initializer ignores the control dependencies around it."""
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder(tf.bool, name="training")
    loss = tf.reduce_sum(tf.layers.batch_normalization(tf.layers.dense(x, 2), training=training))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        counter = tf.Variable(0.0, name="counter")
    assert not counter.initializer.control_inputs
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())          # no value for `training` needed
        sess.run(train_op, {x: np.ones((2, 3), np.float32), training: True})


def test_kernel_regularizers_feed_the_regularization_losses():
    x = tf.placeholder(tf.float32, [None, 4])
    tf.layers.dense(x, 3, kernel_regularizer=tf.contrib.layers.l2_regularizer(0.5),
                    kernel_initializer=tf.constant_initializer(np.ones((4, 3), np.float32)))
    tf.contrib.layers.fully_connected(x, 2, weights_regularizer=tf.contrib.layers.l2_regularizer(0.1),
                                      weights_initializer=tf.ones_initializer())
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert np.isclose(sess.run(tf.losses.get_regularization_loss()), 0.5 * 12 / 2 + 0.1 * 8 / 2)


def test_scope_default_initializer_reaches_layer_kernels():
    x = tf.placeholder(tf.float32, [None, 2])
    with tf.variable_scope("net", initializer=tf.constant_initializer(0.25)):
        layer = tf.layers.Dense(3)
        layer(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(layer.kernel), np.full((2, 3), 0.25, np.float32))
        np.testing.assert_array_equal(sess.run(layer.bias), np.zeros(3, np.float32))   # bias: zeros_initializer


def test_a_user_defined_layer_builds_its_variables_in_its_own_scope():
    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.factor = self.add_variable("factor", [int(input_shape[-1])], initializer=tf.ones_initializer())

        def call(self, inputs):
            return inputs * self.factor

    x = tf.placeholder(tf.float32, [None, 3])
    first, second = Scale(), Scale()
    y = second(first(x))
    assert _names(tf.trainable_variables()) == ["scale/factor:0", "scale_1/factor:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(y, {x: np.full((1, 3), 2.0, np.float32)}), [[2.0, 2.0, 2.0]])


def test_training_placeholder_switches_with_tf_cond_as_tf_names_it():
    """TF's smart_cond: a placeholder builds conds (scopes as tf_keras 2.21 names them), a constant does not."""
    training = tf.placeholder(tf.bool, [], name="training")
    images, rows = tf.placeholder(tf.float32, [None, 2, 2, 3]), tf.placeholder(tf.float32, [None, 3])
    tf.layers.batch_normalization(images, training=training)
    tf.layers.batch_normalization(rows, training=training)
    dropped = tf.layers.dropout(rows, training=training)
    conds = [(op.type, op.name) for op in tf.get_default_graph().get_operations() if "cond" in op.name]
    assert conds == [
        ("StatelessIf", "batch_normalization/cond"),          # FusedBatchNormV3, training or inference
        ("StatelessIf", "batch_normalization/cond_1"),        # the momentum: 0.99 or 1
        ("StatelessIf", "batch_normalization_1/cond"), ("StatelessIf", "batch_normalization_1/cond_1"),
        ("If", "batch_normalization_1/cond_2"), ("If", "batch_normalization_1/cond_3"),   # the updates
        ("If", "dropout/cond")]
    assert dropped.name == "dropout/cond:0" and dropped.shape.as_list() == [None, 3]
    known = tf.layers.dropout(rows, training=tf.constant(True))    # known while building: no cond
    assert known.name == "dropout_1/dropout/mul_1:0"
    with pytest.raises(TypeError, match="must be a bool Tensor"):
        tf.layers.dropout(rows, training=tf.constant(1.0))
