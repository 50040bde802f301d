"""Joining and cutting along an axis: ConcatV2, Pack (stack), Unpack (unstack), Split, SplitV.

Concat and Split are each other's gradient, and so are Pack and Unpack: the
gradient of a join cuts the incoming gradient into the pieces' sizes.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import as_list, check_axis, const_int, const_ints, is_tensor_like, runtime_error
from .array_ops import identity, rank, shape
from .constant_op import constant, convert_to_tensor
from .math_ops import floormod


# --- helpers: lists of tensors, merging shapes ---------------------------------------------------
def _convert_list(values, op_type: str) -> list:
    """Convert a list to tensors of one dtype: plain numbers take the first tensor's dtype.

    A list that holds tensors (``[n, 3]`` with ``n`` a Tensor) is stacked into
    one, as TF's "autopacking" does.
    """
    graph_values = [v if is_tensor_like(v) else stack(v) if not _is_plain_data(v) else None
                    for v in values]
    dtype = next((convert_to_tensor(v).dtype.base_dtype for v in graph_values if v is not None), None)
    tensors = [convert_to_tensor(g) if g is not None else convert_to_tensor(v, dtype=dtype)
               for g, v in zip(graph_values, values)]
    types = [t.dtype.base_dtype for t in tensors]
    if len(set(types)) > 1:
        raise TypeError(f"Tensors in list passed to 'values' of '{op_type}' Op have types "
                        f"[{', '.join(t.name for t in types)}] that don't all match.")
    return tensors


def _merge_all(shapes, suffix: str = "", skip=None) -> TensorShape:
    """Merge shapes that must agree (all dims, or all but axis ``skip``), with TF's errors."""
    merged = unknown_shape()
    for s in shapes:
        if s.ndims is None:
            continue
        if merged.ndims is not None and merged.ndims != s.ndims:
            raise ValueError(f"Shapes must be equal rank, but are {merged.ndims} and {s.ndims}{suffix}")
        dims = merged.dims or [None] * s.ndims
        for d, (a, b) in enumerate(zip(dims, s.dims)):
            if d != skip and a is not None and b is not None and a != b:
                raise ValueError(f"Dimension {d} in both shapes must be equal, but are {a} and {b}. "
                                 f"Shapes are {_dims_text(merged)} and {_dims_text(s)}.{suffix}")
            dims[d] = a if a is not None else b
        merged = TensorShape(dims)
    return merged


def _dims_text(s: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in s.dims) + "]"


# --- ConcatV2 -----------------------------------------------------------------------------------
def _concat_infer(ctx):
    shapes, axis = ctx.shapes[:-1], const_int(ctx, len(ctx.shapes) - 1)
    rank = next((s.ndims for s in shapes if s.ndims is not None), None)
    if rank is None:
        return unknown_shape(), ctx.dtype(0)
    if axis is None:
        return unknown_shape(rank), ctx.dtype(0)
    if rank == 0:
        raise ValueError("Can't concatenate scalars (use tf.stack instead)")
    axis = check_axis(axis, rank, "concatenating dimensions")
    for s in shapes:
        if s.ndims is not None and s.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {s.ndims}")
    merged = _merge_all(shapes, skip=axis)
    sizes = [s.dims[axis] if s.ndims is not None else None for s in shapes]
    total = None if None in sizes else sum(sizes)
    dims = merged.dims
    dims[axis] = total
    return TensorShape(dims), ctx.dtype(0)


def _concat_kernel(op, runtime):
    def concat_fn(*args):
        *values, axis = args
        try:
            return np.concatenate(values, axis=int(axis))
        except (ValueError, np.exceptions.AxisError) as e:
            raise runtime_error(op, f"ConcatOp : {e}") from None
    return concat_fn


def _concat_grad(op, grad):
    """Cut the gradient into pieces as long as each input was along the axis."""
    from .gather_ops import gather  # here, not at the top: gather_ops imports this module
    *values, axis = op.inputs
    axis = floormod(axis, rank(values[0]))
    sizes = stack([gather(shape(v), axis) for v in values])
    return split(grad, sizes, axis) + [None]


register_op("ConcatV2", _concat_infer, kernel=_concat_kernel, attrs=("N", "T", "Tidx"),
            type_constraints=allowed("axis", L.INDEX, -1, "Tidx"),
            grad=_concat_grad)


