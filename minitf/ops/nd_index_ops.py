"""Indexing by whole coordinates: ReverseV2, GatherNd, ScatterNd, and ``sequence_mask``.

``gather_nd`` reads ``params`` at index *tuples*: the last axis of ``indices``
holds the coordinates, so ``indices = [[0, 1], [2, 0]]`` picks ``params[0, 1]``
and ``params[2, 0]``.  ``scatter_nd`` is the opposite move, writing (adding,
where indices repeat) updates into zeros of a given shape, so each is the
other's gradient.  ``reverse`` flips axes; its gradient flips back.
These kernels only move data, so numpy's indexing does the work on the CPU;
ReverseV2 also has a numba.cuda twin (``nd_index_ops_gpu.py``).
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import const_ints, runtime_error
from .array_ops import cast, index_tensor, shape
from .constant_op import constant, convert_to_tensor
from .math_ops import less, maximum
from .reduction_ops import reduce_max
from .reshape_ops import expand_dims
from .sequence_ops import range as tf_range


# --- ReverseV2 ------------------------------------------------------------------------------------
def _reverse_infer(ctx):
    x, axes = ctx.shape(0), const_ints(ctx, 1)
    if axes is not None and x.ndims is not None:
        _canonical_axes(axes, x.ndims, ValueError)
    return x, ctx.dtype(0)


def _canonical_axes(axes, rank, error):
    seen = []
    for i, a in enumerate(axes):
        if not -rank <= a < rank:
            raise error(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}]")
        a %= rank
        if a in seen:
            raise error(f"axis {a} specified more than once.")
        seen.append(a)
    return tuple(seen)


def _reverse_kernel(op, runtime):
    def reverse_fn(x, axis):
        axes = _canonical_axes([int(a) for a in np.asarray(axis).reshape(-1)], max(x.ndim, 1),
                               lambda message: runtime_error(op, message))
        return np.flip(x, axes).copy() if axes else x
    return reverse_fn


register_op("ReverseV2", _reverse_infer, kernel=_reverse_kernel,
            grad=lambda op, g: [reverse(g, op.inputs[1]), None], gpu_kernel="minitf.ops.nd_index_ops_gpu:reverse", attrs=("Tidx", "T"), num_inputs=2,
            host_inputs=(1,), type_constraints=allowed("tensor", L.REVERSE) + allowed("axis", L.INDEX, 1, "Tidx"))


def reverse(tensor, axis, name=None):
    """``tensor`` with the axes in ``axis`` flipped (``tf.reverse``, TF's ReverseV2)."""
    tensor = convert_to_tensor(tensor, name="tensor")
    axis = index_tensor(axis, name="axis")
    return apply_op("ReverseV2", [tensor, axis], {"Tidx": axis.dtype.base_dtype}, name=name or "ReverseV2")


# --- GatherNd -------------------------------------------------------------------------------------
def _gather_nd_infer(ctx):
    params, indices = ctx.shape(0), ctx.shape(1)
    if indices.ndims is None or params.ndims is None or indices.dims[-1] is None:
        return unknown_shape(), ctx.dtype(0)
    if indices.ndims < 1:
        raise ValueError("indices.shape[-1] must be known: indices must be at least rank 1")
    depth = indices.dims[-1]
    if depth > params.ndims:
        raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                         f"{indices.as_list()} and params shape: {params.as_list()}")
    return TensorShape(indices.dims[:-1] + params.dims[depth:]), ctx.dtype(0)


def _coordinates(op, indices, shape_, into):
    """``indices`` as a tuple of index arrays (numpy's fancy indexing), checked against ``shape_``.

    ``into`` names the shape in the error, as TF does: "param shape" (gather), "shape" (scatter).
    """
    depth = indices.shape[-1]
    bad = np.argwhere(np.any((indices < 0) | (indices >= np.asarray(shape_[:depth])), axis=-1))
    if len(bad):
        where = ",".join(str(i) for i in bad[0])
        coords = ", ".join(str(v) for v in indices[tuple(bad[0])])
        raise runtime_error(op, f"indices[{where}] = [{coords}] does not index into {into} "
                                f"[{','.join(str(d) for d in shape_)}]")
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_kernel(op, runtime):
    def gather_nd_fn(params, indices):
        return np.ascontiguousarray(params[_coordinates(op, indices, params.shape, "param shape")])
    return gather_nd_fn


