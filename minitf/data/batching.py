"""Batching: ``batch`` stacks consecutive elements, ``padded_batch`` pads them first, ``unbatch`` undoes it."""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor_shape import TensorShape, as_shape
from . import structure as S
from .dataset_ops import UnaryDataset, int_param, static_int


class BatchDataset(UnaryDataset):
    """``batch``: ``batch_size`` consecutive elements stacked along a new axis 0."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        self._batch_size = int_param(batch_size)
        self._drop_remainder = bool(drop_remainder)

    def _params(self) -> list:
        return [self._batch_size]

    def _batch_dim(self):
        return static_int(self._batch_size) if self._drop_remainder else None

    def _compute_spec(self):
        structure, types, shapes = self._input._spec()
        return structure, types, [TensorShape([self._batch_dim()]).concatenate(s) for s in shapes]

    def _stream(self, pipeline):
        size = _checked_batch_size(pipeline.value(self._batch_size))
        rows = []
        for element in self._input._stream(pipeline):
            rows.append(element)
            if len(rows) == size:
                yield self._stack(rows)
                rows = []
        if rows and not self._drop_remainder:
            yield self._stack(rows)

    def _stack(self, rows) -> list:
        return [_stack_component(i, [r[i] for r in rows]) for i in range(len(rows[0]))]


def _checked_batch_size(value) -> int:
    size = int(value)
    if size <= 0:
        raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
    return size


def _stack_component(index: int, values) -> np.ndarray:
    """The values (numpy arrays or scalars, all one shape) stacked along a new axis 0."""
    shapes = [v.shape for v in values]
    first = shapes[0]
    if shapes.count(first) != len(shapes):
        j = next(j for j, s in enumerate(shapes) if s != first)
        raise errors.InvalidArgumentError(None, None, (
            f"Cannot batch tensors with different shapes in component {index}. First element had "
            f"shape {_dims(first)} and element {j} had shape {_dims(shapes[j])}."))
    out = np.empty((len(values),) + first, dtype=np.result_type(*values[:1]))
    for j, v in enumerate(values):
        out[j] = v
    return out


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class PaddedBatchDataset(BatchDataset):
    """``padded_batch``: like ``batch``, padding each component up to ``padded_shapes`` first."""

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values=None, drop_remainder=False):
        super().__init__(input_dataset, batch_size, drop_remainder)
        structure, types, shapes = input_dataset._spec()
        flat_padded = S.flatten_up_to(structure, padded_shapes)
        self._padded = [as_shape([None if d is not None and int(d) < 0 else d for d in _dim_list(p)])
                        for p in flat_padded]
        for have, want in zip(shapes, self._padded):
            if have.ndims is not None and have.ndims != want.ndims:
                raise ValueError(f"The padded shape {want} is not compatible with the corresponding input "
                                 f"component shape {have}.")
        if padding_values is None:
            self._pads = [b"" if t is dtypes.string else t.np_dtype.type(0) for t in types]
        else:
            flat_values = S.flatten_up_to(structure, padding_values)
            self._pads = [np.asarray(v, dtype=t.np_dtype) for v, t in zip(flat_values, types)]

    def _compute_spec(self):
        structure, types, _ = self._input._spec()
        return structure, types, [TensorShape([self._batch_dim()]).concatenate(p) for p in self._padded]

    def _stack(self, rows) -> list:
        out = []
        for i, (want, pad) in enumerate(zip(self._padded, self._pads)):
            values = [np.asarray(r[i]) for r in rows]
            longest = np.max([v.shape for v in values], axis=0) if values[0].ndim else ()
            target = [int(longest[k]) if d is None else d for k, d in enumerate(want.as_list())]
            batch = np.full([len(values)] + target, pad, dtype=values[0].dtype)
            for j, v in enumerate(values):
                if any(a > b for a, b in zip(v.shape, target)):
                    raise errors.InvalidArgumentError(None, None, (
                        "Attempted to pad to a smaller size than the input element."))
                batch[(j,) + tuple(slice(0, n) for n in v.shape)] = v
            out.append(batch)
        return out


def _dim_list(padded) -> list:
    if isinstance(padded, TensorShape):
        return padded.as_list() if padded.ndims is not None else []
    return list(padded)


class UnbatchDataset(UnaryDataset):
    """``unbatch``: each row of each element (every component must have the same number of rows)."""

    def _compute_spec(self):
        structure, types, shapes = self._input._spec()
        if any(s.ndims == 0 for s in shapes):
            raise ValueError("Unbatching a dataset is only supported for rank >= 1")
        return structure, types, [s[1:] if s.ndims is not None else s for s in shapes]

    def _stream(self, pipeline):
        for element in self._input._stream(pipeline):
            rows = {len(c) for c in element}
            if len(rows) > 1:
                raise errors.InvalidArgumentError(None, None, "Unbatching a dataset requires every component "
                                                              "to have the same size in the 0th dimension.")
            for i in range(rows.pop() if rows else 0):
                yield [c[i, ...] for c in element]
