"""Cross-entropy losses: softmax (dense and sparse labels) and sigmoid.

The softmax ones are fused ops with two outputs, the loss per row and its
gradient ``softmax(logits) - labels`` (TF computes both in one pass and the
gradient function just reuses the second).  They work on [batch, classes]
matrices; the Python functions move and flatten other layouts into that form.
The sigmoid one is composed of ordinary ops, written so it never overflows.
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..framework import errors, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, broadcast_static, unknown_shape
from ..kernels.into import offer
from .activation_ops import floats_only, log_softmax, softmax
from .array_ops import cast, node_suffix, reshape, shape, stop_gradient, zeros_like
from .concat_split_ops import concat
from .constant_op import convert_to_tensor
from .math_ops import add, exp, log1p, negative, where
from .matmul_op import matmul
from .reshape_ops import expand_dims, squeeze, transpose


# --- SoftmaxCrossEntropyWithLogits -----------------------------------------------------------
def _xent_infer(ctx):
    logits, labels = ctx.shape(0), ctx.shape(1)
    for s in (logits, labels):
        if s.ndims is not None and s.ndims != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {s.ndims}")
    both = broadcast_static(logits, labels) if logits.ndims and labels.ndims else unknown_shape(2)
    return [(TensorShape([both[0]]), ctx.dtype(0)), (both, ctx.dtype(0))]


def _xent_kernel(op, runtime):

    def xent_fn(logits, labels):
        try:
            labels = np.broadcast_to(labels, logits.shape)
        except ValueError:
            raise errors.InvalidArgumentError(None, op, (
                f"logits and labels must be broadcastable: logits_size={list(logits.shape)} "
                f"labels_size={list(labels.shape)}" + node_suffix(op))) from None
        return kernels.cpu.softmax_cross_entropy(logits, np.ascontiguousarray(labels))

    def into(ins, outs):             # a Session plan's specialized form (kernels/into.py)
        return kernels.cpu.softmax_cross_entropy_into(*ins, *outs)
    return offer(xent_fn, into)


def _xent_grad(op, grad_loss, grad_backprop):
    """d loss/d logits is the op's own second output, softmax - labels (TF's fused trick)."""
    logits = op.inputs[0]
    grad = expand_dims(grad_loss, -1) * op.outputs[1]
    grad_labels = expand_dims(grad_loss, -1) * negative(log_softmax(logits))
    if grad_backprop.op.type != "ZerosLike":      # only when someone differentiates the backprop
        s = softmax(logits)
        row_dot = squeeze(matmul(expand_dims(grad_backprop, 1), expand_dims(s, 2)), axis=1)
        grad += (grad_backprop - row_dot) * s
        grad_labels -= grad_backprop               # backprop = softmax - labels (TF omits this)
    return [grad, grad_labels]


register_op("SoftmaxCrossEntropyWithLogits", floats_only(_xent_infer), kernel=_xent_kernel, attrs=("T",),
            type_constraints=allowed("features", L.FLOAT),
            grad=_xent_grad, gpu_kernel="minitf.ops.nn_ops_gpu:softmax_xent")


def _ensure_xent_args(name, sentinel, labels, logits):
    """TF 1.x insists on keywords: ``f(labels=..., logits=...)`` (the arguments are easy to swap)."""
    if sentinel is not None:
        raise ValueError(f"Only call `{name}` with named arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def _flatten_outer_dims(t):
    """View a [..., C] tensor as a [N, C] matrix (no-op for a matrix)."""
    if t.shape.ndims == 2:
        return t
    last = t.shape[-1] if t.shape.ndims else None
    out = reshape(t, [-1, last] if last is not None else concat([[-1], shape(t)[-1:]], 0))
    n = t.shape[:-1].num_elements() if t.shape.ndims else None
    if n is not None:
        out.set_shape([n, last])
    return out


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """-sum(labels * log_softmax(logits)) over the class axis; gradients reach the labels too."""
    axis = -1 if axis is None and dim is None else (dim if axis is None else axis)
    with name_scope(name, "softmax_cross_entropy_with_logits") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = cast(convert_to_tensor(labels, name="labels"), logits.dtype.base_dtype)
        static = logits.shape
        if axis != -1 and axis != (static.ndims or 0) - 1:
            logits = _move_axis_to_end(logits, axis)
            labels = _move_axis_to_end(labels, axis)
        if logits.shape.ndims == 2:
            return apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], name=scope)[0]
        flat = apply_op("SoftmaxCrossEntropyWithLogits",
                        [_flatten_outer_dims(logits), _flatten_outer_dims(labels)])[0]
        cost = reshape(flat, shape(logits)[:-1], name=scope)
        if static.ndims is not None:
            dims = static.dims
            del dims[axis]
            cost.set_shape(dims)
        return cost


def _move_axis_to_end(t, axis):
    rank = t.shape.ndims
    if rank is None:
        raise ValueError("minitf needs the rank of the logits for a class axis other than the last")
    axis %= rank
    return transpose(t, [d for d in range(rank) if d != axis] + [axis])


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None,
                                      axis=None):
    """TF 1.x's first version: like ``_v2`` but no gradient flows into ``labels``."""
    _ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    dim = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg") as scope:
        labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim, name=scope)


