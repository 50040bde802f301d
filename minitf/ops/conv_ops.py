"""Convolution and pooling (``tf.nn.conv2d``, ``conv2d_transpose``, ``max_pool``, ``avg_pool``).

Seven TensorFlow op types, NHWC only, with TF's names and attrs so that an
exported GraphDef runs in real TensorFlow:

    Conv2D                 y = x (*) filter
    Conv2DBackpropInput    d x      (also what conv2d_transpose runs forward)
    Conv2DBackpropFilter   d filter
    MaxPool, MaxPoolGrad   the gradient goes to the first max of each window
    AvgPool, AvgPoolGrad   SAME averages only the valid (unpadded) elements

Output sizes and SAME padding follow TF (``kernels/conv_geometry.py``).  The CPU
kernels are in ``kernels/conv_cpu.py`` and ``kernels/pool_cpu.py``, the GPU kernels in
``kernels/conv_cuda.py``.
"""

from __future__ import annotations

import importlib

from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, dimension_value, unknown_shape
from ..kernels.conv_geometry import check_out_backprop, op_geometry, spatial, window
from .activation_ops import floats_only
from .array_ops import shape
from .constant_op import convert_to_tensor
from .reshape_ops import expand_dims, squeeze

PADDINGS = ("SAME", "VALID")
CONV_ATTRS = ("T", "strides", "use_cudnn_on_gpu", "padding", "explicit_paddings", "data_format",
              "dilations")
POOL_ATTRS = ("T", "ksize", "strides", "padding", "data_format")


def _cpu():
    """kernels/conv_cpu.py, imported when a kernel is first bound: ``import minitf`` stays numba-free."""
    return importlib.import_module("minitf.kernels.conv_cpu")


def _pool_cpu():
    """kernels/pool_cpu.py, imported when a kernel is first bound (as ``_cpu``)."""
    return importlib.import_module("minitf.kernels.pool_cpu")


def _conv_out_shape(ctx, x, f):
    """NHWC output shape of a convolution of ``x`` by a filter of shape ``f``."""
    s, d, padding = ctx.attr("strides"), ctx.attr("dilations"), ctx.attr("padding")
    oh, _ = window(x[1], f[0], s[1], d[1], padding)
    ow, _ = window(x[2], f[1], s[2], d[2], padding)
    return TensorShape([x[0], oh, ow, f[3]])


def _check_rank4(*shapes):
    for s in shapes:
        if s.ndims is not None and s.ndims != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {s.ndims}")


def _check_depth(depth, filter_depth):
    depth, filter_depth = dimension_value(depth), dimension_value(filter_depth)
    if depth is not None and filter_depth is not None and depth != filter_depth:
        if depth % filter_depth:
            raise ValueError(f"Depth of input ({depth}) is not a multiple of input depth of filter "
                             f"({filter_depth})")
        raise ValueError(f"minitf does not support grouped convolutions: input depth {depth}, "
                         f"filter depth {filter_depth}")


def _const_shape(ctx, i):
    """A shape given as an int32 input (input_sizes, filter_sizes): known when it is constant."""
    value = ctx.const(i)
    return unknown_shape(4) if value is None else TensorShape([int(v) for v in value])


# --- Conv2D and its two gradients ---------------------------------------------------------------
def _conv2d_infer(ctx):
    x, f = ctx.shape(0), ctx.shape(1)
    _check_rank4(x, f)
    if x.ndims is None or f.ndims is None:
        return unknown_shape(4), ctx.dtype(0)
    _check_depth(x[3], f[2])
    return _conv_out_shape(ctx, x, f), ctx.dtype(0)


def _conv2d_kernel(op, runtime):
    conv, strides, dilations = _cpu().conv2d, spatial(op, "strides"), spatial(op, "dilations")

    def conv2d_fn(x, f):
        out_hw, pads = op_geometry(op, x.shape[1:3], f.shape[:2])
        return conv(x, f, strides, dilations, pads, out_hw)
    return conv2d_fn


def _backprop_input_infer(ctx):
    sizes, f, dy = _const_shape(ctx, 0), ctx.shape(1), ctx.shape(2)
    _check_rank4(f, dy)
    if sizes.ndims is not None and f.ndims is not None:
        _check_depth(sizes[3], f[2])
    return sizes, ctx.dtype(1)


