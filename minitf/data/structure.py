"""The shape of a dataset element: nested tuples and dicts of tensors (TF's ``nest``, as tf.data uses it).

An element may be one tensor, a tuple (or namedtuple) of elements, or a dict of
them.  A Python *list* is not a structure here: ``from_tensor_slices([1, 2, 3])``
is one tensor, as in TF.  Inside the pipeline an element travels as a flat list
of numpy arrays; ``flatten`` and ``pack`` go between the two forms.  Dicts are
walked in sorted key order, like TF.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ..ops.constant_op import _conversion_functions, _numpy_value, convert_to_tensor


def is_structure(x) -> bool:
    return isinstance(x, (tuple, dict))


def flatten(structure) -> list:
    """The leaves of ``structure``, left to right."""
    if not is_structure(structure):
        return [structure]
    items = [structure[k] for k in sorted(structure)] if isinstance(structure, dict) else structure
    out: list = []
    for item in items:
        out.extend(flatten(item))
    return out


def flatten_up_to(structure, values) -> list:
    """``values`` cut at ``structure``'s leaves: shapes given as tuples stay whole (``((), (None,))``)."""
    if not is_structure(structure):
        return [values]
    if isinstance(structure, dict):
        if not isinstance(values, dict) or sorted(values) != sorted(structure):
            raise ValueError(f"The two structures don't have the same nested structure: {structure!r} and "
                             f"{values!r}")
        return [x for k in sorted(structure) for x in flatten_up_to(structure[k], values[k])]
    if not isinstance(values, (tuple, list)) or len(values) != len(structure):
        raise ValueError(f"The two structures don't have the same nested structure: {structure!r} and {values!r}")
    return [x for s, v in zip(structure, values) for x in flatten_up_to(s, v)]


def pack(structure, flat):
    """Put the leaves ``flat`` back into ``structure``'s shape."""
    leaves = iter(flat)
    packed = _pack(structure, leaves)
    return packed


def _pack(structure, leaves):
    if not is_structure(structure):
        return next(leaves)
    if isinstance(structure, dict):
        values = {k: _pack(structure[k], leaves) for k in sorted(structure)}
        return type(structure)((k, values[k]) for k in structure)
    items = [_pack(item, leaves) for item in structure]
    return type(structure)(*items) if hasattr(structure, "_fields") else type(structure)(items)


def map_structure(fn, structure):
    return pack(structure, [fn(x) for x in flatten(structure)])


def same_structure(a, b) -> bool:
    """Whether ``a`` and ``b`` nest the same way (leaves may differ)."""
    if is_structure(a) != is_structure(b):
        return False
    if not is_structure(a):
        return True
    if isinstance(a, dict) != isinstance(b, dict) or len(a) != len(b):
        return False
    if isinstance(a, dict):
        return sorted(a) == sorted(b) and all(same_structure(a[k], b[k]) for k in a)
    return all(same_structure(x, y) for x, y in zip(a, b))


def is_graph_tensor(x) -> bool:
    """A symbolic graph Tensor (an EagerTensor has its value and is data here)."""
    return isinstance(x, Tensor) and not hasattr(x, "_is_eager_tensor")


def component(value, dtype=None):
    """One leaf as the pipeline holds it: a graph Tensor (captured), or a numpy array.

    Plain Python data gets TF's dtype rules (Python floats become float32, ints
    int32; numpy arrays keep their dtype).
    """
    if any(isinstance(value, base) for base, _ in _conversion_functions) or _list_of_tensors(value):
        value = convert_to_tensor(value)             # a tf.Variable's value, or tensors packed into one
    if is_graph_tensor(value):
        return value
    if hasattr(value, "_is_eager_tensor"):
        value = value.numpy()
    return _numpy_value(value, dtype)


def _list_of_tensors(value) -> bool:
    return isinstance(value, list) and any(isinstance(v, Tensor) or _list_of_tensors(v) for v in value)


def dtype_of(leaf) -> dtypes.DType:
    return leaf.dtype.base_dtype if isinstance(leaf, Tensor) else dtypes.as_dtype(leaf.dtype)


def shape_of(leaf) -> TensorShape:
    return leaf.shape if isinstance(leaf, Tensor) else TensorShape(np.shape(leaf))


def spec_of(dtype, shape) -> str:
    """One component as TF describes it: ``TensorSpec(shape=(), dtype=tf.int64, name=None)``."""
    return f"TensorSpec(shape={shape_text(shape)}, dtype=tf.{dtype.name}, name=None)"


def shape_text(shape) -> str:
    """A static shape as TF's Python prints it: ``(?, 2)``, ``()``, ``<unknown>``."""
    if shape.ndims is None:
        return "<unknown>"
    dims = ["?" if d is None else str(d) for d in shape.as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def types_text(structure, flat_types) -> str:
    """Output types as TF prints them: ``(tf.float32, tf.int64)``."""
    return repr(pack(structure, [_Text(f"tf.{t.name}") for t in flat_types]))


def shapes_text(structure, flat_shapes) -> str:
    """Output shapes as TF 1.x's dataset repr prints them: ``((?, 2), (?,))``."""
    return repr(pack(structure, [_Text(shape_text(s)) for s in flat_shapes]))


class _Text(str):
    """A string that prints without quotes inside a structure's repr."""

    def __repr__(self) -> str:
        return str(self)
