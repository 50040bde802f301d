"""Copying a function body into the graph being built (TF's "function inlining").

The gradient of a loop or a branch needs the forward computation again, in
the gradient's own graph.  ``inline_function`` replays the body's ops there,
its input placeholders replaced by the given tensors.  The copies keep the
body's op types and attrs (a nested loop stays one ``While`` op).

A replay must not change what the forward run did: variable updates are not
repeated (their result is read from the variable instead), and a random draw
can be replaced by the values the forward run recorded (``substitutes``).
"""

from __future__ import annotations

from ..framework.func_graph import FuncGraph, capture_inputs
from ..framework.graph import get_default_graph
from ..framework.op_builder import infer_outputs
from ..framework.scopes import name_scope


def inline_function(func_graph, inputs, name: str = "inlined", substitutes=None) -> list:
    """The outputs of ``func_graph`` computed from ``inputs`` with new ops in the default graph.

    ``substitutes``: {body tensor: fn(replayed tensor) -> tensor to use instead}.
    """
    graph = get_default_graph()
    mapped = dict(zip(func_graph.inputs, inputs))
    ops = {}
    substitutes = substitutes or {}
    with name_scope(name):
        for op in func_graph.get_operations():
            if op.outputs and all(t in mapped for t in op.outputs):
                continue                                   # an input placeholder
            if op.op_def.variable:
                _reuse_variable(graph, op, mapped)
                continue
            ins = capture_inputs(graph, [_mapped(mapped, t) for t in op.inputs])
            if _updates_a_variable(op):                    # done once, by the forward run
                mapped.update((t, ins[0]) for t in op.outputs)
                continue
            controls = [ops[c] for c in op.control_inputs if c in ops]
            outs = infer_outputs(op.op_def, op.name, ins, op.attrs)
            new = graph._create_op(op.type, ins, op.attrs, [d for _, d in outs], [s for s, _ in outs],
                                   graph.unique_name(op.name), control_inputs=controls)
            ops[op] = new
            for t, replayed in zip(op.outputs, new.outputs):
                mapped[t] = substitutes[t](replayed) if t in substitutes else replayed
    return [_mapped(mapped, t) for t in func_graph.outputs]


def _updates_a_variable(op) -> bool:
    return bool(op.op_def.ref_inputs) and op.op_def.stateful and not op.op_def.ref_read_only


def _mapped(mapped: dict, t):
    if t not in mapped:
        raise ValueError(f"Cannot inline: '{t.name}' is computed before its inputs")
    return mapped[t]


def _reuse_variable(graph, var_op, mapped) -> None:
    """A variable used by reference inside the body: the same-named variable of ``graph``."""
    outer = graph
    while isinstance(outer, FuncGraph) and var_op.name not in outer._ops_by_name:
        outer = outer.outer_graph
    if var_op.name in outer._ops_by_name:
        found = outer._ops_by_name[var_op.name].outputs[0]
        mapped[var_op.outputs[0]] = graph.capture(found) if isinstance(graph, FuncGraph) else found
    else:
        raise ValueError(f"Cannot inline: variable '{var_op.name}' is not in the graph")


def random_outputs(func_graph) -> list:
    """Outputs of the body's random draws: stateful, not differentiable, not inputs or updates."""
    inputs = {t.op for t in func_graph.inputs}
    return [t for op in func_graph.get_operations()
            if op.op_def.stateful and not op.op_def.differentiable and not op.op_def.ref_inputs
            and op not in inputs for t in op.outputs]
