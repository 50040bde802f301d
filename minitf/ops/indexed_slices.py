"""``tf.IndexedSlices``: a gradient that touches only some rows of a tensor.

The gradient of ``gather(params, ids)`` (an embedding lookup) is nonzero only
in the rows at ``ids``.  TF 1.x keeps it as ``(values, indices, dense_shape)``
instead of a dense tensor, so that optimizers update only those rows
(``ScatterSub``, ``SparseApplyMomentum``...): with a dense gradient, Momentum
and RMSProp would keep moving rows that were never looked up.

Any op that needs a plain tensor converts it (the rows are summed into a dense
tensor, as TF does, with ``UnsortedSegmentSum``).
"""

from __future__ import annotations

import collections

from .constant_op import register_tensor_conversion_function


class IndexedSlices:
    """Rows ``values[i]`` at row ``indices[i]`` of a tensor shaped ``dense_shape``."""

    def __init__(self, values, indices, dense_shape=None):
        self._values, self._indices, self._dense_shape = values, indices, dense_shape

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def name(self) -> str:
        return self._values.name

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._values.graph

    @property
    def device(self) -> str:
        return self._values.device

    def __repr__(self) -> str:
        shape = f", dense_shape={self._dense_shape}" if self._dense_shape is not None else ""
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"


# What ``sess.run`` returns for a fetched IndexedSlices.
IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])


def _to_dense(slices, dtype=None, name=None, as_ref=False):
    if slices.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: {slices}")
    from .gather_ops import unsorted_segment_sum  # here, not at the top: gather_ops imports this module
    return unsorted_segment_sum(slices.values, slices.indices, slices.dense_shape[0])


register_tensor_conversion_function(IndexedSlices, _to_dense)
