"""The op table: one row per op type (some ops have several rows), driving every table test.

Each row says how to build the op with minitf, how numpy computes the same
thing, what inputs to feed, in which dtypes, and which checks apply.  Adding
an op to minitf means adding a row here (``test_every_registered_op_has_a_case``
fails until you do).
"""

from __future__ import annotations

import numpy as np

import minitf as tf
from minitf.framework.op_builder import apply_op
from minitf.ops.array_ops import broadcast_gradient_args

import conv_reference as conv
from ops_helpers import (F32, FLOATS, I32, NUMBERS, Case, away_from, bools, distribution, fixed,
                         ints, positive, uniform)


# --- numpy references that need more than one line ---------------------------------------------
def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def np_log_softmax(x):
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def np_xent(logits, labels):
    lp = np_log_softmax(logits)
    return [-(labels * lp).sum(-1), np.exp(lp) - labels]


def np_sparse_xent(logits, labels):
    return -np_log_softmax(logits)[np.arange(len(labels)), labels]


def np_bga(s0, s1):
    n = max(len(s0), len(s1))
    p0, p1 = [1] * (n - len(s0)) + list(s0), [1] * (n - len(s1)) + list(s1)
    r0 = [i for i in range(n) if p0[i] == 1 and p1[i] != 1 or i < n - len(s0)]
    r1 = [i for i in range(n) if p1[i] == 1 and p0[i] != 1 or i < n - len(s1)]
    return [np.array(r0, np.int32), np.array(r1, np.int32)]


def np_segment_sum(data, ids, n):
    out = np.zeros((n,) + data.shape[1:], data.dtype)
    for row, i in zip(data, ids):
        if i >= 0:
            out[i] += row
    return out


def np_one_hot(indices, depth, dtype):
    return (indices[..., None] == np.arange(depth)).astype(dtype)


def np_strided_slice_grad(dy):
    out = np.zeros((4, 5), dy.dtype)
    out[1:3, ::2] = dy
    return out


def np_elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def np_softplus(x):
    return np.logaddexp(0, x)


def np_div_no_nan(x, y):
    return np.where(y == 0, 0, x / np.where(y == 0, 1, y)).astype(x.dtype)


def np_mean(x, axis):
    """TF's mean: integer means truncate toward zero."""
    if x.dtype.kind == "i":
        return (x.sum(axis) / np.prod(np.array(x.shape)[list(np.atleast_1d(axis))])).astype(x.dtype)
    return x.mean(axis)


def _other_float(t):
    return tf.float32 if t.dtype == tf.float64 else tf.float64


def _grad_op(op_type):
    return lambda a, b: apply_op(op_type, [a, b])


_SSG_ATTRS = {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
              "shrink_axis_mask": 0, "Index": tf.int32}


def _strided_slice_grad(dy):
    consts = [tf.constant(v) for v in ([4, 5], [1, 0], [3, 5], [1, 2])]
    return apply_op("StridedSliceGrad", consts + [dy], _SSG_ATTRS)


# --- unary elementwise ops ----------------------------------------------------------------------
UNARY = [
    Case("Neg", tf.negative, np.negative, (uniform(2, 3),), NUMBERS),
    Case("Abs", tf.abs, np.abs, (away_from(2, 3),), NUMBERS),
    Case("Square", tf.square, np.square, (uniform(2, 3),), NUMBERS),
    Case("Sqrt", tf.sqrt, np.sqrt, (positive(2, 3),)),
    Case("Rsqrt", tf.rsqrt, lambda x: 1 / np.sqrt(x), (positive(2, 3),)),
    Case("Exp", tf.exp, np.exp, (uniform(2, 3),)),
    Case("Expm1", tf.expm1, np.expm1, (uniform(2, 3),)),
    Case("Log", tf.log, np.log, (positive(2, 3),)),
    Case("Log1p", tf.log1p, np.log1p, (positive(2, 3),)),
    Case("Sigmoid", tf.sigmoid, np_sigmoid, (uniform(2, 3),)),
    Case("Tanh", tf.tanh, np.tanh, (uniform(2, 3),)),
    Case("Reciprocal", tf.reciprocal, np.reciprocal, (positive(2, 3),)),
    Case("Sin", tf.sin, np.sin, (uniform(2, 3),)),
    Case("Cos", tf.cos, np.cos, (uniform(2, 3),)),
    Case("Sign", tf.sign, np.sign, (away_from(2, 3),), NUMBERS),
    Case("Floor", tf.floor, np.floor, (uniform(2, 3),), grad=False),
    Case("Ceil", tf.ceil, np.ceil, (uniform(2, 3),), grad=False),
    Case("Round", tf.round, np.round, (fixed([[0.5, 1.5, 2.5], [-0.5, -1.2, 2.7]]),), grad=False),
    Case("LogicalNot", tf.logical_not, np.logical_not, (bools(2, 3),), (F32,), grad=False),
    Case("Relu", tf.nn.relu, lambda x: np.maximum(x, 0), (away_from(2, 3),)),
    Case("Relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6),
         (away_from(3, 4, points=(0.0, 6.0), lo=-3, hi=9),)),
    Case("Elu", tf.nn.elu, np_elu, (away_from(2, 3),)),
    Case("Softplus", tf.nn.softplus, np_softplus, (uniform(2, 3, lo=-4, hi=4),)),
]

