"""``tf.gradients``: reverse-mode autodiff that builds gradient *nodes* in the graph.

The algorithm (as TF's ``gradients_util.py``):

1. find the ops on a path from ``xs`` to ``ys``;
2. seed each y with ``grad_ys`` (default: ones shaped like y);
3. visit ops in reverse topological order; once every consumer has sent its
   gradient to an op's outputs, sum them (``AddN``) and call the op's gradient
   function from the registry, which builds new ops under ``gradients/<op>_grad``;
4. the summed gradient arriving at each x is the answer (``None`` if no path).
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.graph import get_default_graph
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..ops.constant_op import convert_to_tensor


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """Symbolic d(sum of ys)/d(x) for each x in ``xs`` (a list, None where unconnected)."""
    from ..framework import context
    if context.executing_eagerly():   # an eager program has no graph to differentiate
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    ys = _as_list(ys)
    xs = [convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    ys = [convert_to_tensor(y) for y in ys]
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    stops = {convert_to_tensor(s).op for s in _as_list(stop_gradients or [])}
    graph = ys[0].graph if ys else get_default_graph()
    with graph.as_default(), name_scope(name) as scope:
        between = _ops_between([y.op for y in ys], [x.op for x in xs], stops)
        pending = _pending_counts(between)
        grads: dict = {}
        for y, gy in zip(ys, grad_ys):
            _add_grad(grads, y, _initial_grad(y, gy, scope))
        ready = [y.op for y in ys if pending.get(y.op, 0) == 0]
        _backprop(ready, between, pending, grads, stops, set(x.op for x in xs))
        return [_sum_grads(grads.get(x), x) for x in xs]


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _initial_grad(y, gy, scope):
    if gy is None:
        from ..ops.array_ops import fill, shape
        from ..ops.constant_op import constant
        if not y.dtype.base_dtype.is_floating:
            raise TypeError(f"Gradients of {y.name} with dtype {y.dtype.base_dtype.name} are not "
                            "supported: only floating-point tensors are differentiable.")
        return fill(shape(y), constant(1, dtype=y.dtype.base_dtype, name="grad_ys_0"))
    gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype)
    if not y.shape.is_compatible_with(gy.shape):
        raise ValueError(f"Incompatible shapes between op input and calculated input gradient. "
                         f"grad_ys shape {gy.shape} vs y shape {y.shape}")
    return gy


def _ops_between(to_ops, from_ops, stops) -> set:
    """Ops reachable forward from ``from_ops`` that also reach ``to_ops``."""
    reachable, stack = set(), list(from_ops)
    while stack:
        op = stack.pop()
        if op in reachable:
            continue
        reachable.add(op)
        for out in op._outputs:
            stack.extend(out._consumers)
    between, stack = set(), [op for op in to_ops if op in reachable]
    while stack:
        op = stack.pop()
        if op in between:
            continue
        between.add(op)
        if op in stops:
            continue
        stack.extend(t.op for t in op._inputs if t.op in reachable)
    return between


def _pending_counts(between) -> dict:
    """How many consumers inside ``between`` each op waits to hear from."""
    pending = {op: 0 for op in between}
    for op in between:
        for t in op._inputs:
            if t.op in between:
                pending[t.op] += 1
    return pending


def _add_grad(grads: dict, tensor: Tensor, grad) -> None:
    if grad is not None:
        grads.setdefault(tensor, []).append(grad)


def _sum_grads(parts, tensor):
    """Gradients from several paths add up (AddN), as the chain rule says."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return _aggregate(parts)


def _aggregate(parts):
    """AddN of the parts; sparse parts (IndexedSlices) stay sparse: their rows are concatenated."""
    from ..ops.indexed_slices import IndexedSlices
    if all(isinstance(p, IndexedSlices) for p in parts):
        from ..ops.array_ops_extra import concat
        return IndexedSlices(concat([p.values for p in parts], 0), concat([p.indices for p in parts], 0),
                             parts[0].dense_shape)
    from ..ops.math_ops import add_n
    return add_n(parts)


def _backprop(ready, between, pending, grads, stops, x_ops) -> None:
    """Visit ops in reverse topological order, calling each op's gradient function."""
    visited = set()
    while ready:
        op = ready.pop()
        if op in visited:
            continue
        visited.add(op)
        out_grads = []
        for t in op._outputs:
            parts = grads.get(t)
            if parts and len(parts) > 1:
                parts = [_aggregate(parts)]  # TF names it gradients/AddN (outside the op's _grad scope)
                grads[t] = parts
            out_grads.append(parts[0] if parts else None)
        in_grads = _call_grad_fn(op, out_grads, stops, x_ops)
        for i, (t, g) in enumerate(zip(op._inputs, in_grads)):
            if t.op not in between:
                continue
            if isinstance(g, Tensor):
                _set_static_shape(op, i, t, g)
            _add_grad(grads, t, g)
            pending[t.op] -= 1
            if pending[t.op] == 0:
                ready.append(t.op)


def _set_static_shape(op, index, t, grad) -> None:
    """A gradient has its input's shape: record it, as TF does (and catch a wrong grad fn)."""
    try:
        grad.set_shape(t.shape)
    except ValueError:
        raise ValueError(f"Incompatible shapes between op input and calculated input gradient.  "
                         f"Forward operation: {op.name}.  Input index: {index}. Original input shape: "
                         f"{t.shape}.  Calculated input gradient shape: {grad.shape}") from None


def _call_grad_fn(op, out_grads, stops, x_ops) -> list:
    op_def = op.op_def
    no_grads = [None] * len(op._inputs)
    if op in stops or not op._inputs or all(g is None for g in out_grads):
        return no_grads
    if not op_def.differentiable:
        return no_grads
    if op_def.grad is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
    if not all(t.dtype.base_dtype.is_floating or t.dtype.base_dtype is dtypes.int32
               for t in op._outputs):
        return no_grads
    filled = [g if g is not None else _zeros_for(t) for g, t in zip(out_grads, op._outputs)]
    if op.type != "Identity":             # only Identity passes a sparse gradient through as it is
        filled = [_dense(g) for g in filled]
    with name_scope(op.name + "_grad"):
        result = op_def.grad(op, *filled)
    result = list(result)
    if len(result) != len(op._inputs):
        raise ValueError(f"Num gradients {len(result)} generated for op {op.type} do not match num "
                         f"inputs {len(op._inputs)}")
    return [g if g is None or t.dtype.base_dtype.is_floating else None
            for g, t in zip(result, op._inputs)]


def _dense(grad):
    """An IndexedSlices gradient as a plain tensor (rows summed in), anything else as it is."""
    from ..ops.indexed_slices import IndexedSlices
    return convert_to_tensor(grad) if isinstance(grad, IndexedSlices) else grad


def _zeros_for(t):
    from ..ops.array_ops import zeros_like
    return zeros_like(t)
