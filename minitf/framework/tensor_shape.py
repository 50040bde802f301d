"""Static shapes with unknown parts (``TensorShape``).

A graph is built before any data exists, so a shape may be partly unknown:
``None`` for an unknown dimension (printed ``?``), or an unknown rank.  Shape
inference fills in what it can; the rest is checked when values arrive.
"""

from __future__ import annotations

from typing import Iterable, Optional


class TensorShape:
    """A possibly partial shape: a tuple of ints and ``None``, or unknown rank."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Optional[Iterable] = None):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        else:
            self._dims = tuple(_as_dim(d) for d in dims)

    # --- what is known ---------------------------------------------------
    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    @property
    def ndims(self) -> Optional[int]:
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def is_fully_defined(self) -> bool:
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self) -> Optional[int]:
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def as_list(self) -> list:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_tuple(self):
        return self._dims

    # --- compatibility ---------------------------------------------------
    def is_compatible_with(self, other) -> bool:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other) -> "TensorShape":
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape(a if a is not None else b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def with_rank(self, rank: int) -> "TensorShape":
        if self._dims is None:
            return unknown_shape(rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    # --- python protocol -------------------------------------------------
    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return Dimension(None) if isinstance(key, int) else unknown_shape()
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return Dimension(self._dims[key])         # TF 1.x: shape[i].value

    def __eq__(self, other) -> bool:
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        parts = ["?" if d is None else str(d) for d in self._dims]
        if len(parts) == 1:
            return f"({parts[0]},)"
        return "(" + ", ".join(parts) + ")"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def concatenate(self, other) -> "TensorShape":
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape(self._dims + other._dims)


def _as_dim(d):
    if d is None:
        return None
    if hasattr(d, "value") and not isinstance(d, int):  # a Dimension-like object
        d = d.value
        if d is None:
            return None
    d = int(d)
    if d < 0:
        if d == -1:  # TF protos write -1 for unknown
            return None
        raise ValueError(f"Dimension {d} must be >= 0")
    return d


def as_shape(shape) -> TensorShape:
    """Convert a list/tuple/int/None/TensorShape to a TensorShape."""
    if isinstance(shape, TensorShape):
        return shape
    if shape is None:
        return TensorShape(None)
    if isinstance(shape, int):
        return TensorShape([shape])
    return TensorShape(shape)


def unknown_shape(rank: Optional[int] = None) -> TensorShape:
    rank = rank.value if isinstance(rank, Dimension) else rank
    return TensorShape(None) if rank is None else TensorShape([None] * rank)


def scalar() -> TensorShape:
    return TensorShape([])


def broadcast_static(a: TensorShape, b: TensorShape) -> TensorShape:
    """The static shape of broadcasting ``a`` against ``b`` (numpy rules).

    Raises ValueError when known dimensions can never broadcast.
    """
    if a.ndims is None or b.ndims is None:
        return unknown_shape()
    da, db = list(a.dims), list(b.dims)
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None and y is None:
            out.append(None)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y}")
    return TensorShape(out)


class Dimension:
    """One dimension of a TensorShape, as TF 1.x returns from ``shape[i]``: ``.value`` is an int or None.

    It compares equal to ints (``shape[1] == 3``) and does arithmetic; where it is
    unknown, comparisons and arithmetic give None or an unknown Dimension, as in TF.
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            if isinstance(value, float) and value != int(value):
                raise ValueError(f"Ambiguous dimension: {value}")
            value = int(value)
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    @property
    def value(self):
        return self._value

    def __int__(self) -> int:
        if self._value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int")
        return self._value

    __index__ = __int__

    def __repr__(self) -> str:
        return f"Dimension({self._value})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __hash__(self) -> int:
        return hash(self._value)

    def __eq__(self, other):
        other = _dim_value(other)
        if other is NotImplemented:
            return NotImplemented
        if self._value is None and other is None:
            return True                 # both unknown (lets ``dim in (1, None)`` work)
        if self._value is None or other is None:
            return None
        return self._value == other

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is None or equal is NotImplemented else not equal

    def _compare(self, other, fn):
        other = _dim_value(other)
        if other is NotImplemented:
            return NotImplemented
        return None if self._value is None or other is None else fn(self._value, other)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    def _arith(self, other, fn):
        other = _dim_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Dimension(None if self._value is None or other is None else fn(self._value, other))

    def __add__(self, other):
        return self._arith(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other):
        return self._arith(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._arith(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._arith(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._arith(other, lambda a, b: a // b)

    def __rfloordiv__(self, other):
        return self._arith(other, lambda a, b: b // a)

    def __mod__(self, other):
        return self._arith(other, lambda a, b: a % b)

    def __neg__(self):
        return None if self._value is None else -self._value

    def merge_with(self, other) -> "Dimension":
        other = Dimension(other)
        if self._value is None:
            return other
        if other.value is not None and other.value != self._value:
            raise ValueError(f"Dimensions {self} and {other} are not compatible")
        return self

    def is_compatible_with(self, other) -> bool:
        other = _dim_value(other)
        return self._value is None or other is None or self._value == other


def _dim_value(other):
    """The int-or-None value of ``other`` (a Dimension, int or None); NotImplemented otherwise."""
    if isinstance(other, Dimension):
        return other.value
    if other is None:
        return None
    try:
        return int(other.__index__())
    except (AttributeError, TypeError):
        return NotImplemented


def dimension_value(dimension):
    """``tf.compat.dimension_value``: the int-or-None inside a Dimension (or the value itself)."""
    return dimension.value if isinstance(dimension, Dimension) else dimension