# --- gradient kernels: (y or dy, x) pairs -----------------------------------------------------------
GRAD_KERNELS = [
    Case("SqrtGrad", _grad_op("SqrtGrad"), lambda y, dy: dy * 0.5 / y,
         (positive(2, 3), uniform(2, 3)), grad=False),
    Case("RsqrtGrad", _grad_op("RsqrtGrad"), lambda y, dy: -0.5 * dy * y ** 3,
         (positive(2, 3), uniform(2, 3)), grad=False),
    Case("ReciprocalGrad", _grad_op("ReciprocalGrad"), lambda y, dy: -dy * y * y,
         (positive(2, 3), uniform(2, 3)), grad=False),
    Case("SigmoidGrad", _grad_op("SigmoidGrad"), lambda y, dy: dy * y * (1 - y),
         (uniform(2, 3, lo=0.1, hi=0.9), uniform(2, 3))),
    Case("TanhGrad", _grad_op("TanhGrad"), lambda y, dy: dy * (1 - y * y),
         (uniform(2, 3, lo=-0.9, hi=0.9), uniform(2, 3))),
    Case("ReluGrad", _grad_op("ReluGrad"), lambda dy, x: dy * (x > 0),
         (uniform(2, 3), away_from(2, 3))),
    Case("Relu6Grad", _grad_op("Relu6Grad"), lambda dy, x: dy * ((x > 0) & (x < 6)),
         (uniform(2, 3), away_from(2, 3, points=(0.0, 6.0), lo=-2, hi=8))),
    Case("EluGrad", _grad_op("EluGrad"), lambda dy, y: np.where(y < 0, dy * (y + 1), dy),
         (uniform(2, 3), away_from(2, 3, lo=-0.9, hi=2))),
    Case("SoftplusGrad", _grad_op("SoftplusGrad"), lambda dy, x: dy * np_sigmoid(x),
         (uniform(2, 3), uniform(2, 3))),
]

# --- binary elementwise ops (broadcasting [2,3] with [3]) ------------------------------------------
BINARY = [
    Case("Add", tf.add, np.add, (uniform(2, 3), uniform(3)), NUMBERS),
    Case("AddV2", lambda x, y: apply_op("AddV2", [x, y]), np.add, (uniform(2, 3), uniform(2, 1)),
         NUMBERS),
    Case("Sub", tf.subtract, np.subtract, (uniform(2, 3), uniform(3)), NUMBERS),
    Case("Mul", tf.multiply, np.multiply, (uniform(2, 3), uniform(2, 1)), NUMBERS),
    Case("RealDiv", tf.realdiv, np.divide, (uniform(2, 3), away_from(3))),
    Case("Div", lambda x, y: apply_op("Div", [x, y]), np.divide, (uniform(2, 3), away_from(3))),
    Case("FloorDiv", tf.floordiv, np.floor_divide, (uniform(2, 3), positive(3)), NUMBERS, grad=False),
    Case("FloorMod", tf.floormod, np.mod, (uniform(2, 3), positive(3)), NUMBERS),
    Case("Pow", tf.pow, np.power, (positive(2, 3), uniform(3)), FLOATS),
    Case("Pow", tf.pow, np.power, (uniform(2, 3), positive(3)), (I32,), grad=False, tag="int"),
    Case("Maximum", tf.maximum, np.maximum, (uniform(2, 3), uniform(3)), NUMBERS),
    Case("Minimum", tf.minimum, np.minimum, (uniform(2, 3), uniform(3)), NUMBERS),
    Case("SquaredDifference", tf.squared_difference, lambda x, y: (x - y) ** 2,
         (uniform(2, 3), uniform(3)), NUMBERS),
    Case("DivNoNan", tf.div_no_nan, np_div_no_nan, (uniform(2, 3), fixed([0.0, 2.0, -0.5])),
         grad=False, tag="zeros"),
    Case("DivNoNan", tf.div_no_nan, np_div_no_nan, (uniform(2, 3), away_from(3))),
]
for _op, _fn, _ref in [("Equal", tf.equal, np.equal), ("NotEqual", tf.not_equal, np.not_equal),
                       ("Less", tf.less, np.less), ("LessEqual", tf.less_equal, np.less_equal),
                       ("Greater", tf.greater, np.greater),
                       ("GreaterEqual", tf.greater_equal, np.greater_equal)]:
    BINARY.append(Case(_op, _fn, _ref, (ints(2, 3, lo=0, hi=3), ints(3, lo=0, hi=3)), (I32,), grad=False))
    BINARY.append(Case(_op, _fn, _ref, (uniform(2, 3), fixed([0.0, 1.0, -1.0])), FLOATS, grad=False,
                       tag="float"))