def _backprop_input_kernel(op, runtime):
    backprop = _cpu().conv2d_backprop_input
    strides, dilations = spatial(op, "strides"), spatial(op, "dilations")

    def conv2d_backprop_input_fn(input_sizes, f, dy):
        sizes = tuple(int(v) for v in input_sizes)
        check_out_backprop(op, sizes[1:3], f.shape[:2], dy.shape[1:3])
        _, pads = op_geometry(op, sizes[1:3], f.shape[:2])
        return backprop(sizes, f, dy, strides, dilations, pads)
    return conv2d_backprop_input_fn


def _backprop_filter_infer(ctx):
    x, sizes, dy = ctx.shape(0), _const_shape(ctx, 1), ctx.shape(2)
    _check_rank4(x, dy)
    return sizes, ctx.dtype(0)


def _backprop_filter_kernel(op, runtime):
    backprop = _cpu().conv2d_backprop_filter
    strides, dilations = spatial(op, "strides"), spatial(op, "dilations")

    def conv2d_backprop_filter_fn(x, filter_sizes, dy):
        sizes = tuple(int(v) for v in filter_sizes)
        check_out_backprop(op, x.shape[1:3], sizes[:2], dy.shape[1:3])
        _, pads = op_geometry(op, x.shape[1:3], sizes[:2])
        return backprop(x, sizes, dy, strides, dilations, pads)
    return conv2d_backprop_filter_fn


def _conv_attrs(op):
    """The forward op's attrs, T included: apply_op would take T from input 0 (int32 input_sizes)."""
    return {k: op.get_attr(k) for k in CONV_ATTRS}


def _conv2d_grad(op, g):
    """TF's _Conv2DGrad: the two backprop ops, each told the shape it must produce."""
    x, f = op.inputs
    attrs = _conv_attrs(op)
    return [apply_op("Conv2DBackpropInput", [shape(x), f, g], attrs),
            apply_op("Conv2DBackpropFilter", [x, shape(f), g], attrs)]


def _backprop_input_grad(op, g):
    """d input_sizes: none; d filter and d out_backprop: conv2d_transpose differentiated."""
    _, f, dy = op.inputs
    attrs = _conv_attrs(op)
    return [None, apply_op("Conv2DBackpropFilter", [g, shape(f), dy], attrs),
            apply_op("Conv2D", [g, f], attrs)]


def _backprop_filter_grad(op, g):
    x, _, dy = op.inputs
    attrs = _conv_attrs(op)
    return [apply_op("Conv2DBackpropInput", [shape(x), g, dy], attrs), None,
            apply_op("Conv2D", [x, g], attrs)]


register_op("Conv2D", floats_only(_conv2d_infer), kernel=_conv2d_kernel, grad=_conv2d_grad,
            attrs=CONV_ATTRS, gpu_kernel="minitf.kernels.conv_cuda:conv2d",
            type_constraints=allowed("input", L.CONV2D))
register_op("Conv2DBackpropInput", _backprop_input_infer, kernel=_backprop_input_kernel,
            grad=_backprop_input_grad, attrs=CONV_ATTRS, host_inputs=(0,),
            type_constraints=allowed("filter", L.CONV2D, 1),
            gpu_kernel="minitf.kernels.conv_cuda:conv2d_backprop_input")
register_op("Conv2DBackpropFilter", _backprop_filter_infer, kernel=_backprop_filter_kernel,
            grad=_backprop_filter_grad, attrs=CONV_ATTRS, host_inputs=(1,),
            type_constraints=allowed("input", L.FLOAT),
            gpu_kernel="minitf.kernels.conv_cuda:conv2d_backprop_filter")


# --- pooling ------------------------------------------------------------------------------------
def _pool_infer(ctx):
    x = ctx.shape(0)
    _check_rank4(x)
    if x.ndims is None:
        return unknown_shape(4), ctx.dtype(0)
    k, s, padding = ctx.attr("ksize"), ctx.attr("strides"), ctx.attr("padding")
    oh, _ = window(x[1], k[1], s[1], 1, padding)
    ow, _ = window(x[2], k[2], s[2], 1, padding)
    return TensorShape([x[0], oh, ow, x[3]]), ctx.dtype(0)


