"""``tf.nn.fused_batch_norm``: batch normalization as one op (FusedBatchNormV3) and its gradient.

``tf.nn.batch_normalization`` is a few arithmetic ops; the fused form computes
the batch statistics and the normalized output in one kernel, which is what
``tf.layers.batch_normalization(fused=True)`` builds.  The op's six outputs are
TF's:

    y                  the normalized, scaled and shifted input
    batch_mean         training: the batch mean; inference: the ``mean`` input
    batch_variance     training: the batch variance with Bessel's correction (n / (n - 1)),
                       the one a moving average should track; inference: the ``variance`` input
    reserve_space_1/2  the mean and the *biased* variance y was normalized with (the gradient reads them)
    reserve_space_3    empty (cuDNN's scratch space in TF)

NHWC only.  T and U (the statistics' dtype) are float32 as in TF; float64 is
also accepted (U = T) so the gradient can be checked numerically.
"""

from __future__ import annotations

import importlib

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.tensor_shape import TensorShape, unknown_shape
from .constant_op import constant, convert_to_tensor

ATTRS = ("T", "U", "epsilon", "data_format", "is_training")
MIN_EPSILON = 1.001e-5          # TF raises smaller epsilons to this (a cuDNN requirement)


def _check_floats(ctx, what):
    dtype = ctx.dtype(0).base_dtype
    if dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(f"Value passed to parameter '{what}' has DataType {dtype.name} not in list of "
                        "allowed values: float32, float64 (minitf has no float16 batch norm)")
    return dtype


def _channels(ctx, x, vectors):
    """The channel count, from x's last dimension or any 1-D input; checks they agree."""
    if x.ndims is not None and x.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.ndims}")
    depth = x.dims[3] if x.ndims == 4 else None
    for i in vectors:
        v = ctx.shape(i)
        if v.ndims is not None and v.ndims != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {v.ndims}")
        n = v.dims[0] if v.ndims == 1 else None
        if n is not None and depth is not None and n != depth and not (n == 0 and i >= 3):
            raise ValueError(f"Dimensions must be equal, but are {depth} and {n}")
        depth = n if depth is None and n else depth
    return depth


# --- FusedBatchNormV3 -----------------------------------------------------------------------------
def _fused_batch_norm_infer(ctx):
    dtype = _check_floats(ctx, "x")
    x = ctx.shape(0)
    depth = _channels(ctx, x, (1, 2, 3, 4))
    vector = TensorShape([depth])
    y = x if x.ndims is not None else unknown_shape(4)
    return [(y, dtype)] + [(vector, dtype)] * 4 + [(unknown_shape(), dtype)]


def _cpu():
    """kernels/batch_norm_cpu.py, imported when a kernel is first bound: ``import minitf`` stays numba-free."""
    return importlib.import_module("minitf.kernels.batch_norm_cpu")


def _as_rows(x):
    """An NHWC batch as a (pixels, channels) matrix: batch norm treats every pixel as a sample."""
    return np.ascontiguousarray(x).reshape(-1, x.shape[-1])


def bessel(rows: int) -> float:
    """n / (n - 1): turns the biased batch variance into the unbiased one (1 for a single row)."""
    return rows / (rows - 1) if rows > 1 else 1.0


def _fused_batch_norm_kernel(op, runtime):
    epsilon, training, cpu = op.get_attr("epsilon"), op.get_attr("is_training"), _cpu()

    def fused_batch_norm_fn(x, scale, offset, mean, variance):
        rows = _as_rows(x)
        depth = rows.shape[1]
        if training:
            mean, variance = np.zeros(depth, x.dtype), np.zeros(depth, x.dtype)
            if len(rows):
                cpu.channel_moments(rows, mean, variance)
            batch_variance = (variance * bessel(len(rows))).astype(x.dtype)
        else:
            batch_variance = variance
        y = np.empty_like(rows)
        cpu.normalize(rows, scale, offset, mean, variance, x.dtype.type(epsilon), y)
        return (y.reshape(x.shape), mean.copy(), batch_variance.copy(), mean, variance,
                np.zeros(0, x.dtype))
    return fused_batch_norm_fn