BINARY += [
    Case("LogicalAnd", tf.logical_and, np.logical_and, (bools(2, 3), bools(3)), (F32,), grad=False),
    Case("LogicalOr", tf.logical_or, np.logical_or, (bools(2, 3), bools(3)), (F32,), grad=False),
    Case("Select", tf.where, np.where, (bools(2, 3), uniform(2, 3), uniform(2, 3)), NUMBERS),
    Case("Select", tf.where, lambda c, x, y: np.where(c[:, None], x, y),
         (bools(2), uniform(2, 3), uniform(2, 3)), tag="rows"),
    Case("SelectV2", tf.where_v2, np.where, (bools(3), uniform(2, 3), uniform(1, 3)), NUMBERS),
    Case("AddN", lambda a, b, c: tf.add_n([a, b, c]), lambda a, b, c: a + b + c,
         (uniform(2, 3),) * 3, NUMBERS),
    Case("MatMul", tf.matmul, np.matmul, (uniform(2, 3), uniform(3, 4)), NUMBERS),
    Case("MatMul", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
         lambda a, b: a.T @ b.T, (uniform(3, 2), uniform(4, 3)), tag="ta_tb"),
    Case("MatMul", lambda a, b: tf.matmul(a, b, transpose_a=True), lambda a, b: a.T @ b,
         (uniform(3, 2), uniform(3, 4)), tag="ta"),
    Case("MatMul", lambda a, b: tf.matmul(a, b, transpose_b=True), lambda a, b: a @ b.T,
         (uniform(2, 3), uniform(4, 3)), tag="tb"),
    Case("BatchMatMulV2", tf.matmul, np.matmul, (uniform(2, 2, 3), uniform(3, 4))),
    Case("BatchMatMulV2", lambda a, b: tf.matmul(a, b, adjoint_a=True, adjoint_b=True),
         lambda a, b: np.swapaxes(a, -1, -2) @ np.swapaxes(b, -1, -2),
         (uniform(1, 3, 2), uniform(2, 4, 3)), tag="adj"),
]

# --- reductions ---------------------------------------------------------------------------------
REDUCTIONS = [
    Case("Sum", lambda x: tf.reduce_sum(x, 1), lambda x: x.sum(1), (uniform(2, 3, 2),), NUMBERS),
    Case("Sum", lambda x: tf.reduce_sum(x), lambda x: x.sum(), (uniform(2, 3),), tag="all"),
    Case("Mean", lambda x: tf.reduce_mean(x, [0, 2], keepdims=True),
         lambda x: x.mean((0, 2), keepdims=True), (uniform(2, 3, 2),)),
    Case("Mean", lambda x: tf.reduce_mean(x, 1), lambda x: np_mean(x, 1), (uniform(2, 3),), (I32,),
         grad=False, tag="int"),
    Case("Max", lambda x: tf.reduce_max(x, -1), lambda x: x.max(-1), (uniform(2, 3),), NUMBERS),
    Case("Max", lambda x: tf.reduce_max(x, 0), lambda x: x.max(0),
         (fixed([[1.0, 2.0], [1.0, 0.0]]),), tag="ties"),
    Case("Min", lambda x: tf.reduce_min(x, 0, keepdims=True), lambda x: x.min(0, keepdims=True),
         (uniform(2, 3),), NUMBERS),
    Case("Prod", lambda x: tf.reduce_prod(x, 1), lambda x: x.prod(1), (away_from(2, 3),), NUMBERS),
    Case("Prod", lambda x: tf.reduce_prod(x, 1), lambda x: x.prod(1),
         (fixed([[2.0, 0.0, 4.0], [0.0, 0.0, 3.0]]),), tag="zeros"),
    Case("Prod", lambda x: tf.reduce_prod(x, [0, -1], keepdims=True),
         lambda x: x.prod((0, 2), keepdims=True), (uniform(2, 3, 2),), tag="axes02"),
    Case("CheckNumerics", lambda x: tf.check_numerics(x, "x"), lambda x: x, (uniform(2, 3),)),
    Case("IsNan", tf.is_nan, np.isnan, (fixed([1.0, np.nan, np.inf, -np.inf]),), grad=False),
    Case("IsInf", tf.debugging.is_inf, np.isinf, (fixed([1.0, np.nan, np.inf, -np.inf]),), grad=False),
    Case("IsFinite", tf.is_finite, np.isfinite, (fixed([1.0, np.nan, np.inf, -np.inf]),), grad=False),
    Case("Cumsum", lambda x: tf.cumsum(x, 1), lambda x: np.cumsum(x, 1, dtype=x.dtype),
         (uniform(2, 3),), NUMBERS),
    Case("Cumsum", lambda x: tf.cumsum(x, 0, exclusive=True, reverse=True),
         lambda x: np.flip(np.cumsum(np.flip(x, 0), 0) - np.flip(x, 0), 0), (uniform(3, 2),),
         tag="exclusive_reverse"),
    Case("Cumprod", lambda x: tf.cumprod(x, -1), lambda x: np.cumprod(x, -1, dtype=x.dtype),
         (away_from(2, 3),), NUMBERS),
    Case("Cumprod", lambda x: tf.cumprod(x, 0, exclusive=True),
         lambda x: np.concatenate([np.ones_like(x[:1]), np.cumprod(x, 0)[:-1]]), (away_from(3, 2),),
         tag="exclusive"),
    Case("Any", lambda x: tf.reduce_any(x, 1), lambda x: x.any(1), (bools(3, 4),), (F32,), grad=False),
    Case("All", lambda x: tf.reduce_all(x, 0), lambda x: x.all(0), (bools(3, 4),), (F32,), grad=False),
    Case("ArgMax", lambda x: tf.argmax(x, 1), lambda x: x.argmax(1), (uniform(3, 4),), NUMBERS,
         grad=False),
    Case("ArgMin", lambda x: tf.argmin(x, 0, output_type=tf.int32),
         lambda x: x.argmin(0).astype(np.int32), (uniform(3, 4),), NUMBERS, grad=False),
    Case("L2Loss", tf.nn.l2_loss, lambda x: np.sum(x * x) / 2, (uniform(2, 3),)),
]