def concat(values, axis, name="concat"):
    """Join tensors along an existing dimension ``axis``."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with name_scope(name) as scope:
            return identity(values[0], name=scope)
    tensors = _convert_list(values, "ConcatV2")
    a = convert_to_tensor(axis, dtype=dtypes.int32)
    return apply_op("ConcatV2", tensors + [a], {"N": len(tensors), "Tidx": a.dtype.base_dtype},
                    name=name or "concat")


# --- Pack (stack), Unpack (unstack) ------------------------------------------------------------
def _pack_infer(ctx):
    merged = _merge_all(ctx.shapes, "\n\tFrom merging shape 0 with other shapes.")
    if merged.ndims is None:
        return unknown_shape(), ctx.dtype(0)
    axis = ctx.attr("axis", 0)
    rank = merged.ndims + 1
    if not -rank <= axis < rank:
        raise ValueError(f"Invalid axis: {axis}; must be in [{-rank},{rank})")
    dims = merged.dims
    dims.insert(axis % rank, len(ctx.shapes))
    return TensorShape(dims), ctx.dtype(0)


register_op("Pack", _pack_infer, attrs=("N", "T", "axis"),
            kernel=lambda op, rt: (lambda *xs: np.stack(xs, axis=op.get_attr("axis"))),
            grad=lambda op, g: unstack(g, num=op.get_attr("N"), axis=op.get_attr("axis")))


def _is_plain_data(values) -> bool:
    """True when ``values`` holds no tensors at any depth (it can be one Const)."""
    if is_tensor_like(values):
        return False
    if isinstance(values, (list, tuple)):
        return all(_is_plain_data(v) for v in values)
    return True


def stack(values, axis=0, name="stack"):
    """Stack rank-R tensors into one rank-(R+1) tensor along a new ``axis``."""
    if axis == 0 and _is_plain_data(values):
        return constant(values, name=name)       # as TF: a list of numbers is simply a constant
    tensors = _convert_list(values, "Pack")
    if tensors[0].shape.ndims is not None:
        rank = tensors[0].shape.ndims + 1
        if not -rank <= axis < rank:
            raise ValueError(f"axis = {axis} not in [{-rank}, {rank})")
    return apply_op("Pack", tensors, {"N": len(tensors), "axis": axis}, name=name or "stack")


def _unpack_infer(ctx):
    x, num, axis = ctx.shape(0), ctx.attr("num"), ctx.attr("axis", 0)
    if x.ndims is None:
        return [(unknown_shape(), ctx.dtype(0))] * num
    axis = check_axis(axis, x.ndims)
    if x.dims[axis] is not None and x.dims[axis] != num:
        raise ValueError(f"Dimension must be {num} but is {x.dims[axis]}")
    piece = TensorShape(x.dims[:axis] + x.dims[axis + 1:])
    return [(piece, ctx.dtype(0))] * num


def _unpack_kernel(op, runtime):
    num, axis = op.get_attr("num"), op.get_attr("axis")

    def unpack_fn(x):
        if x.shape[axis] != num:
            raise runtime_error(op, f"Input shape axis {axis} must equal {num}, got shape "
                                     f"{list(x.shape)}")
        return tuple(np.take(x, i, axis=axis) for i in range(num))
    return unpack_fn


register_op("Unpack", _unpack_infer, kernel=_unpack_kernel, attrs=("num", "T", "axis"),
            grad=lambda op, *grads: [stack(list(grads), axis=op.get_attr("axis"))])


def unstack(value, num=None, axis=0, name="unstack"):
    """Split ``value`` along ``axis`` into a list of ``num`` tensors of one rank less."""
    x = convert_to_tensor(value)
    if num is None:
        if x.shape.ndims is not None:
            if not -x.shape.ndims <= axis < x.shape.ndims:
                raise ValueError(f"axis = {axis} not in [{-x.shape.ndims}, {x.shape.ndims})")
            num = x.shape.dims[axis]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
    return as_list(apply_op("Unpack", [x], {"num": num, "axis": axis}, name=name or "unstack"))


# --- Split, SplitV ------------------------------------------------------------------------------
def _split_infer(ctx):
    axis, x, num = const_int(ctx, 0), ctx.shape(1), ctx.attr("num_split")
    if x.ndims is None or axis is None:
        return [(unknown_shape(x.ndims), ctx.dtype(1))] * num
    if not -x.ndims <= axis < x.ndims:
        raise ValueError(f"Dimension size, given by scalar input {axis} must be in range "
                         f"[{-x.ndims}, {x.ndims})")
    axis %= x.ndims
    d = x.dims[axis]
    if d is not None and d % num:
        raise ValueError(f"Dimension size must be evenly divisible by {num} but is {d}")
    dims = x.dims
    dims[axis] = None if d is None else d // num
    return [(TensorShape(dims), ctx.dtype(1))] * num


def _split_kernel(op, runtime):
    num = op.get_attr("num_split")

    def split_fn(axis, x):
        if x.shape[int(axis)] % num:
            raise runtime_error(op, f"Number of ways to split should evenly divide the split "
                                     f"dimension, but got split_dim {int(axis)} (size = "
                                     f"{x.shape[int(axis)]}) and num_split {num}")
        return tuple(np.split(x, num, axis=int(axis)))
    return split_fn


def _split_v_infer(ctx):
    x, sizes, axis, num = ctx.shape(0), const_ints(ctx, 1), const_int(ctx, 2), ctx.attr("num_split")
    if x.ndims is None or axis is None:
        return [(unknown_shape(x.ndims), ctx.dtype(0))] * num
    axis = check_axis(axis, x.ndims, "split_dim")
    if sizes is None:
        return [(TensorShape(x.dims[:axis] + [None] + x.dims[axis + 1:]), ctx.dtype(0))] * num
    sizes = _resolve_sizes(sizes, x.dims[axis])
    return [(TensorShape(x.dims[:axis] + [s] + x.dims[axis + 1:]), ctx.dtype(0)) for s in sizes]


def _resolve_sizes(sizes: list, total):
    """Fill in the one -1 entry of ``size_splits`` from the dimension's length."""
    if -1 in sizes:
        rest = sum(s for s in sizes if s != -1)
        fill = None if total is None else total - rest
        sizes = [fill if s == -1 else s for s in sizes]
    if total is not None and None not in sizes and sum(sizes) != total:
        raise ValueError("Determined shape must either match input shape along split_dim exactly "
                         "if fully specified, or be less than the size of the input along "
                         f"split_dim if not fully specified.  Got: {sum(sizes)}")
    return sizes


