"""``tf.train.ExponentialMovingAverage`` (滑动平均): shadow copies that follow variables slowly.

    ema = tf.train.ExponentialMovingAverage(decay=0.99)
    with tf.control_dependencies([train_step]):
        train_op = ema.apply([w, b])          # after each step: shadow -= (1 - decay) * (shadow - w)
    w_avg = ema.average(w)                    # the variable 'w/ExponentialMovingAverage'

Evaluating with the averaged weights often beats the last raw weights; a Saver built
with ``ema.variables_to_restore()`` loads the averages into the model's own variables.
"""

from __future__ import annotations


import numpy as np

from ..framework import dtypes
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.scopes import name_scope
from ..ops import state_ops
from ..ops.array_ops import cast
from ..ops.constant_op import convert_to_tensor
from ..ops.control_flow_ops import group
from ..ops.init_ops import zeros_initializer
from ..ops.math_ops import minimum, pow
from ..ops.variable_scope import get_variable, get_variable_scope, variable_scope
from ..ops.variables import Variable, global_variables, trainable_variables

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """``variable -= (variable - value) * (1 - decay)``, one AssignSub op.

    With ``zero_debias`` (TF's default) the average of a variable that starts at zero
    is divided by ``1 - decay^t``, so early values are not pulled towards zero.
    """
    with name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype.base_dtype != variable.dtype.base_dtype:
            decay = cast(decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay)
        return state_ops.assign_sub(variable, (variable - value) * decay, name=scope)


def _zero_debias(unbiased_var, value, one_minus_decay):
    """TF's debiasing: a zero-started ``biased`` average and a ``local_step`` counter beside it."""
    with variable_scope(unbiased_var.op.name, values=[unbiased_var, value, one_minus_decay]):
        shape, dtype = unbiased_var.get_shape(), unbiased_var.dtype.base_dtype
        biased = get_variable(_unique_in_scope("biased"), shape=shape, dtype=dtype,
                              initializer=zeros_initializer(), trainable=False)
        local_step = get_variable(_unique_in_scope("local_step"), shape=[], dtype=dtype,
                                  initializer=zeros_initializer(), trainable=False)
    update_biased = state_ops.assign_sub(biased, (biased - value) * one_minus_decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - pow(1.0 - one_minus_decay, update_local_step)
    scope = get_default_graph().get_name_scope()
    return state_ops.assign(unbiased_var, update_biased / bias_factor, name=scope + "/")


def _unique_in_scope(name: str) -> str:
    """``name``, or ``name_1``... when the current variable scope already has one (unless reusing)."""
    scope = get_variable_scope()
    if scope.reuse:
        return name
    taken = {v.op.name for v in scope.global_variables()}
    full = f"{scope.name}/{name}"
    if full not in taken:
        return name
    idx = 1
    while f"{full}_{idx}" in taken:
        idx += 1
    return f"{name}_{idx}"


class ExponentialMovingAverage:
    """Keeps moving averages of variables (or tensors) with ``shadow = decay·shadow + (1-decay)·value``."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay, self._num_updates, self._name = decay, num_updates, name
        self._zero_debias = zero_debias      # only for averaged tensors (their shadows start at 0)
        self._averages: dict = {}

    @property
    def name(self) -> str:
        return self._name

    def apply(self, var_list=None):
        """Create the shadow variables (first call) and return the op that updates them all."""
        if var_list is None:
            var_list = trainable_variables()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if var not in self._averages:
                self._averages[var] = self._create_shadow(var)
        with name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                # Early on the average should move fast: decay = min(decay, (1 + n) / (10 + n)).
                n = cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = minimum(decay, (1.0 + n) / (10.0 + n))
            updates = [assign_moving_average(self._averages[var], _fresh_value(var), decay,
                                             self._zero_debias and not isinstance(var, Variable))
                       for var in var_list]
            return group(*updates, name=scope)

    def _create_shadow(self, var):
        """A non-trainable copy named '<var>/ExponentialMovingAverage', built outside any scope."""
        graph = get_default_graph()
        with graph.name_scope(""), graph.control_dependencies(None):
            name = f"{var.op.name}/{self._name}"
            if isinstance(var, Variable):
                shadow = Variable(var.initialized_value(), trainable=False, name=name)
                graph.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                return shadow
            if not var.shape.is_fully_defined():
                raise ValueError(f"Cannot average {var.name}: its shape {var.shape} is not fully defined")
            zeros = np.zeros(var.shape.as_list(), var.dtype.base_dtype.np_dtype)
            return Variable(zeros, trainable=False, name=name)

    def average(self, var):
        """The shadow variable of ``var`` (None if ``apply`` never saw it)."""
        return self._averages.get(var)

    def average_name(self, var) -> str:
        """The shadow's op name, also before ``apply`` (what a checkpoint calls it)."""
        if var in self._averages:
            return self._averages[var].op.name
        return get_default_graph().unique_name(f"{var.op.name}/{self._name}", mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """A Saver map that restores each shadow into its variable (others restore as themselves)."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        moving_avg_variables = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in moving_avg_variables}
        averaged = {v.name for v in moving_avg_variables}
        for v in global_variables():
            if v.name not in averaged and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map


def _fresh_value(var):
    """A read of ``var`` made here, so it honours the caller's control dependencies.

    TF reads ``var/read``, whose buffer aliases the variable, so an update that ran
    first (``with tf.control_dependencies([train_step]): ema.apply()``) shows through.
    minitf's ``var/read`` is a snapshot; a new read inside the scope gives TF's numbers.
    """
    return var.read_value() if isinstance(var, Variable) else var


def moving_average_variables(scope=None) -> list:
    """``tf.moving_average_variables()``: the variables ``ExponentialMovingAverage.apply`` averages."""
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


