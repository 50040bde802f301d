"""``tf.layers.max_pooling2d`` and ``average_pooling2d`` (classes ``MaxPooling2D``, ``AveragePooling2D``).

Pooling layers own no variables; they are layers only so that their ops get a
scope of their own (``max_pooling2d/MaxPool``, ``max_pooling2d_1/MaxPool``).
"""

from __future__ import annotations

from ..ops.conv_ops import avg_pool, max_pool
from .base import Layer
from .utils import check_channels_last, normalize_padding, normalize_tuple


class _Pooling2D(Layer):
    pool_function = None

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        check_channels_last(data_format)
        self.pool_size = normalize_tuple(pool_size, 2, "pool_size")
        self.strides = normalize_tuple(strides, 2, "strides")
        self.padding = normalize_padding(padding)

    def call(self, inputs):
        return type(self).pool_function(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class MaxPooling2D(_Pooling2D):
    """The largest value of each window."""
    pool_function = staticmethod(max_pool)


class AveragePooling2D(_Pooling2D):
    """The mean of each window."""
    pool_function = staticmethod(avg_pool)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """Max pooling over pool_size windows, ``strides`` apart."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """Average pooling over pool_size windows, ``strides`` apart."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format, name=name)(inputs)
