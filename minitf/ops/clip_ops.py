"""Gradient clipping: ``clip_by_norm``, ``clip_by_global_norm``, ``global_norm``.

Exploding gradients (梯度爆炸) are tamed by rescaling: a tensor (or a whole list of
gradients) whose L2 norm exceeds ``clip_norm`` is scaled down to exactly that norm,
keeping its direction.  Thin Python over existing ops, as TF 1.x writes them.
(``clip_by_value`` lives in math_ops.)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..framework.scopes import name_scope
from .array_ops import identity, ones_like
from .concat_split_ops import stack
from .constant_op import convert_to_tensor
from .math_ops import maximum, minimum, sqrt, where
from .nn_ops import l2_loss
from .reduction_ops import reduce_sum


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(l2norm(t), clip_norm)``: unchanged when the norm is small enough."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as name:
        values = convert_to_tensor(t, name="t")
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        # Two wheres keep the gradient finite when t is all zeros (sqrt'(0) is infinite).
        pred = l2sum > 0
        l2sum_safe = where(pred, l2sum, ones_like(l2sum))
        l2norm = where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.merge_with(intermediate.shape)     # no silent broadcasting by clip_norm
        return identity(intermediate / maximum(l2norm, clip_norm), name=name)


def _as_list(t_list) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return list(t_list)


def global_norm(t_list, name=None):
    """``sqrt(sum of squares of every element of every tensor)``; None entries are skipped."""
    t_list = _as_list(t_list)
    with name_scope(name, "global_norm", [t for t in t_list if t is not None]) as name:
        values = [convert_to_tensor(t, name="t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        half_squared_norm = reduce_sum(stack([l2_loss(v) for v in values if v is not None]))
        two = convert_to_tensor(2.0, dtype=half_squared_norm.dtype.base_dtype)
        return sqrt(half_squared_norm * two, name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor by ``clip_norm / max(global_norm, clip_norm)``; returns (clipped, norm).

    One common factor keeps the direction of the whole gradient; None stays None.
    A NaN or infinite norm makes every entry NaN, as in TF.
    """
    t_list = _as_list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm", [t for t in t_list if t is not None]) as name:
        one = convert_to_tensor(1.0, dtype=use_norm.dtype.base_dtype)
        scale_for_finite = clip_norm * minimum(1.0 / use_norm, one / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)        # NaN when the norm is not finite
        values = [convert_to_tensor(t, name="t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        clipped = [identity(v * scale, name="%s_%d" % (name, i)) if v is not None else None
                   for i, v in enumerate(values)]
    return clipped, use_norm
