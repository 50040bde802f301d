"""Stages that reorder, count, transform or combine elements: shuffle, repeat, take, skip, shard,
prefetch, cache, map, filter, zip, concatenate.

Each stage reads its input dataset's stream and yields elements (flat lists of
numpy arrays).  Counts and sizes may be Python numbers or graph tensors (a
placeholder fed to the iterator's initializer); ``pipeline.value`` resolves them.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.random_seed import get_seed
from ..framework.tensor_shape import TensorShape
from . import structure as S
from .dataset_ops import Dataset, UnaryDataset, int_param
from .functions import make_function
from .pipeline import Pipeline


# --- order ---------------------------------------------------------------------------------
class ShuffleDataset(UnaryDataset):
    """``shuffle``: each element is drawn at random from a buffer of the next ``buffer_size``.

    Seeded, the order is deterministic (the same in every Session and run), but
    it is minitf's order: TF's random generator (Philox) is not reproduced, so
    the same seed gives a different permutation in TensorFlow.  With
    ``reshuffle_each_iteration`` (the default) each pass of a ``repeat`` draws a
    new order; a re-initialized iterator starts the same sequence again.
    """

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=None):
        super().__init__(input_dataset)
        self._buffer_size = int_param(buffer_size)
        self._seeds = get_seed(seed)
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)

    def _params(self) -> list:
        return [self._buffer_size]

    def _new_state(self) -> dict:
        """Seeds for one pipeline (drawn afresh when none were given) and the generator that reshuffles."""
        seeds = list(self._seeds) if self._seeds[0] is not None else list(np.random.SeedSequence().generate_state(2))
        return {"seeds": seeds, "rng": np.random.default_rng(seeds)}

    def _stream(self, pipeline):
        size = int(pipeline.value(self._buffer_size))
        if size <= 0:
            raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than zero or "
                                                          "UNKNOWN_CARDINALITY")
        state = pipeline.state(self, self._new_state)
        rng = state["rng"] if self._reshuffle else np.random.default_rng(state["seeds"])   # same order each pass
        source = self._input._stream(pipeline)
        buffer = [e for _, e in zip(range(size), source)]
        draws = _uniforms(rng)
        while buffer:
            i = int(next(draws) * len(buffer))          # a uniform index into the buffer
            element = buffer[i]
            replacement = next(source, None)
            if replacement is not None:
                buffer[i] = replacement
            else:                                    # the input is done: the buffer drains
                buffer[i] = buffer[-1]
                buffer.pop()
            yield element


def _uniforms(rng, block: int = 1024):
    """Uniform numbers in [0, 1) without end, drawn a block at a time (one draw per element is slow)."""
    while True:
        yield from rng.random(block).tolist()


class RepeatDataset(UnaryDataset):
    """``repeat``: the input walked ``count`` times (``None`` or -1: without end)."""

    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = int_param(-1 if count is None else count)

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


class TakeDataset(UnaryDataset):
    """``take``: the first ``count`` elements (-1: all of them)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = int_param(count)

    def _params(self) -> list:
        return [self._count]

    def _stream(self, pipeline):
        count = int(pipeline.value(self._count))
        if count == 0:
            return                                   # not even one element is read from the input
        for i, element in enumerate(self._input._stream(pipeline), 1):
            yield element
            if i == count:
                return


class SkipDataset(UnaryDataset):
    """``skip``: everything after the first ``count`` elements (-1: skip them all)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = int_param(count)

    def _params(self) -> list:
        return [self._count]

    def _stream(self, pipeline):
        count = int(pipeline.value(self._count))
        for i, element in enumerate(self._input._stream(pipeline)):
            if count >= 0 and i >= count:
                yield element


class ShardDataset(UnaryDataset):
    """``shard``: elements ``index``, ``index + num_shards``, ..."""

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._num_shards, self._index = int_param(num_shards), int_param(index)

    def _params(self) -> list:
        return [self._num_shards, self._index]

    def _stream(self, pipeline):
        n, index = int(pipeline.value(self._num_shards)), int(pipeline.value(self._index))
        if n <= 0:
            raise errors.InvalidArgumentError(None, None, "Number of shards must be greater than zero "
                                                          f"(currently num_shards = {n}).")
        if not 0 <= index < n:
            raise errors.InvalidArgumentError(None, None, f"Index must be between 0 and {n - 1} "
                                                          f"(currently index = {index}).")
        for i, element in enumerate(self._input._stream(pipeline)):
            if i % n == index:
                yield element


class PrefetchDataset(UnaryDataset):
    """``prefetch``: TF fills a buffer in a background thread; minitf's pipeline runs on demand,

    so the elements (and their order) are exactly the input's.
    """

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        self._buffer_size = buffer_size

    def _stream(self, pipeline):
        return self._input._stream(pipeline)


class CacheDataset(UnaryDataset):
    """``cache``: the first complete walk is kept, later walks (``repeat``) replay it.

    TF can cache to a file; minitf keeps the elements in memory (a teaching-size
    dataset fits), so random ``map`` results are drawn once and then reused.
    """

    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        self._filename = filename

    def _stream(self, pipeline):
        cache = pipeline.state(self, dict)
        if "elements" in cache:
            yield from cache["elements"]
            return
        seen = []
        for element in self._input._stream(pipeline):
            seen.append(element)
            yield element
        cache["elements"] = seen              # only a walk that reached the end is kept


# --- functions -------------------------------------------------------------------------------
class MapDataset(UnaryDataset):
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
        runner = pipeline.state(self, self._fn.runner)
        for element in self._input._stream(pipeline):
            yield self._fn(runner, element)


class FilterDataset(UnaryDataset):
    """``filter``: the elements for which ``predicate`` is True."""

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        structure, types, shapes = input_dataset._spec()
        self._fn = make_function(predicate, structure, types, shapes, "filter")
        if hasattr(self._fn, "types") and (
                len(self._fn.types) != 1 or self._fn.types[0] is not dtypes.bool
                or not self._fn.shapes[0].is_compatible_with(TensorShape([]))):
            returned = ", ".join(S.spec_of(t, s) for t, s in zip(self._fn.types, self._fn.shapes))
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
                             f"return type is {returned}.")

    def _stream(self, pipeline):
        runner = pipeline.state(self, self._fn.runner)
        for element in self._input._stream(pipeline):
            keep = self._fn(runner, element)
            if len(keep) != 1 or keep[0].shape != () or keep[0].dtype != np.bool_:
                raise errors.InvalidArgumentError(None, None, "Invalid `predicate`. `predicate` must return a "
                                                              "`tf.bool` scalar tensor.")
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