def _gather_nd_grad(op, g):
    params, indices = op.inputs
    return [scatter_nd(indices, g, shape(params, out_type=indices.dtype.base_dtype)), None]


register_op("GatherNd", _gather_nd_infer, kernel=_gather_nd_kernel, grad=_gather_nd_grad,
            attrs=("Tparams", "Tindices"), num_inputs=2,
            type_constraints=allowed("indices", L.INDEX_WITH_INT16, 1, "Tindices"))


def gather_nd(params, indices, name=None, batch_dims=0):
    """``params`` read at the coordinate tuples along the last axis of ``indices``."""
    if batch_dims != 0:
        raise NotImplementedError("minitf's gather_nd supports batch_dims=0 only")
    params = convert_to_tensor(params, name="params")
    indices = convert_to_tensor(indices, name="indices")
    return apply_op("GatherNd", [params, indices], {"Tparams": params.dtype.base_dtype,
                                                    "Tindices": indices.dtype.base_dtype},
                    name=name or "GatherNd")


# --- ScatterNd ------------------------------------------------------------------------------------
def _scatter_nd_infer(ctx):
    indices, updates, out = ctx.shape(0), ctx.shape(1), const_ints(ctx, 2)
    if out is None:
        return unknown_shape(ctx.shape(2).dims[0] if ctx.shape(2).ndims == 1 else None), ctx.dtype(1)
    if indices.ndims is not None and updates.ndims is not None and indices.dims[-1] is not None:
        expected = TensorShape(indices.dims[:-1] + out[indices.dims[-1]:])
        if not updates.is_compatible_with(expected):
            raise ValueError(f"The outer {indices.ndims - 1} dimensions of indices.shape="
                             f"{indices.as_list()} must match the outer {indices.ndims - 1} dimensions "
                             f"of updates.shape={updates.as_list()}")
    return TensorShape(out), ctx.dtype(1)


def _scatter_nd_kernel(op, runtime):
    def scatter_nd_fn(indices, updates, out_shape):
        out_shape = tuple(int(d) for d in np.asarray(out_shape).reshape(-1))
        out = np.zeros(out_shape, updates.dtype)
        np.add.at(out, _coordinates(op, indices, out_shape, "shape"), updates)   # repeats add up
        return out
    return scatter_nd_fn


def _scatter_nd_grad(op, g):
    return [None, gather_nd(g, op.inputs[0]), None]


register_op("ScatterNd", _scatter_nd_infer, kernel=_scatter_nd_kernel, grad=_scatter_nd_grad,
            attrs=("T", "Tindices"), num_inputs=3, host_inputs=(2,),
            type_constraints=allowed("indices", L.INDEX_WITH_INT16, 0, "Tindices"))


def scatter_nd(indices, updates, shape, name=None):  # noqa: A002 - TF's name
    """Zeros of ``shape`` with ``updates`` added at the coordinate tuples in ``indices``."""
    indices = convert_to_tensor(indices, name="indices")
    updates = convert_to_tensor(updates, name="updates")
    # the shape takes the indices' dtype; float indices are left for the type check to refuse
    shape = convert_to_tensor(shape, dtype=indices.dtype.base_dtype if indices.dtype.is_integer else None,
                              name="shape")
    return apply_op("ScatterNd", [indices, updates, shape], {"T": updates.dtype.base_dtype,
                                                             "Tindices": indices.dtype.base_dtype},
                    name=name or "ScatterNd")


# --- sequence_mask (built from Range, ExpandDims, Cast, Less, as in TF) ---------------------------
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``mask[i, j] = j < lengths[i]``: which steps of each sequence are real (not padding)."""
    with name_scope(name, "SequenceMask"):
        lengths = convert_to_tensor(lengths, name="lengths")
        if maxlen is None:
            maxlen = reduce_max(lengths, name="Max")
            maxlen = maximum(constant(0, maxlen.dtype.base_dtype), maxlen)
        else:
            maxlen = convert_to_tensor(maxlen, name="maxlen")
        if maxlen.shape.ndims is not None and maxlen.shape.ndims != 0:
            raise ValueError("maxlen must be scalar for sequence_mask")
        kind = maxlen.dtype.base_dtype
        row_vector = tf_range(constant(0, kind), maxlen, constant(1, kind), name="Range")
        matrix = cast(expand_dims(lengths, -1), kind)
        result = less(row_vector, matrix)
        dtype = dtypes.as_dtype(dtype)
        return result if dtype.base_dtype == dtypes.bool else cast(result, dtype)
