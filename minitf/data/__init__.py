"""``tf.data``: input pipelines (``Dataset``, iterators).

This folder also holds the small data files of ``minitf.datasets`` (``stocks.csv``).
"""

from .dataset_ops import Dataset  # noqa: F401
from .iterators import Iterator, make_initializable_iterator, make_one_shot_iterator  # noqa: F401
from .readers import TFRecordDataset, TextLineDataset  # noqa: F401
from . import experimental  # noqa: F401


def get_output_types(dataset_or_iterator):
    """``tf.data.get_output_types``: the element dtypes, nested like the elements."""
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    """``tf.data.get_output_shapes``: the element static shapes, nested like the elements."""
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