# --- shapes, casts, fills -------------------------------------------------------------------------
ARRAY_CORE = [
    Case("Const", lambda: tf.constant([[1.0, 2.0]]), lambda: np.array([[1.0, 2.0]], np.float32),
         (), (F32,), grad=False),
    Case("Identity", tf.identity, lambda x: x, (uniform(2, 3),), NUMBERS),
    Case("PlaceholderWithDefault", lambda x: tf.placeholder_with_default(x, [None, 3]), lambda x: x,
         (uniform(2, 3),), static=False),
    Case("StopGradient", tf.stop_gradient, lambda x: x, (uniform(2, 3),), NUMBERS, grad=False),
    Case("Shape", tf.shape, lambda x: np.array(x.shape, np.int32), (uniform(2, 3),), NUMBERS,
         grad=False),
    Case("Size", tf.size, lambda x: np.array(x.size, np.int32), (uniform(2, 3),), NUMBERS, grad=False),
    Case("Rank", tf.rank, lambda x: np.array(x.ndim, np.int32), (uniform(2, 3),), NUMBERS, grad=False),
    Case("Reshape", lambda x: tf.reshape(x, [3, -1]), lambda x: x.reshape(3, -1), (uniform(2, 3),),
         NUMBERS),
    Case("Fill", lambda v: tf.fill([2, 3], v), lambda v: np.full((2, 3), v), (uniform(),), NUMBERS),
    Case("ZerosLike", tf.zeros_like, np.zeros_like, (uniform(2, 3),), NUMBERS, grad=False),
    Case("OnesLike", tf.ones_like, np.ones_like, (uniform(2, 3),), NUMBERS, grad=False),
    Case("BroadcastTo", lambda x: tf.broadcast_to(x, [2, 3, 4]),
         lambda x: np.broadcast_to(x, (2, 3, 4)), (uniform(3, 1),), NUMBERS),
    Case("BroadcastGradientArgs", broadcast_gradient_args, np_bga,
         (fixed([2, 1, 3], np.int32), fixed([4, 1], np.int32)), (I32,), grad=False, partial=False,
         static=False),
    Case("Cast", lambda x: tf.cast(x, _other_float(x)),
         lambda x: x.astype(np.float32 if x.dtype == np.float64 else np.float64),
         (uniform(2, 3),), NUMBERS, grad=False),
]

