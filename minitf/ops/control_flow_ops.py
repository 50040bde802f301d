"""Grouping ops: ``tf.group``, ``tf.no_op``, ``tf.tuple``, ``report_uninitialized``.

``group`` makes one NoOp whose control inputs are the given ops: running it
runs them all (this is what ``init`` and an optimizer's train op are).
"""

from __future__ import annotations

import builtins

import numpy as np

from ..framework import context, dtypes
from ..framework.op_builder import apply_op
from ..framework.operation import Operation
from ..framework.scopes import control_dependencies, name_scope
from ..framework.tensor import Tensor
from .array_ops import identity, no_op  # noqa: F401  (re-exported as tf.no_op)
from .array_ops_extra import boolean_mask, stack
from .constant_op import constant
from .math_ops import logical_not
from .state_ops import is_variable_initialized


def _as_op(x):
    if hasattr(x, "_as_graph_element"):
        x = x._as_graph_element()
    return x.op if isinstance(x, Tensor) else x


def group(*inputs, name=None):
    """One op that runs all ``inputs`` (ops or tensors), producing nothing."""
    if context.executing_eagerly():
        return None
    ops = [_as_op(x) for x in _flatten(inputs) if x is not None]
    ops.sort(key=lambda op: op._id)     # deterministic order, as TF sorts by device/name
    return apply_op("NoOp", [], name=name or "group_deps", control_inputs=ops)


def _flatten(items):
    for x in items:
        if isinstance(x, (list, builtins.tuple)):
            yield from _flatten(x)
        else:
            yield x


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """Return tensors that are available only after all of ``tensors`` are computed."""
    for c in control_inputs or []:
        if not isinstance(_as_op(c), Operation):
            raise TypeError(f"Control input must be Operation or Tensor: {c}")
    with name_scope(name, "tuple") as scope:
        gate = group(*[t for t in tensors if t is not None], *(control_inputs or []),
                     name=(scope + "gate/") if scope else None)
        with control_dependencies([gate]):
            return [identity(t) if t is not None else None for t in tensors]


def report_uninitialized(var_list, name):
    """Names of the uninitialized variables in ``var_list`` (a 1-D string tensor)."""
    with name_scope(name) as scope:
        if not var_list:
            return constant(np.array([], dtype=object), dtype=dtypes.string)
        mask = logical_not(stack([is_variable_initialized(v) for v in var_list]))
        names = constant(np.array([v.op.name for v in var_list], dtype=object), dtype=dtypes.string)
        return boolean_mask(names, mask, name=scope)
