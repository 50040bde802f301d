"""``tf.data.Dataset``: an input pipeline described in Python.

A dataset is a chain of stages (``from_tensor_slices(...).shuffle(100).batch(32)``).
Each stage says what its elements look like (``output_types``,
``output_shapes``, nested like the element) and how to produce them: a Python
generator of elements (``_stream``).  Nothing runs until an iterator asks:

* graph mode: ``make_one_shot_iterator()`` / ``make_initializable_iterator()``
  add iterator ops to the graph (``iterator_ops.py``); the Session keeps each
  iterator's running pipeline and ``get_next()`` pulls one element per run;
* eager mode: ``for x in dataset`` walks the pipeline directly.

Unlike TensorFlow, the pipeline is **not** made of graph nodes: TF would write
``TensorSliceDataset``, ``BatchDatasetV2``, ... into the GraphDef; minitf keeps
the dataset as this Python object and writes only the iterator nodes (see
``iterator_ops.py``).  Data that comes from the graph (a placeholder fed to the
initializer, a constant, a variable) is *captured*: its value is computed when
the iterator is initialized.
"""

from __future__ import annotations

from ..framework import context, dtypes
from ..framework.tensor import Tensor
from . import structure as S


_ALL = 2 ** 31 - 1            # a shuffle buffer that holds every element (list_files shuffles all names)


