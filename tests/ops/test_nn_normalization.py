"""tf.nn's normalization helpers and friends: batch_normalization, l2_normalize, moments, dropout, top_k.

batch_normalization and l2_normalize are thin Python over ops (as in TF), so
they have no op-table row; their values, names and gradients are checked here.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

from ops_helpers import Case, check_gradients, positive, uniform


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_batch_normalization_matches_the_formula_and_tf_names():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 3, 2)).astype(np.float32)
    mean, variance = tf.nn.moments(tf.constant(x), [0, 1, 2])
    y = tf.nn.batch_normalization(x, mean, variance, offset=0.5, scale=2.0, variance_epsilon=1e-3)
    assert y.op.name == "batchnorm/add_1" and y.shape.as_list() == [4, 3, 3, 2]
    want = (x - x.mean((0, 1, 2))) / np.sqrt(x.var((0, 1, 2)) + 1e-3) * 2.0 + 0.5
    np.testing.assert_allclose(_run(y), want, rtol=1e-5, atol=1e-5)
    no_affine = tf.nn.batch_normalization(x, mean, variance, None, None, 1e-3)
    np.testing.assert_allclose(_run(no_affine), (want - 0.5) / 2.0, rtol=1e-4, atol=1e-5)


def test_batch_normalization_gradient():
    def bn(x, m, v, o, s):
        return tf.nn.batch_normalization(x, m, v, o, s, 1e-3)
    check_gradients(Case("batchnorm", bn, None, (uniform(2, 3), uniform(3), positive(3), uniform(3),
                                                  uniform(3))))


def test_l2_normalize_values_epsilon_and_gradient():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], np.float32)
    y = tf.nn.l2_normalize(x, axis=1)
    assert y.op.name == "l2_normalize"
    np.testing.assert_allclose(_run(y), [[0.6, 0.8], [0.0, 0.0]])       # epsilon: zeros stay zeros
    np.testing.assert_allclose(_run(tf.nn.l2_normalize(x, dim=0)), x / np.array([3.0, 4.0]))
    check_gradients(Case("l2_normalize", lambda t: tf.nn.l2_normalize(t, 1), None, (uniform(2, 3),)))


def test_moments_over_the_conv_axes():
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 4))
    mean, variance = _run(tf.nn.moments(tf.constant(x), [0, 1, 2], keep_dims=True))
    assert mean.shape == (1, 1, 1, 4)
    np.testing.assert_allclose(mean, x.mean((0, 1, 2), keepdims=True))
    np.testing.assert_allclose(variance, x.var((0, 1, 2), keepdims=True))


@pytest.mark.parametrize("kwargs", [{"keep_prob": 0.75}, {"rate": 0.25}])
def test_dropout_keeps_about_keep_prob_and_scales_by_its_inverse(kwargs):
    tf.set_random_seed(3)
    y = _run(tf.nn.dropout(tf.ones([200, 50]), seed=1, **kwargs))
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)


def test_dropout_builds_tf_1_15s_nodes():
    """TF 1.15's dropout_v2: x * (1 / (1 - rate)) * cast(random >= rate), the result "dropout/mul_1".

    (From TF 1.15's nn_ops.py; TF 2.x's dropout ends in a SelectV2 instead.)
    """
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.nn.dropout(x, rate=0.3)
    keep_prob = tf.placeholder(tf.float32, name="keep_prob")
    z = tf.nn.dropout(x, keep_prob=keep_prob)
    assert y.name == "dropout/mul_1:0" and z.name == "dropout_1/mul_1:0"
    assert y.shape.as_list() == [None, 3]
    assert [(op.type, op.name) for op in y.graph.get_operations()
            if op.name.startswith("dropout/") and "random_uniform/" not in op.name] == [
        ("Const", "dropout/rate"), ("Shape", "dropout/Shape"), ("Add", "dropout/random_uniform"),
        ("Const", "dropout/sub/x"), ("Sub", "dropout/sub"), ("Const", "dropout/truediv/x"),
        ("RealDiv", "dropout/truediv"), ("GreaterEqual", "dropout/GreaterEqual"), ("Mul", "dropout/mul"),
        ("Cast", "dropout/Cast"), ("Mul", "dropout/mul_1")]
    assert z.graph.get_operation_by_name("sub").inputs[1] is keep_prob      # 1 - keep_prob, outside


def test_moments_names_its_axes_as_tf():
    """Recorded with TF 2.21 compat.v1 (same code as 1.15): the axes are the Mean ops' reduction_indices."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    mean, variance = tf.nn.moments(x, [0])
    assert (mean.name, variance.name) == ("moments/Squeeze:0", "moments/Squeeze_1:0")
    assert [op.name for op in x.graph.get_operations()][1:] == [
        "moments/mean/reduction_indices", "moments/mean", "moments/StopGradient", "moments/SquaredDifference",
        "moments/variance/reduction_indices", "moments/variance", "moments/Squeeze", "moments/Squeeze_1"]
    assert tf.reduce_sum(x, 1).op.inputs[1].op.name == "Sum/reduction_indices"
    assert tf.reduce_sum(x).op.inputs[1].op.name == "Const"                # all axes: TF's _ReductionDims


