"""``Tensor``: the edge of the graph, output ``value_index`` of an Operation.

A graph-mode Tensor holds no value.  It knows where it comes from, its static
shape and its dtype; a Session computes its value on demand.
"""

from __future__ import annotations

from . import dtypes
from .session_stack import run_with_default_session
from .tensor_shape import TensorShape, as_shape


class Tensor:
    """A symbolic handle to one output of an Operation."""

    # Python operators are installed by minitf.ops.math_ops (as TF does with
    # Tensor._override_operator), so this file needs no math.
    __array_priority__ = 100

    def __init__(self, op, value_index: int, dtype: dtypes.DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = as_shape(shape)
        self._consumers = []

    # --- identity --------------------------------------------------------
    @property
    def op(self):
        return self._op

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def device(self) -> str:
        return self._op.device

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Narrow the static shape (it must be compatible with what is known)."""
        self._shape = self._shape.merge_with(as_shape(shape))

    def consumers(self) -> list:
        return list(self._consumers)

    # --- running ---------------------------------------------------------
    def eval(self, feed_dict=None, session=None):
        """Compute this tensor's value in ``session`` (default: the default session)."""
        return run_with_default_session(self, feed_dict, session, "Tensor.eval")

    # --- printing --------------------------------------------------------
    def _shape_str(self) -> str:
        return str(self._shape)

    def __str__(self) -> str:
        return f'Tensor("{self.name}", shape={self._shape_str()}, dtype={self._dtype.name})'

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape_str()} dtype={self._dtype.name}>"

    # --- python protocol -------------------------------------------------
    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
            "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such as "
            "tf.cond to execute subgraphs conditioned on the value of a tensor.")

    def __iter__(self):
        shape = self._shape
        if shape.ndims is None or shape.ndims == 0 or shape.dims[0] is None:
            raise TypeError("Tensor objects are only iterable when the first dimension is known.")
        return (self[i] for i in range(shape.dims[0]))

    def __len__(self):
        raise TypeError(
            f"len is not well defined for symbolic Tensors. ({self.name}) "
            "Please call `x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array. Run it in a "
            "Session (sess.run(t) or t.eval()) to get its value.")

    @classmethod
    def _override_operator(cls, operator: str, func) -> None:
        setattr(cls, operator, func)