# --- moving and cutting data ----------------------------------------------------------------------
ARRAY_EXTRA = [
    Case("ExpandDims", lambda x: tf.expand_dims(x, 1), lambda x: x[:, None], (uniform(2, 3),), NUMBERS),
    Case("Squeeze", lambda x: tf.squeeze(x, [1]), lambda x: x.squeeze(1), (uniform(2, 1, 3),), NUMBERS),
    Case("Transpose", tf.transpose, lambda x: x.T, (uniform(2, 3, 4),), NUMBERS),
    Case("Transpose", lambda x: tf.transpose(x, [1, 0, 2]), lambda x: x.transpose(1, 0, 2),
         (uniform(2, 3, 4),), tag="perm"),
    Case("InvertPermutation", tf.invert_permutation, np.argsort, (fixed([2, 0, 3, 1], np.int32),),
         (I32,), grad=False),
    Case("ConcatV2", lambda a, b: tf.concat([a, b], 1), lambda a, b: np.concatenate([a, b], 1),
         (uniform(2, 3), uniform(2, 1)), NUMBERS),
    Case("ConcatV2", lambda a, b, c: tf.concat([a, b, c], -2),
         lambda a, b, c: np.concatenate([a, b, c], -2),
         (uniform(1, 3), uniform(2, 3), uniform(1, 3)), tag="3way"),
    Case("Pack", lambda a, b: tf.stack([a, b], axis=1), lambda a, b: np.stack([a, b], 1),
         (uniform(2, 3), uniform(2, 3)), NUMBERS),
    Case("Unpack", lambda x: tf.unstack(x, axis=1), lambda x: [x[:, i] for i in range(3)],
         (uniform(2, 3),), NUMBERS),
    Case("Split", lambda x: tf.split(x, 2, axis=1), lambda x: np.split(x, 2, 1), (uniform(2, 4),),
         NUMBERS),
    Case("SplitV", lambda x: tf.split(x, [1, -1, 2], axis=1),
         lambda x: np.split(x, [1, 3], 1), (uniform(2, 5),), NUMBERS),
    Case("GatherV2", lambda p, i: tf.gather(p, i), lambda p, i: p[i],
         (uniform(3, 2), fixed([[0, 2], [2, 2]], np.int32)), NUMBERS),
    Case("GatherV2", lambda p, i: tf.gather(p, i, axis=1), lambda p, i: np.take(p, i, axis=1),
         (uniform(2, 3, 2), fixed([2, 0, 2], np.int32)), tag="axis1"),
    Case("UnsortedSegmentSum", lambda d, i: tf.unsorted_segment_sum(d, i, 3),
         lambda d, i: np_segment_sum(d, i, 3), (uniform(4, 2), fixed([0, 2, 0, -1], np.int32)),
         NUMBERS),
    Case("OneHot", lambda i: tf.one_hot(i, 3), lambda i: np_one_hot(i, 3, np.float32),
         (fixed([[0, 2], [5, 1]], np.int32),), (I32,), grad=False),
    Case("OneHot", lambda i: tf.one_hot(i, 3, on_value=5, off_value=-1, axis=0),
         lambda i: np.moveaxis(np.where(np_one_hot(i, 3, bool), 5, -1), -1, 0).astype(np.int32),
         (fixed([0, 2, 1], np.int32),), (I32,), grad=False, tag="axis0"),
    Case("Tile", lambda x: tf.tile(x, [2, 3]), lambda x: np.tile(x, (2, 3)), (uniform(2, 3),), NUMBERS),
    Case("Slice", lambda x: tf.slice(x, [1, 0], [2, -1]), lambda x: x[1:3, :], (uniform(4, 3),),
         NUMBERS),
    Case("Pad", lambda x: tf.pad(x, [[1, 0], [2, 1]]), lambda x: np.pad(x, [[1, 0], [2, 1]]),
         (uniform(2, 3),), NUMBERS),
    Case("PadV2", lambda x: tf.pad(x, [[0, 1], [1, 1]], constant_values=3),
         lambda x: np.pad(x, [[0, 1], [1, 1]], constant_values=3), (uniform(2, 3),), NUMBERS),
    Case("StridedSlice", lambda x: x[1:, ::-2], lambda x: x[1:, ::-2], (uniform(3, 5),), NUMBERS),
    Case("StridedSlice", lambda x: x[..., 1], lambda x: x[..., 1], (uniform(2, 3, 4),), tag="ellipsis"),
    Case("StridedSlice", lambda x: x[-1, tf.newaxis, :2], lambda x: x[-1, None, :2], (uniform(3, 4),),
         tag="newaxis"),
    Case("StridedSlice", lambda x: x[0], lambda x: x[0], (uniform(2, 3),), NUMBERS, tag="shrink"),
    Case("StridedSliceGrad", _strided_slice_grad, np_strided_slice_grad, (uniform(2, 3),), NUMBERS,
         partial=False),
    Case("Range", tf.range, lambda s, l, d: np.arange(s, l, d), (fixed(2), fixed(11), fixed(3)),
         NUMBERS, grad=False, static=False),
    Case("Range", lambda s, l, d: tf.range(s, l, d), lambda s, l, d: np.arange(s, l, d),
         (fixed(1.0), fixed(-1.0), fixed(-0.5)), FLOATS, grad=False, static=False, tag="negative"),
    Case("LinSpace", lambda a, b: tf.linspace(a, b, 5), lambda a, b: np.linspace(a, b, 5),
         (fixed(-1.0), fixed(2.0)), grad=False),
    Case("Where", tf.where, lambda c: np.argwhere(c).astype(np.int64), (bools(3, 2),), (F32,),
         grad=False, static=False),
]

