"""``tf.contrib.layers``: the regularizers and initializers TF 1.x tutorials take from contrib.

A regularizer is a function ``weights -> scalar loss``; ``tf.get_variable(...,
regularizer=...)`` (or a scope's default regularizer) calls it and puts the loss
in ``GraphKeys.REGULARIZATION_LOSSES``, which ``tf.losses.get_regularization_loss()`` sums.
"""

from __future__ import annotations

import numbers

from ..framework.graph import GraphKeys, get_default_graph
from ..framework.scopes import name_scope
from ..ops.constant_op import convert_to_tensor
from ..ops.init_ops import contrib_variance_scaling_initializer as variance_scaling_initializer  # noqa: F401
from ..ops.init_ops import xavier_initializer  # noqa: F401
from ..ops.math_ops import abs as _abs, add_n, multiply
from ..ops.nn_ops import l2_loss
from ..ops.reduction_ops import reduce_sum

xavier_initializer_conv2d = xavier_initializer


def _check_scale(scale) -> bool:
    """TF's checks; False when the scale is 0 (the regularizer is then switched off)."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.:
            raise ValueError("Setting a scale less than 0 on a regularizer: %g." % scale)
        if scale == 0.:
            return False
    return True


def l2_regularizer(scale, scope=None):
    """``scale * sum(w²) / 2`` (``tf.nn.l2_loss``), for weight decay."""
    if not _check_scale(scale):
        return lambda _: None

    def l2(weights):
        with name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(my_scale, l2_loss(weights), name=name)
    return l2


def l1_regularizer(scale, scope=None):
    """``scale * sum(|w|)``, which pushes weights to exactly zero."""
    if not _check_scale(scale):
        return lambda _: None

    def l1(weights):
        with name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(my_scale, reduce_sum(_abs(weights)), name=name)
    return l1


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """``l1(w) + l2(w)`` as one loss (elastic net); a zero scale leaves its half out."""
    for what, scale in (("scale_l1", scale_l1), ("scale_l2", scale_l2)):
        if isinstance(scale, numbers.Integral):
            raise ValueError(f"{what} cannot be an integer: {scale}")
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def sum_regularizer(regularizer_list, scope=None):
    """A regularizer that adds up the losses of ``regularizer_list`` (None results are skipped)."""
    regularizer_list = [r for r in regularizer_list if r]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with name_scope(scope, "sum_regularizer", [weights]) as name:
            losses = [loss for loss in (r(weights) for r in regularizer_list) if loss is not None]
            return add_n(losses, name=name)
    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """The sum of ``regularizer(w)`` over ``weights_list`` (default: the WEIGHTS collection)."""
    if not weights_list:
        weights_list = get_default_graph().get_collection("weights")
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [p for p in (regularizer(w) for w in weights_list) if p is not None]
        summed = add_n(penalties, name=scope)
        get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed

from .fully_connected import flatten, fully_connected  # noqa: F401,E402