def test_dropout_errors():
    with pytest.raises(ValueError, match="rate must be a scalar tensor or a float in the range"):
        tf.nn.dropout(tf.ones([2]), rate=1.0)
    with pytest.raises(ValueError, match="You must provide a rate"):
        tf.nn.dropout(tf.ones([2]))
    with pytest.raises(ValueError, match="Cannot specify both 'keep_prob' and 'rate'"):
        tf.nn.dropout(tf.ones([2]), keep_prob=0.5, rate=0.5)


def test_top_k_shapes_and_errors():
    x = tf.placeholder(tf.float32, [None, 5])
    values, indices = tf.nn.top_k(x, 3)
    assert values.shape.as_list() == [None, 3] and indices.dtype == tf.int32
    with pytest.raises(ValueError, match="input must have at least k columns. Had 5, needed 6"):
        tf.nn.top_k(x, 6)


def test_in_top_k_counts_ties_at_the_boundary_in():
    predictions = np.array([[0.1, 0.5, 0.5, 0.2]], np.float32)
    got = [_run(tf.nn.in_top_k(predictions, [t], 1))[0] for t in range(4)]
    assert got == [False, True, True, False]


# Recorded with TF 2.21 (compat.v1, graph mode): x = arange(24).reshape(2, 2, 3, 2) ** 1.5 / 7 (float32),
# scale [1.5, 0.5], offset [0.1, -0.2], tf.nn.fused_batch_norm(x, scale, offset, epsilon=1e-3).
TF_FUSED_Y_FIRST4 = [-1.7919072, -0.85380137, -1.6651853, -0.79413915]
TF_FUSED_MEAN = [6.032469, 6.7118645]
TF_FUSED_VARIANCE = [24.95414, 27.530823]          # unbiased: what moving averages should track


def test_fused_batch_norm_matches_tf_and_builds_its_nodes():
    x = tf.placeholder(tf.float32, [2, 2, 3, 2])
    y, mean, variance = tf.nn.fused_batch_norm(x, [1.5, 0.5], [0.1, -0.2], epsilon=1e-3)
    op = y.op
    assert (op.type, op.name, len(op.outputs)) == ("FusedBatchNormV3", "FusedBatchNormV3", 6)
    assert [t.op.type for t in op.inputs[3:]] == ["Const", "Const"]        # the empty statistics
    assert op.get_attr("is_training") is True and abs(op.get_attr("epsilon") - 1e-3) < 1e-9
    dx = tf.gradients(tf.reduce_sum(y * y), x)[0]
    assert dx.op.type == "FusedBatchNormGradV3"
    assert dx.op.name == "gradients/FusedBatchNormV3_grad/FusedBatchNormGradV3"
    assert [t.name for t in dx.op.inputs[3:]] == ["FusedBatchNormV3:3", "FusedBatchNormV3:4",
                                                  "FusedBatchNormV3:5"]
    xv = (np.arange(24, dtype=np.float32).reshape(2, 2, 3, 2) ** 1.5 / 7)
    got = _run([y, mean, variance, op.outputs[5]], {x: xv})
    np.testing.assert_allclose(got[0].ravel()[:4], TF_FUSED_Y_FIRST4, rtol=1e-5)
    np.testing.assert_allclose(got[1], TF_FUSED_MEAN, rtol=1e-6)
    np.testing.assert_allclose(got[2], TF_FUSED_VARIANCE, rtol=1e-6)
    assert got[3].shape == (0,)


