"""Shape functions shared by many ops (the ``infer`` field of an OpDef)."""

from __future__ import annotations

from ..framework import dtypes
from ..framework.tensor_shape import TensorShape, broadcast_static, unknown_shape


def unchanged(ctx):
    """Output has the input's shape and dtype (elementwise unary ops)."""
    return ctx.shape(0), ctx.dtype(0)


def unchanged_bool(ctx):
    return ctx.shape(0), dtypes.bool


def broadcast(ctx):
    """Binary elementwise op: numpy broadcasting of the two input shapes."""
    _same_dtype(ctx)
    return broadcast_static(ctx.shape(0), ctx.shape(1)), ctx.dtype(0)


def broadcast_bool(ctx):
    _same_dtype(ctx)
    return broadcast_static(ctx.shape(0), ctx.shape(1)), dtypes.bool


def _same_dtype(ctx):
    a, b = ctx.dtype(0), ctx.dtype(1)
    if a is not b:
        raise TypeError(f"Input 'y' of '{ctx.op_type}' Op has type {b.name} that does not match "
                        f"type {a.name} of argument 'x'.")


def scalar_of(dtype):
    return lambda ctx: (TensorShape([]), dtype)


def no_outputs(ctx):
    return []


def reduced(ctx):
    """Reduction over the constant axes input 1 (``keep_dims`` attr)."""
    shape, axes = ctx.shape(0), ctx.const(1)
    keep = ctx.attr("keep_dims", False)
    if shape.ndims is None:
        return unknown_shape(), ctx.dtype(0)
    if axes is None:
        rank = shape.ndims if keep else None
        return unknown_shape(rank), ctx.dtype(0)
    axes = normalize_axes(axes, shape.ndims)
    if keep:
        dims = [1 if i in axes else d for i, d in enumerate(shape.dims)]
    else:
        dims = [d for i, d in enumerate(shape.dims) if i not in axes]
    return TensorShape(dims), ctx.dtype(0)


def normalize_axes(axes, rank: int) -> tuple:
    """Turn an axis value (int, list, negative) into a sorted tuple of axes in range."""
    import numpy as np
    flat = np.asarray(axes).reshape(-1).tolist()
    out = set()
    for a in flat:
        a = int(a)
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {a} for input with {rank} dimensions.")
        out.add(a % rank if rank else 0)
    return tuple(sorted(out))
