"""Iterating a dataset in eager mode: ``for x in dataset`` and ``tf.contrib.eager.Iterator``.

No Session and no graph ops: the iterator runs the pipeline directly and hands
out ``EagerTensor``s, nested like the dataset's elements.
"""

from __future__ import annotations

import numpy as np

from ..eager.eager_tensor import EagerTensor
from ..framework import context, errors
from . import structure as S
from .pipeline import Pipeline


class EagerIterator:
    """A Python iterator over a dataset's elements (eager mode only)."""

    def __init__(self, dataset):
        if not context.executing_eagerly():
            raise RuntimeError("tf.contrib.eager.Iterator can only be used when eager execution is enabled; "
                               "use dataset.make_initializable_iterator or dataset.make_one_shot_iterator "
                               "for graph construction.")
        if dataset._captures():
            raise ValueError("This dataset reads graph tensors, which eager mode cannot evaluate.")
        self._dataset = dataset
        self._pipeline = Pipeline(dataset, {})

    @property
    def output_types(self):
        return self._dataset.output_types

    @property
    def output_shapes(self):
        return self._dataset.output_shapes

    def __iter__(self):
        return self

    def __next__(self):
        flat = self._pipeline.next()             # StopIteration ends a for loop
        types = self._dataset._flat_types
        return S.pack(self._dataset._structure,
                      [EagerTensor(np.asarray(v, dtype=t.np_dtype), t) for v, t in zip(flat, types)])

    next = __next__

    def get_next(self, name=None):
        """The next element; OutOfRangeError ("End of sequence") at the end, as TF's eager iterator."""
        try:
            return self.__next__()
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

