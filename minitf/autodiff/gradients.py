"""``tf.gradients``: reverse-mode autodiff that builds gradient *nodes* in the graph.

The algorithm (as TF's ``gradients_util.py``):

1. find the ops on a path from ``xs`` to ``ys``;
2. seed each y with ``grad_ys`` (default: ones shaped like y);
3. visit those ops in reverse topological order (an op once every consumer
   has sent its gradient) and run the reverse sweep of ``sweep.py``: sum the
   gradients arriving at each output (``AddN``) and call the op's gradient
   function from the registry, which builds new ops under ``gradients/<op>_grad``;
4. the summed gradient arriving at each x is the answer (``None`` if no path).

``GradientTape`` (eager mode) runs the very same sweep over its tape.
"""

from __future__ import annotations

from ..framework import context
from ..framework.graph import get_default_graph
from ..framework.scopes import name_scope
from ..ops.array_ops import fill, shape
from ..ops.constant_op import constant, convert_to_tensor
from .sweep import add_grad, reverse_sweep, summed_grad


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """Symbolic d(sum of ys)/d(x) for each x in ``xs`` (a list, None where unconnected)."""
    if context.executing_eagerly():   # an eager program has no graph to differentiate
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Length mismatch. Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    stops = {convert_to_tensor(s).op for s in _as_list(stop_gradients or [])}
    graph = ys[0].graph if ys else get_default_graph()
    with graph.as_default(), name_scope(name):
        between = _ops_between([y.op for y in ys], [x.op for x in xs], stops)
        grads: dict = {}
        for y, gy in zip(ys, grad_ys):
            add_grad(grads, y, _initial_grad(y, gy))
        reverse_sweep(_reverse_order([y.op for y in ys], between), grads,
                      wanted=lambda t: t.op in between, stops=stops)
        return [summed_grad(grads, x) for x in xs]


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _initial_grad(y, gy):
    if gy is None:
        # An integer target too gets its ones (TF 1.x builds them): no gradient flows through integer
        # tensors, so each x comes back None, unless x is the integer target itself.
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


def _reverse_order(y_ops, between) -> list:
    """The ops to visit, each after all of its consumers inside ``between`` (TF's pending counts)."""
    pending = {op: 0 for op in between}
    for op in between:
        for t in op._inputs:
            if t.op in between:
                pending[t.op] += 1
    # A y that no x reaches gets no gradient nodes at all (TF's reachable_to_ops).
    ready = [op for op in y_ops if op in between and pending[op] == 0]
    order, visited = [], set()
    while ready:
        op = ready.pop()
        if op in visited:
            continue
        visited.add(op)
        order.append(op)
        for t in op._inputs:
            if t.op in between:
                pending[t.op] -= 1
                if pending[t.op] == 0:
                    ready.append(t.op)
    return order
