"""``tf.layers.conv2d`` and ``conv2d_transpose`` (classes ``Conv2D``, ``Conv2DTranspose``), NHWC.

A Conv2D layer's kernel is (kernel_h, kernel_w, in_channels, filters); a
Conv2DTranspose's is (kernel_h, kernel_w, filters, in_channels), the
convolution it undoes read backwards.  Both add a bias per filter.
"""

from __future__ import annotations

from ..framework.tensor_shape import dimension_value
from ..ops.array_ops import shape
from ..ops.array_ops_extra import stack
from ..ops.conv_ops import conv2d as nn_conv2d, conv2d_transpose as nn_conv2d_transpose
from ..ops.init_ops import zeros_initializer
from ..ops.nn_ops import bias_add
from .base import Layer
from .utils import check_channels_last, normalize_padding, normalize_tuple


class Conv2D(Layer):
    """outputs = activation(conv2d(inputs, kernel) + bias)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        check_channels_last(data_format)
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, 2, "kernel_size")
        self.strides = normalize_tuple(strides, 2, "strides")
        self.padding = normalize_padding(padding)
        self.dilation_rate = normalize_tuple(dilation_rate, 2, "dilation_rate")
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel = self.bias = None

    def _in_channels(self, input_shape) -> int:
        channels = dimension_value(input_shape[-1]) if input_shape.ndims == 4 else None
        if input_shape.ndims is not None and input_shape.ndims != 4:
            raise ValueError(f"Input 0 of layer {self._base_name} is incompatible with the layer: expected "
                             f"ndim=4, found ndim={input_shape.ndims}.")
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        return int(channels)

    def _kernel_shape(self, in_channels):
        return list(self.kernel_size) + [in_channels, self.filters]

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", self._kernel_shape(self._in_channels(input_shape)),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        outputs = self._convolve(inputs)
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs

    def _convolve(self, inputs):
        return nn_conv2d(inputs, self.kernel, [1, *self.strides, 1], self.padding,
                         dilations=[1, *self.dilation_rate, 1], name="Conv2D")


class Conv2DTranspose(Conv2D):
    """The transpose ("deconvolution"): each input pixel spreads a kernel-sized patch, strides apart."""

    def _kernel_shape(self, in_channels):
        return list(self.kernel_size) + [self.filters, in_channels]

    def _convolve(self, inputs):
        dynamic = shape(inputs)
        batch = dynamic[0]
        out_hw = [_deconv_length(dimension_value(inputs.shape[i]), lambda i=i: dynamic[i], k, s, self.padding)
                  for i, k, s in zip((1, 2), self.kernel_size, self.strides)]
        output_shape = stack([batch, *out_hw, self.filters])
        outputs = nn_conv2d_transpose(inputs, self.kernel, output_shape, [1, *self.strides, 1],
                                      padding=self.padding)
        outputs.set_shape([dimension_value(inputs.shape[0])]
                          + [v if isinstance(v, int) else None for v in out_hw] + [self.filters])
        return outputs


def _deconv_length(static, dynamic, kernel, stride, padding):
    """TF's deconv_output_length: SAME gives size * stride, VALID adds what the kernel overhangs."""
    size = static if static is not None else dynamic()      # slice the shape only when needed
    grown = size * stride
    return grown if padding == "SAME" else grown + max(kernel - stride, 0)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """A 2-D convolution layer: variables ``<name>/kernel`` and ``<name>/bias`` (conv2d, conv2d_1, ...)."""
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                   dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                   kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                   kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                   trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                     name=None, reuse=None):
    """A transposed convolution layer (kernel (kh, kw, filters, in_channels)), as the generator of a GAN uses."""
    layer = Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                            bias_regularizer=bias_regularizer, trainable=trainable, name=name, _scope=name,
                            _reuse=reuse)
    return layer(inputs)
