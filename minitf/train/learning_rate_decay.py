"""Learning-rate schedules (学习率衰减): the learning rate as a graph op over ``global_step``.

    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, decay_steps=1000, decay_rate=0.96, staircase=True)
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=step)

Each run reads the current step, so the rate changes as training goes on with no
Python in the loop.  Formulas, names and argument checks are TF 1.x's.
"""

from __future__ import annotations

import math

from ..framework.scopes import name_scope
from ..ops.array_ops import cast, identity
from ..ops.constant_op import convert_n_to_tensor, convert_to_tensor
from ..ops.math_ops import (add, ceil, cos, divide, exp, floor, logical_and, maximum, minimum, multiply,
                            negative, pow, where)


def _prepare(learning_rate, global_step, what, *others):
    """The rate as a tensor, then the step and ``others`` cast to its dtype."""
    if global_step is None:
        raise ValueError(f"global_step is required for {what}.")
    learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
    dtype = learning_rate.dtype.base_dtype
    return [learning_rate, cast(global_step, dtype)] + [cast(o, dtype) for o in others]


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate * decay_rate ^ (global_step / decay_steps)`` (floored exponent if staircase)."""
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step]) as name:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, "exponential_decay",
                                                     decay_steps, decay_rate)
        p = step / decay_steps
        if staircase:
            p = floor(p)
        return multiply(lr, pow(decay_rate, p), name=name)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    with name_scope(name, "NaturalExpDecay", [learning_rate, global_step]) as name:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, "natural_exp_decay",
                                                     decay_steps, decay_rate)
        p = step / decay_steps
        if staircase:
            p = floor(p)
        return multiply(lr, exp(multiply(negative(decay_rate), p)), name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    with name_scope(name, "InverseTimeDecay", [learning_rate, global_step]) as name:
        lr, step, decay_steps, decay_rate = _prepare(learning_rate, global_step, "inverse_time_decay",
                                                     decay_steps, decay_rate)
        p = step / decay_steps
        if staircase:
            p = floor(p)
        one = cast(convert_to_tensor(1), lr.dtype.base_dtype)
        return divide(lr, one + multiply(decay_rate, p), name=name)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0,
                     cycle=False, name=None):
    """From ``learning_rate`` to ``end_learning_rate`` along ``(1 - step / decay_steps) ^ power``.

    After ``decay_steps`` the rate stays at the end value, or with ``cycle=True`` the
    decay restarts over the next multiple of ``decay_steps``.
    """
    with name_scope(name, "PolynomialDecay", [learning_rate, global_step]) as name:
        lr, step, decay_steps, end_lr, power = _prepare(learning_rate, global_step, "polynomial_decay",
                                                        decay_steps, end_learning_rate, power)
        if cycle:
            # The first multiple of decay_steps at or above the step (1 at step 0: TF's cond).
            decay_steps = multiply(decay_steps, maximum(ceil(step / decay_steps), 1.0))
        else:
            step = minimum(step, decay_steps)
        p = divide(step, decay_steps)
        return add(multiply(lr - end_lr, pow(1 - p, power)), end_lr, name=name)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """Half a cosine from ``learning_rate`` down to ``alpha * learning_rate`` over ``decay_steps``."""
    with name_scope(name, "CosineDecay", [learning_rate, global_step]) as name:
        lr, step, decay_steps = _prepare(learning_rate, global_step, "cosine_decay", decay_steps)
        step = minimum(step, decay_steps)
        cosine = 0.5 * (1.0 + cos(math.pi * step / decay_steps))
        return multiply(lr, (1 - alpha) * cosine + alpha, name=name)


def piecewise_constant(x, boundaries, values, name=None):
    """``values[0]`` while ``x <= boundaries[0]``, ``values[1]`` up to ``boundaries[1]``, ... ."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant", [x]) as name:
        x = convert_to_tensor(x)
        boundaries = [_boundary_like(b, x) for b in convert_n_to_tensor(boundaries)]
        values = convert_n_to_tensor(values)
        for v in values[1:]:
            if v.dtype.base_dtype != values[0].dtype.base_dtype:
                raise ValueError("Values must have elements all with the same dtype (%s vs %s)."
                                 % (values[0].dtype.base_dtype.name, v.dtype.base_dtype.name))
        # TF picks with tf.case over exclusive intervals; a chain of selects gives the same value.
        result = values[0]
        for low, high, v in zip(boundaries, boundaries[1:] + [None], values[1:]):
            inside = x > low if high is None else logical_and(x > low, x <= high)
            result = where(inside, v, result)
        return identity(result, name=name)


def _boundary_like(b, x):
    if b.dtype.base_dtype == x.dtype.base_dtype:
        return b
    if b.dtype.base_dtype.name == "int32" and x.dtype.base_dtype.name == "int64":
        return cast(b, x.dtype.base_dtype)          # Python ints against an int64 global_step
    raise ValueError("Boundaries (%s) must have the same dtype as x (%s)."
                     % (b.dtype.base_dtype.name, x.dtype.base_dtype.name))

