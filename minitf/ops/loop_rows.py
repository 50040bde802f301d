"""Writing one row of a tensor inside a loop, with ordinary ops.

``map_fn`` and ``dynamic_rnn`` collect one result per iteration into a
``[n, ...]`` tensor.  TF uses a ``TensorArray``; here row ``i`` is written by
blending with a one-hot mask, ``acc * (1 - mask) + value * mask``: plain,
differentiable ops, and the loop variable keeps one shape in every iteration.
"""

from __future__ import annotations

from .array_ops import reshape, shape
from .concat_split_ops import concat
from .gather_ops import one_hot
from .reshape_ops import expand_dims


def write_row(acc, i, value):
    """``acc`` with row ``i`` replaced by ``value``."""
    n = acc.shape[0].value if acc.shape.ndims else None
    n = n if n is not None else shape(acc)[0]
    mask = one_hot(i, n, dtype=acc.dtype.base_dtype)
    ones = [1] * (value.shape.ndims if value.shape.ndims is not None else 0)
    mask = reshape(mask, concat([[-1], ones], 0)) if ones else mask
    written = acc * (1 - mask) + expand_dims(value, 0) * mask
    written.set_shape(acc.shape)                       # the loop variable keeps its shape
    return written
