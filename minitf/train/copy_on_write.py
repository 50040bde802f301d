"""Copy on write: when an update op may write into a variable's buffer.

The optimizers' update ops (``ApplyAdam``...) are fastest when they write the
new values into the variable's own array: no allocation, one pass.  That is
only safe when nothing else holds that array.  A user may hold it (a fetched
value, an eager tensor that read the variable), or so may the running plan (a
read of the variable that a later step still needs), or a view of it (a
reshape shares the buffer and keeps a reference to it).

TensorFlow decides the same way (``training_op_helpers.h``: an update copies
the variable's buffer first unless its reference count is one).  Here the
reference count is CPython's: if the array is referenced only by the
runtime's table (and by the code asking), the update writes in place;
otherwise it first gives the variable a private copy, so every earlier holder
keeps the value it saw.  The plan helps by dropping each value as soon as its
last reader has run (``codegen.py``).
"""

from __future__ import annotations

import sys

import numpy as np

from ..ops.state_ops import read_variable


def _count(array) -> int:
    return sys.getrefcount(array)


def _probe(value) -> int:
    return _count(value)               # the same call depth as sole_owner


def _baseline() -> int:
    """The count of an array held only by a table and one local, seen through ``sole_owner``."""
    table = {"v": np.empty(1)}
    value = table["v"]
    return _probe(value)


_SOLE = _baseline()


def sole_owner(value) -> bool:
    """True when ``value`` is referenced only by the runtime's table and its caller's one local."""
    return _count(value) <= _SOLE


def writable(runtime, var_op, user_op):
    """The variable's array, safe to write in place (a private copy if it is shared).

    Raises TF's uninitialized-value error like any read.
    """
    value = read_variable(runtime, var_op, user_op)
    if (type(value) is np.ndarray and value.base is None and value.flags.c_contiguous
            and value.flags.writeable and sole_owner(value)):
        return value
    value = runtime.variables[var_op.name] = np.array(value, order="C")
    return value
