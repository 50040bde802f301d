"""Stages that reshape a stream of elements: batch, shuffle, repeat, map, filter, take, skip, zip...

Each stage reads its input dataset's stream and yields elements (flat lists of
numpy arrays).  Counts and sizes may be Python numbers or graph tensors (a
placeholder fed to the iterator's initializer); ``pipeline.value`` resolves them.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape, as_shape
from . import structure as S
from .dataset_ops import Dataset
from .functions import make_function
from .pipeline import Pipeline


def _static_int(param):
    """A size known when the graph is built (a Python number), else None."""
    return None if S.is_graph_tensor(param) else int(param)


def _int_param(param, dtype=dtypes.int64):
    return S.component(param, dtype)


class _UnaryDataset(Dataset):
    """A stage reading one input dataset; by default its elements look like the input's."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"Expected a Dataset, got {input_dataset!r}")
        self._input = input_dataset

    def _inputs(self) -> list:
        return [self._input]

    def _compute_spec(self):
        return self._input._spec()


# --- batching ------------------------------------------------------------------------------
class BatchDataset(_UnaryDataset):
    """``batch``: ``batch_size`` consecutive elements stacked along a new axis 0."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        self._batch_size = _int_param(batch_size)
        self._drop_remainder = bool(drop_remainder)

    def _params(self) -> list:
        return [self._batch_size]

    def _batch_dim(self):
        return _static_int(self._batch_size) if self._drop_remainder else None

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
    first = np.shape(values[0])
    for j, v in enumerate(values[1:], 1):
        if np.shape(v) != first:
            raise errors.InvalidArgumentError(None, None, (
                f"Cannot batch tensors with different shapes in component {index}. First element had "
                f"shape {_dims(first)} and element {j} had shape {_dims(np.shape(v))}."))
    return np.stack(values)


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class PaddedBatchDataset(BatchDataset):
    """``padded_batch``: like ``batch``, padding each component up to ``padded_shapes`` first."""

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values=None, drop_remainder=False):
        super().__init__(input_dataset, batch_size, drop_remainder)
        structure, types, shapes = input_dataset._spec()
        if S.is_structure(structure) and not S.same_structure(structure, padded_shapes):
            raise ValueError("The two structures don't have the same nested structure: "
                             f"{structure!r} and {padded_shapes!r}")
        flat_padded = S.flatten(padded_shapes) if S.is_structure(structure) else [padded_shapes]
        self._padded = [as_shape([None if d is not None and int(d) < 0 else d for d in _dim_list(p)])
                        for p in flat_padded]
        for have, want in zip(shapes, self._padded):
            if have.ndims is not None and have.ndims != want.ndims:
                raise ValueError(f"The padded shape {want} is not compatible with the corresponding input "
                                 f"component shape {have}.")
        if padding_values is None:
            self._pads = [b"" if t is dtypes.string else t.np_dtype.type(0) for t in types]
        else:
            flat_values = S.flatten(padding_values) if S.is_structure(structure) else [padding_values]
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


# --- order ---------------------------------------------------------------------------------
class ShuffleDataset(_UnaryDataset):
    """``shuffle``: each element is drawn at random from a buffer of the next ``buffer_size``.

    Seeded, the order is deterministic (the same in every Session and run), but
    it is minitf's order: TF's random generator (Philox) is not reproduced, so
    the same seed gives a different permutation in TensorFlow.  With
    ``reshuffle_each_iteration`` (the default) each pass of a ``repeat`` draws a
    new order; a re-initialized iterator starts the same sequence again.
    """

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=None):
        super().__init__(input_dataset)
        self._buffer_size = _int_param(buffer_size)
        self._seeds = get_seed(seed)
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)

    def _params(self) -> list:
        return [self._buffer_size]

    def _new_generator(self):
        seed, seed2 = self._seeds
        return np.random.default_rng() if seed is None else np.random.default_rng([seed, seed2])

    def _stream(self, pipeline):
        size = int(pipeline.value(self._buffer_size))
        if size <= 0:
            raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        rng = pipeline.state(self, self._new_generator) if self._reshuffle else self._new_generator()
        source = self._input._stream(pipeline)
        buffer = [e for _, e in zip(range(size), source)]
        while buffer:
            i = int(rng.integers(len(buffer)))
            element = buffer[i]
            replacement = next(source, None)
            if replacement is not None:
                buffer[i] = replacement
            else:                                    # the input is done: the buffer drains
                buffer[i] = buffer[-1]
                buffer.pop()
            yield element


class RepeatDataset(_UnaryDataset):
    """``repeat``: the input walked ``count`` times (``None`` or -1: without end)."""

    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = _int_param(-1 if count is None else count)

    def _params(self) -> list:
        return [self._count]

    def _stream(self, pipeline):
        count = int(pipeline.value(self._count))
        epoch = 0
        while count < 0 or epoch < count:
            empty = True
            for element in self._input._stream(pipeline):
                empty = False
                yield element
            if empty:
                return                              # repeating nothing forever is still nothing
            epoch += 1


class TakeDataset(_UnaryDataset):
    """``take``: the first ``count`` elements (-1: all of them)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int_param(count)

    def _params(self) -> list:
        return [self._count]

    def _stream(self, pipeline):
        count = int(pipeline.value(self._count))
        for i, element in enumerate(self._input._stream(pipeline)):
            if 0 <= count <= i:
                return
            yield element


