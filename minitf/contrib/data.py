"""``tf.contrib.data``: where TF 1.4-1.12 tutorials found tf.data and its helper transformations."""

from ..data import Dataset, Iterator, TextLineDataset, TFRecordDataset  # noqa: F401
from ..data.experimental import map_and_batch, shuffle_and_repeat, unbatch  # noqa: F401


def batch_and_drop_remainder(batch_size):
    """``dataset.apply(batch_and_drop_remainder(n))``: ``batch(n, drop_remainder=True)``."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)
