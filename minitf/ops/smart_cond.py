"""``smart_cond``: a Python ``if`` when the predicate is known now, else ``tf.cond``.

Layers take ``training`` as a Python bool or as a bool tensor (usually a
placeholder fed at each run).  TF 1.x's layers switch with ``smart_cond``:
when the value can be read while the graph is built (a bool, a constant) only
the chosen branch is built, as a Python ``if`` would; otherwise both are, in
a ``tf.cond`` that picks one at run time.  (TF: ``framework/smart_cond.py``.)
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.op_builder import constant_value
from ..framework.tensor import Tensor
from .cond import cond
from .constant_op import convert_to_tensor


def smart_constant_value(pred):
    """The Python bool behind ``pred`` when it is known now, else None (a placeholder)."""
    if isinstance(pred, bool):
        return pred
    if isinstance(pred, int) and pred in (0, 1):
        return bool(pred)
    if not isinstance(pred, Tensor):          # a numpy bool, a bool Variable (Keras' smart_cond takes them)
        pred = convert_to_tensor(pred, dtype=dtypes.bool)
    if pred.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"`pred` must be a bool Tensor, got a {pred.dtype.base_dtype.name} tensor")
    value = constant_value(pred)
    return None if value is None else bool(value)


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` or ``false_fn()`` now when ``pred`` is known, else ``tf.cond(pred, ...)``."""
    if not callable(true_fn):
        raise TypeError(f"`true_fn` must be callable: {true_fn}")
    if not callable(false_fn):
        raise TypeError(f"`false_fn` must be callable: {false_fn}")
    known = smart_constant_value(pred)
    if known is None:
        return cond(pred, true_fn=true_fn, false_fn=false_fn, name=name)
    return true_fn() if known else false_fn()
