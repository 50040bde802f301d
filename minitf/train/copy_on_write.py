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


def _baseline_in_frame() -> int:
    table = {"v": np.empty(1)}
    value = table["v"]
    return sys.getrefcount(value)


# The same count seen by ``sys.getrefcount(value)`` written directly in the frame
# that holds ``value`` (hot loops save two calls this way).
SOLE_IN_FRAME = _baseline_in_frame()


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


# --- device arrays (numba.cuda) ----------------------------------------------------------------
# A device array's memory can be shared without referencing the array object:
# ``d.reshape(...)`` makes a new array on the same ``gpu_data`` object, and a
# slice takes an owned reference on the memory (its ``refct`` grows).  The
# simulator's arrays wrap a numpy array (``_ary``) that views reference.  So a
# device array is written in place only when the array, its storage object and
# the storage's own count all look like those of a fresh, unshared array.
_fresh_device: list = []          # [(storage type, storage refcount, storage refct)], measured once


def _storage(d):
    return vars(d).get("_ary") if "_ary" in vars(d) else getattr(d, "gpu_data", None)


def _storage_probe(d):
    storage = _storage(d)
    return type(storage), _count(storage), getattr(storage, "refct", None)


def _fresh(empty):
    if not _fresh_device:
        table = {"v": empty((1,), np.float32)}
        value = table["v"]
        _fresh_device.append(_storage_probe(value))
    return _fresh_device[0]


def device_sole_owner(value, empty) -> bool:
    """``sole_owner`` for a device array; ``empty(shape, dtype)`` allocates one to compare with."""
    try:
        if _count(value) > _SOLE:
            return False
        storage = _storage(value)
        if storage is None or getattr(storage, "base", None) is not None:
            return False              # a simulator array over a numpy view
        kind, count, refct = _fresh(empty)
        return (type(storage) is kind and _count(storage) <= count
                and getattr(storage, "refct", None) == refct)
    except (AttributeError, TypeError):
        return False
