"""``tf.nn.top_k`` (TopKV2) and ``tf.nn.in_top_k`` (InTopKV2): the k largest entries of each row.

Both look at the last axis.  Ties go to the lower index (TF's order), which a
stable sort of the negated values gives.  ``in_top_k`` counts a target as in
the top k when fewer than k classes score strictly higher, so tied classes at
the boundary are all in (TF's rule), and a non-finite score is never in.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_ops import shape
from .constant_op import convert_to_tensor
from .gather_ops import one_hot
from .reduction_ops import reduce_sum


# --- TopKV2 ---------------------------------------------------------------------------------------
def _top_k_infer(ctx):
    x, k = ctx.shape(0), ctx.const(1)
    if x.ndims is not None and x.ndims < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {x.ndims}")
    if k is not None and int(k) < 0:
        raise ValueError(f"Input 'k' must be non-negative, got {int(k)}")
    if x.ndims is None:
        out = unknown_shape()
    else:
        last = x.dims[-1]
        if k is not None and last is not None and last < int(k):
            raise ValueError(f"input must have at least k columns. Had {last}, needed {int(k)}")
        out = x[:-1].concatenate(TensorShape([None if k is None else int(k)]))
    return [(out, ctx.dtype(0)), (out, dtypes.int32)]


def _top_k_kernel(op, runtime):
    def top_k_fn(x, k):
        k = int(k)
        if x.shape[-1] < k:
            raise ValueError(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
        order = np.argsort(-x, axis=-1, kind="stable")[..., :k]       # ties: lower index first
        return np.take_along_axis(x, order, -1), order.astype(np.int32)
    return top_k_fn


def _top_k_grad(op, g_values, g_indices=None):
    """Each value's gradient goes back to the position it came from (a one-hot spread, summed)."""
    indices = op.outputs[1]
    depth = shape(op.inputs[0])[-1]
    spread = one_hot(indices, depth, dtype=g_values.dtype.base_dtype) * g_values[..., None]
    return [reduce_sum(spread, -2), None]


register_op("TopKV2", _top_k_infer, kernel=_top_k_kernel, grad=_top_k_grad, attrs=("sorted", "T"),
            host_inputs=(1,),
            type_constraints=allowed("input", L.REAL_NUMBER) + allowed("k", L.INDEX_WITH_INT16, 1, "Tk"))


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """(values, indices) of the k largest entries along the last axis, largest first."""
    with name_scope(name, "TopKV2") as scope:
        x = convert_to_tensor(input, name="input")
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        return apply_op("TopKV2", [x, k], {"sorted": bool(sorted)}, name=scope)


# --- InTopKV2 -------------------------------------------------------------------------------------
def _in_top_k_infer(ctx):
    p, t = ctx.shape(0), ctx.shape(1)
    if p.ndims is not None and p.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {p.ndims}")
    if t.ndims is not None and t.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {t.ndims}")
    batch = p.dims[0] if p.ndims is not None else None
    t0 = t.dims[0] if t.ndims else None
    if batch is not None and t0 is not None and batch != t0:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {t0}")
    return TensorShape([batch if batch is not None else t0]), dtypes.bool


def _in_top_k_kernel(op, runtime):
    def in_top_k_fn(predictions, targets, k):
        rows = np.arange(len(targets))
        valid = (targets >= 0) & (targets < predictions.shape[1])
        score = predictions[rows, np.where(valid, targets, 0)]
        higher = (predictions > score[:, None]).sum(1)               # ties do not push a target out
        return valid & np.isfinite(score) & (higher < int(k))
    return in_top_k_fn


register_op("InTopKV2", _in_top_k_infer, kernel=_in_top_k_kernel, attrs=("T",), differentiable=False,
            host_inputs=(2,), type_constraints=allowed("targets", L.INDEX, 1))


def in_top_k(predictions, targets, k, name=None):
    """For each row, whether ``predictions[row, targets[row]]`` is among the row's k largest."""
    with name_scope(name, "in_top_k") as scope:
        predictions = convert_to_tensor(predictions, name="predictions")
        targets = convert_to_tensor(targets, name="targets")
        k = convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return apply_op("InTopKV2", [predictions, targets, k], {"T": targets.dtype.base_dtype}, name=scope)
