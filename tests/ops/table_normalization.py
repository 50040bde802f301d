"""Op-table rows for fused batch normalization (FusedBatchNormV3 and its gradient op).

The references are numpy written from the formulas in TF's kernel: training
normalizes with the batch's biased variance and reports the unbiased one;
inference normalizes with the given statistics.  Each row returns the outputs a
user reads; the gradient rows check y's gradient only (TF ignores the
statistics' gradients).
"""

from __future__ import annotations

import numpy as np

import minitf as tf
from minitf.framework.op_builder import apply_op

from ops_helpers import Case, fixed, positive, uniform

EPS = 0.001
# TF's fused batch norm takes no float64 (x: half, bfloat16, float32; V1 float32 only): the rows run in
# float32, and y's gradient is checked by central differences in float32 in test_nn_normalization.py.
F32_ONLY = (np.dtype(np.float32),)
ATTRS = {"epsilon": EPS, "data_format": "NHWC"}


def np_batch_norm(x, scale, offset, mean=None, variance=None, eps=EPS):
    rows = x.reshape(-1, x.shape[-1])
    training = mean is None
    if training:
        mean, variance = rows.mean(0), rows.var(0)
    y = (x - mean) / np.sqrt(variance + eps) * scale + offset
    n = len(rows)
    reported = variance * (n / (n - 1) if n > 1 else 1) if training else variance
    return y, mean, reported


def np_batch_norm_grad(dy, x, scale, mean, variance, training, eps=EPS):
    dy2, x2 = dy.reshape(-1, x.shape[-1]), x.reshape(-1, x.shape[-1])
    inv = 1 / np.sqrt(variance + eps)
    x_hat = (x2 - mean) * inv
    doffset, dscale = dy2.sum(0), (dy2 * x_hat).sum(0)
    g = dy2 - doffset / len(x2) - x_hat * dscale / len(x2) if training else dy2
    return [(scale * inv * g).reshape(x.shape), dscale, doffset]


def _training_row(tag, x_shape):
    depth = x_shape[-1]
    return Case("FusedBatchNormV3", lambda x, s, o: list(tf.nn.fused_batch_norm(x, s, o, epsilon=EPS)),
                lambda x, s, o: list(np_batch_norm(x, s, o)),
                (uniform(*x_shape), positive(depth), uniform(depth)), dtypes=F32_ONLY,
                grad=False, tag=tag, rtol32=1e-4)


def _y_only_row(tag, is_training):
    """y alone (the op's statistics take no gradient); its float32 gradient: test_nn_normalization.py."""
    mean, variance = np.array([0.3, -0.2, 0.1]), np.array([1.5, 0.7, 2.0])

    def build(x, s, o):
        if is_training:
            return tf.nn.fused_batch_norm(x, s, o, epsilon=EPS)[0]
        return tf.nn.fused_batch_norm(x, s, o, tf.constant(mean, x.dtype), tf.constant(variance, x.dtype),
                                      epsilon=EPS, is_training=False)[0]

    def ref(x, s, o):
        return np_batch_norm(x, s, o, *(() if is_training else (mean, variance)))[0]
    return Case("FusedBatchNormV3", build, ref, (uniform(2, 3, 2, 3), positive(3), uniform(3)), tag=tag,
                dtypes=F32_ONLY, grad=False, rtol32=1e-4)


def _grad_row(tag, is_training):
    def build(dy, x, s, m, v):
        outs = apply_op("FusedBatchNormGradV3", [dy, x, s, m, v, tf.constant([], x.dtype)],
                        dict(ATTRS, is_training=is_training, U=x.dtype.base_dtype))
        return outs[:3]
    return Case("FusedBatchNormGradV3", build,
                lambda dy, x, s, m, v: np_batch_norm_grad(dy, x, s, m, v, is_training),
                (uniform(2, 3, 2, 3), uniform(2, 3, 2, 3), positive(3), uniform(3), positive(3)),
                dtypes=F32_ONLY, grad=False, tag=tag, rtol32=1e-4)     # TF's _FusedBatchNormGradGrad is not built


