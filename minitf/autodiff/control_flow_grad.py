"""Gradients of ``If`` and ``While`` (the ops under ``tf.cond`` and ``tf.while_loop``).

**If.**  The gradient is another ``If`` on the same predicate: each branch of
it replays the forward branch (``inline_function``) and differentiates it with
``tf.gradients``, so only the taken branch's gradient is computed.

**While.**  Going backwards through a loop needs each iteration's inputs.  The
gradient first runs the loop again, this time appending every iteration's
loop variables to a history (one ``concat`` per variable and iteration).  A
second loop then walks the history from the last iteration to the first,
replaying the body on the recorded values and applying ``tf.gradients`` to
it with the gradient arriving from the iteration after.  Outer tensors the
body reads (weights) are loop variables passed through unchanged, so their
gradient sums over the iterations by itself.  (TF keeps the history in stacks
filled during the forward run; replaying the loop once costs one more forward
pass and keeps the forward graph as the user built it.)
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.func_graph import capture_inputs
from ..framework.graph import get_default_graph
from ..framework.tensor_shape import TensorShape
from ..ops.array_ops import reshape, shape, size, zeros, zeros_like
from ..ops.slice_pad_ops import slice as slice_
from ..ops.concat_split_ops import concat, stack
from ..ops.gather_ops import gather
from ..ops.reshape_ops import expand_dims
from ..ops.cond import cond as tf_cond
from ..ops.constant_op import constant
from ..ops.function_inline import inline_function
from ..ops.math_ops import greater_equal, subtract
from ..ops.while_loop import while_loop
from .gradients import gradients


def if_grad(op, *grads):
    pred, args = op.inputs[0], op.inputs[1:]
    then_grad = _branch_grad(op.get_attr("then_branch"), args, grads, op.outputs)
    else_grad = _branch_grad(op.get_attr("else_branch"), args, grads, op.outputs)
    result = tf_cond(pred, then_grad, else_grad, strict=True)
    return [None] + _float_only(args, result)


def _branch_grad(branch, args, grads, forward_outputs):
    """A function returning d(branch outputs)/d(args), given the branch's inputs."""
    def branch_grad():
        graph = get_default_graph()                    # the gradient branch being traced
        xs, dys = capture_inputs(graph, list(args)), capture_inputs(graph, list(grads))
        drawn = {t: _recorded(graph, forward_outputs[i]) for t, i in branch.recorded.items()}
        outs = inline_function(branch, xs, name="forward", substitutes=drawn)
        return _grads_or_zeros(outs, xs, dys)
    return branch_grad


def _recorded(graph, forward_output):
    """The value the forward run drew, in place of a new draw."""
    value = capture_inputs(graph, [forward_output])[0]
    return lambda replayed: value


def _grads_or_zeros(ys, xs, dys) -> list:
    """``tf.gradients(ys, xs, dys)`` over the floating ys, zeros where x is unconnected."""
    pairs = [(y, dy) for y, dy in zip(ys, dys) if y.dtype.base_dtype.is_floating]
    found = gradients([y for y, _ in pairs], xs, grad_ys=[dy for _, dy in pairs]) if pairs else \
        [None] * len(xs)
    return [g if g is not None else zeros_like(x) for g, x in zip(found, xs)]


def _float_only(inputs, grads) -> list:
    return [g if x.dtype.base_dtype.is_floating else None for x, g in zip(inputs, grads)]


def while_grad(op, *grads):
    if not op.attrs.get("_back_prop", True):
        return [None] * len(op.inputs)
    cond_graph, body_graph = op.get_attr("cond"), op.get_attr("body")
    loop_vars = list(op.inputs)
    records = set(body_graph.recorded.values())        # loop variables holding random draws
    draws_at = _draws_at(body_graph.recorded, op.outputs)
    history = _history(cond_graph, body_graph, loop_vars, op.get_attr("output_shapes"), records, draws_at)
    count = shape(history[_first_stacked(records, loop_vars)], out_type=dtypes.int32)[0]

    def backward_cond(step, *_):
        return greater_equal(step, 0)

    def backward_body(step, *dys):
        xs = [op.outputs[k] if k in records else gather(history[k], step) for k in range(len(loop_vars))]
        for x, v in zip(xs, loop_vars):
            x.set_shape(v.shape)
        outs = inline_function(body_graph, xs, name="forward", substitutes=draws_at(step))
        keep = [k for k in range(len(xs)) if k not in records]
        dxs = _grads_or_zeros([outs[k] for k in keep], [xs[k] for k in keep], [dys[k] for k in keep])
        new = list(dys)
        for k, dx in zip(keep, dxs):
            new[k] = dx if xs[k].dtype.base_dtype.is_floating else dys[k]
        return [subtract(step, 1)] + new

    start = [subtract(count, 1)] + list(grads)
    result = while_loop(backward_cond, backward_body, start, name="backward", back_prop=False,
                        shape_invariants=[constant(0).shape] + [g.shape for g in grads],
                        return_same_structure=True)
    return [None if k in records else g for k, g in enumerate(_float_only(loop_vars, result[1:]))]


def _first_stacked(records, loop_vars) -> int:
    return next(k for k in range(len(loop_vars)) if k not in records)


def _draws_at(recorded, forward_outputs):
    """For iteration ``j``: each random draw's substitute, sliced from the forward run's record."""
    def at(j):
        def recorded_value(k):
            def value(replayed):
                n = size(replayed, out_type=dtypes.int32)
                return reshape(slice_(forward_outputs[k], stack([j * n]), stack([n])), shape(replayed))
            return value
        return {t: recorded_value(k) for t, k in recorded.items()}
    return at


def _history(cond_graph, body_graph, loop_vars, output_shapes, records, draws_at) -> list:
    """Every iteration's loop variables, stacked: the loop run again, recording (None for records)."""
    n = len(loop_vars)
    stacked = [k for k in range(n) if k not in records]
    empty = [zeros(concat([[0], shape(loop_vars[k], out_type=dtypes.int32)], 0),
                   dtype=loop_vars[k].dtype.base_dtype) for k in stacked]

    def recording_cond(j, *args):
        return inline_function(cond_graph, list(args[:n]), name="cond")[0]

    def recording_body(j, *args):
        xs, hist = list(args[:n]), list(args[n:])
        new = inline_function(body_graph, xs, name="body", substitutes=draws_at(j))
        return [j + 1] + new + [concat([h, expand_dims(xs[k], 0)], 0) for h, k in zip(hist, stacked)]

    invariants = [constant(0).shape] + list(output_shapes) + [_stacked(output_shapes[k]) for k in stacked]
    result = while_loop(recording_cond, recording_body, [constant(0)] + loop_vars + empty,
                        shape_invariants=invariants, name="history", back_prop=False,
                        return_same_structure=True)
    history = [None] * n
    for k, h in zip(stacked, result[1 + n:]):
        history[k] = h
    return history


def _stacked(shape_):
    return TensorShape(None) if shape_.ndims is None else TensorShape([None] + shape_.as_list())
