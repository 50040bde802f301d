"""Gradients of Python functions: the optimizer's eager hook and ``tfe``'s helpers.

Each runs a function on a ``GradientTape`` and differentiates what it recorded.
"""

from __future__ import annotations

from ..ops.constant_op import convert_to_tensor
from .tape import GradientTape


def eager_compute_gradients(loss_fn, var_list=None) -> list:
    """``Optimizer.compute_gradients(lambda: loss)``: run ``loss_fn`` on a tape, differentiate."""
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
        chosen = range(len(args)) if params is None else params
        args = [convert_to_tensor(a) if i in chosen else a for i, a in enumerate(args)]
        with GradientTape() as tape:
            for i in chosen:
                tape.watch(args[i])
            value = f(*args)
        return tape.gradient(value, [args[i] for i in chosen], output_gradients=dy)
    return grad_fn
