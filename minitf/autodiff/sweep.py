"""The reverse sweep: one loop for ``tf.gradients`` (graph) and ``GradientTape`` (eager).

Given ops ordered so that each comes after every op that consumes its outputs,
and the gradients already known (the targets' seeds), visit each op once:
sum the gradients arriving at its outputs (``AddN``, as the chain rule says),
call its gradient function from the registry, and hand each input its share.

The gradient functions are written with minitf ops, so in graph mode they
build ``gradients/<op>_grad/...`` nodes, and in eager mode (where the op is an
``EagerOp`` record and the gradients EagerTensors) they compute at once.
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..ops.array_ops import zeros_like
from ..ops.concat_split_ops import concat
from ..ops.constant_op import convert_to_tensor
from ..ops.indexed_slices import IndexedSlices
from ..ops.math_ops import add_n


def reverse_sweep(ops, grads: dict, wanted, stops=frozenset(), key=lambda t: t) -> None:
    """Propagate ``grads`` ({key(tensor): [partial gradients]}) back through ``ops``, in order.

    ``wanted(t)`` says whether input ``t`` collects a gradient at all; ``stops``
    are ops whose inputs get none (``tf.gradients(stop_gradients=...)``).
    """
    for op in ops:
        out_grads = [summed_grad(grads, t, key) for t in op.outputs]
        in_grads = _input_grads(op, out_grads, stops)
        for i, (t, g) in enumerate(zip(op.inputs, in_grads)):
            if g is None or not wanted(t):
                continue
            if isinstance(g, Tensor) and not hasattr(g, "_is_eager_tensor"):
                _set_static_shape(op, i, t, g)      # graph mode: shapes known when built
            add_grad(grads, t, g, key)


def add_grad(grads: dict, tensor, grad, key=lambda t: t) -> None:
    if grad is not None:
        grads.setdefault(key(tensor), []).append(grad)


def summed_grad(grads: dict, tensor, key=lambda t: t):
    """The total gradient arriving at ``tensor`` (one ``AddN`` of its parts), or None."""
    parts = grads.get(key(tensor))
    if parts and len(parts) > 1:
        parts[:] = [sum_of(parts)]      # TF names it gradients/AddN (outside the op's _grad scope)
    return parts[0] if parts else None


def sum_of(parts: list):
    """Partial gradients of one value add up (``AddN``); None when there are none.

    Sparse parts (``IndexedSlices``, from ``gather``) stay sparse: their rows are
    concatenated, so an optimizer still updates only the rows that were looked up.
    """
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, IndexedSlices) for p in parts):
        return IndexedSlices(concat([p.values for p in parts], 0), concat([p.indices for p in parts], 0),
                             parts[0].dense_shape)
    return add_n(parts)


def _input_grads(op, out_grads, stops) -> list:
    """Call the registry's gradient function; None for inputs that get no gradient."""
    op_def = op.op_def
    inputs, outputs = op.inputs, op.outputs
    no_grads = [None] * len(inputs)
    if op in stops or not inputs or all(g is None for g in out_grads):
        return no_grads
    if not op_def.differentiable:
        return no_grads
    if op_def.grad is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    if not all(t.dtype.base_dtype.is_floating or t.dtype.base_dtype is dtypes.int32 for t in outputs):
        return no_grads
    # Only floating-point inputs receive a gradient (see the last line), so an op with none, such as
    # an integer Pow, builds nothing: as in TF, where gradients never flow through integer tensors.
    if not any(t.dtype.base_dtype.is_floating for t in inputs):
        return no_grads
    # An output nobody differentiated gets zeros; their op type says "ZerosLike", in eager mode
    # too, so a gradient function can tell and skip the work (the softmax cross-entropy one does).
    filled = [g if g is not None else zeros_like(t) for g, t in zip(out_grads, outputs)]
    if op.type != "Identity":       # only Identity passes a sparse gradient through as it is
        filled = [_dense(g) for g in filled]
    with name_scope(op.name + "_grad"):
        result = list(op_def.grad(op, *filled))
    if len(result) != len(inputs):
        raise ValueError(f"Num gradients {len(result)} generated for op {op.type} do not match num "
                         f"inputs {len(inputs)}")
    return [g if g is None or t.dtype.base_dtype.is_floating else None for g, t in zip(result, inputs)]


def _dense(grad):
    """An IndexedSlices gradient as a plain tensor (rows summed in), anything else as it is."""
    return convert_to_tensor(grad) if isinstance(grad, IndexedSlices) else grad


def _set_static_shape(op, index, t, grad) -> None:
    """A gradient has its input's shape: record it, as TF does (and catch a wrong grad fn)."""
    try:
        grad.set_shape(t.shape)
    except ValueError:
        raise ValueError(f"Incompatible shapes between op input and calculated input gradient.  "
                         f"Forward operation: {op.name}.  Input index: {index}. Original input shape: "
                         f"{t.shape}.  Calculated input gradient shape: {grad.shape}") from None