# --- neural-network ops -----------------------------------------------------------------------------
NN = [
    Case("Softmax", tf.nn.softmax, np_softmax, (uniform(2, 3),)),
    Case("LogSoftmax", tf.nn.log_softmax, np_log_softmax, (uniform(2, 3),)),
    Case("SoftmaxCrossEntropyWithLogits",
         lambda x, y: apply_op("SoftmaxCrossEntropyWithLogits", [x, y]), np_xent,
         (uniform(2, 3), distribution(2, 3))),
    Case("SparseSoftmaxCrossEntropyWithLogits",
         lambda x, y: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x),
         np_sparse_xent, (uniform(3, 4), fixed([0, 3, 1], np.int32))),
    Case("BiasAdd", tf.nn.bias_add, lambda x, b: x + b, (uniform(2, 3), uniform(3)), NUMBERS),
    Case("BiasAdd", lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"),
         lambda x, b: x + b[:, None, None], (uniform(2, 3, 2, 2), uniform(3)), tag="nchw"),
    Case("BiasAddGrad", lambda g: apply_op("BiasAddGrad", [g], {"data_format": "NHWC"}),
         lambda g: g.sum((0, 1)), (uniform(2, 2, 3),)),
]

# --- convolution and pooling (references: naive loops in conv_reference.py) -------------------------
_CONV_ATTRS = {"use_cudnn_on_gpu": True, "explicit_paddings": [], "data_format": "NHWC"}
_TIES = [[[[1.0], [3.0], [3.0]], [[3.0], [0.0], [2.0]]]]     # equal maxima share windows


def _conv_attrs(s, d, padding, dtype):
    return dict(_CONV_ATTRS, strides=[1, s, s, 1], dilations=[1, d, d, 1], padding=padding, T=dtype)


def _pool_attrs(k, s, padding, dtype):
    return {"ksize": [1, k, k, 1], "strides": [1, s, s, 1], "padding": padding, "data_format": "NHWC",
            "T": dtype}


def _conv_case(x_shape, f_shape, s, d, padding, tag):
    return Case("Conv2D", lambda x, f: tf.nn.conv2d(x, f, [1, s, s, 1], padding, dilations=[1, d, d, 1]),
                lambda x, f: conv.conv2d(x, f, s, d, padding), (uniform(*x_shape), uniform(*f_shape)),
                tag=tag)


def _backprop_input_case(x_shape, f_shape, dy_shape, s, d, padding, tag=""):
    def build(f, dy):
        return apply_op("Conv2DBackpropInput", [tf.constant(list(x_shape)), f, dy],
                        _conv_attrs(s, d, padding, f.dtype))
    return Case("Conv2DBackpropInput", build,
                lambda f, dy: conv.conv2d_backprop_input(x_shape, f, dy, s, d, padding),
                (uniform(*f_shape), uniform(*dy_shape)), tag=tag)


def _backprop_filter_case(x_shape, f_shape, dy_shape, s, d, padding, tag=""):
    def build(x, dy):
        return apply_op("Conv2DBackpropFilter", [x, tf.constant(list(f_shape)), dy],
                        _conv_attrs(s, d, padding, x.dtype))
    return Case("Conv2DBackpropFilter", build,
                lambda x, dy: conv.conv2d_backprop_filter(x, f_shape, dy, s, d, padding),
                (uniform(*x_shape), uniform(*dy_shape)), tag=tag)


def _pool_case(op, k, s, padding, x, tag=""):
    pool, ref = (tf.nn.max_pool, conv.max_pool) if op == "MaxPool" else (tf.nn.avg_pool, conv.avg_pool)
    return Case(op, lambda t: pool(t, [1, k, k, 1], [1, s, s, 1], padding),
                lambda a: ref(a, k, s, padding), (x,), grad=tag != "ties", tag=tag)


def _max_pool_grad_case(k, s, padding, x, dy, tag=""):
    def build(t, g):
        y = tf.nn.max_pool(t, [1, k, k, 1], [1, s, s, 1], padding)
        return apply_op("MaxPoolGrad", [t, y, g], _pool_attrs(k, s, padding, t.dtype))
    return Case("MaxPoolGrad", build, lambda a, g: conv.max_pool_grad(a, g, k, s, padding), (x, dy),
                grad=False, tag=tag)     # TF's MaxPoolGradGrad is not built


def _avg_pool_grad_case(x_shape, k, s, padding, dy):
    def build(g):
        return apply_op("AvgPoolGrad", [tf.constant(list(x_shape)), g], _pool_attrs(k, s, padding, g.dtype))
    return Case("AvgPoolGrad", build, lambda g: conv.avg_pool_grad(x_shape, g, k, s, padding), (dy,))