CASES = [
    _training_row("", (2, 3, 4, 3)),
    _training_row("one_row", (1, 1, 1, 2)),         # a single sample: the variance needs no correction
    Case("FusedBatchNormV3",
         lambda x, s, o, m, v: list(tf.nn.fused_batch_norm(x, s, o, m, v, epsilon=EPS, is_training=False)),
         lambda x, s, o, m, v: list(np_batch_norm(x, s, o, m, v)),
         (uniform(2, 2, 3, 2), positive(2), uniform(2), uniform(2), positive(2)), grad=False, dtypes=F32_ONLY,
         tag="inference", rtol32=1e-4),
    _y_only_row("y_training", True),
    _y_only_row("y_inference", False),
    _grad_row("training", True),
    _grad_row("inference", False),
    Case("FusedBatchNormV3", lambda x, s, o: tf.nn.fused_batch_norm(x, s, o, epsilon=1e-7)[0],
         lambda x, s, o: np_batch_norm(x, s, o, eps=1.001e-5)[0],       # TF's smallest epsilon
         (fixed([[[[1.0, 2.0], [1.0, 4.0]]]]), fixed([1.0, 1.0]), fixed([0.0, 0.0])), grad=False, dtypes=F32_ONLY,
         tag="min_epsilon", partial=False),
]


# --- FusedBatchNorm (V1) and V2: what graphs from TF 1.0-1.13 hold -----------------------------------------
def _older_forward_row(version, is_training):
    attrs = dict(ATTRS, is_training=is_training)

    def build(x, s, o, m, v):
        if version == "V2":
            attrs["U"] = x.dtype.base_dtype
        outs = apply_op("FusedBatchNorm" + version, [x, s, o, m, v], attrs)
        return outs[:3] if is_training else outs[0]        # y, and in training the reported statistics

    def ref(x, s, o, m, v):
        out = np_batch_norm(x, s, o, *(() if is_training else (m, v)))
        return list(out) if is_training else out[0]
    return Case("FusedBatchNorm" + version, build, ref,
                (uniform(2, 3, 2, 3), positive(3), uniform(3), uniform(3), positive(3)),
                grad=False, dtypes=F32_ONLY, tag=("training" if is_training else "inference"), rtol32=1e-4)


def _older_y_row(version):
    """y alone in training (its gradient runs FusedBatchNormGrad{version}), checked numerically."""
    def build(x, s, o):
        attrs = dict(ATTRS, is_training=True)
        if version == "V2":
            attrs["U"] = x.dtype.base_dtype
        empty = tf.constant([], x.dtype)
        return apply_op("FusedBatchNorm" + version, [x, s, o, empty, empty], attrs)[0]
    return Case("FusedBatchNorm" + version, build, lambda x, s, o: np_batch_norm(x, s, o)[0],
                (uniform(2, 3, 2, 3), positive(3), uniform(3)), tag="y_training", dtypes=F32_ONLY,
                grad=False, rtol32=1e-4)


def _older_grad_row(version):
    def build(dy, x, s, m, v):
        attrs = dict(ATTRS, is_training=True)
        if version == "V2":
            attrs["U"] = x.dtype.base_dtype
        return apply_op("FusedBatchNormGrad" + version, [dy, x, s, m, v], attrs)[:3]
    return Case("FusedBatchNormGrad" + version, build,
                lambda dy, x, s, m, v: np_batch_norm_grad(dy, x, s, m, v, True),
                (uniform(2, 3, 2, 3), uniform(2, 3, 2, 3), positive(3), uniform(3), positive(3)), grad=False,
                dtypes=F32_ONLY, rtol32=1e-4)


for _version in ("", "V2"):
    CASES += [_older_forward_row(_version, True), _older_forward_row(_version, False), _older_y_row(_version),
              _older_grad_row(_version)]