def _split_v_kernel(op, runtime):
    def split_v_fn(x, size_splits, axis):
        axis = int(axis) % x.ndim
        try:
            sizes = _resolve_sizes([int(s) for s in size_splits], x.shape[axis])
        except ValueError as e:
            raise runtime_error(op, str(e)) from None
        return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))
    return split_v_fn


register_op("Split", _split_infer, kernel=_split_kernel, attrs=("num_split", "T"),
            grad=lambda op, *grads: [None, concat(list(grads), op.inputs[0])])
register_op("SplitV", _split_v_infer, kernel=_split_v_kernel, attrs=("num_split", "T", "Tlen"),
            type_constraints=allowed("size_splits", L.SPLIT_SIZES, 1, "Tlen"),
            grad=lambda op, *grads: [concat(list(grads), op.inputs[2]), None, None])


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Cut ``value`` along ``axis`` into equal parts (an int) or parts of given sizes."""
    x = convert_to_tensor(value)
    a = convert_to_tensor(axis, dtype=dtypes.int32)
    if isinstance(num_or_size_splits, (int, np.integer)):
        return as_list(apply_op("Split", [a, x], {"num_split": int(num_or_size_splits),
                                                  "T": x.dtype.base_dtype},
                                 name=name or "split"))
    sizes = convert_to_tensor(num_or_size_splits, dtype=dtypes.int32) \
        if not isinstance(num_or_size_splits, Tensor) else num_or_size_splits
    if num is None:
        num = sizes.shape[0].value if sizes.shape.ndims == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {num_or_size_splits}")
    return as_list(apply_op("SplitV", [x, sizes, a], {"num_split": num, "Tlen": sizes.dtype.base_dtype},
                             name=name or "split"))