class Dataset:
    """A sequence of elements, each a tensor or a tuple/dict of tensors (TF 1.x's ``DatasetV1``)."""

    # --- what a stage defines -----------------------------------------------------
    def _compute_spec(self):
        """(structure, flat dtypes, flat shapes) of one element."""
        raise NotImplementedError

    def _stream(self, pipeline):
        """A Python iterator of elements (flat lists of numpy arrays) for one walk."""
        raise NotImplementedError

    def _inputs(self) -> list:
        """The datasets this stage reads from."""
        return []

    def _params(self) -> list:
        """Values this stage reads that may be graph tensors (batch sizes, counts, the data itself)."""
        return []

    # --- the element's description -----------------------------------------------
    def _spec(self):
        spec = self.__dict__.get("_spec_cache")
        if spec is None:
            spec = self._spec_cache = self._compute_spec()
        return spec

    @property
    def _structure(self):
        return self._spec()[0]

    @property
    def _flat_types(self) -> list:
        return self._spec()[1]

    @property
    def _flat_shapes(self) -> list:
        return self._spec()[2]

    @property
    def output_types(self):
        """The dtype of each component, nested like the element."""
        return S.pack(self._structure, self._flat_types)

    @property
    def output_shapes(self):
        """The static shape of each component (``None`` where it varies), nested like the element."""
        return S.pack(self._structure, self._flat_shapes)

    @property
    def output_classes(self):
        return S.pack(self._structure, [Tensor] * len(self._flat_types))

    def _captures(self) -> list:
        """Every graph tensor this pipeline reads, once each, in a fixed order."""
        found, seen = [], set()
        stack = [self]
        while stack:
            ds = stack.pop()
            for leaf in ds._params():
                if S.is_graph_tensor(leaf) and leaf not in seen:
                    seen.add(leaf)
                    found.append(leaf)
            stack.extend(reversed(ds._inputs()))
        return found

    def __repr__(self) -> str:
        types = S.types_text(self._structure, self._flat_types)
        shapes = S.shapes_text(self._structure, self._flat_shapes)
        return f"<{type(self).__name__} shapes: {shapes}, types: {types}>"

    # --- sources ---------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> "Dataset":
        """One element per row (index along axis 0) of ``tensors``."""
        return sources.TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors) -> "Dataset":
        """A dataset of exactly one element: ``tensors``."""
        return sources.TensorDataset(tensors)

    @staticmethod
    def range(*args) -> "Dataset":
        """``range(stop)``, ``range(start, stop)``, ``range(start, stop, step)`` as int64 scalars."""
        return sources.RangeDataset(*args)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None) -> "Dataset":
        """Elements yielded by the Python ``generator()`` (called anew for each walk)."""
        return sources.GeneratorDataset(generator, output_types, output_shapes, args)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None) -> "Dataset":
        """The names of the files matching ``file_pattern``, shuffled unless ``shuffle=False`` (as in TF)."""
        names = readers.MatchingFilesDataset(file_pattern)
        return names if shuffle is False else names.shuffle(_ALL, seed=seed)

    @staticmethod
    def zip(datasets) -> "Dataset":
        """Elements paired up from a tuple (or dict) of datasets; stops at the shortest."""
        return transformations.ZipDataset(datasets)

    # --- transformations -------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False) -> "Dataset":
        """Stack ``batch_size`` consecutive elements; the last batch may be smaller."""
        return batching.BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes, padding_values=None, drop_remainder=False):
        """Like ``batch``, padding each component to ``padded_shapes`` (-1/None: the batch's longest)."""
        return batching.PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                                  drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None) -> "Dataset":
        """Elements drawn at random from a buffer of ``buffer_size``.

        Seeded, the order is deterministic but minitf's own: TF's generator is not
        reproduced, so the same seed orders the elements differently in TensorFlow.
        """
        return transformations.ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None) -> "Dataset":
        """The dataset ``count`` times over (``None`` or -1: forever)."""
        return transformations.RepeatDataset(self, count)

    def map(self, map_func, num_parallel_calls=None) -> "Dataset":
        """``map_func`` applied to every element (a tuple element is passed as separate arguments)."""
        return transformations.MapDataset(self, map_func)

    def filter(self, predicate) -> "Dataset":
        """The elements for which ``predicate`` gives True (a scalar bool tensor)."""
        return transformations.FilterDataset(self, predicate)

    def take(self, count) -> "Dataset":
        """At most the first ``count`` elements (-1: all)."""
        return transformations.TakeDataset(self, count)

    def skip(self, count) -> "Dataset":
        """All but the first ``count`` elements (-1: none)."""
        return transformations.SkipDataset(self, count)

    def concatenate(self, dataset) -> "Dataset":
        """This dataset's elements, then ``dataset``'s."""
        return transformations.ConcatenateDataset(self, dataset)

    def flat_map(self, map_func) -> "Dataset":
        """The elements of ``map_func(x)`` (a dataset) for each element x, one after another."""
        return interleave.FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length, block_length=1, num_parallel_calls=None) -> "Dataset":
        """Elements of ``cycle_length`` of the datasets ``map_func`` returns, ``block_length`` at a time."""
        return interleave.InterleaveDataset(self, map_func, cycle_length, block_length)

    def unbatch(self) -> "Dataset":
        """Each row (along axis 0) of each element: ``batch`` undone."""
        return batching.UnbatchDataset(self)

    def cache(self, filename="") -> "Dataset":
        """The first walk's elements, kept (in memory, whatever ``filename`` says) and replayed after."""
        return transformations.CacheDataset(self, filename)

    def shard(self, num_shards, index) -> "Dataset":
        """Every ``num_shards``-th element, starting at ``index``."""
        return transformations.ShardDataset(self, num_shards, index)

    def prefetch(self, buffer_size) -> "Dataset":
        """Accepted for TF's programs; minitf produces elements on demand, so nothing changes."""
        return transformations.PrefetchDataset(self, buffer_size)

    def apply(self, transformation_func) -> "Dataset":
        """``transformation_func(self)``: a whole-dataset transformation."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError("`transformation_func` must return a Dataset.")
        return result

    # --- iterators -----------------------------------------------------------------------
    def make_one_shot_iterator(self):
        """An iterator that initializes itself on first use (graph mode); eager: a plain iterator."""
        return iterators.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator with an ``initializer`` op to run (with feeds) before ``get_next()``."""
        return iterators.make_initializable_iterator(self, shared_name)

    def __iter__(self):
        if not context.executing_eagerly():
            raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager mode or "
                               "within tf.function.")
        return eager_iterator.EagerIterator(self)


class UnaryDataset(Dataset):
    """A stage reading one input dataset; by default its elements look like the input's."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"Expected a Dataset, got {input_dataset!r}")
        self._input = input_dataset

    def _inputs(self) -> list:
        return [self._input]

    def _compute_spec(self):
        return self._input._spec()


def static_int(param):
    """A size known when the graph is built (a Python number), else None."""
    return None if S.is_graph_tensor(param) else int(param)


def int_param(param, dtype=dtypes.int64):
    """A count or size as a stage keeps it: a graph tensor (captured) or an int64 array."""
    return S.component(param, dtype)


# The stages subclass Dataset, so they are imported after it (a real cycle: Dataset's
# methods build them).
from . import batching, eager_iterator, interleave, iterators, readers, sources, transformations  # noqa: E402
