"""Turning ``fetches`` and ``feed_dict`` into graph elements, with TF's errors.

``sess.run`` accepts a tensor, an op, a name, a Variable, or any nesting of
lists, tuples, namedtuples and dicts of those; the result has the same
structure.  Feeds are keyed by tensor, name or Variable.
"""

from __future__ import annotations

import numpy as np

from ..framework.operation import Operation
from ..framework.tensor import Tensor
from ..ops.indexed_slices import IndexedSlices, IndexedSlicesValue


def flatten(fetches, graph) -> tuple[list, object]:
    """Resolve nested ``fetches`` to a flat list of elements and a structure template."""
    elements: list = []

    def walk(f):
        if isinstance(f, (list, tuple)):
            items = [walk(x) for x in f]
            if hasattr(f, "_fields"):                       # namedtuple
                return ("namedtuple", type(f), items)
            return ("list" if isinstance(f, list) else "tuple", None, items)
        if isinstance(f, dict):
            return ("dict", type(f), [(k, walk(v)) for k, v in f.items()])
        if isinstance(f, IndexedSlices):                    # fetched as its three parts
            return ("indexed_slices", IndexedSlicesValue,
                    [walk(f.values), walk(f.indices),
                     ("none", None, None) if f.dense_shape is None else walk(f.dense_shape)])
        elements.append(resolve_fetch(f, graph))
        return ("leaf", None, len(elements) - 1)
    template = walk(fetches)
    return elements, template


def rebuild(template, values):
    """Put the fetched ``values`` back into the user's structure."""
    kind, cls, items = template
    if kind == "leaf":
        return values[items]
    if kind == "none":
        return None
    if kind == "dict":
        return cls((k, rebuild(t, values)) for k, t in items)
    built = [rebuild(t, values) for t in items]
    if kind in ("namedtuple", "indexed_slices"):
        return cls(*built)
    return built if kind == "list" else tuple(built)


def resolve_fetch(fetch, graph):
    """One fetch → a Tensor or Operation of ``graph``, or TF's error."""
    if fetch is None:
        raise TypeError(f"Fetch argument None has invalid type {type(None)}")
    if hasattr(fetch, "_is_eager_tensor"):
        raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string "
                        "or Tensor. (Can not convert an EagerTensor into a Tensor or Operation.)")
    try:
        return graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError(f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string "
                        f"or Tensor. ({e})") from None
    except ValueError as e:
        raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({e})") from None
    except KeyError as e:
        raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({e})") from None


def resolve_feed_key(key, graph) -> Tensor:
    """A feed_dict key → the Tensor it names, or TF's TypeError."""
    try:
        element = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
    except (TypeError, ValueError, KeyError) as e:
        msg = e.args[0] if e.args else str(e)
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {msg}") from None
    if not graph.is_feedable(element):
        raise ValueError(f"Tensor {element.name} may not be fed.")
    return element


# Python numbers fed again and again (``feed_dict={lr: 0.1}``) are converted once.
# The arrays are read-only: a kernel that tried to write into a fed value would
# raise instead of changing the next run's feed.
_SCALARS: dict = {}
_SCALAR_LIMIT = 1024
_PLAIN = (int, float, bool)


def feed_value(tensor: Tensor, value) -> np.ndarray:
    """Convert a fed value to the tensor's dtype and check its shape (TF's messages)."""
    np_type = tensor._dtype.np_dtype
    kind = type(value)
    if kind is np.ndarray and value.dtype == np_type:
        array = value                                   # the common case: nothing to convert
    elif kind in _PLAIN:
        array = _SCALARS.get((kind, value, np_type))
        if array is None:
            array = _scalar(tensor, value, np_type)
    else:
        array = _converted(tensor, value, np_type)
    dims = tensor._shape._dims
    if dims is not None and array.shape != dims:
        if len(dims) != array.ndim:
            _wrong_shape(tensor, array)
        for d, n in zip(dims, array.shape):          # (a loop: cheaper than any() over a generator)
            if d is not None and d != n:
                _wrong_shape(tensor, array)
    return array


def _wrong_shape(tensor, array):
    raise ValueError(f"Cannot feed value of shape {array.shape!r} for Tensor {tensor.name!r}, "
                     f"which has shape {str(tensor.shape)!r}")


def _scalar(tensor: Tensor, value, np_type) -> np.ndarray:
    """A fed Python number as a read-only 0-d array, kept for the next feed of the same number.

    Zero (``-0.0 == 0.0`` as keys) and NaN (never equal to itself) are not kept.
    """
    array = _converted(tensor, value, np_type)
    if value == value and value != 0:
        array.flags.writeable = False
        if len(_SCALARS) >= _SCALAR_LIMIT:
            _SCALARS.clear()
        _SCALARS[(type(value), value, np_type)] = array
    return array


def _converted(tensor: Tensor, value, np_type) -> np.ndarray:
    if isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_graph_element"):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                        "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
                        "For reference, the tensor object was " + str(value) + " which was passed to "
                        "the feed with key " + str(tensor) + ".")
    if hasattr(value, "_is_eager_tensor"):
        value = value.numpy()
    try:        # a TypeError (say, a dict fed) reaches the user as numpy raised it, as in TF
        return np.asarray(value, dtype=np_type)
    except ValueError as e:             # e.g. a string fed to a float placeholder: TF's ValueError
        raise ValueError(f"Cannot feed value {value!r} for Tensor '{tensor.name}' of dtype "
                         f"{tensor.dtype.base_dtype.name}: {e}") from None
