"""Picking elements by index: GatherV2, UnsortedSegmentSum, OneHot, Where, boolean_mask.

Gather and UnsortedSegmentSum are each other's gradient: a gather copies rows
out, so its gradient adds the gradient rows back where they came from
(repeated indices add up).
"""

from __future__ import annotations

import numpy as np

from ..framework import context, dtypes, type_lists as L
from ..framework.op_builder import apply_op, constant_value
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import check_axis, const_int, runtime_error
from .array_ops import cast, ones_like, rank, reshape, shape
from .concat_split_ops import concat
from .constant_op import convert_to_tensor
from .indexed_slices import IndexedSlices
from .math_ops import greater_equal, maximum
from .reduction_ops import reduce_prod
from .reshape_ops import squeeze, transpose


# --- GatherV2 -----------------------------------------------------------------------------------
def _gather_infer(ctx):
    params, indices, axis = ctx.shape(0), ctx.shape(1), const_int(ctx, 2)
    if ctx.attr("batch_dims", 0) != 0:
        raise ValueError("minitf supports GatherV2 with batch_dims=0 only")
    if params.ndims is None or indices.ndims is None or axis is None:
        return unknown_shape(), ctx.dtype(0)
    if params.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    axis = check_axis(axis, params.ndims)
    dims = params.dims[:axis] + indices.dims + params.dims[axis + 1:]
    return TensorShape(dims), ctx.dtype(0)


def _check_indices(op, indices, limit):
    bad = np.argwhere((indices < 0) | (indices >= limit))
    if len(bad):
        where = ",".join(str(i) for i in bad[0])
        value = indices[tuple(bad[0])]
        raise runtime_error(op, f"indices[{where}] = {value} is not in [0, {limit})")


def _gather_kernel(op, runtime):
    def gather_fn(params, indices, axis):
        axis = int(axis)
        if not -params.ndim <= axis < params.ndim:
            raise runtime_error(op, f"Expected axis in the range [{-params.ndim}, {params.ndim}), "
                                    f"but got {axis}")
        axis %= params.ndim
        _check_indices(op, indices, params.shape[axis])
        return np.take(params, indices, axis=axis)
    return gather_fn


def _gather_grad(op, grad):
    """The gradient rows, at the rows they were gathered from.

    Along axis 0 this is an ``IndexedSlices`` (TF 1.x), so optimizers touch only
    those rows; along other axes (and in eager mode) a dense scatter-add.
    """
    params, indices, axis = op.inputs
    axis = constant_value(axis)
    if axis is None:
        raise NotImplementedError("minitf differentiates GatherV2 only for a constant axis")
    params_shape = shape(params)
    flat_indices = reshape(indices, [-1])
    if params.shape.ndims is None and int(axis) != 0:
        raise NotImplementedError("minitf differentiates GatherV2 along axis > 0 only for a known rank")
    axis = int(axis) % (params.shape.ndims or 1)
    num = params_shape[axis]
    if axis == 0:
        values = reshape(grad, concat([[-1], params_shape[1:]], 0))
        if not context.executing_eagerly():
            return [IndexedSlices(values, flat_indices, params_shape), None, None]
        return [unsorted_segment_sum(values, flat_indices, num), None, None]
    # Move the gathered axis to the front, scatter along it, move it back (TF's recipe).
    rank = params.shape.ndims
    values = reshape(grad, concat([params_shape[:axis], [-1], params_shape[axis + 1:]], 0))
    perm = [axis] + list(range(axis)) + list(range(axis + 1, rank))
    summed = unsorted_segment_sum(transpose(values, perm), flat_indices, num)
    return [transpose(summed, np.argsort(perm)), None, None]


