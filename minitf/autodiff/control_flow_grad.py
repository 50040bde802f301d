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
from ..ops.array_ops import shape, zeros, zeros_like
from ..ops.concat_split_ops import concat
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
    then_grad = _branch_grad(op.get_attr("then_branch"), args, grads)
    else_grad = _branch_grad(op.get_attr("else_branch"), args, grads)
    result = tf_cond(pred, then_grad, else_grad, strict=True)
    return [None] + _float_only(args, result)


def _branch_grad(branch, args, grads):
    """A function returning d(branch outputs)/d(args), given the branch's inputs."""
    def branch_grad():
        graph = get_default_graph()                    # the gradient branch being traced
        xs, dys = capture_inputs(graph, list(args)), capture_inputs(graph, list(grads))
        outs = inline_function(branch, xs, name="forward")
        return _grads_or_zeros(outs, xs, dys)
    return branch_grad


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
    history = _history(cond_graph, body_graph, loop_vars, op.get_attr("output_shapes"))
    count = shape(history[0], out_type=dtypes.int32)[0]

    def backward_cond(step, *_):
        return greater_equal(step, 0)

    def backward_body(step, *dys):
        xs = [gather(h, step) for h in history]
        for x, v in zip(xs, loop_vars):
            x.set_shape(v.shape)
        outs = inline_function(body_graph, xs, name="forward")
        dxs = _grads_or_zeros(outs, xs, list(dys))
        return [subtract(step, 1)] + [dx if x.dtype.base_dtype.is_floating else dy
                                      for dx, dy, x in zip(dxs, dys, xs)]

    start = [subtract(count, 1)] + list(grads)
    result = while_loop(backward_cond, backward_body, start, name="backward",
                        shape_invariants=[constant(0).shape] + [g.shape for g in grads],
                        return_same_structure=True)
    return _float_only(loop_vars, result[1:])


def _history(cond_graph, body_graph, loop_vars, output_shapes) -> list:
    """Every iteration's loop variables, stacked: the loop run again, recording."""
    n = len(loop_vars)
    empty = [zeros(concat([[0], shape(v, out_type=dtypes.int32)], 0), dtype=v.dtype.base_dtype)
             for v in loop_vars]

    def recording_cond(*args):
        return inline_function(cond_graph, list(args[:n]), name="cond")[0]

    def recording_body(*args):
        xs, hist = list(args[:n]), list(args[n:])
        new = inline_function(body_graph, xs, name="body")
        return new + [concat([h, expand_dims(x, 0)], 0) for h, x in zip(hist, xs)]

    invariants = list(output_shapes) + [_stacked(s) for s in output_shapes]
    result = while_loop(recording_cond, recording_body, loop_vars + empty, shape_invariants=invariants,
                        name="history", return_same_structure=True)
    return result[n:]


def _stacked(shape_):
    return TensorShape(None) if shape_.ndims is None else TensorShape([None] + shape_.as_list())
