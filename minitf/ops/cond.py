"""``tf.cond`` and ``tf.case``: run one of two (or n) functions, chosen at run time.

Each branch is traced into a function (``function_builder.py``) and one
``If`` op (``StatelessIf`` when no branch has side effects) picks a branch
when it runs, so the other branch's ops never run.  In eager mode the
predicate is already known: the chosen function is simply called.
"""

from __future__ import annotations

from ..framework import context, dtypes, nest
from ..framework.graph import get_default_graph
from ..framework.op_builder import apply_op
from ..framework.operation import Operation
from ..framework.scopes import control_dependencies, name_scope
from ..framework.tensor import Tensor
from .array_ops import cast
from .assert_op import Assert
from .concat_split_ops import stack
from .constant_op import constant, convert_to_tensor
from .math_ops import less_equal
from .reduction_ops import reduce_sum
from .function_builder import common_shape, share_captures, trace
from .function_inline import random_outputs


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``: only the chosen branch's ops run."""
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    if context.executing_eagerly():
        result = true_fn() if bool(pred) else false_fn()
        return result if strict else _unpack_single(result)
    with name_scope(name, "cond", [pred]) as scope:
        pred = convert_to_tensor(pred, name="pred")
        outer_ops: list = []
        then_graph, then_out = trace("cond_true", _ops_as_flags(true_fn, True, outer_ops))
        else_graph, else_out = trace("cond_false", _ops_as_flags(false_fn, False, outer_ops))
        if not strict:
            then_out, else_out = _unpack_single(then_out), _unpack_single(else_out)
        nest.assert_same_structure(then_out, else_out)
        _check_types(then_graph.outputs, else_graph.outputs)
        user_outputs = len(then_graph.outputs)
        _record_random_draws(then_graph, else_graph)
        captured = share_captures([then_graph, else_graph])
        stateful = then_graph.is_stateful() or else_graph.is_stateful()
        shapes = [common_shape(a.shape, b.shape)
                  for a, b in zip(then_graph.outputs, else_graph.outputs)]
        attrs = {"Tcond": pred.dtype.base_dtype, "Tin": [t.dtype.base_dtype for t in captured],
                 "Tout": [t.dtype.base_dtype for t in then_graph.outputs],
                 "then_branch": then_graph, "else_branch": else_graph, "output_shapes": shapes}
        result = apply_op("If" if stateful else "StatelessIf", [pred] + captured, attrs, name=scope,
                          control_inputs=outer_ops)
    if not user_outputs:                        # branches that return nothing: the op itself
        return result if isinstance(result, Operation) else nest.flatten(result)[0].op
    flat = [result] if isinstance(result, Tensor) else list(result)
    return nest.pack_sequence_as(then_out, flat[:user_outputs])


def _ops_as_flags(fn, flag: bool, outer_ops: list):
    """``fn`` with each Operation it returns replaced by a bool that waits for it (TF 1.x's rule).

    An op made inside the branch runs only when the branch is taken.  An op made
    outside it (``lambda: train_op``) cannot be part of the branch: as in TF 1.x,
    it runs whenever the cond runs, whichever branch is taken.
    """
    def with_flags():
        result = fn()
        leaves = [_flag_for(x, flag, outer_ops) if isinstance(x, Operation) else x for x in nest.flatten(result)]
        return nest.pack_sequence_as(result, leaves) if nest.is_sequence(result) else leaves[0]
    return with_flags


def _flag_for(op, flag: bool, outer_ops: list):
    if op.graph is not get_default_graph():
        outer_ops.append(op)
        return constant(flag)
    with control_dependencies([op]):
        return constant(flag)


def _record_random_draws(then_graph, else_graph) -> None:
    """Extra outputs carry each branch's random draws, so the gradient reuses them.

    The gradient replays the taken branch; a dropout mask drawn again would differ
    from the one the forward run used.  Each branch outputs its own draws and a
    zero in place of the other branch's (``recorded``: body tensor -> output index).
    """
    then_draws, else_draws = random_outputs(then_graph), random_outputs(else_graph)
    if not then_draws and not else_draws:
        return
    first = len(then_graph.outputs)
    with then_graph.as_default():
        then_graph.outputs += then_draws + [constant(0, dtype=t.dtype.base_dtype) for t in else_draws]
    with else_graph.as_default():
        else_graph.outputs += [constant(0, dtype=t.dtype.base_dtype) for t in then_draws] + else_draws
    then_graph.recorded = {t: first + i for i, t in enumerate(then_draws)}
    else_graph.recorded = {t: first + len(then_draws) + i for i, t in enumerate(else_draws)}


def _unpack_single(result):
    """TF 1.x returns ``x``, not ``[x]``, for a branch returning a one-element list."""
    if isinstance(result, (list, tuple)) and len(result) == 1 and not hasattr(result, "_fields"):
        return result[0]
    return result


def _check_types(then_outputs, else_outputs) -> None:
    then_types = ", ".join(t.dtype.base_dtype.name for t in then_outputs)
    else_types = ", ".join(t.dtype.base_dtype.name for t in else_outputs)
    if then_types != else_types:
        raise ValueError("Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received "
                         f"{then_types} from 'true_fn' and {else_types} from 'false_fn'.")


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The function of the first true predicate (nested ``cond``s); ``default`` when none is true."""
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: getattr(item[0], "name", ""))
    pairs = list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple. Received {pair}.")
        if not callable(pair[1]):
            raise TypeError(f"fn for pred {getattr(pair[0], 'name', pair[0])} must be callable.")
    if not pairs:
        raise ValueError("pred_fn_pairs must not be empty.")
    if context.executing_eagerly():
        for pred, fn in pairs:
            if bool(pred):
                return fn()
        return (default or pairs[-1][1])()
    with name_scope(name, "case", [p for p, _ in pairs]):
        if default is None:                   # as TF: the last function is the default
            pairs, default = pairs[:-1], pairs[-1][1]
        fn = default
        for pred, action in reversed(pairs):
            fn = _cond_fn(pred, action, fn, strict)
        if not exclusive:
            return fn()
        with control_dependencies([_at_most_one_true([p for p, _ in pairs])]):
            return fn()


def _at_most_one_true(preds):
    """``exclusive=True``: TF's run-time check that no two predicates hold."""
    preds = [convert_to_tensor(p) for p in preds]
    stacked = stack(preds)
    count = reduce_sum(cast(stacked, dtypes.int32))
    names = ", ".join(p.name for p in preds)
    message = f"Input error: exclusive=True: more than 1 conditions ({names}) evaluated as True:"
    return Assert(less_equal(count, 1), [constant(message), stacked], summarize=len(preds))


def _cond_fn(pred, true_fn, false_fn, strict):
    return lambda: cond(pred, true_fn, false_fn, strict=strict)
