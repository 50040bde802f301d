"""Core array ops: placeholders (占位符), identity, shapes, reshape, fill, cast.

These are also the building blocks gradient functions use to undo
broadcasting (``Shape``, ``BroadcastGradientArgs``, ``Reshape``, ``Sum``).
"""

from __future__ import annotations

import numpy as np

from ..framework import context, dtypes, errors, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, always, register_op, when_shape_unchanged
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape, unknown_shape
from . import shape_fns
from .constant_op import constant, convert_to_tensor

# TF prints float32 as "float" in runtime error messages (the C++ DataType name).
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def index_tensor(value, name=None):
    """A shape, axis or paddings argument as a Tensor: plain data becomes int32, a tensor keeps
    its dtype so that the op's type check refuses a float one in TF's words."""
    if isinstance(value, Tensor) or hasattr(value, "_is_eager_tensor"):
        return convert_to_tensor(value, name=name)
    return convert_to_tensor(value, dtype=dtypes.int32, name=name)


def node_suffix(op) -> str:
    """The ``[[{{node x}}]]`` trailer TF appends to runtime errors."""
    return f"\n\t [[{{{{node {op.name}}}}}]]"


# --- Placeholder --------------------------------------------------------------
def _placeholder_kernel(op, runtime):
    def unfed():
        dtype = op.get_attr("dtype")
        shape = op.get_attr("shape")
        msg = (f"You must feed a value for placeholder tensor '{op.name}' with dtype "
               f"{_CPP_NAMES.get(dtype.name, dtype.name)}")
        if shape.ndims:
            msg += " and shape [" + ",".join("?" if d is None else str(d) for d in shape.dims) + "]"
        raise errors.InvalidArgumentError(None, op, msg + node_suffix(op))
    return unfed


register_op("Placeholder", lambda ctx: (ctx.attr("shape"), ctx.attr("dtype")),
            kernel=_placeholder_kernel, attrs=("dtype", "shape"), differentiable=False,
            stateful=True, gpu_kernel="minitf.ops.array_ops_gpu:same_as_cpu", num_inputs=0,
            required_attrs=("dtype",))


def placeholder(dtype, shape=None, name=None):
    """A graph input that must be fed at run time (``feed_dict``)."""
    if context.executing_eagerly():
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    return apply_op("Placeholder", [], {"dtype": dtypes.as_dtype(dtype), "shape": as_shape(shape)},
                    name=name or "Placeholder")


register_op("PlaceholderWithDefault", lambda ctx: (ctx.attr("shape"), ctx.attr("dtype")),
            kernel=lambda op, rt: (lambda x: x), attrs=("dtype", "shape"), aliases_input=True,
            grad=lambda op, g: [g], gpu_kernel="minitf.ops.array_ops_gpu:pass_through", forwards_input=always)


def placeholder_with_default(input, shape, name=None):
    """A placeholder that yields ``input`` when it is not fed."""
    x = convert_to_tensor(input)
    shape = as_shape(shape)
    if not shape.is_compatible_with(x.shape):
        raise ValueError(f"Shapes {shape} and {x.shape} are incompatible")
    return apply_op("PlaceholderWithDefault", [x], {"dtype": x.dtype, "shape": shape},
                    name=name or "PlaceholderWithDefault")


# --- Identity, StopGradient, NoOp ---------------------------------------------
def _identity_infer(ctx):
    return ctx.shape(0), ctx.dtype(0)   # a ref input gives a plain value (W/read)


register_op("Identity", _identity_infer, kernel=lambda op, rt: (lambda x: x), attrs=("T",),
            aliases_input=True, grad=lambda op, g: [g], gpu_kernel="minitf.ops.array_ops_gpu:pass_through",
            forwards_input=always, num_inputs=1)
register_op("StopGradient", _identity_infer, kernel=lambda op, rt: (lambda x: x), attrs=("T",),
            aliases_input=True, differentiable=False, gpu_kernel="minitf.ops.array_ops_gpu:pass_through",
            forwards_input=always)
register_op("NoOp", shape_fns.no_outputs, kernel=lambda op, rt: (lambda: None), stateful=True,
            differentiable=False, gpu_kernel="minitf.ops.array_ops_gpu:same_as_cpu")


def identity(input, name=None):
    """Return a tensor with the same value (a new node in the graph)."""
    return apply_op("Identity", [convert_to_tensor(input)], name=name or "Identity")


def stop_gradient(input, name=None):
    """Pass the value through but let no gradient flow back."""
    return apply_op("StopGradient", [convert_to_tensor(input)], name=name or "StopGradient")


def no_op(name=None):
    return apply_op("NoOp", [], name=name or "NoOp")


