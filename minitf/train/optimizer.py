"""``Optimizer`` (优化器): turns a loss into update ops, as TF 1.x does.

``minimize(loss)`` = ``compute_gradients`` (``tf.gradients`` for every
trainable variable) + ``apply_gradients`` (one ``Apply*`` op per variable under
``<Name>/update_<var>``, grouped into one op named ``<Name>``).  Slot variables
(momentum, Adam's m and v) are ordinary non-trainable variables ``<var>/<Name>``.
"""

from __future__ import annotations

import numpy as np

from ..autodiff.gradients import gradients
from ..eager.gradient_functions import eager_compute_gradients
from ..eager.optimizer_eager import apply_gradients_eagerly
from ..framework import context
from ..framework.scopes import control_dependencies, name_scope
from ..ops import state_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.control_flow_ops import group
from ..ops.indexed_slices import IndexedSlices
from ..ops.variables import Variable, trainable_variables


class Optimizer:
    """Base class: subclasses define ``_create_slots``, ``_prepare`` and ``_apply_dense``."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict = {}          # slot name -> {variable: slot variable}
        self._non_slots: dict = {}

    def get_name(self) -> str:
        return self._name

    # --- the public API ------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """Add ops that move ``var_list`` (default: all trainable variables) downhill on ``loss``."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        with_grads = [v for g, v in grads_and_vars if g is not None]
        if not with_grads:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not support "
                f"gradients, between variables {[str(v) for _, v in grads_and_vars]} and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """A list of ``(gradient, variable)`` pairs; the gradient is None if unconnected."""
        if callable(loss):
            return eager_compute_gradients(loss, var_list)
        loss = convert_to_tensor(loss)
        if not loss.dtype.base_dtype.is_floating:
            # TF's words (its list names bfloat16 too, which minitf lacks)
            raise ValueError(f"Invalid type {loss.dtype.base_dtype!r} for {loss.name}, expected: "
                             "[tf.float32, tf.float64, tf.float16, tf.bfloat16].")
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=None if grad_loss is None else [grad_loss])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """One op that applies every (gradient, variable) update (and bumps ``global_step``)."""
        pairs = _pairs_with_gradients(grads_and_vars)
        if context.executing_eagerly():
            return apply_gradients_eagerly(self, pairs, global_step)
        with name_scope(""):                  # slots live at the root: "W/Momentum"
            self._create_slots([v for _, v in pairs])
        with name_scope(name, self._name) as scope:
            self._prepare()
            updates = []
            for grad, var in pairs:
                with name_scope("update_" + var.op.name):
                    sparse = isinstance(grad, IndexedSlices)
                    updates.append(self._apply_sparse(grad, var) if sparse else self._apply_dense(grad, var))
            if global_step is None:
                return self._finish(updates, scope)
            with control_dependencies([self._finish(updates, "update")]):
                return state_ops.assign_add(global_step, 1, name=scope).op

    def _finish(self, update_ops, name_scope_):
        return group(*update_ops, name=name_scope_)

    # --- slots ---------------------------------------------------------------------
    def _zeros_slot(self, var, slot_name: str, op_name: str):
        return self._slot(var, slot_name, op_name, 0.0)

    def _slot(self, var, slot_name: str, op_name: str, value: float):
        table = self._slots.setdefault(slot_name, {})
        if var not in table:
            init = np.full(var.shape.as_list(), value, dtype=var.dtype.base_dtype.np_dtype)
            table[var] = Variable(init, trainable=False, name=f"{var.op.name}/{op_name}")
        return table[var]

    def _non_slot(self, name: str, initial):
        if name not in self._non_slots:
            self._non_slots[name] = Variable(initial, trainable=False, name=name)
        return self._non_slots[name]

    def get_slot(self, var, name: str):
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self) -> list:
        return sorted(self._slots)

    def variables(self) -> list:
        out = [v for table in self._slots.values() for v in table.values()]
        return out + list(self._non_slots.values())

    # --- hooks for subclasses ----------------------------------------------------------
    def _create_slots(self, var_list) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError

    def _apply_sparse(self, grad, var):
        """An ``IndexedSlices`` gradient: by default made dense (subclasses update only its rows)."""
        return self._apply_dense(convert_to_tensor(grad), var)


def _pairs_with_gradients(grads_and_vars) -> list:
    """The (gradient, variable) pairs that have a gradient; TF's errors when there are none."""
    grads_and_vars = list(grads_and_vars)
    if not grads_and_vars:
        raise ValueError("No variables provided.")
    pairs = [(g, v) for g, v in grads_and_vars if g is not None]
    if not pairs:
        raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in grads_and_vars]}.")
    return pairs
