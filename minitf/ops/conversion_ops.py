"""TF 1.x's cast shorthands: ``to_float``, ``to_double``, ``to_int32``, ``to_int64``.

Each is ``tf.cast`` to one dtype under its own default name (``ToFloat``...),
so the graph shows a Cast node named as TF names it.  (TF 1.15 marks them
deprecated in favour of ``tf.cast``; they still appear in most TF1 tutorials.)
"""

from __future__ import annotations

from ..framework import dtypes
from .array_ops import cast


def to_float(x, name="ToFloat"):
    """``cast(x, tf.float32)``."""
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """``cast(x, tf.float64)``."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """``cast(x, tf.int32)`` (floats truncate toward zero)."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """``cast(x, tf.int64)`` (floats truncate toward zero)."""
    return cast(x, dtypes.int64, name=name)