def _pool_args(op, in_hw):
    """What every pooling kernel takes: ksize, strides, pads (tuples) and the output size."""
    ksize = spatial(op, "ksize")
    out_hw, pads = op_geometry(op, in_hw, ksize)
    return ksize, spatial(op, "strides"), pads, out_hw


def _max_pool_kernel(op, runtime):
    pool = _pool_cpu().max_pool

    def max_pool_fn(x):
        ksize, strides, pads, out_hw = _pool_args(op, x.shape[1:3])
        return pool(x, ksize, strides, pads, *out_hw)
    return max_pool_fn


def _max_pool_grad_kernel(op, runtime):
    pool_grad = _pool_cpu().max_pool_grad

    def max_pool_grad_fn(x, y, dy):
        ksize, strides, pads, _ = _pool_args(op, x.shape[1:3])
        return pool_grad(x, dy, ksize, strides, pads)
    return max_pool_grad_fn


def _avg_pool_kernel(op, runtime):
    pool = _pool_cpu().avg_pool

    def avg_pool_fn(x):
        ksize, strides, pads, out_hw = _pool_args(op, x.shape[1:3])
        return pool(x, ksize, strides, pads, *out_hw)
    return avg_pool_fn


def _avg_pool_grad_kernel(op, runtime):
    pool_grad = _pool_cpu().avg_pool_grad

    def avg_pool_grad_fn(input_shape, dy):
        n, h, w, _ = (int(v) for v in input_shape)
        ksize, strides, pads, _ = _pool_args(op, (h, w))
        return pool_grad(n, h, w, dy, ksize, strides, pads)
    return avg_pool_grad_fn


def _pool_attrs(op):
    """The forward op's attrs, T included (AvgPoolGrad's input 0 is an int32 shape)."""
    return {k: op.get_attr(k) for k in POOL_ATTRS}


register_op("MaxPool", floats_only(_pool_infer), kernel=_max_pool_kernel, attrs=POOL_ATTRS,
            type_constraints=allowed("input", L.MAX_POOL),
            gpu_kernel="minitf.kernels.conv_cuda:max_pool",
            grad=lambda op, g: [apply_op("MaxPoolGrad", [op.inputs[0], op.outputs[0], g], _pool_attrs(op))])
# MaxPoolGrad's own gradient (TF's MaxPoolGradGrad) is not built: no second derivatives of max_pool.
register_op("MaxPoolGrad", lambda ctx: (ctx.shape(0), ctx.dtype(0)), kernel=_max_pool_grad_kernel,
            attrs=POOL_ATTRS, type_constraints=allowed("orig_input", L.REAL_NUMBER),
            gpu_kernel="minitf.kernels.conv_cuda:max_pool_grad")
register_op("AvgPool", floats_only(_pool_infer), kernel=_avg_pool_kernel, attrs=POOL_ATTRS,
            type_constraints=allowed("value", L.FLOAT),
            gpu_kernel="minitf.kernels.conv_cuda:avg_pool",
            grad=lambda op, g: [apply_op("AvgPoolGrad", [shape(op.inputs[0]), g], _pool_attrs(op))])
# AvgPool is linear, so the gradient of its gradient is AvgPool again (as TF's _AvgPoolGradGrad).
register_op("AvgPoolGrad", lambda ctx: (_const_shape(ctx, 0), ctx.dtype(1)), kernel=_avg_pool_grad_kernel,
            attrs=POOL_ATTRS, host_inputs=(0,), gpu_kernel="minitf.kernels.conv_cuda:avg_pool_grad",
            type_constraints=allowed("grad", L.FLOAT, 1),
            grad=lambda op, g: [None, apply_op("AvgPool", [g], _pool_attrs(op))])


# --- the Python API -----------------------------------------------------------------------------
def _four(value, name, default=1):
    """TF 1.14+'s _get_sequence: an int, or 1, 2 or 4 entries, as the NHWC 4-list."""
    if value is None:
        value = default
    if isinstance(value, int):
        value = [value]
    value = [int(v) for v in value]
    if len(value) == 1:
        return [1, value[0], value[0], 1]
    if len(value) == 2:
        return [1, value[0], value[1], 1]
    if len(value) == 4:
        if value[0] != 1 or value[3] != 1:
            raise ValueError(f"{name} in the batch and depth dimensions must be 1, got {value}")
        return value
    raise ValueError(f"{name} should be of length 1, 2 or 4 but was {len(value)}")