def _fused_batch_norm_grad(op, dy, *unused_output_grads):
    """TF's _FusedBatchNormGrad: only y's gradient flows back (the statistics' are ignored)."""
    x, scale = op.inputs[0], op.inputs[1]
    if op.get_attr("is_training"):
        saved = [op.outputs[3], op.outputs[4], op.outputs[5]]
    else:
        saved = [op.inputs[3], op.inputs[4], op.outputs[5]]      # the population statistics
    attrs = {k: op.get_attr(k) for k in ATTRS}
    dx, dscale, doffset, _, _ = apply_op("FusedBatchNormGradV3", [dy, x, scale] + saved, attrs)
    return [dx, dscale, doffset, None, None]


register_op("FusedBatchNormV3", _fused_batch_norm_infer, kernel=_fused_batch_norm_kernel,
            grad=_fused_batch_norm_grad, attrs=ATTRS,
            gpu_kernel="minitf.kernels.batch_norm_cuda:fused_batch_norm",
            type_constraints=allowed("x", L.BATCH_NORM_X) + allowed("scale", L.BATCH_NORM_V3_STATS, 1, "U"))


# --- FusedBatchNormGradV3 -------------------------------------------------------------------------
def _fused_batch_norm_grad_infer(ctx):
    dtype = _check_floats(ctx, "y_backprop")
    x = ctx.shape(1)
    depth = _channels(ctx, x, (2, 3, 4))
    vector, empty = TensorShape([depth]), TensorShape([0])
    dx = x if x.ndims is not None else ctx.shape(0)
    return [(dx, dtype), (vector, dtype), (vector, dtype), (empty, dtype), (empty, dtype)]


def _fused_batch_norm_grad_kernel(op, runtime):
    epsilon, training, cpu = op.get_attr("epsilon"), op.get_attr("is_training"), _cpu()

    def fused_batch_norm_grad_fn(dy, x, scale, mean, variance, reserve_space_3):
        rows, dy_rows = _as_rows(x), _as_rows(dy)
        depth = rows.shape[1]
        dx = np.empty_like(rows)
        dscale, doffset = np.zeros(depth, x.dtype), np.zeros(depth, x.dtype)
        if len(rows):
            cpu.normalize_grad(dy_rows, rows, scale, mean, variance, epsilon, bool(training), dx, dscale,
                               doffset)
        empty = np.zeros(0, x.dtype)
        return dx.reshape(x.shape), dscale, doffset, empty, empty.copy()
    return fused_batch_norm_grad_fn


# The gradients take float32 saved statistics (attr U); TF's Grad leaves scale's U unconstrained.
_GRAD_TYPES = allowed("y_backprop", L.BATCH_NORM_X) + allowed("reserve_space_1", L.FLOAT32_ONLY, 3, "U")
# V1 has one attr T for all its inputs: float32 only.
_OLDER_TYPES = {"": (allowed("x", L.FLOAT32_ONLY), allowed("y_backprop", L.FLOAT32_ONLY)),
                "V2": (allowed("x", L.BATCH_NORM_X) + allowed("scale", L.FLOAT32_ONLY, 1, "U"), _GRAD_TYPES)}


# FusedBatchNormGradV3's own gradient (TF's _FusedBatchNormGradGrad) is not built: no second
# derivatives of fused batch norm.
register_op("FusedBatchNormGradV3", _fused_batch_norm_grad_infer, kernel=_fused_batch_norm_grad_kernel,
            attrs=ATTRS, gpu_kernel="minitf.kernels.batch_norm_cuda:fused_batch_norm_grad",
            type_constraints=_GRAD_TYPES)


