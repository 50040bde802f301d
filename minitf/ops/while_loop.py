"""``tf.while_loop``: repeat ``body`` while ``cond`` holds, inside one op.

``cond`` and ``body`` are traced into functions (``function_builder.py``) taking
the loop variables; one ``While`` op (``StatelessWhile`` without side effects)
runs them at run time.  Outer tensors the functions use become extra loop
variables that the body passes through unchanged.  ``maximum_iterations``
adds an iteration counter as the first loop variable, as TF does.

The body must keep each variable's dtype and shape, unless ``shape_invariants``
allows the shape to change (TF's check and wording).  In eager mode the loop
is a plain Python loop.
"""

from __future__ import annotations

from ..framework import context, dtypes, nest
from ..framework.op_builder import apply_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape
from .array_ops import placeholder, reshape, zeros
from .concat_split_ops import concat
from .constant_op import constant, convert_to_tensor
from .function_inline import random_outputs
from .function_builder import share_captures, trace
from .math_ops import less, logical_and


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Loop ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``; return the final values."""
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if context.executing_eagerly():
        return _eager_loop(cond, body, loop_vars, maximum_iterations, return_same_structure)
    with name_scope(name, "while", nest.flatten(loop_vars)) as scope:
        loop_vars = nest.map_structure(convert_to_tensor, loop_vars)
        flat = nest.flatten(loop_vars)
        shapes = _invariants(flat, shape_invariants, loop_vars)
        counted = maximum_iterations is not None
        if counted:
            limit = convert_to_tensor(maximum_iterations, dtype=dtypes.int32, name="maximum_iterations")
            flat = [constant(0, name="iteration_counter")] + flat
            shapes = [TensorShape([])] + shapes
        specs = [(t.dtype.base_dtype, s) for t, s in zip(flat, shapes)]
        cond_graph, _ = trace("while_cond", _counted_cond(cond, loop_vars, counted, limit if counted else None),
                              specs)
        body_graph, _ = trace("while_body", _counted_body(body, loop_vars, counted), specs)
        _check_cond(cond_graph)
        _check_body(flat, shapes, body_graph.outputs[:len(flat)])
        user_count = len(flat)
        draws = random_outputs(body_graph) if back_prop else []
        if draws:
            flat, shapes = _record_draws(cond_graph, body_graph, draws, flat, shapes)
        captured = share_captures([cond_graph, body_graph])
        body_graph.outputs = body_graph.outputs[:len(flat)] + body_graph.inputs[len(flat):]
        stateful = cond_graph.is_stateful() or body_graph.is_stateful()
        inputs = flat + captured
        attrs = {"T": [t.dtype.base_dtype for t in inputs], "cond": cond_graph, "body": body_graph,
                 "output_shapes": shapes + [t.shape for t in captured],
                 "parallel_iterations": int(parallel_iterations), "_back_prop": bool(back_prop)}
        outputs = apply_op("While" if stateful else "StatelessWhile", inputs, attrs, name=scope)
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    results = outputs[1 if counted else 0:user_count]
    if not return_same_structure and len(results) == 1:
        return results[0]
    return nest.pack_sequence_as(loop_vars, results)


def _record_draws(cond_graph, body_graph, draws, flat, shapes):
    """Extra loop variables collect every iteration's random draws (flattened, one after another).

    The gradient replays the body; a dropout mask drawn again would differ from the
    forward run's, so the replay takes the recorded values (``body_graph.recorded``:
    the draw -> the index of the loop variable holding its record).
    """
    n = len(flat)
    records = [_add_arg(g, t.dtype.base_dtype) for g in (cond_graph, body_graph) for t in draws]
    body_records = records[len(draws):]
    with body_graph.as_default():
        grown = [concat([r, reshape(t, [-1])], 0) for r, t in zip(body_records, draws)]
    body_graph.outputs = body_graph.outputs[:n] + grown
    body_graph.recorded = {t: n + i for i, t in enumerate(draws)}
    empty = [zeros([0], dtype=t.dtype.base_dtype) for t in draws]
    return flat + empty, shapes + [TensorShape([None])] * len(draws)


def _add_arg(graph, dtype):
    """One more argument placeholder, after the loop variables (before captured tensors)."""
    with graph.as_default():
        arg = placeholder(dtype, [None], name="record")
    graph.inputs.insert(graph.arg_count, arg)
    graph.arg_count += 1
    return arg


def _invariants(flat, shape_invariants, loop_vars) -> list:
    """The shape each loop variable keeps: its own, or the one ``shape_invariants`` allows."""
    if shape_invariants is None:
        return [t.shape for t in flat]
    nest.assert_same_structure(loop_vars, shape_invariants)
    shapes = [as_shape(s) for s in nest.flatten(shape_invariants)]
    for t, s in zip(flat, shapes):
        if not s.is_compatible_with(t.shape):
            raise ValueError(f"The shape invariant specified for {t.name} is not compatible with the "
                             f"initial shape of the loop variable. It enters the loop with shape "
                             f"{_text(t.shape)}, but the specified shape invariant is {_text(s)}.")
    return shapes


def _counted_cond(cond, structure, counted, limit):
    def counted_cond(*args):
        if not counted:
            return cond(*_as_args(structure, list(args)))
        i, rest = args[0], list(args[1:])
        return logical_and(less(i, limit), cond(*_as_args(structure, rest)))
    return counted_cond


def _counted_body(body, structure, counted):
    def counted_body(*args):
        rest = list(args[1:] if counted else args)
        result = body(*_as_args(structure, rest))
        if not nest.is_sequence(result):
            result = [result]
        nest.assert_same_structure(_as_list(structure), _as_list(result))
        result = nest.flatten(result)
        return [args[0] + 1] + result if counted else result
    return counted_body


def _as_args(structure, flat):
    """Loop variables as ``cond``/``body`` receive them: ``cond(*loop_vars)``."""
    packed = nest.pack_sequence_as(structure, flat)
    return packed if isinstance(packed, (list, tuple)) else [packed]


def _as_list(structure) -> list:
    return list(structure) if isinstance(structure, (list, tuple)) else [structure]


def _check_cond(cond_graph) -> None:
    out = cond_graph.outputs
    if len(out) != 1:
        raise TypeError(f"cond must return a single boolean scalar tensor, returned {len(out)} values.")
    if out[0].dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'input' of 'LoopCond' Op has type {out[0].dtype.base_dtype.name} that "
                        "does not match expected type of bool.")
    if out[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {out[0].shape.ndims} for 'LoopCond' "
                         f"with input shapes: {_text(out[0].shape)}.")


def _check_body(flat, shapes, outputs) -> None:
    for t, s, out in zip(flat, shapes, outputs):
        if out.dtype.base_dtype != t.dtype.base_dtype:
            raise TypeError(f"Loop variable {t.name} enters the loop with type {t.dtype.base_dtype.name}, "
                            f"but has type {out.dtype.base_dtype.name} after one iteration.")
        if not _at_least_as_specific(out.shape, s):
            raise ValueError(f"Input tensor '{t.name}' enters the loop with shape {_text(t.shape)}, but "
                             f"has shape {_text(out.shape)} after one iteration. To allow the shape to "
                             "vary across iterations, use the `shape_invariants` argument of "
                             "tf.while_loop to specify a less-specific shape.")


def _at_least_as_specific(shape, invariant) -> bool:
    if invariant.ndims is None:
        return True
    if shape.ndims != invariant.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape.as_list(), invariant.as_list()))


def _text(shape) -> str:
    """A shape as TF 1.x prints it in these messages: ``(2, ?)``."""
    if shape.ndims is None:
        return "<unknown>"
    dims = ["?" if d is None else str(d) for d in shape.as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _eager_loop(cond, body, loop_vars, maximum_iterations, return_same_structure):
    loop_vars = nest.map_structure(convert_to_tensor, loop_vars)
    i = 0
    while (maximum_iterations is None or i < int(maximum_iterations)) and \
            bool(cond(*_as_args(loop_vars, nest.flatten(loop_vars)))):
        result = body(*_as_args(loop_vars, nest.flatten(loop_vars)))
        if not nest.is_sequence(result):
            result = [result]
        loop_vars = nest.pack_sequence_as(loop_vars, [convert_to_tensor(x) for x in nest.flatten(result)])
        i += 1
    flat = nest.flatten(loop_vars)
    return flat[0] if len(flat) == 1 and not return_same_structure else loop_vars