CONV = [
    _conv_case((2, 5, 4, 2), (3, 3, 2, 3), 1, 1, "SAME", "same"),
    _conv_case((2, 5, 4, 2), (3, 2, 2, 3), 1, 1, "VALID", "valid"),
    _conv_case((1, 5, 6, 2), (2, 3, 2, 2), 2, 1, "SAME", "same_stride2"),      # odd total padding
    _conv_case((1, 7, 5, 1), (3, 3, 1, 2), 2, 1, "VALID", "valid_stride2"),
    _conv_case((1, 5, 5, 2), (2, 2, 2, 2), 1, 2, "SAME", "same_dilation2"),
    _conv_case((1, 6, 5, 1), (2, 2, 1, 2), 1, 2, "VALID", "valid_dilation2"),
    _backprop_input_case((2, 5, 4, 2), (3, 3, 2, 3), (2, 5, 4, 3), 1, 1, "SAME"),
    _backprop_input_case((1, 5, 6, 2), (2, 3, 2, 2), (1, 3, 3, 2), 2, 1, "SAME", "stride2"),
    _backprop_input_case((1, 6, 5, 1), (2, 2, 1, 2), (1, 4, 3, 2), 1, 2, "VALID", "dilation2"),
    Case("Conv2DBackpropInput",
         lambda f, dy: tf.nn.conv2d_transpose(dy, f, [1, 7, 5, 1], [1, 2, 2, 1], "VALID"),
         lambda f, dy: conv.conv2d_backprop_input((1, 7, 5, 1), f, dy, 2, 1, "VALID"),
         (uniform(3, 3, 1, 2), uniform(1, 3, 2, 2)), tag="transpose", partial=False),
    _backprop_filter_case((2, 5, 4, 2), (3, 3, 2, 3), (2, 5, 4, 3), 1, 1, "SAME"),
    _backprop_filter_case((1, 5, 6, 2), (2, 3, 2, 2), (1, 3, 3, 2), 2, 1, "SAME", "stride2"),
    _backprop_filter_case((1, 6, 5, 1), (2, 2, 1, 2), (1, 4, 3, 2), 1, 2, "VALID", "dilation2"),
    _pool_case("MaxPool", 2, 2, "SAME", uniform(2, 5, 5, 2)),
    _pool_case("MaxPool", 3, 2, "VALID", uniform(1, 7, 6, 2), "valid"),
    _pool_case("MaxPool", 2, 1, "VALID", fixed(_TIES), "ties"),
    _max_pool_grad_case(3, 2, "SAME", uniform(2, 5, 4, 2), uniform(2, 3, 2, 2)),
    _max_pool_grad_case(2, 1, "VALID", fixed(_TIES), uniform(1, 1, 2, 1), "ties"),
    _pool_case("AvgPool", 2, 2, "SAME", uniform(2, 5, 5, 2)),
    _pool_case("AvgPool", 3, 1, "SAME", uniform(1, 4, 5, 1), "border"),
    _pool_case("AvgPool", 3, 2, "VALID", uniform(1, 7, 6, 2), "valid"),
    _avg_pool_grad_case((2, 5, 5, 2), 3, 2, "SAME", uniform(2, 3, 3, 2)),
]


# --- top k --------------------------------------------------------------------------------------------
def np_top_k(x, k):
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]      # ties: lower index first
    return [np.take_along_axis(x, order, -1), order.astype(np.int32)]


def np_in_top_k(p, t, k):
    target = p[np.arange(len(t)), t]
    return ((p > target[:, None]).sum(1) < k) & np.isfinite(target)


TOP_K = [
    Case("TopKV2", lambda x: tf.nn.top_k(x, 2), lambda x: np_top_k(x, 2), (uniform(3, 5),), NUMBERS),
    Case("TopKV2", lambda x: tf.nn.top_k(x, 3), lambda x: np_top_k(x, 3),
         (fixed([[[1.0, 3.0, 3.0, 2.0]], [[5.0, 0.0, 1.0, 5.0]]]),), grad=False, tag="ties_3d"),
    Case("InTopKV2", lambda p, t: tf.nn.in_top_k(p, t, 2), lambda p, t: np_in_top_k(p, t, 2),
         (uniform(3, 4), fixed([0, 3, 1], np.int32)), grad=False),
    Case("InTopKV2", lambda p, t: tf.nn.in_top_k(p, t, 1), lambda p, t: np_in_top_k(p, t, 1),
         (fixed([[1.0, 3.0, 3.0], [2.0, 1.0, 0.0], [np.inf, 0.0, 0.0]]), fixed([2, 1, 0], np.int32)),
         grad=False, tag="ties"),
]