register_op("GatherV2", _gather_infer, kernel=_gather_kernel,
            type_constraints=allowed("indices", L.INDEX_WITH_INT16, 1, "Tindices")
                             + allowed("axis", L.INDEX, 2, "Taxis"),
            attrs=("batch_dims", "Tparams", "Tindices", "Taxis"), grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Pick slices of ``params`` along ``axis`` at ``indices``: ``np.take``."""
    p = convert_to_tensor(params)
    i = convert_to_tensor(indices)
    a = convert_to_tensor(0 if axis is None else axis, dtype=i.dtype.base_dtype)
    attrs = {"batch_dims": batch_dims, "Tparams": p.dtype.base_dtype,
             "Tindices": i.dtype.base_dtype, "Taxis": a.dtype.base_dtype}
    return apply_op("GatherV2", [p, i, a], attrs, name=name or "GatherV2")


# --- UnsortedSegmentSum --------------------------------------------------------------------------
def _segment_sum_infer(ctx):
    data, ids, num = ctx.shape(0), ctx.shape(1), const_int(ctx, 2)
    if data.ndims is None or ids.ndims is None:
        return unknown_shape(), ctx.dtype(0)
    return TensorShape([num] + data.dims[ids.ndims:]), ctx.dtype(0)


def _segment_sum_kernel(op, runtime):
    def unsorted_segment_sum_fn(data, segment_ids, num_segments):
        num = int(num_segments)
        if np.any(segment_ids >= num):
            bad = int(segment_ids[segment_ids >= num].reshape(-1)[0])
            raise runtime_error(op, f"segment_ids {bad} is out of range [0, {num})")
        out = np.zeros((num,) + data.shape[segment_ids.ndim:], dtype=data.dtype)
        keep = segment_ids >= 0            # negative ids are dropped, as in TF
        np.add.at(out, segment_ids[keep], data[keep])
        return out
    return unsorted_segment_sum_fn


def _segment_sum_grad(op, grad):
    """Each data element receives the gradient of the segment it was added into."""
    data, ids = op.inputs[0], op.inputs[1]
    picked = gather(grad, maximum(ids, 0))
    kept = cast(greater_equal(ids, 0), grad.dtype)       # dropped (negative) ids get zero
    one_per_row = concat([shape(ids), ones_like(shape(data)[rank(ids):])], 0)
    return [picked * reshape(kept, one_per_row), None, None]


register_op("UnsortedSegmentSum", _segment_sum_infer, kernel=_segment_sum_kernel,
            type_constraints=(allowed("data", L.NUMBER) + allowed("segment_ids", L.INDEX_WITH_INT16, 1, "Tindices")
                              + allowed("num_segments", L.INDEX, 2, "Tnumsegments")),
            attrs=("T", "Tindices", "Tnumsegments"), grad=_segment_sum_grad)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``out[segment_ids[i]] += data[i]``: the sum of the rows of each segment."""
    d = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    n = convert_to_tensor(num_segments, dtype=dtypes.int32)
    attrs = {"Tindices": ids.dtype.base_dtype, "Tnumsegments": n.dtype.base_dtype}
    return apply_op("UnsortedSegmentSum", [d, ids, n], attrs, name=name or "UnsortedSegmentSum")


# --- OneHot --------------------------------------------------------------------------------------
def _one_hot_infer(ctx):
    indices, depth, axis = ctx.shape(0), const_int(ctx, 1), ctx.attr("axis", -1)
    if axis < -1:
        raise ValueError(f"axis must be >= -1, but got {axis}")
    if indices.ndims is None:
        return unknown_shape(), ctx.dtype(2)
    if axis > indices.ndims:
        raise ValueError(f"Expected axis to be -1 or between [0, {indices.ndims + 1}).  But received: {axis}")
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be non-negative, got: {depth}")
    dims = indices.dims
    dims.insert(indices.ndims if axis == -1 else axis, depth)
    return TensorShape(dims), ctx.dtype(2)


def _one_hot_kernel(op, runtime):
    axis = op.get_attr("axis")

    def one_hot_fn(indices, depth, on_value, off_value):
        if int(depth) < 0:
            raise runtime_error(op, f"depth must be non-negative, got: {int(depth)}")
        hot = indices[..., None] == np.arange(int(depth))     # out-of-range rows stay all off
        out = np.where(hot, on_value, off_value).astype(np.asarray(on_value).dtype)
        return out if axis == -1 else np.moveaxis(out, -1, axis)
    return one_hot_fn


register_op("OneHot", _one_hot_infer, kernel=_one_hot_kernel, attrs=("axis", "T", "TI"),
            type_constraints=allowed("indices", L.ONE_HOT_INDICES, attr="TI"),
            differentiable=False)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """Rows of ``depth`` values: ``on_value`` at each index, ``off_value`` elsewhere."""
    with name_scope(name, "one_hot") as scope:
        dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        on = None if on_value is None else convert_to_tensor(on_value, dtype=dtype)
        off = None if off_value is None else convert_to_tensor(off_value, dtype=dtype)
        dtype = dtype or (on.dtype if on is not None else off.dtype if off is not None else dtypes.float32)
        on = on if on is not None else convert_to_tensor(1, dtype=dtype, name="on_value")
        off = off if off is not None else convert_to_tensor(0, dtype=dtype, name="off_value")
        if on.dtype.base_dtype is not off.dtype.base_dtype:
            raise TypeError(f"dtype {on.dtype.base_dtype} of on_value does not match dtype "
                            f"{off.dtype.base_dtype} of off_value")
        idx = convert_to_tensor(indices)
        d = convert_to_tensor(depth, dtype=dtypes.int32)
        attrs = {"axis": -1 if axis is None else axis, "T": on.dtype.base_dtype,
                 "TI": idx.dtype.base_dtype}
        return apply_op("OneHot", [idx, d, on, off], attrs, name=scope)


# --- Where, boolean_mask -----------------------------------------------------------------------
def _where_infer(ctx):
    rank = ctx.shape(0).ndims
    return TensorShape([None, rank]), dtypes.int64


register_op("Where", _where_infer, attrs=("T",), differentiable=False,
            type_constraints=allowed("input", L.WHERE),
            kernel=lambda op, rt: (lambda c: np.argwhere(c).astype(np.int64)))


def where_indices(condition, name=None):
    """The coordinates of the true (nonzero) entries of ``condition``: int64 [n, rank]."""
    c = convert_to_tensor(condition)
    return apply_op("Where", [c], {"T": c.dtype.base_dtype}, name=name or "Where")


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of ``tensor`` where ``mask`` is true, flattened over the mask's dims.

    Built from other ops, as in TF: flatten the masked dims, find the true
    positions with ``Where``, and ``gather`` them.
    """
    with name_scope(name, "boolean_mask"):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        k = mask.shape.ndims
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions "
                             "are None.  E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else axis
        static = tensor.shape
        if static.ndims is not None:
            static[axis:axis + k].assert_is_compatible_with(mask.shape)
        full = shape(tensor)
        leading = reduce_prod(full[axis:axis + k], [0])
        flat = reshape(tensor, concat([full[:axis], [leading], full[axis + k:]], 0))
        if static.ndims is not None:
            flat.set_shape(TensorShape(static.dims[:axis] + [static[axis:axis + k].num_elements()]
                                       + static.dims[axis + k:]))
        indices = squeeze(where_indices(reshape(mask, [-1])), axis=[1])
        return gather(flat, indices, axis=axis)
