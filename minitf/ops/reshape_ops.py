"""Rearranging a tensor's axes: ExpandDims, Squeeze, Transpose (InvertPermutation), Tile.

No element changes value; only the layout changes, so each gradient undoes
the layout change: a reshape back, the inverse permutation, a sum over the
tiled copies.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, register_op, when_shape_unchanged
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import const_int, const_ints, runtime_error
from .array_ops import rank, reshape, shape, size
from .concat_split_ops import stack
from .constant_op import convert_to_tensor
from .reduction_ops import reduce_sum


# --- ExpandDims, Squeeze ---------------------------------------------------------------------
def _expand_dims_infer(ctx):
    x, axis = ctx.shape(0), const_int(ctx, 1)
    if x.ndims is None or axis is None:
        return unknown_shape(), ctx.dtype(0)
    if not -x.ndims - 1 <= axis <= x.ndims:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {x.ndims} dimensions.")
    dims = x.dims
    dims.insert(axis % (x.ndims + 1), 1)
    return TensorShape(dims), ctx.dtype(0)


register_op("ExpandDims", _expand_dims_infer, attrs=("T", "Tdim"), aliases_input=True,
            type_constraints=allowed("dim", L.INDEX, 1, "Tdim"),
            kernel=lambda op, rt: (lambda x, axis: np.expand_dims(x, int(np.reshape(axis, -1)[0]))),
            grad=lambda op, g: [reshape(g, shape(op.inputs[0])), None],
            gpu_kernel="minitf.ops.array_ops_gpu:reshape_like_cpu", host_inputs=(1,),
            forwards_input=when_shape_unchanged)


def expand_dims(input, axis=None, name=None, dim=None):
    """Insert a dimension of size 1 at ``axis`` (``dim`` is TF 1.x's old name)."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    x = convert_to_tensor(input)
    a = convert_to_tensor(axis, dtype=dtypes.int32)
    return apply_op("ExpandDims", [x, a], {"Tdim": a.dtype.base_dtype}, name=name or "ExpandDims")


def _squeeze_infer(ctx):
    x, axes = ctx.shape(0), list(ctx.attr("squeeze_dims", []))
    if x.ndims is None:
        return unknown_shape(), ctx.dtype(0)
    for a in axes:
        if not -x.ndims <= a < x.ndims:
            raise ValueError(f"Tried to squeeze dim index {a} for tensor with {x.ndims} dimensions.")
    axes = {a % x.ndims for a in axes}
    if not axes and None in x.dims:
        return unknown_shape(), ctx.dtype(0)     # an unknown dim may or may not be 1
    for a in axes:
        if x.dims[a] not in (None, 1):
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {x.dims[a]}")
    keep = [d for i, d in enumerate(x.dims) if (i not in axes if axes else d != 1)]
    return TensorShape(keep), ctx.dtype(0)


def _squeeze_kernel(op, runtime):
    axes = tuple(op.get_attr("squeeze_dims"))

    def squeeze_fn(x):
        if any(x.shape[a] != 1 for a in axes):
            bad = next(a for a in axes if x.shape[a] != 1)
            raise runtime_error(op, f"Can not squeeze dim[{bad % x.ndim}], expected a dimension of 1, "
                                     f"got {x.shape[bad]}")
        return np.squeeze(x, axis=axes or None)
    return squeeze_fn


register_op("Squeeze", _squeeze_infer, kernel=_squeeze_kernel, attrs=("T", "squeeze_dims"),
            aliases_input=True, grad=lambda op, g: [reshape(g, shape(op.inputs[0]))],
            gpu_kernel="minitf.ops.array_ops_gpu:reshape_like_cpu", forwards_input=when_shape_unchanged)


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    """Remove dimensions of size 1 (all of them, or only those in ``axis``)."""
    axis = squeeze_dims if axis is None else axis
    axes = [] if axis is None else [int(a) for a in np.reshape(axis, -1)]
    return apply_op("Squeeze", [convert_to_tensor(input)], {"squeeze_dims": axes},
                    name=name or "Squeeze")


# --- Transpose, InvertPermutation ------------------------------------------------------------
def _transpose_infer(ctx):
    x, perm = ctx.shape(0), const_ints(ctx, 1)
    n = ctx.shape(1)[0] if ctx.shape(1).ndims == 1 else None
    if x.ndims is not None and n is not None and n != x.ndims:
        raise ValueError(f"Dimension must be {x.ndims} but is {n}")
    if x.ndims is None or perm is None:
        return unknown_shape(x.ndims if x.ndims is not None else n), ctx.dtype(0)
    for p in perm:
        if not 0 <= p < x.ndims:
            raise ValueError(f"perm dim {p} is out of range of input rank {x.ndims}")
    return TensorShape([x.dims[p] for p in perm]), ctx.dtype(0)


register_op("Transpose", _transpose_infer, attrs=("T", "Tperm"),
            type_constraints=allowed("perm", L.INDEX, 1, "Tperm"),
            kernel=lambda op, rt: (lambda x, perm: np.ascontiguousarray(np.transpose(x, perm))),
            grad=lambda op, g: [transpose(g, invert_permutation(op.inputs[1])), None],
            gpu_kernel="minitf.ops.array_ops_gpu:transpose", host_inputs=(1,))
register_op("InvertPermutation", lambda ctx: (ctx.shape(0), ctx.dtype(0)), attrs=("T",),
            type_constraints=allowed("x", L.INDEX),
            kernel=lambda op, rt: (lambda p: np.argsort(p).astype(p.dtype)), differentiable=False)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permute the dimensions of ``a`` (reverse them when ``perm`` is None)."""
    with name_scope(name, "transpose") as scope:
        x = convert_to_tensor(a, name="a")
        if perm is None:
            if x.shape.ndims is not None:
                perm = np.arange(x.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                from .sequence_ops import range as tf_range  # here, not at the top: sequence_ops imports this module
                r = rank(x)
                perm = (r - 1) - tf_range(0, r, 1)
        p = perm if isinstance(perm, Tensor) else convert_to_tensor(perm, dtype=dtypes.int32, name="perm")
        return apply_op("Transpose", [x, p], {"Tperm": p.dtype.base_dtype}, name=scope)


def invert_permutation(x, name=None):
    """The permutation ``y`` with ``y[x[i]] = i`` (undoes a transpose)."""
    return apply_op("InvertPermutation", [convert_to_tensor(x)], name=name or "InvertPermutation")


# --- Tile ------------------------------------------------------------------------------------------
def _tile_infer(ctx):
    x, multiples = ctx.shape(0), const_ints(ctx, 1)
    n = ctx.shape(1)[0] if ctx.shape(1).ndims == 1 else None
    if ctx.shape(1).ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {ctx.shape(1).ndims}")
    if x.ndims is not None and n is not None and n != x.ndims:
        raise ValueError(f"Dimension must be {x.ndims} but is {n}")
    if x.ndims is None or multiples is None:
        return unknown_shape(x.ndims if x.ndims is not None else n), ctx.dtype(0)
    return TensorShape([None if d is None else d * m for d, m in zip(x.dims, multiples)]), ctx.dtype(0)


def _tile_grad(op, grad):
    """Reshape the gradient to [m0, d0, m1, d1, ...] and sum over the m axes (TF's recipe)."""
    from .sequence_ops import range as tf_range  # here, not at the top: sequence_ops imports this module
    multiples = op.inputs[1]
    input_shape = shape(op.inputs[0], out_type=multiples.dtype.base_dtype)
    split_shape = reshape(transpose(stack([multiples, input_shape])), [-1])
    axes = tf_range(0, size(split_shape), 2)
    return [reduce_sum(reshape(grad, split_shape), axes), None]


register_op("Tile", _tile_infer, attrs=("T", "Tmultiples"), grad=_tile_grad,
            type_constraints=allowed("multiples", L.INDEX, 1, "Tmultiples"),
            kernel=lambda op, rt: (lambda x, multiples: np.tile(x, tuple(int(m) for m in multiples))))


def tile(input, multiples, name=None):
    """Repeat ``input`` ``multiples[i]`` times along each axis i."""
    x = convert_to_tensor(input)
    m = convert_to_tensor(multiples, dtype=dtypes.int32) if not isinstance(multiples, Tensor) else multiples
    return apply_op("Tile", [x, m], {"Tmultiples": m.dtype.base_dtype}, name=name or "Tile")