# --- Shape, Size, Rank ----------------------------------------------------------
def _shape_infer(ctx):
    rank = ctx.shape(0).ndims
    return TensorShape([rank]), ctx.attr("out_type", dtypes.int32)


def _shape_kernel(op, runtime):
    np_type = op.get_attr("out_type").np_dtype
    return lambda x: np.array(np.shape(x), dtype=np_type)


register_op("Shape", _shape_infer, kernel=_shape_kernel, attrs=("T", "out_type"), differentiable=False,
            gpu_kernel="minitf.ops.array_ops_gpu:same_as_cpu", shape_only_inputs=(0,), host_outputs=True,
            shape_function_of_input=True)
register_op("Size", lambda ctx: (TensorShape([]), ctx.attr("out_type", dtypes.int32)),
            kernel=lambda op, rt: (lambda x: np.array(np.size(x), dtype=op.get_attr("out_type").np_dtype)),
            attrs=("T", "out_type"), differentiable=False,
            gpu_kernel="minitf.ops.array_ops_gpu:same_as_cpu", shape_only_inputs=(0,), host_outputs=True,
            shape_function_of_input=True)
register_op("Rank", shape_fns.scalar_of(dtypes.int32),
            kernel=lambda op, rt: (lambda x: np.array(np.ndim(x), dtype=np.int32)),
            attrs=("T",), differentiable=False, gpu_kernel="minitf.ops.array_ops_gpu:same_as_cpu",
            shape_only_inputs=(0,), host_outputs=True, shape_function_of_input=True)


def shape(input, name=None, out_type=dtypes.int32):
    """The dynamic shape of ``input`` as a 1-D int32 tensor."""
    return apply_op("Shape", [convert_to_tensor(input)], {"out_type": dtypes.as_dtype(out_type)},
                    name=name or "Shape")


def size(input, name=None, out_type=dtypes.int32):
    return apply_op("Size", [convert_to_tensor(input)], {"out_type": dtypes.as_dtype(out_type)},
                    name=name or "Size")


def rank(input, name=None):
    return apply_op("Rank", [convert_to_tensor(input)], name=name or "Rank")


