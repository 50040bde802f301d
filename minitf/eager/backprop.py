"""The reverse sweep over a tape: eager mode's ``tf.gradients``.

The tape's records are already in execution order, which is a topological
order, so walking them backwards visits every op after all of its consumers.
For each op with an incoming gradient we call the op's gradient function from
the registry, exactly the one graph mode uses, with an ``EagerOp`` record in
place of an Operation.  Its ops run eagerly, so gradients are plain values.

Gradients arriving at one tensor from several consumers are added (``AddN``),
as the chain rule says; a variable's gradient is the sum over its reads.
"""

from __future__ import annotations

from ..framework import dtypes
from . import nest


def imperative_grad(tape, targets: list, sources: list, output_gradients, unconnected: str) -> list:
    """Gradients of sum(targets) with respect to each of ``sources`` (None when unconnected)."""
    from ..ops.math_ops import add_n
    from .eager_variable import EagerVariable
    grads: dict = {}                            # tensor id -> [partial gradients]
    seeds = nest.flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
    for target, seed in zip(targets, seeds):
        _add(grads, target, _seed(target, seed))
    for record in reversed(tape._records):
        out_grads = [_summed(grads.get(t._id), add_n) for t in record.outputs]
        if all(g is None for g in out_grads):
            continue
        for t, g in zip(record.inputs, _input_grads(record, out_grads)):
            if g is not None and getattr(t, "_is_eager_tensor", False):
                _add(grads, t, g)
    result = []
    for source in sources:
        if isinstance(source, EagerVariable):
            parts = [g for t in tape._var_reads.get(source, ()) for g in grads.get(t._id, ())]
        else:
            parts = grads.get(source._id, [])
        g = _summed(parts, add_n)
        result.append(_zeros_if_asked(g, source, unconnected))
    return result


def _seed(target, seed):
    """The starting gradient: ones shaped like the target unless ``output_gradients`` says."""
    from ..ops.array_ops import ones_like
    from ..ops.constant_op import convert_to_tensor
    from .tape import _log
    if not target.dtype.is_floating:
        _log.warning("The dtype of the target tensor must be floating (e.g. tf.float32) when "
                     "calling GradientTape.gradient, got %r", target.dtype)
    if seed is None:
        return ones_like(target)
    return convert_to_tensor(seed, dtype=target.dtype)


def _add(grads: dict, tensor, g) -> None:
    grads.setdefault(tensor._id, []).append(g)


def _summed(parts, add_n):
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else add_n(parts)


def _input_grads(record, out_grads) -> list:
    """Call the registry's gradient function; None for inputs that get no gradient."""
    op_def = record.op_def
    none = [None] * len(record.inputs)
    if not op_def.differentiable or not record.inputs:
        return none
    if op_def.grad is None:
        raise LookupError(f"No gradient defined for operation '{record.name}' (op type: "
                          f"{record.type})")
    if not all(t.dtype.is_floating or t.dtype.base_dtype is dtypes.int32 for t in record.outputs):
        return none
    filled = [g if g is not None else _zeros(t) for g, t in zip(out_grads, record.outputs)]
    in_grads = list(op_def.grad(record, *filled))
    if len(in_grads) != len(record.inputs):
        raise ValueError(f"Num gradients {len(in_grads)} generated for op {record.type} do not "
                         f"match num inputs {len(record.inputs)}")
    return [g if g is not None and t.dtype.is_floating else None
            for g, t in zip(in_grads, record.inputs)]


def _zeros(t):
    """Zeros for an output nobody differentiated.  Gradients run while results keep their op
    record, so ``.op.type`` says "ZerosLike" as in graph mode, and a gradient function can tell
    and skip the work (the softmax cross-entropy one does)."""
    from ..ops.array_ops import zeros_like
    return zeros_like(t)


def _zeros_if_asked(g, source, unconnected: str):
    if g is not None or unconnected.lower() not in ("zero", "unconnectedgradients.zero"):
        return g
    from ..ops.array_ops import zeros_like
    return zeros_like(source)


# --- the optimizer hook and the tfe helpers ----------------------------------------------------
def eager_compute_gradients(loss_fn, var_list=None) -> list:
    """``Optimizer.compute_gradients(lambda: loss)``: run ``loss_fn`` on a tape, differentiate."""
    from .tape import GradientTape
    with GradientTape() as tape:
        if var_list is not None:
            tape.watch(list(var_list))
        loss = loss_fn()
    if var_list is None:
        var_list = [v for v in tape.watched_variables() if v.trainable]
    var_list = list(var_list)
    if not var_list:
        raise ValueError("No variables to optimize.")
    grads = tape.gradient(loss, var_list)
    return list(zip(grads, var_list))


def implicit_value_and_gradients(f):
    """``tfe.implicit_value_and_gradients``: f's value and [(grad, variable)] for the variables it reads."""
    def grad_fn(*args, **kwargs):
        from .tape import GradientTape
        with GradientTape() as tape:
            value = f(*args, **kwargs)
        variables = list(tape.watched_variables())
        if not variables:
            raise ValueError("No trainable variables were accessed while the function was being "
                             "computed.")
        return value, list(zip(tape.gradient(value, variables), variables))
    return grad_fn


def implicit_gradients(f):
    """``tfe.implicit_gradients``: [(grad, variable)] for the variables ``f`` reads."""
    value_and_grads = implicit_value_and_gradients(f)
    return lambda *args, **kwargs: value_and_grads(*args, **kwargs)[1]


def gradients_function(f, params=None):
    """``tfe.gradients_function``: gradients of ``f`` with respect to its (chosen) arguments."""
    def grad_fn(*args, dy=None):
        from ..ops.constant_op import convert_to_tensor
        from .tape import GradientTape
        chosen = range(len(args)) if params is None else params
        args = [convert_to_tensor(a) if i in chosen else a for i, a in enumerate(args)]
        with GradientTape() as tape:
            for i in chosen:
                tape.watch(args[i])
            value = f(*args)
        return tape.gradient(value, [args[i] for i in chosen], output_gradients=dy)
    return grad_fn