# --- the Python API -------------------------------------------------------------------------------
def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC",
                     is_training=True, name=None):
    """Batch normalization in one op: (y, batch_mean, batch_variance), as TF 1.x's ``tf.nn`` returns.

    Training normalizes with the batch's own statistics (``mean`` and ``variance`` may be None);
    inference (``is_training=False``) with the given population ``mean`` and ``variance``.
    """
    if data_format != "NHWC":
        raise ValueError(f"minitf supports data_format 'NHWC' only, got {data_format!r}")
    if is_training and (mean is not None or variance is not None):
        raise ValueError("Both 'mean' and 'variance' must be None if is_training is True.")
    if not is_training and (mean is None or variance is None):
        raise ValueError("Both 'mean' and 'variance' must be a 1-D tensor when is_training is False.")
    # No name scope, as in TF: the empty statistics are top-level "Const" nodes.
    x = convert_to_tensor(x, name="input")
    dtype = x.dtype.base_dtype
    scale = convert_to_tensor(scale, dtype=dtype, name="scale")
    offset = convert_to_tensor(offset, dtype=dtype, name="offset")
    mean = constant([], dtype=dtype) if mean is None else convert_to_tensor(mean, dtype=dtype)
    variance = constant([], dtype=dtype) if variance is None else convert_to_tensor(variance, dtype=dtype)
    attrs = {"T": dtype, "U": dtype, "epsilon": float(max(epsilon, MIN_EPSILON)), "data_format": "NHWC",
             "is_training": bool(is_training)}
    y, batch_mean, batch_variance, _, _, _ = apply_op("FusedBatchNormV3", [x, scale, offset, mean, variance],
                                                      attrs, name=name or "FusedBatchNormV3")
    return y, batch_mean, batch_variance


# --- the older versions, for GraphDefs written by TF 1.0-1.13 -------------------------------------------
# FusedBatchNorm (V1, no U attr) and FusedBatchNormV2 compute the same thing with five outputs
# (no reserve_space_3); their gradient ops take five inputs.  Imported graphs and their gradients
# run on the V3 kernels above.
def five_outputs(factory):
    """A V3 forward kernel factory, as one for V1/V2: without the last output (reserve_space_3)."""
    def factory_v1(op, runtime):
        fn = factory(op, runtime)
        return lambda *inputs: fn(*inputs)[:5]
    return factory_v1


def five_inputs(factory):
    """A V3 gradient kernel factory, as one for V1/V2: called without reserve_space_3."""
    def factory_v1(op, runtime):
        fn = factory(op, runtime)
        return lambda dy, x, scale, mean, variance: fn(dy, x, scale, mean, variance, None)
    return factory_v1


def _older_grad(grad_type, attrs):
    def grad(op, dy, *unused_output_grads):
        x, scale = op.inputs[0], op.inputs[1]
        saved = [op.outputs[3], op.outputs[4]] if op.get_attr("is_training") else [op.inputs[3], op.inputs[4]]
        dx, dscale, doffset, _, _ = apply_op(grad_type, [dy, x, scale] + saved, {k: op.get_attr(k) for k in attrs})
        return [dx, dscale, doffset, None, None]
    return grad


for _version, _attrs in (("", ("T", "epsilon", "data_format", "is_training")), ("V2", ATTRS)):
    register_op("FusedBatchNorm" + _version, lambda ctx: _fused_batch_norm_infer(ctx)[:5],
                kernel=five_outputs(_fused_batch_norm_kernel), attrs=_attrs,
                type_constraints=_OLDER_TYPES[_version][0],
                grad=_older_grad("FusedBatchNormGrad" + _version, _attrs),
                gpu_kernel="minitf.kernels.batch_norm_cuda:fused_batch_norm_" + (_version.lower() or "v1"))
    register_op("FusedBatchNormGrad" + _version, _fused_batch_norm_grad_infer,
                kernel=five_inputs(_fused_batch_norm_grad_kernel), attrs=_attrs,
                type_constraints=_OLDER_TYPES[_version][1],
                gpu_kernel="minitf.kernels.batch_norm_cuda:fused_batch_norm_grad_" + (_version.lower() or "v1"))
