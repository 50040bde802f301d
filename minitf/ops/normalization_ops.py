"""``tf.nn.batch_normalization`` and ``tf.nn.l2_normalize``: thin Python over existing ops, as in TF.

Neither is an op of its own in TensorFlow 1.x: each is a few lines of
arithmetic under a name scope, and so is its gradient (autodiff differentiates
the arithmetic).  ``tf.nn.moments`` (the statistics batch normalization uses)
lives in ``nn_ops.py``.
"""

from __future__ import annotations

from ..framework.scopes import name_scope
from .array_ops import cast
from .constant_op import convert_to_tensor
from .math_ops import maximum, multiply, rsqrt, square
from .reduction_ops import reduce_sum


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, computed as TF does: x * inv + shift.

    Folding the normalization into one multiply and one add (``inv`` and ``shift`` are per
    channel, so they are small) is TF's order of operations, hence its rounding.
    """
    with name_scope(name, "batchnorm"):
        x = convert_to_tensor(x, name="x")
        inv = rsqrt(convert_to_tensor(variance, dtype=x.dtype.base_dtype) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        shift = (offset - mean * inv) if offset is not None else -mean * inv
        return x * cast(inv, x.dtype.base_dtype) + cast(shift, x.dtype.base_dtype)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x**2, axis), epsilon)): unit L2 norm along ``axis`` (``dim`` is its old name)."""
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize") as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        x_inv_norm = rsqrt(maximum(square_sum, epsilon))
        return multiply(x, x_inv_norm, name=scope)