def _check_layout(padding, data_format):
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}: use 'SAME' or 'VALID'")
    if data_format not in (None, "NHWC"):
        raise ValueError(f"minitf supports data_format 'NHWC' only, got {data_format!r}")


def _conv_op_attrs(strides, padding, use_cudnn_on_gpu, dilations):
    return {"strides": _four(strides, "strides"), "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
            "padding": padding, "explicit_paddings": [], "data_format": "NHWC",
            "dilations": _four(dilations, "dilations")}


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of an NHWC batch by a (height, width, in_channels, out_channels) filter."""
    filter = filters if filter is None else filter
    _check_layout(padding, data_format)
    attrs = _conv_op_attrs(strides, padding, use_cudnn_on_gpu, dilations)
    x = convert_to_tensor(input, name="input")
    f = convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
    return apply_op("Conv2D", [x, f], attrs, name=name or "Conv2D")


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None):  # noqa: A002
    """1-D convolution of (batch, width, channels) by (width, in, out) filters: a conv2d of height 1.

    As in TF: both get a height axis of 1 (ExpandDims), Conv2D runs, Squeeze takes the axis away.
    """
    value = input if value is None else value
    if data_format not in (None, "NWC"):
        raise ValueError(f"minitf supports data_format 'NWC' only, got {data_format!r}")
    with name_scope(name, "conv1d"):
        value = expand_dims(convert_to_tensor(value, name="value"), 1)
        filters = expand_dims(convert_to_tensor(filters, dtype=value.dtype.base_dtype, name="filters"), 0)
        stride = stride[1] if isinstance(stride, (list, tuple)) and len(stride) == 3 else stride
        result = conv2d(value, filters, [1, 1, stride, 1], padding,
                        use_cudnn_on_gpu=True if use_cudnn_on_gpu is None else use_cudnn_on_gpu)
        return squeeze(result, [1])


def conv2d_transpose(value, filter, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):  # noqa: A002
    """The gradient of conv2d with respect to its input, used forward ("deconvolution").

    ``filter`` is (height, width, output_channels, in_channels): conv2d's filter, read backwards.
    """
    value = input if value is None else value
    filter = filters if filter is None else filter
    _check_layout(padding, data_format)
    with name_scope(name, "conv2d_transpose") as scope:
        value = convert_to_tensor(value, name="value")
        f = convert_to_tensor(filter, dtype=value.dtype.base_dtype, name="filter")
        sizes = convert_to_tensor(output_shape, name="output_shape")
        _check_transpose_channels(value.shape, f.shape, output_shape)
        attrs = dict(_conv_op_attrs(strides, padding, True, dilations), T=value.dtype.base_dtype)
        return apply_op("Conv2DBackpropInput", [sizes, f, value], attrs, name=scope)


def _check_transpose_channels(value_shape, filter_shape, output_shape):
    """TF's two build-time checks: channels must match on both sides of the filter."""
    if value_shape.ndims != 4 or filter_shape.ndims != 4:
        return
    value_shape, filter_shape = value_shape.dims, filter_shape.dims    # ints or None
    if value_shape[3] is not None and filter_shape[3] is not None and value_shape[3] != filter_shape[3]:
        raise ValueError("input channels does not match filter's input channels, "
                         f"{value_shape[3]} != {filter_shape[3]}")
    if isinstance(output_shape, (list, tuple)) and len(output_shape) == 4 and \
            filter_shape[2] is not None and output_shape[3] != filter_shape[2]:
        raise ValueError("output_shape does not match filter's output channels, "
                         f"{output_shape[3]} != {filter_shape[2]}")


def _pool(op_type, value, ksize, strides, padding, data_format, name):
    _check_layout(padding, data_format)
    attrs = {"ksize": _four(ksize, "ksize"), "strides": _four(strides, "strides"), "padding": padding,
             "data_format": "NHWC"}
    with name_scope(name, op_type) as scope:
        value = convert_to_tensor(value, name="input")
        return apply_op(op_type, [value], attrs, name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The largest value of each ksize window (NHWC)."""
    return _pool("MaxPool", input if value is None else value, ksize, strides, padding, data_format,
                 name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """The mean of each ksize window; SAME windows at the border average their valid elements only."""
    return _pool("AvgPool", input if value is None else value, ksize, strides, padding, data_format,
                 name)
