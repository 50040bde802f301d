"""numpy arrays <-> ``TensorProto``, and shapes <-> ``TensorShapeProto``, as TF does.

A TensorProto holds its elements in one of two ways:

* ``tensor_content``: the raw row-major little-endian bytes (compact; TF's
  Python ``make_tensor_proto`` uses it when the tensor has more than one
  element and the dtype has a fixed-size binary form);
* the typed repeated field of the dtype (``float_val``, ``int_val``, ...).  A
  typed field may be *shorter* than the shape: readers repeat its last value,
  or use zeros when it is empty, so ``tf.fill([1000, 1000], 0.5)`` is stored
  as a single ``float_val: 0.5``.

Protos come from files, so reading validates before allocating: a shape must be
fully known with at most ``MAX_ELEMENTS`` elements, and ``tensor_content``
must hold exactly the bytes the shape needs.  Problems raise
``InvalidArgumentError``.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from minitf.framework import dtypes, errors
from minitf.io.protos import tensor_pb2, tensor_shape_pb2

MAX_ELEMENTS = 2**31  # refuse larger tensors: a corrupt dim must not trigger a huge allocation
# A typed field shorter than the shape is padded with its last value (TF's C++ reader).
# A few bytes can so declare gigabytes: expand at most this many elements that way.
MAX_EXPANDED_ELEMENTS = 2**26

# Dtypes whose values TF writes as raw bytes in tensor_content (tensor_util.py).
# bool, uint16 and string are absent: TF writes them with the typed fields.
_CONTENT_DTYPES = frozenset(
    dtypes.as_dtype(n) for n in ("float16", "float32", "float64", "int32", "uint8",
                                 "int16", "int8", "int64"))

# dtype name -> the typed field that holds its values.
_FIELD = {"float16": "half_val", "float32": "float_val", "float64": "double_val",
          "int32": "int_val", "int16": "int_val", "int8": "int_val", "uint8": "int_val",
          "uint16": "int_val", "int64": "int64_val", "bool": "bool_val", "string": "string_val"}


# --- shapes ----------------------------------------------------------------

def shape_to_proto(shape) -> tensor_shape_pb2.TensorShapeProto:
    """A TensorShapeProto from a tuple of ints and None (unknown dims), or None (unknown rank).

    Also accepts anything with ``as_tuple()`` (minitf's ``TensorShape``).
    """
    if hasattr(shape, "as_tuple"):
        shape = shape.as_tuple()
    proto = tensor_shape_pb2.TensorShapeProto()
    if shape is None:
        proto.unknown_rank = True
        return proto
    for d in shape:
        proto.dim.add(size=-1 if d is None else int(d))
    return proto


def shape_from_proto(proto: tensor_shape_pb2.TensorShapeProto) -> Optional[tuple]:
    """A tuple of ints and None (size -1) from a TensorShapeProto; None for unknown rank."""
    if proto.unknown_rank:
        return None
    return tuple(None if d.size == -1 else d.size for d in proto.dim)


def checked_shape(proto: tensor_shape_pb2.TensorShapeProto, what: str = "tensor") -> tuple:
    """The fully known shape in ``proto``, refusing unknown or negative sizes and huge totals."""
    if proto.unknown_rank or any(d.size < 0 for d in proto.dim):
        raise errors.InvalidArgumentError(
            None, None, f"{what} has an unknown or negative shape: {shape_from_proto(proto)}")
    shape = tuple(d.size for d in proto.dim)
    # Zero sizes count as 1 here: an empty shape such as (0, 2**62) is refused
    # too, as numpy cannot represent it.
    if _product(max(d, 1) for d in shape) > MAX_ELEMENTS:
        raise errors.InvalidArgumentError(
            None, None, f"{what} shape {list(shape)} is too large (over {MAX_ELEMENTS} elements)")
    return shape


def _product(values) -> int:
    n = 1
    for v in values:
        n *= v
    return n


# --- ndarray -> TensorProto --------------------------------------------------

def make_tensor_proto(values, dtype=None, shape=None) -> tensor_pb2.TensorProto:
    """A TensorProto holding ``values`` (TF's ``tf.make_tensor_proto``).

    ``shape`` may ask for more elements than ``values`` has; the proto then
    stores only the given values and readers repeat the last one.
    """
    if isinstance(values, tensor_pb2.TensorProto):
        return values
    array = _as_array(values, dtype)
    dt = dtypes.as_dtype(array.dtype) if dtype is None else dtypes.as_dtype(dtype).base_dtype
    if hasattr(shape, "as_tuple"):  # a TensorShape
        shape = shape.as_tuple()
    shape = array.shape if shape is None else tuple(int(d) for d in shape)
    numel = _product(shape)
    if array.size > numel:
        raise ValueError(f"Too many elements provided. Takes at most {numel}, but got {array.size}")

    proto = tensor_pb2.TensorProto(dtype=dt.enum, tensor_shape=shape_to_proto(shape))
    if dt in _CONTENT_DTYPES and array.size == numel and numel > 1:
        if array.nbytes >= 2**31:
            raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.")
        proto.tensor_content = array.astype(dt.np_dtype.newbyteorder("<")).tobytes()
        return proto
    flat = array.reshape(-1)
    field = getattr(proto, _FIELD[dt.name])
    if dt.name == "string":
        field.extend(_as_bytes(v) for v in flat)
    elif dt.name == "float16":
        field.extend(flat.astype(np.float16).view(np.uint16).tolist())  # the 16-bit patterns
    else:
        field.extend(flat.tolist())
    return proto


def _as_array(values, dtype) -> np.ndarray:
    """``values`` as an ndarray; Python floats default to float32 and ints to int32, as in TF."""
    if dtype is not None:
        dt = dtypes.as_dtype(dtype).base_dtype
        if dt.name == "string":
            return np.array(values, dtype=object)
        if not isinstance(values, (np.ndarray, np.generic)) and not dt.is_floating:
            _check_no_floats(values, dt)
        return np.asarray(values).astype(dt.np_dtype)
    array = np.asarray(values)
    if array.dtype.kind in "USO":
        return np.array(values, dtype=object)
    if not isinstance(values, (np.ndarray, np.generic)):
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        elif array.dtype == np.int64 and np.array_equal(array.astype(np.int32), array):
            array = array.astype(np.int32)
    return array


def _check_no_floats(values, dt) -> None:
    """Refuse to truncate Python floats into an integer or bool dtype (TF raises TypeError)."""
    for v in np.asarray(values, dtype=object).reshape(-1):
        if isinstance(v, float):
            raise TypeError(f"Expected {dt.name}, got {v!r} of type 'float' instead.")


def _as_bytes(value) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


# --- TensorProto -> ndarray --------------------------------------------------

def make_ndarray(proto: tensor_pb2.TensorProto) -> np.ndarray:
    """The ndarray a TensorProto holds (TF's ``tf.make_ndarray``); strings come back as bytes."""
    dt = proto_dtype(proto.dtype, "TensorProto")
    shape = checked_shape(proto.tensor_shape, "TensorProto")
    numel = _product(shape)
    if proto.tensor_content:
        return _from_content(proto.tensor_content, dt, shape)
    if dt.name not in _FIELD:
        raise errors.InvalidArgumentError(None, None, f"TensorProto of dtype {dt.name} has no values")
    values = getattr(proto, _FIELD[dt.name])
    if numel > max(len(values), MAX_EXPANDED_ELEMENTS):
        raise errors.InvalidArgumentError(None, None, (
            f"TensorProto of shape {list(shape)} holds {len(values)} value(s); minitf expands a short "
            f"value list to at most {MAX_EXPANDED_ELEMENTS} elements"))
    if dt.name == "string":
        flat = np.empty(numel, dtype=object)
        flat[:] = b""
    else:
        flat = np.zeros(numel, dtype=dt.np_dtype)
    given = min(len(values), numel)  # extra values are ignored, as TF's C++ reader does
    if given:
        flat[:given] = _typed_values(values[:given], dt)
        flat[given:] = flat[given - 1]  # repeat the last value to fill the shape
    return flat.reshape(shape)


def _typed_values(values, dt):
    """The values of a typed field converted to ``dt``."""
    if dt.name == "string":
        return list(values)
    if dt.name == "float16":  # half_val holds the 16-bit patterns
        return np.array(values, dtype=np.int64).astype(np.uint16).view(np.float16)
    if dt.is_integer:  # int_val is int32: narrower types wrap around, like C++'s cast
        return np.array(values, dtype=np.int64).astype(dt.np_dtype)
    return np.array(values, dtype=dt.np_dtype)


def _from_content(content: bytes, dt, shape: tuple) -> np.ndarray:
    if dt not in _CONTENT_DTYPES and dt.name not in ("bool", "uint16"):
        raise errors.InvalidArgumentError(
            None, None, f"TensorProto of dtype {dt.name} cannot use tensor_content")
    needed = _product(shape) * dt.np_dtype.itemsize
    if len(content) != needed:
        raise errors.InvalidArgumentError(
            None, None, f"TensorProto has {len(content)} bytes of tensor_content, but shape "
                        f"{list(shape)} of dtype {dt.name} needs {needed}")
    if dt.name == "bool":  # any non-zero byte is true, as in C++
        return (np.frombuffer(content, dtype=np.uint8) != 0).reshape(shape)
    array = np.frombuffer(content, dtype=dt.np_dtype.newbyteorder("<"))
    return array.astype(dt.np_dtype).reshape(shape)  # astype copies: a writable, native array


def proto_dtype(enum: int, what: str):
    """The minitf DType for a DataType enum read from a file."""
    try:
        dt = dtypes.as_dtype(int(enum))
    except TypeError:
        dt = None
    if dt is None or dt.is_ref or not dt.is_numpy_compatible:
        raise errors.InvalidArgumentError(None, None, f"{what} has unsupported dtype enum {enum}")
    return dt
