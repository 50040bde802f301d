"""Where elements come from: tensors sliced or whole, a range of numbers, a Python generator."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor_shape import TensorShape, as_shape, unknown_shape
from . import structure as S
from .dataset_ops import Dataset


def _normalize(tensors):
    """The element as (structure, flat components): graph tensors stay, data becomes numpy."""
    if isinstance(tensors, list) and any(S.is_structure(x) for x in tensors):
        tensors = tuple(tensors)            # TF 1.x reads a list of structures as a tuple
    flat = [S.component(x) for x in S.flatten(tensors)]
    return tensors, flat


class TensorDataset(Dataset):
    """``Dataset.from_tensors``: the whole of ``tensors`` as its single element."""

    def __init__(self, tensors):
        self._template, self._components = _normalize(tensors)

    def _compute_spec(self):
        return (self._template, [S.dtype_of(c) for c in self._components],
                [S.shape_of(c) for c in self._components])

    def _params(self) -> list:
        return self._components

    def _stream(self, pipeline):
        yield [np.asarray(pipeline.value(c)) for c in self._components]


class TensorSliceDataset(Dataset):
    """``Dataset.from_tensor_slices``: row i of every component makes element i."""

    def __init__(self, tensors):
        self._template, self._components = _normalize(tensors)
        shapes = [S.shape_of(c) for c in self._components]
        for s in shapes:
            if s.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        rows = {s.dims[0] for s in shapes if s.ndims is not None and s.dims[0] is not None}
        if len(rows) > 1:
            first, other = sorted(rows)[:2]
            raise ValueError(f"Dimensions {first} and {other} are not compatible")
        self._rows_shapes = shapes

    def _compute_spec(self):
        return (self._template, [S.dtype_of(c) for c in self._components],
                [s[1:] if s.ndims is not None else unknown_shape() for s in self._rows_shapes])

    def _params(self) -> list:
        return self._components

    def _stream(self, pipeline):
        arrays = [np.asarray(pipeline.value(c)) for c in self._components]
        if any(a.ndim == 0 for a in arrays):
            raise errors.InvalidArgumentError(None, None, "Unbatching a tensor is only supported for rank >= 1")
        n = len(arrays[0])
        if any(len(a) != n for a in arrays):
            lengths = ", ".join(str(len(a)) for a in arrays)
            raise errors.InvalidArgumentError(None, None, (
                f"All components must have the same size in the 0th dimension, got {lengths}"))
        for i in range(n):
            yield [a[i, ...] for a in arrays]       # always an array view (a[i] of strings is bytes)


class RangeDataset(Dataset):
    """``Dataset.range``: int64 scalars, like Python's ``range``."""

    def __init__(self, *args):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to RangeDataset: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (tuple(args) + (1,))[:3]
        self._args = [S.component(a, dtypes.int64) for a in (start, stop, step)]

    def _compute_spec(self):
        return None, [dtypes.int64], [TensorShape([])]

    def _params(self) -> list:
        return self._args

    def _stream(self, pipeline):
        start, stop, step = (int(pipeline.value(a)) for a in self._args)
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer.")
        for i in range(start, stop, step):
            yield [np.int64(i)]


class GeneratorDataset(Dataset):
    """``Dataset.from_generator``: elements from a Python generator, checked against the declared types."""

    def __init__(self, generator, output_types, output_shapes=None, args=None):
        if not callable(generator):
            raise TypeError("`generator` must be callable.")
        self._generator = generator
        self._args = tuple(args) if args is not None else ()
        self._template = output_types
        self._types = [dtypes.as_dtype(t) for t in S.flatten(output_types)]
        if output_shapes is None:
            self._shapes = [unknown_shape() for _ in self._types]
        else:
            self._shapes = [as_shape(s) for s in S.flatten_up_to(output_types, output_shapes)]

    def _compute_spec(self):
        return self._template, self._types, self._shapes

    def _stream(self, pipeline):
        for value in self._generator(*self._args):
            if S.is_structure(self._template) and isinstance(value, list):
                value = tuple(value)
            if not S.same_structure(self._template, value):
                raise errors.InvalidArgumentError(None, None, (
                    "TypeError: `generator` yielded an element that did not match the expected structure. "
                    f"The expected structure was {self._template!r}, but the yielded element was {value!r}."))
            yield [self._checked(v, t, s) for v, t, s in zip(S.flatten(value), self._types, self._shapes)]

    @staticmethod
    def _checked(value, dtype, shape):
        try:
            array = np.asarray(S.component(value, dtype))
        except (TypeError, ValueError):
            raise errors.InvalidArgumentError(None, None, (
                "TypeError: `generator` yielded an element that could not be converted to the expected "
                f"type. The expected type was {dtype.name}, but the yielded element was {value!r}.")) from None
        if not shape.is_compatible_with(array.shape):
            raise errors.InvalidArgumentError(None, None, (
                f"`generator` yielded an element of shape {array.shape} where an element of shape "
                f"{_tf_shape_text(shape)} was expected."))
        return array


def _tf_shape_text(shape) -> str:
    """A shape as TF's Python error messages print it: ``(2,)``, ``(None, 3)``."""
    if shape.ndims is None:
        return "<unknown>"
    return str(tuple(shape.as_list()))
