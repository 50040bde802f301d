"""Small helpers the array-op files share: reading constant inputs, axes, errors."""

from __future__ import annotations

import numpy as np

from ..framework import errors
from ..framework.operation import Operation
from ..framework.tensor import Tensor
from .array_ops import node_suffix


def const_ints(ctx, i):
    """Input ``i`` as a list of Python ints when it is a known constant, else None."""
    value = ctx.const(i)
    return None if value is None else [int(v) for v in np.asarray(value).reshape(-1)]


def const_int(ctx, i):
    """Input ``i`` as one Python int when it is a known constant, else None."""
    value = const_ints(ctx, i)
    return None if value is None else value[0]


def check_axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < rank:
        raise ValueError(f"Expected {what} in the range [{-rank}, {rank}), but got {axis}")
    return axis % rank


def is_tensor_like(v) -> bool:
    return isinstance(v, Tensor) or hasattr(v, "_as_graph_element") or hasattr(v, "_is_eager_tensor")


def as_list(result) -> list:
    """Multi-output ops return a list even when they have one output (or none)."""
    if isinstance(result, list):
        return result
    return [] if result is None or isinstance(result, Operation) else [result]


def runtime_error(op, message):
    return errors.InvalidArgumentError(None, op, message + node_suffix(op))