# --- linear algebra (orthogonal_initializer's QR) ----------------------------------------------------
LINALG = [
    Case("Qr", lambda a: list(tf.linalg.qr(a)), lambda a: list(np.linalg.qr(a)), (uniform(4, 3),),
         grad=False),
    Case("Qr", lambda a: list(tf.linalg.qr(a, full_matrices=True)),
         lambda a: list(np.linalg.qr(a, mode="complete")), (uniform(4, 3),), grad=False, partial=False,
         tag="full"),
    Case("DiagPart", tf.linalg.diag_part, np.diagonal, (uniform(3, 3),), NUMBERS, partial=False),
]


CASES = UNARY + GRAD_KERNELS + BINARY + REDUCTIONS + ARRAY_CORE + ARRAY_EXTRA + NN + CONV + TOP_K + LINALG

# Ops that need state, randomness or no values at all; each is tested in the named test.
ELSEWHERE = {
    "Placeholder": "test_ops_stateful.py::test_placeholder_must_be_fed",
    "NoOp": "test_ops_stateful.py::test_group_runs_its_control_inputs",
    "VariableV2": "test_ops_stateful.py::test_variable_assign_ops",
    "Assign": "test_ops_stateful.py::test_variable_assign_ops",
    "AssignAdd": "test_ops_stateful.py::test_variable_assign_ops",
    "AssignSub": "test_ops_stateful.py::test_variable_assign_ops",
    "IsVariableInitialized": "test_ops_stateful.py::test_variable_assign_ops",
    "ScatterAdd": "test_sparse_apply_ops.py::test_scatter_ops_match_numpy",
    "ScatterSub": "test_sparse_apply_ops.py::test_scatter_ops_match_numpy",
    "ScatterUpdate": "test_sparse_apply_ops.py::test_scatter_ops_match_numpy",
    "SparseApplyMomentum": "test_sparse_apply_ops.py::test_sparse_apply_momentum_matches_numpy",
    "SparseApplyAdagrad": "test_sparse_apply_ops.py::test_sparse_apply_adagrad_sums_duplicates",
    "SparseApplyRMSProp": "test_sparse_apply_ops.py::test_sparse_apply_rms_prop_matches_numpy",
    "ApplyGradientDescent": "test_ops_stateful.py::test_optimizer_step_matches_numpy",
    "ApplyMomentum": "test_ops_stateful.py::test_optimizer_step_matches_numpy",
    "ApplyAdam": "test_ops_stateful.py::test_optimizer_step_matches_numpy",
    "ApplyAdagrad": "test_ops_stateful.py::test_optimizer_step_matches_numpy",
    "ApplyRMSProp": "test_ops_stateful.py::test_optimizer_step_matches_numpy",
    "ApplyAdadelta": "tests.train.test_adadelta.py::test_adadelta_matches_tfs_formulas_over_several_steps",
    "ApplyCenteredRMSProp":
        "tests.train.test_adadelta.py::test_centered_rmsprop_matches_tfs_formulas_over_several_steps",
    "RandomStandardNormal": "test_ops_stateful.py::test_random_ops_shapes_dtypes_and_ranges",
    "RandomUniform": "test_ops_stateful.py::test_random_ops_shapes_dtypes_and_ranges",
    "RandomUniformInt": "test_ops_stateful.py::test_random_ops_shapes_dtypes_and_ranges",
    "TruncatedNormal": "test_ops_stateful.py::test_random_ops_shapes_dtypes_and_ranges",
    "SaveV2": "test_ops_stateful.py::test_save_and_restore_ops_round_trip",
    "RestoreV2": "test_ops_stateful.py::test_save_and_restore_ops_round_trip",
    # Summary ops (string outputs; tested against TF's tags, values and errors).
    "ScalarSummary": "tests.summary.test_summary_ops.py::test_scalar_value_and_vector_of_tags",
    "HistogramSummary": "tests.summary.test_summary_ops.py::test_histogram_matches_tf_buckets",
    "ImageSummary": "tests.summary.test_summary_ops.py::test_image_uint8_and_float_scaling_like_tf",
    "AudioSummaryV2": "tests.summary.test_summary_ops.py::test_audio_is_16_bit_wav",
    "TensorSummaryV2": "tests.summary.test_summary_ops.py::test_text_summary_is_a_string_tensor_for_the_text_plugin",
    "MergeSummary": "tests.summary.test_summary_ops.py::test_merge_all_merges_the_collection_in_order_and_is_none_when_empty",
}


# --- op families added later: one file each, tests/ops/table_<family>.py ------------------------------
# Each such file defines CASES (and, when some ops are tested elsewhere, ELSEWHERE) the way this file
# does; collecting them here keeps a new family's rows beside its references without growing this file.
def _collect_family_tables():
    import importlib
    import pathlib

    for path in sorted(pathlib.Path(__file__).parent.glob("table_*.py")):
        family = importlib.import_module(path.stem)
        CASES.extend(family.CASES)
        ELSEWHERE.update(getattr(family, "ELSEWHERE", {}))


_collect_family_tables()
