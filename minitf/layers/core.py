"""``tf.layers.dense``, ``dropout`` and ``flatten`` (and their classes ``Dense``, ``Dropout``, ``Flatten``)."""

from __future__ import annotations

import numpy as np

from ..ops.array_ops import identity, reshape, shape
from ..ops.array_ops_extra import stack
from ..ops.init_ops import zeros_initializer
from ..ops.matmul_op import matmul
from ..ops.nn_ops import bias_add, dropout as nn_dropout
from .base import Layer
from .utils import smart_cond


class Dense(Layer):
    """outputs = activation(inputs @ kernel + bias); kernel (in, units), Glorot uniform by default."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.units, self.activation, self.use_bias = int(units), activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel = self.bias = None

    def build(self, input_shape):
        last = input_shape[-1] if input_shape.ndims else None
        if input_shape.ndims is None or getattr(last, "value", last) is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        self.kernel = self.add_weight("kernel", [int(last), self.units], initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if rank == 2:
            outputs = matmul(inputs, self.kernel)
        else:       # TF uses tensordot; a reshape to 2-D and back computes the same thing
            flat = matmul(reshape(inputs, [-1, self.kernel.shape[0]]), self.kernel)
            outputs = reshape(flat, stack([shape(inputs)[i] for i in range(rank - 1)] + [self.units]))
            outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
          reuse=None):
    """A fully connected layer: variables ``<name>/kernel`` and ``<name>/bias`` (name: dense, dense_1, ...)."""
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


class Dropout(Layer):
    """``tf.nn.dropout`` with ``rate`` when training; the inputs unchanged (an Identity) otherwise.

    With a bool placeholder for ``training`` both are built in a ``tf.cond``
    (``dropout/cond``): only the taken branch draws a mask.
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        return smart_cond(training,
                          lambda: nn_dropout(inputs, noise_shape=self.noise_shape, seed=self.seed,
                                             rate=self.rate),
                          lambda: identity(inputs))


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Drop a fraction ``rate`` of the inputs when ``training`` (a Python bool or a bool tensor)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)


class Flatten(Layer):
    """(batch, ...) -> (batch, everything else)."""

    def call(self, inputs):
        dims = inputs.shape.as_list() if inputs.shape.ndims is not None else None
        if dims is not None and all(d is not None for d in dims[1:]):
            return reshape(inputs, [-1, int(np.prod(dims[1:], dtype=np.int64))])
        return reshape(inputs, stack([shape(inputs)[0], -1]))


def flatten(inputs, name=None, data_format="channels_last"):
    """Flatten every dimension but the first."""
    return Flatten(name=name)(inputs)