# --- Reshape ----------------------------------------------------------------------
def _reshape_infer(ctx):
    x, target = ctx.shape(0), ctx.const(1)
    if target is None:
        n = ctx.shape(1)[0] if ctx.shape(1).ndims == 1 else None
        return unknown_shape(n), ctx.dtype(0)
    target = [int(d) for d in np.asarray(target).reshape(-1)]
    bad = next((i for i, d in enumerate(target) if d < -1), None)
    if bad is not None:
        raise ValueError(f"Size {bad} must be non-negative, not {target[bad]}")
    if target.count(-1) > 1:
        raise ValueError("Cannot infer multiple unknown dimensions in shape " + str(target))
    known = x.num_elements()
    if -1 in target:
        rest = int(np.prod([d for d in target if d != -1]))
        if known is not None:
            if rest == 0 or known % rest:
                raise ValueError(f"Cannot reshape a tensor with {known} elements to shape {target} "
                                 f"({rest} elements)")
            target = [known // rest if d == -1 else d for d in target]
        else:
            target = [None if d == -1 else d for d in target]
    elif known is not None and known != int(np.prod(target)):
        raise ValueError(f"Cannot reshape a tensor with {known} elements to shape {target} "
                         f"({int(np.prod(target))} elements)")
    return TensorShape(target), ctx.dtype(0)


def _check_fed_shape(op, shape) -> None:
    """TF's checks of a reshape target: at most one -1, no other negative size."""
    unknown = None
    for i, d in enumerate(np.asarray(shape).reshape(-1).tolist()):
        if d == -1:
            if unknown is not None:
                raise errors.InvalidArgumentError(None, op, (
                    f"Only one input size may be -1, not both {unknown} and {i}" + node_suffix(op)))
            unknown = i
        elif d < 0:
            raise errors.InvalidArgumentError(None, op, (
                f"Size {i} must be non-negative, not {d}" + node_suffix(op)))


def _reshape_kernel(op, runtime):
    def reshape_fn(x, shape):
        _check_fed_shape(op, shape)
        try:
            return np.reshape(x, tuple(shape.tolist()))
        except ValueError:
            raise errors.InvalidArgumentError(None, op, (
                f"Input to reshape is a tensor with {np.size(x)} values, but the requested shape "
                f"has {int(np.prod(shape))}" + node_suffix(op))) from None
    return reshape_fn


def _reshape_grad(op, grad):
    return [reshape(grad, shape(op.inputs[0])), None]


register_op("Reshape", _reshape_infer, kernel=_reshape_kernel, attrs=("T", "Tshape"),
            type_constraints=allowed("shape", L.INDEX, 1, "Tshape"),
            aliases_input=True, grad=_reshape_grad, gpu_kernel="minitf.ops.array_ops_gpu:reshape_like_cpu",
            host_inputs=(1,), forwards_input=when_shape_unchanged)


def reshape(tensor, shape, name=None):
    """Give ``tensor`` a new shape with the same elements (one dim may be -1)."""
    x = convert_to_tensor(tensor)
    s = index_tensor(shape)
    return apply_op("Reshape", [x, s], {"Tshape": s.dtype}, name=name or "Reshape")


# --- Fill, zeros, ones ------------------------------------------------------------
def _fill_infer(ctx):
    dims = ctx.const(0)
    if dims is None:
        n = ctx.shape(0)[0] if ctx.shape(0).ndims == 1 else None
        return unknown_shape(n), ctx.dtype(1)
    return TensorShape([int(d) for d in np.asarray(dims).reshape(-1)]), ctx.dtype(1)


def _fill_kernel(op, runtime):
    def fill_fn(dims, value):
        dims = np.asarray(dims)
        if dims.ndim != 1:
            raise errors.InvalidArgumentError(None, op, (
                f"dims must be a vector, got shape {list(dims.shape)}" + node_suffix(op)))
        if np.ndim(value) != 0:
            raise errors.InvalidArgumentError(None, op, (
                f"value must be a scalar, got shape {list(np.shape(value))}" + node_suffix(op)))
        bad = np.flatnonzero(dims < 0)
        if len(bad):
            raise errors.InvalidArgumentError(None, op, (
                f"Dimension {int(dims[bad[0]])} must be >= 0" + node_suffix(op)))
        try:
            return np.full(tuple(dims.tolist()), value, dtype=np.asarray(value).dtype)
        except (MemoryError, ValueError):
            dtype = dtypes.as_dtype(np.asarray(value).dtype).name
            raise errors.ResourceExhaustedError(None, op, (
                f"OOM when allocating tensor with shape[{','.join(str(d) for d in dims.tolist())}] and "
                f"type {dtype} on /job:localhost/replica:0/task:0/device:CPU:0 by allocator cpu"
                + node_suffix(op))) from None
    return fill_fn


register_op("Fill", _fill_infer, kernel=_fill_kernel, attrs=("T", "index_type"),
            type_constraints=allowed("dims", L.INDEX, attr="index_type"),
            grad=lambda op, g: [None, reduce_sum_all(g)], gpu_kernel="minitf.ops.array_ops_gpu:fill",
            host_inputs=(0, 1))


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with the scalar ``value``."""
    value = convert_to_tensor(value)
    if not (isinstance(dims, Tensor) and dims.dtype.base_dtype is dtypes.int64):
        dims = convert_to_tensor(dims, dtype=dtypes.int32)
    return apply_op("Fill", [dims, value], {"T": value.dtype, "index_type": dims.dtype.base_dtype},
                    name=name or "Fill")


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros: a Const when small, else a ``Fill`` op (TF 1.x keeps GraphDefs small)."""
    return _filled(shape, dtype, 0, name or "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    return _filled(shape, dtype, 1, name or "ones")


_SMALL_CONSTANT = 1000          # TF's _constant_if_small: fewer elements than this become a Const


def _filled(shape, dtype, value, name):
    dtype = dtypes.as_dtype(dtype)
    is_tensor = isinstance(shape, Tensor) or hasattr(shape, "_is_eager_tensor")
    if not is_tensor:
        static = _static_shape(shape)
        if static is not None and int(np.prod(static)) < _SMALL_CONSTANT:
            return constant(np.full(static, value, dtype=dtype.np_dtype), name=name)
    with name_scope(name) as scope:
        if is_tensor:
            dims = shape
        elif static is not None:
            dims = constant(np.array(static, np.int64 if max(static, default=0) >= 2 ** 31 else np.int32),
                            name="shape_as_tensor")
        else:
            dims = convert_to_tensor(shape, dtype=dtypes.int32)     # a list holding tensors: packed
        return fill(dims, constant(value, dtype=dtype), name=scope)


def _static_shape(shape):
    """``shape`` as a tuple of ints when it holds only Python numbers; None if it holds tensors.

    Raises TF's ValueError for a negative or fractional dimension.
    """
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    shape = shape.as_list() if hasattr(shape, "as_list") else shape
    dims = []
    for d in np.asarray(shape, dtype=object).reshape(-1).tolist() if not _holds_tensor(shape) else [None]:
        if d is None:
            return None
        if isinstance(d, float) and d != int(d):
            raise ValueError(f"Ambiguous dimension: {d}")
        if int(d) < 0:
            raise ValueError(f"Dimension {int(d)} must be >= 0")
        dims.append(int(d))
    return tuple(dims)


def _holds_tensor(shape) -> bool:
    return isinstance(shape, (list, tuple)) and any(
        isinstance(d, Tensor) or hasattr(d, "_is_eager_tensor") for d in shape)


register_op("ZerosLike", shape_fns.unchanged, kernel=lambda op, rt: np.zeros_like, attrs=("T",),
            differentiable=False, gpu_kernel="minitf.ops.array_ops_gpu:zeros_like", shape_only_inputs=(0,))
register_op("OnesLike", shape_fns.unchanged, kernel=lambda op, rt: np.ones_like, attrs=("T",),
            type_constraints=allowed("x", L.ONES_LIKE),
            differentiable=False, gpu_kernel="minitf.ops.array_ops_gpu:ones_like", shape_only_inputs=(0,))


def zeros_like(tensor, dtype=None, name=None):
    x = convert_to_tensor(tensor)
    out = apply_op("ZerosLike", [x], name=name or "zeros_like")
    return out if dtype is None or dtypes.as_dtype(dtype) == x.dtype else cast(out, dtype)


def ones_like(tensor, dtype=None, name=None):
    x = convert_to_tensor(tensor)
    out = apply_op("OnesLike", [x], name=name or "ones_like")
    return out if dtype is None or dtypes.as_dtype(dtype) == x.dtype else cast(out, dtype)


# --- Broadcasting helpers for gradients ---------------------------------------------
def _broadcast_to_infer(ctx):
    target = ctx.const(1)
    if target is None:
        n = ctx.shape(1)[0] if ctx.shape(1).ndims == 1 else None
        return unknown_shape(n), ctx.dtype(0)
    return TensorShape([int(d) for d in np.asarray(target).reshape(-1)]), ctx.dtype(0)


def _broadcast_to_grad(op, grad):
    from .math_ops import reduce_sum  # here, not at the top: math_ops imports this module
    x = op.inputs[0]
    rx, _ = broadcast_gradient_args(shape(x), op.inputs[1])
    return [reshape(reduce_sum(grad, rx, keepdims=False), shape(x)), None]


register_op("BroadcastTo", _broadcast_to_infer,
            type_constraints=allowed("shape", L.INDEX, 1, "Tidx"),
            kernel=lambda op, rt: (lambda x, s: np.broadcast_to(x, tuple(s.tolist()))),
            attrs=("T", "Tidx"), aliases_input=True, grad=_broadcast_to_grad,
            gpu_kernel="minitf.ops.array_ops_gpu:broadcast_to", host_inputs=(1,),
            forwards_input=when_shape_unchanged)


def broadcast_to(input, shape, name=None):
    x = convert_to_tensor(input)
    s = convert_to_tensor(shape, dtype=dtypes.int32)
    return apply_op("BroadcastTo", [x, s], {"Tidx": s.dtype}, name=name or "BroadcastTo")


def _bga(s0, s1):
    """Axes each side was broadcast along (to sum the gradient over)."""
    s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
    n = max(len(s0), len(s1))
    p0, p1 = [1] * (n - len(s0)) + s0, [1] * (n - len(s1)) + s1
    r0 = [i for i in range(n) if p0[i] == 1 and p1[i] != 1 or i < n - len(s0)]
    r1 = [i for i in range(n) if p1[i] == 1 and p0[i] != 1 or i < n - len(s1)]
    return np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)


register_op("BroadcastGradientArgs",
            lambda ctx: [(TensorShape([None]), dtypes.int32), (TensorShape([None]), dtypes.int32)],
            kernel=lambda op, rt: _bga, attrs=("T",), differentiable=False, host_outputs=True,
            type_constraints=allowed("s0", L.INDEX))


def broadcast_gradient_args(s0, s1, name=None):
    return apply_op("BroadcastGradientArgs", [s0, s1], name=name or "BroadcastGradientArgs")


# --- Cast ---------------------------------------------------------------------------
def _cast_grad(op, grad):
    src = op.get_attr("SrcT")
    if src.is_floating and op.get_attr("DstT").is_floating:
        return [cast(grad, src)]
    return [None]


register_op("Cast", lambda ctx: (ctx.shape(0), ctx.attr("DstT")),
            kernel=lambda op, rt: (lambda x: np.asarray(x).astype(op.get_attr("DstT").np_dtype)),
            attrs=("SrcT", "DstT", "Truncate"), grad=_cast_grad, gpu_kernel="minitf.ops.array_ops_gpu:cast")


def cast(x, dtype, name=None):
    """Convert ``x`` to ``dtype`` (floats to ints truncate toward zero)."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype).base_dtype
    if x.dtype.base_dtype is dtype:
        return x
    return apply_op("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype, "Truncate": False},
                    name=name or "Cast")


def reduce_sum_all(t):
    from .math_ops import reduce_sum  # here, not at the top: math_ops imports this module
    return reduce_sum(t)