class SkipDataset(_UnaryDataset):
    """``skip``: everything after the first ``count`` elements (-1: skip them all)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int_param(count)

    def _params(self) -> list:
        return [self._count]

    def _stream(self, pipeline):
        count = int(pipeline.value(self._count))
        for i, element in enumerate(self._input._stream(pipeline)):
            if count >= 0 and i >= count:
                yield element


class ShardDataset(_UnaryDataset):
    """``shard``: elements ``index``, ``index + num_shards``, ..."""

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._num_shards, self._index = _int_param(num_shards), _int_param(index)
        n, i = _static_int(self._num_shards), _static_int(self._index)
        if n is not None and n <= 0:
            raise errors.InvalidArgumentError(None, None, "Number of shards must be greater than zero "
                                                          f"(currently num_shards = {n}).")
        if n is not None and i is not None and not 0 <= i < n:
            raise errors.InvalidArgumentError(None, None, "Index must be between 0 and "
                                                          f"{n - 1} (currently index = {i}).")

    def _params(self) -> list:
        return [self._num_shards, self._index]

    def _stream(self, pipeline):
        n, index = int(pipeline.value(self._num_shards)), int(pipeline.value(self._index))
        for i, element in enumerate(self._input._stream(pipeline)):
            if i % n == index:
                yield element


class PrefetchDataset(_UnaryDataset):
    """``prefetch``: TF fills a buffer in a background thread; minitf's pipeline runs on demand,

    so the elements (and their order) are exactly the input's.
    """

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        self._buffer_size = buffer_size

    def _stream(self, pipeline):
        return self._input._stream(pipeline)


# --- functions -------------------------------------------------------------------------------
class MapDataset(_UnaryDataset):
    """``map``: ``map_func`` applied to each element (see ``functions.py`` for how it runs)."""

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        structure, types, shapes = input_dataset._spec()
        self._fn = make_function(map_func, structure, types, shapes, "map")

    def _compute_spec(self):
        if hasattr(self._fn, "spec_from"):                # eager: what the first element gives
            first = next(iter_flat(self._input), None)
            if first is None:
                raise ValueError("minitf cannot tell the output types of map() over an empty dataset "
                                 "in eager mode.")
            return self._fn.spec_from(first)
        return self._fn.structure, self._fn.types, self._fn.shapes

    def _stream(self, pipeline):
        session = pipeline.state(self, self._fn.session)
        for element in self._input._stream(pipeline):
            yield self._fn(session, element)


class FilterDataset(_UnaryDataset):
    """``filter``: the elements for which ``predicate`` is True."""

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        structure, types, shapes = input_dataset._spec()
        self._fn = make_function(predicate, structure, types, shapes, "filter")
        if hasattr(self._fn, "types") and (
                len(self._fn.types) != 1 or self._fn.types[0] is not dtypes.bool
                or not self._fn.shapes[0].is_compatible_with(TensorShape([]))):
            raise ValueError("`predicate` must return a scalar boolean tensor.")

    def _stream(self, pipeline):
        session = pipeline.state(self, self._fn.session)
        for element in self._input._stream(pipeline):
            keep = self._fn(session, element)
            if len(keep) != 1 or keep[0].shape != () or keep[0].dtype != np.bool_:
                raise errors.InvalidArgumentError(None, None, "`predicate` must return a scalar boolean tensor.")
            if keep[0]:
                yield element


def iter_flat(dataset):
    """Walk ``dataset`` with a pipeline of its own (eager mode: no captured graph tensors)."""
    pipeline = Pipeline(dataset, {})
    while True:
        try:
            yield pipeline.next()
        except StopIteration:
            return


# --- several inputs ----------------------------------------------------------------------------
class ZipDataset(Dataset):
    """``Dataset.zip``: element i of each input, nested like the inputs; ends with the shortest."""

    def __init__(self, datasets):
        self._template = datasets
        self._datasets = S.flatten(datasets)
        if not all(isinstance(d, Dataset) for d in self._datasets):
            raise TypeError("The argument to `Dataset.zip()` must be a (nested) structure of `Dataset` "
                            "objects.")

    def _inputs(self) -> list:
        return list(self._datasets)

    def _compute_spec(self):
        structure = S.map_structure(lambda d: d._structure, self._template)
        types, shapes = [], []
        for d in self._datasets:
            types += d._flat_types
            shapes += d._flat_shapes
        return structure, types, shapes

    def _stream(self, pipeline):
        streams = [d._stream(pipeline) for d in self._datasets]
        for parts in zip(*streams):
            yield [x for part in parts for x in part]


class ConcatenateDataset(Dataset):
    """``concatenate``: the first dataset's elements, then the second's."""

    def __init__(self, first, second):
        if first._flat_types != second._flat_types or not S.same_structure(first._structure,
                                                                          second._structure):
            raise TypeError(f"Two datasets to concatenate have different types {first.output_types} "
                            f"and {second.output_types}")
        self._first, self._second = first, second

    def _inputs(self) -> list:
        return [self._first, self._second]

    def _compute_spec(self):
        shapes = [_common_shape(a, b) for a, b in zip(self._first._flat_shapes, self._second._flat_shapes)]
        return self._first._structure, self._first._flat_types, shapes

    def _stream(self, pipeline):
        yield from self._first._stream(pipeline)
        yield from self._second._stream(pipeline)


def _common_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """The most specific shape both ``a`` and ``b`` fit (dims that differ become None)."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])
