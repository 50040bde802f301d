"""Neural-network ops (``tf.nn``): bias, L2 loss, dropout, moments, and the safe division
losses use.  Activations and softmax are in ``activation_ops.py``, the cross-entropies
in ``xent_ops.py``; their public functions are re-exported here.
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..framework import type_lists as L
from ..framework.op_builder import apply_op, constant_value
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from ..kernels.into import offer
from . import shape_fns
from .activation_ops import (elu, floats_only, leaky_relu, log_softmax, relu, relu6,  # noqa: F401
                             softmax, softplus)
from .array_ops import cast, ones_like, reshape, shape, stop_gradient
from .concat_split_ops import concat
from .constant_op import convert_to_tensor
from .math_ops import _binary_inputs, negative, squared_difference, unbroadcast
from .matmul_op import matmul
from .random_ops import random_uniform
from .reduction_ops import reduce_mean
from .reshape_ops import squeeze, tile
from .xent_ops import (sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,  # noqa: F401
                       softmax_cross_entropy_with_logits_v2, sparse_softmax_cross_entropy_with_logits)


# --- L2Loss -------------------------------------------------------------------------------------
def _l2_loss_kernel(op, runtime):
    return lambda t: np.asarray(np.sum(np.square(t)) / 2, dtype=t.dtype)


register_op("L2Loss", floats_only(lambda ctx: (TensorShape([]), ctx.dtype(0))), kernel=_l2_loss_kernel,
            attrs=("T",), grad=lambda op, g: [op.inputs[0] * g], gpu_kernel="minitf.ops.nn_ops_gpu:l2_loss",
            type_constraints=allowed("t", L.FLOAT))


def l2_loss(t, name=None):
    """sum(t ** 2) / 2: half the squared Euclidean norm (weight decay's penalty)."""
    return apply_op("L2Loss", [convert_to_tensor(t)], name=name or "L2Loss")


# --- BiasAdd, BiasAddGrad ---------------------------------------------------------------------
def _channel_axis(data_format, rank: int) -> int:
    return 1 if data_format == "NCHW" and rank > 2 else rank - 1


def _bias_add_infer(ctx):
    value, bias = ctx.shape(0), ctx.shape(1)
    if value.ndims is not None and value.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {value.ndims}")
    if bias.ndims is not None and bias.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.ndims}")
    if value.ndims is None:
        return value, ctx.dtype(0)
    dims = value.dims
    c = _channel_axis(ctx.attr("data_format", "NHWC"), value.ndims)
    b = bias[0] if bias.ndims else None
    if dims[c] is not None and b is not None and dims[c] != b:
        raise ValueError(f"Dimensions must be equal, but are {dims[c]} and {b}")
    dims[c] = dims[c] if dims[c] is not None else b
    return TensorShape(dims), ctx.dtype(0)


def _bias_add_kernel(op, runtime):
    add, data_format = kernels.cpu.binary("add"), op.get_attr("data_format")

    def bias_add_fn(value, bias):
        c = _channel_axis(data_format, value.ndim)
        return add(value, bias.reshape((-1,) + (1,) * (value.ndim - 1 - c)))

    def into(ins, outs):             # a Session plan's specialized form (kernels/into.py)
        (value, bias), (out,) = ins, outs
        c = _channel_axis(data_format, len(value.shape))
        along = bias.shape + (1,) * (len(value.shape) - 1 - c)     # the bias lined up with axis c
        add_into = add.into([value, bias._replace(shape=along)], [out])
        if add_into is None:
            return None
        if along == bias.shape:
            return add_into
        return lambda value, bias, out: add_into(value, bias.reshape(along), out)
    return offer(bias_add_fn, into)


def _bias_add_grad_infer(ctx):
    g = ctx.shape(0)
    if g.ndims is None:
        return unknown_shape(1), ctx.dtype(0)
    return TensorShape([g[_channel_axis(ctx.attr("data_format", "NHWC"), g.ndims)]]), ctx.dtype(0)


def _bias_add_grad_kernel(op, runtime):
    total, data_format = kernels.cpu.reduce("sum"), op.get_attr("data_format")

    def bias_add_grad_fn(g):
        c = _channel_axis(data_format, g.ndim)
        return total(g, tuple(a for a in range(g.ndim) if a != c), False)

    def into(ins, outs):             # a Session plan's specialized form (kernels/into.py)
        (g,), (out,) = ins, outs
        c = _channel_axis(data_format, len(g.shape))
        return total.into_over(g, tuple(a for a in range(len(g.shape)) if a != c), False, out)
    return offer(bias_add_grad_fn, into)


