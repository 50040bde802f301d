"""Tracing Python functions into ``FuncGraph``s (the bodies of cond and while_loop).

``trace`` runs the user's ``true_fn`` or loop ``body`` once, with the default
graph switched to a fresh FuncGraph whose placeholders stand for the
arguments.  What the function returns (any nesting) becomes the body's
outputs.  ``share_captures`` then gives every body of one op the same extra
inputs: the outer tensors any of them used.
"""

from __future__ import annotations

from ..framework import nest
from ..framework.func_graph import FuncGraph
from ..framework.graph import get_default_graph
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape
from .array_ops import placeholder
from .constant_op import convert_to_tensor


def trace(name: str, fn, arg_specs=(), arg_structure=None):
    """``(func_graph, structured outputs)`` of ``fn(*args)``; ``arg_specs`` are (dtype, shape) pairs."""
    graph = FuncGraph(name, get_default_graph())
    with graph.as_default():
        args = [placeholder(dtype, as_shape(shape), name=f"arg{i}") for i, (dtype, shape) in
                enumerate(arg_specs)]
        graph.inputs = list(args)
        graph.arg_count = len(args)
        packed = nest.pack_sequence_as(arg_structure, args) if arg_structure is not None else args
        result = fn(*packed)
        flat = [_as_output(graph, x) for x in nest.flatten(result) if x is not None]
    graph.outputs = flat
    return graph, result


def _as_output(graph, value) -> Tensor:
    tensor = convert_to_tensor(value)
    if tensor.graph is not graph:
        tensor = graph.capture(tensor)
    return tensor


def share_captures(graphs) -> list:
    """The outer tensors the bodies captured; each body gets an input for every one, same order."""
    captured = []
    for g in graphs:
        captured += [t for t in g.captures if not t.dtype.is_ref and t not in captured]
    for g in graphs:
        for t in captured:
            g.capture(t)
        g.inputs = g.inputs[:g.arg_count] + [g.captures[t] for t in captured]
    return captured


def common_shape(a, b) -> TensorShape:
    """The most specific shape both ``a`` and ``b`` have (unknown where they differ)."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])