# --- SparseSoftmaxCrossEntropyWithLogits ----------------------------------------------------
def _sparse_xent_infer(ctx):
    logits, labels = ctx.shape(0), ctx.shape(1)
    if logits.ndims is not None and logits.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {logits.ndims}")
    if labels.ndims is not None and labels.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {labels.ndims}")
    batch = logits[0] if logits.ndims else None
    if labels.ndims and batch is not None and labels[0] is not None and batch != labels[0]:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {labels[0]}")
    batch = batch if batch is not None else (labels[0] if labels.ndims else None)
    classes = logits[1] if logits.ndims else None
    return [(TensorShape([batch]), ctx.dtype(0)), (TensorShape([batch, classes]), ctx.dtype(0))]


def _sparse_xent_kernel(op, runtime):

    def sparse_xent_fn(logits, labels):
        classes = logits.shape[1]
        if np.any((labels < 0) | (labels >= classes)):
            bad = labels[(labels < 0) | (labels >= classes)][0]
            raise errors.InvalidArgumentError(None, op, (
                f"Received a label value of {bad} which is outside the valid range of [0, {classes}).  "
                f"Label values: {' '.join(str(v) for v in labels.reshape(-1))}" + node_suffix(op)))
        return kernels.cpu.sparse_softmax_cross_entropy(logits, labels)
    return sparse_xent_fn


register_op("SparseSoftmaxCrossEntropyWithLogits", floats_only(_sparse_xent_infer),
            kernel=_sparse_xent_kernel, attrs=("T", "Tlabels"),
            type_constraints=allowed("features", L.FLOAT) + allowed("labels", L.INDEX, 1, "Tlabels"),
            grad=lambda op, grad_loss, _: [expand_dims(grad_loss, -1) * op.outputs[1], None],
            gpu_kernel="minitf.ops.nn_ops_gpu:sparse_softmax_xent", device_inputs=(1,))


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Cross-entropy against class indices ``labels`` (one fewer dimension than ``logits``)."""
    _ensure_xent_args("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits"):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        _check_sparse_shapes(labels.shape, logits.shape)
        attrs = {"Tlabels": labels.dtype.base_dtype}
        if logits.shape.ndims == 2:
            return apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], attrs)[0]
        flat_logits = _flatten_outer_dims(logits)
        cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", [flat_logits, reshape(labels, [-1])],
                        attrs)[0]
        cost = reshape(cost, shape(labels))
        cost.set_shape(labels.shape)
        return cost


def _check_sparse_shapes(labels, logits):
    if logits.ndims == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {logits}.")
    if logits.ndims is not None and labels.ndims is not None and labels.ndims != logits.ndims - 1:
        raise ValueError(f"Rank mismatch: Rank of labels (received {labels.ndims}) should equal rank "
                         f"of logits minus 1 (received {logits.ndims}).")
    if labels.is_fully_defined() and logits[:-1].is_fully_defined() and labels != logits[:-1]:
        raise ValueError(f"Shape mismatch: The shape of labels (received {labels}) should equal the "
                         f"shape of logits except for the last dimension (received {logits}).")


# --- sigmoid cross-entropy (composed of ops) ---------------------------------------------------
def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-element logistic loss, written TF's overflow-free way:

    max(x, 0) - x * z + log(1 + exp(-|x|))
    """
    _ensure_xent_args("sigmoid_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "logistic_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels", dtype=logits.dtype.base_dtype)
        if not labels.shape.is_compatible_with(logits.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs "
                             f"{labels.shape})")
        zeros = zeros_like(logits)
        cond = logits >= zeros
        relu_logits = where(cond, logits, zeros)
        neg_abs_logits = where(cond, negative(logits), logits)
        return add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)), name=scope)