def _bias_add_grad_grad(op, g):
    """Spread the bias gradient back over every position (a reshape and a tile, as TF)."""
    full = shape(op.inputs[0])
    if op.get_attr("data_format") == "NCHW":
        expanded = concat([ones_like(full[:1]), shape(g), ones_like(full[2:])], 0)
        multiples = concat([full[:1], [1], full[2:]], 0)
    else:
        expanded = concat([ones_like(full[:-1]), shape(g)], 0)
        multiples = concat([full[:-1], [1]], 0)
    return [tile(reshape(g, expanded), multiples)]


register_op("BiasAdd", _bias_add_infer, kernel=_bias_add_kernel, attrs=("T", "data_format"),
            type_constraints=allowed("value", L.NUMBER),
            grad=lambda op, g: [g, apply_op("BiasAddGrad", [g],
                                            {"data_format": op.get_attr("data_format")})],
            gpu_kernel="minitf.ops.nn_ops_gpu:bias_add")
register_op("BiasAddGrad", _bias_add_grad_infer, kernel=_bias_add_grad_kernel,
            attrs=("T", "data_format"), grad=_bias_add_grad_grad,
            type_constraints=allowed("out_backprop", L.NUMBER),
            gpu_kernel="minitf.ops.nn_ops_gpu:bias_add_grad")


def bias_add(value, bias, data_format=None, name=None):
    """Add the 1-D ``bias`` along the channel axis (the last, or axis 1 for "NC..." layouts)."""
    if data_format is None or (data_format.startswith("N") and data_format.endswith("C")):
        data_format = "NHWC"
    elif data_format.startswith("NC"):
        data_format = "NCHW"
    else:
        raise ValueError("data_format must be of the form `N...C` or `NC...`")
    with name_scope(name, "BiasAdd") as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": data_format}, name=scope)


def xw_plus_b(x, weights, biases, name=None):
    """``matmul(x, weights) + biases``: one fully connected layer."""
    with name_scope(name, "xw_plus_b") as scope:
        return bias_add(matmul(x, weights), biases, name=scope)


# --- dropout ------------------------------------------------------------------------------------
def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zero each element with probability ``rate`` (= 1 - keep_prob); scale the rest by 1/keep_prob.

    A new mask is drawn at every ``Session.run``; ``seed`` makes the sequence repeatable.
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")      # TF's deprecated_argument_lookup
    if keep_prob is not None:
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError(f"keep_prob must be a floating point number or Tensor (got {keep_prob!r})") \
                from None
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    with name_scope(name, "dropout"):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. "
                             f"Got a {x.dtype.base_dtype.name} tensor instead.")
        if isinstance(rate, (int, float)) and not 0 <= rate < 1:
            raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate:g}")
        rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        value = constant_value(rate)
        if value is not None and value == 0:
            return x                                  # nothing to drop
        # TF 1.15's ops in TF's order, so the nodes get its names (the result: dropout/mul_1)
        random_tensor = random_uniform(_noise_shape(x, noise_shape), seed=seed, dtype=x.dtype.base_dtype)
        keep_prob = 1 - rate
        scale = 1 / keep_prob
        keep_mask = random_tensor >= rate
        ret = x * scale * cast(keep_mask, x.dtype.base_dtype)
        ret.set_shape(x.shape)
        return ret


def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return shape(x)                             # as TF, even when the static shape is known
    if isinstance(noise_shape, (list, tuple)) and x.shape.ndims == len(noise_shape):
        return [d if d is not None else x.shape[i] for i, d in enumerate(noise_shape)]
    return noise_shape


# --- moments ------------------------------------------------------------------------------------
def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of ``x`` over ``axes`` (the statistics batch normalization uses)."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "moments"):
        y = convert_to_tensor(x)
        mean = reduce_mean(y, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(y, stop_gradient(mean)), axes, keepdims=True,
                               name="variance")
        if not keep:
            mean = squeeze(mean, axes)
            variance = squeeze(variance, axes)
        return mean, variance


# --- DivNoNan: the safe division that averaging losses needs ------------------------------------
def _div_no_nan_kernel(op, runtime):
    def div_no_nan_fn(x, y):
        zero = y == 0
        return np.where(zero, 0, x / np.where(zero, 1, y)).astype(np.result_type(x, y))
    return div_no_nan_fn


def _div_no_nan_grad(op, g):
    x, y = op.inputs
    return unbroadcast(op, div_no_nan(g, y), g * div_no_nan(div_no_nan(negative(x), y), y))


register_op("DivNoNan", shape_fns.broadcast, kernel=_div_no_nan_kernel, attrs=("T",),
            type_constraints=allowed("x", L.DIV_NO_NAN),
            grad=_div_no_nan_grad)


def div_no_nan(x, y, name=None):
    """x / y, but 0 wherever y is 0 (an empty batch averages to 0, not NaN)."""
    return apply_op("DivNoNan", _binary_inputs(x, y), name=name or "div_no_nan")
