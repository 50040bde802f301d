"""``EagerTensor``: a tensor that already has its value.

In graph mode a Tensor is a promise ("output 0 of op ``add``").  In eager mode
every op runs at once, so its result is a concrete value: a numpy array on the
CPU, or a numba device array on the GPU.  An EagerTensor holds that value,
its dtype and the device it lives on, and prints like TF 1.x:

    >>> print(m)
    tf.Tensor([[4.]], shape=(1, 1), dtype=float32)
    >>> m
    <tf.Tensor: id=7, shape=(1, 1), dtype=float32, numpy=array([[4.]], dtype=float32)>
"""

from __future__ import annotations

import itertools

import numpy as np

from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..kernels import devices
from . import placement

_ids = itertools.count(1)


class EagerTensor(Tensor):
    """A tensor with a value (``.numpy()``), a dtype and a device.

    As in TF, it is a ``tf.Tensor`` (``isinstance(t, tf.Tensor)`` holds), so op
    code that accepts tensors accepts it; what only makes sense in a graph
    (``.op``, ``.name``, ``.graph``) raises TF's AttributeError instead.
    """

    __slots__ = ("_value", "_dtype", "_device", "_id", "_op", "_static_shape")
    _is_eager_tensor = True          # how framework code recognises us without importing this file
    __array_priority__ = 100         # numpy defers to our operators: np_array + t is an op

    def __init__(self, value, dtype, device: str = devices.CPU):
        self._value = value
        self._dtype = dtype
        self._device = device
        self._id = next(_ids)
        self._op = None
        self._static_shape = None        # the TensorShape, made on first use

    # --- what it is --------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        shape = self._static_shape
        if shape is None:
            shape = self._static_shape = TensorShape(self._value.shape)
        return shape

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        """Only checks: an eager tensor's shape is already fully known."""
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape "
                             f"{TensorShape(shape)}")

    @property
    def ndim(self) -> int:
        return len(self._value.shape)

    @property
    def device(self) -> str:
        return self._device

    @property
    def op(self):
        """The op that made this tensor, when it was recorded (stateful ops, taped ops)."""
        if self._op is None:
            raise AttributeError("Tensor.op is meaningless when eager execution is enabled.")
        return self._op

    @property
    def name(self):
        raise AttributeError("Tensor.name is meaningless when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is meaningless when eager execution is enabled.")

    # --- the value ---------------------------------------------------------------
    def numpy(self):
        """The value as a numpy array, or a numpy scalar for a 0-d tensor (as TF gives)."""
        value = self._value if type(self._value) is np.ndarray else devices.to_host(self._value)
        return value if value.shape else value[()]

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self.numpy())
        return value if dtype is None else value.astype(dtype, copy=False)

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, "
                                  "is .numpy() what you're looking for?")

    # --- devices -----------------------------------------------------------------
    def cpu(self) -> "EagerTensor":
        """A copy of this tensor in CPU memory."""
        return placement.copy_tensor(self, devices.CPU)

    def gpu(self, gpu_index: int = 0) -> "EagerTensor":
        """A copy of this tensor in the memory of GPU ``gpu_index``."""
        return placement.copy_tensor(self, devices.gpu_device(gpu_index))

    # --- printing (TF 1.x's formats) ---------------------------------------------
    def __str__(self) -> str:
        return f"tf.Tensor({_numpy_text(self)}, shape={self.shape}, dtype={self._dtype.name})"

    def __repr__(self) -> str:
        return (f"<tf.Tensor: id={self._id}, shape={self.shape}, dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self, is_repr=True)}>")

    def __format__(self, spec: str) -> str:
        if spec and not self._value.shape:
            return format(self.numpy().item(), spec)       # f"{loss:.3f}" on a scalar
        return format(str(self), spec)

    # --- Python protocols --------------------------------------------------------
    __hash__ = object.__hash__       # tensors are keys in dicts (tapes, feeds): by identity

    def __bool__(self) -> bool:
        return bool(self.numpy())

    def __float__(self) -> float:
        return float(self.numpy())

    def __int__(self) -> int:
        return int(self.numpy())

    def __index__(self) -> int:
        return self.numpy().__index__()

    def __len__(self) -> int:
        if not self._value.shape:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if not self._value.shape:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))

    def __getitem__(self, key):
        # Slicing is an op (StridedSlice); use the graph Tensor's operator when
        # the array ops installed one, so both modes share it and gradients flow.
        getitem = getattr(Tensor, "__getitem__", None)
        if getitem is not None:
            return getitem(self, key)
        return placement.wrap_like(self, self._value[key])

    def __copy__(self):
        return self                  # values never change in place: sharing is safe

    def __deepcopy__(self, memo):
        return self


def _numpy_text(tensor: EagerTensor, is_repr: bool = False) -> str:
    """The value as TF prints it; multi-line values start on a new line."""
    if tensor._dtype.is_numpy_compatible:
        value = tensor.numpy()
        # A scalar prints bare (TF 1.x: numpy=4.0), whatever numpy 2's repr would add.
        text = repr(value) if is_repr and value.shape else str(value)
    else:
        text = "<unprintable>"
    if "\n" in text:
        text = "\n" + text
    return text