def test_fused_batch_norm_inference_uses_the_given_statistics():
    x = np.random.default_rng(0).normal(size=(2, 3, 3, 2)).astype(np.float32)
    y, mean, variance = tf.nn.fused_batch_norm(x, [2.0, 1.0], [0.0, 1.0], mean=[1.0, -1.0], variance=[4.0, 0.25],
                                               is_training=False)
    got = _run([y, mean, variance])
    want = (x - [1.0, -1.0]) / np.sqrt(np.array([4.0, 0.25]) + 1e-3) * [2.0, 1.0] + [0.0, 1.0]
    np.testing.assert_allclose(got[0], want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], [1.0, -1.0])
    np.testing.assert_allclose(got[2], [4.0, 0.25])


def test_fused_batch_norm_errors():
    x = tf.placeholder(tf.float32, [2, 3, 3, 2])
    with pytest.raises(ValueError, match="must be a 1-D tensor when is_training is False"):
        tf.nn.fused_batch_norm(x, [1.0, 1.0], [0.0, 0.0], is_training=False)
    with pytest.raises(ValueError, match="must be None if is_training is True"):
        tf.nn.fused_batch_norm(x, [1.0, 1.0], [0.0, 0.0], mean=[0.0, 0.0], variance=[1.0, 1.0])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.nn.fused_batch_norm(x, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 2"):
        tf.nn.fused_batch_norm(tf.placeholder(tf.float32, [2, 3]), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.nn.fused_batch_norm(tf.placeholder(tf.int32, [2, 3, 3, 2]), [1, 1], [0, 0])


def test_dropout_noise_shape_shares_the_mask_along_broadcast_axes():
    x = tf.ones([4, 6, 3])
    y = tf.nn.dropout(x, rate=0.5, noise_shape=[4, 1, 3], seed=1)
    got = _run(y)
    assert set(np.unique(got)) <= {0.0, 2.0}
    assert (got == got[:, :1, :]).all()        # one decision per (example, channel), shared along axis 1


@pytest.mark.parametrize("op_type, is_training", [("FusedBatchNormV3", True), ("FusedBatchNormV3", False),
                                                  ("FusedBatchNormV2", True), ("FusedBatchNorm", True)])
def test_fused_batch_norm_gradient_matches_the_formula_built_from_checked_ops(op_type, is_training):
    """TF's fused batch norm takes no float64, so the op table cannot check its gradient numerically;
    instead y's float32 gradient is compared with the float64 gradient of the same formula written with
    elementary ops (whose own gradients the op table checks by central differences)."""
    from minitf.framework.op_builder import apply_op
    rng = np.random.default_rng(3)
    x, scale, offset = rng.uniform(-1, 1, (2, 3, 2, 3)), rng.uniform(0.5, 2, 3), rng.uniform(-1, 1, 3)
    mean, variance = np.array([0.3, -0.2, 0.1]), np.array([1.5, 0.7, 2.0])
    weights = rng.uniform(-1, 1, x.shape)
    eps = 0.001
    with tf.Graph().as_default(), tf.Session() as sess:
        fused_in = [tf.constant(a, tf.float32) for a in (x, scale, offset)]
        stats = [tf.constant(a if not is_training else [], tf.float32) for a in (mean, variance)]
        attrs = {"epsilon": eps, "data_format": "NHWC", "is_training": is_training}
        if op_type != "FusedBatchNorm":
            attrs["U"] = tf.float32
        y = apply_op(op_type, fused_in + stats, attrs)[0]
        fused = tf.gradients(tf.reduce_sum(y * weights.astype(np.float32)), fused_in)

        plain_in = [tf.constant(a) for a in (x, scale, offset)]
        m, v = tf.nn.moments(plain_in[0], [0, 1, 2]) if is_training else (mean, variance)
        y64 = (plain_in[0] - m) / tf.sqrt(v + eps) * plain_in[1] + plain_in[2]
        plain = tf.gradients(tf.reduce_sum(y64 * weights), plain_in)
        for got, want in zip(sess.run(fused), sess.run(plain)):
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_fused_batch_norm_refuses_float64_in_tf_words():
    # Recorded from TF 2.21 compat.v1: tf.nn.fused_batch_norm on float64 constants (graph mode).
    with tf.Graph().as_default():
        x = tf.constant(np.ones((1, 1, 1, 2)))
        with pytest.raises(TypeError) as info:
            tf.nn.fused_batch_norm(x, tf.constant([1.0, 1.0], tf.float64), tf.constant([0.0, 0.0], tf.float64))
    assert str(info.value) == ("Value passed to parameter 'x' has DataType float64 not in list of allowed "
                               "values: float16, bfloat16, float32")
