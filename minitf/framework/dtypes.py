"""Data types (``tf.float32``, ``tf.int32``, ...).

A ``DType`` pairs TensorFlow's name and enum code (used in GraphDef and
checkpoint files) with the numpy dtype that holds the values.  A ``_ref``
variant names the type of a variable's output, as TF 1.x prints it
(``dtype=float32_ref``).
"""

from __future__ import annotations

import builtins

import numpy as np

_py_bool = builtins.bool  # kept before `bool` below is rebound to TF's dtype


class DType:
    """A tensor element type."""

    __slots__ = ("name", "enum", "_np", "_is_ref")

    def __init__(self, name: str, enum: int, np_type, is_ref: bool = False):
        self.name = name
        self.enum = enum
        self._np = np.dtype(np_type) if np_type is not None else None
        self._is_ref = is_ref

    # --- what the type is -------------------------------------------------
    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def np_dtype(self) -> np.dtype:
        return self._np

    @property
    def base_dtype(self) -> "DType":
        return _BY_ENUM[self.enum - 100] if self._is_ref else self

    @property
    def is_ref(self) -> bool:
        return self._is_ref

    @property
    def _as_ref(self) -> "DType":
        return self if self._is_ref else _BY_ENUM[self.enum + 100]

    @property
    def as_datatype_enum(self) -> int:
        return self.enum

    @property
    def is_floating(self) -> bool:
        return self.base_dtype in (float16, float32, float64)

    @property
    def is_integer(self) -> bool:
        return self.base_dtype in (int8, int16, int32, int64, uint8, uint16)

    @property
    def is_bool(self) -> bool:
        return self.base_dtype is bool

    @property
    def is_unsigned(self) -> bool:
        return self.base_dtype in (uint8, uint16)

    @property
    def is_numpy_compatible(self) -> bool:
        return self._np is not None

    @property
    def size(self) -> int:
        return self._np.itemsize

    @property
    def min(self):
        b = self.base_dtype._np
        return np.finfo(b).min if b.kind == "f" else np.iinfo(b).min

    @property
    def max(self):
        b = self.base_dtype._np
        return np.finfo(b).max if b.kind == "f" else np.iinfo(b).max

    def is_compatible_with(self, other) -> bool:
        return self.base_dtype is as_dtype(other).base_dtype

    # --- printing and comparing ---------------------------------------------
    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other) -> bool:
        if other is None:
            return False
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self.enum

    def __reduce__(self):
        return as_dtype, (self.enum,)


_BY_ENUM: dict[int, DType] = {}


def _make(name: str, enum: int, np_type) -> DType:
    base = DType(name, enum, np_type)
    _BY_ENUM[enum] = base
    _BY_ENUM[enum + 100] = DType(name + "_ref", enum + 100, np_type, is_ref=True)
    return base


float32 = _make("float32", 1, np.float32)
float64 = _make("float64", 2, np.float64)
int32 = _make("int32", 3, np.int32)
uint8 = _make("uint8", 4, np.uint8)
int16 = _make("int16", 5, np.int16)
int8 = _make("int8", 6, np.int8)
string = _make("string", 7, np.object_)
int64 = _make("int64", 9, np.int64)
bool = _make("bool", 10, np.bool_)  # noqa: A001 - TF's name
uint16 = _make("uint16", 17, np.uint16)
float16 = _make("float16", 19, np.float16)
# A handle to state kept by the Session (tf.data's iterators); its value is opaque.
resource = _make("resource", 20, np.object_)

half = float16
double = float64
float32_ref = float32._as_ref
float64_ref = float64._as_ref
int32_ref = int32._as_ref
int64_ref = int64._as_ref

_BY_NAME = {d.name: d for d in _BY_ENUM.values()}
_BY_NAME.update({"float": float32, "double": float64, "half": float16})

_BY_NUMPY = {
    np.dtype(np.float32): float32, np.dtype(np.float64): float64, np.dtype(np.float16): float16,
    np.dtype(np.int32): int32, np.dtype(np.int64): int64, np.dtype(np.int16): int16,
    np.dtype(np.int8): int8, np.dtype(np.uint8): uint8, np.dtype(np.uint16): uint16,
    np.dtype(np.bool_): bool, np.dtype(np.object_): string,
}


def as_dtype(type_value) -> DType:
    """Convert a DType, enum code, name, numpy type or Python type to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, int) and not isinstance(type_value, _py_bool) and type_value in _BY_ENUM:
        return _BY_ENUM[type_value]
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")
    if type_value is float:
        return float32
    if type_value is int:
        return int32
    if type_value is _py_bool:
        return bool
    if type_value in (bytes, str):
        return string
    try:
        npd = np.dtype(type_value)
    except TypeError:
        npd = None
    if npd is not None:
        if npd.kind in ("U", "S"):
            return string
        if npd in _BY_NUMPY:
            return _BY_NUMPY[npd]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")

