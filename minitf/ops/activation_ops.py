"""Activations: Relu, Relu6, Elu, Softplus (with their gradient ops), Softmax, LogSoftmax.

Each elementwise activation is a kernel from ``minitf.kernels`` by name and has
a ``...Grad`` op that computes its derivative in one pass (as TF does), so the
backward graph of ``relu(x)`` is one ``ReluGrad`` node, not a where/greater
pair.  Softmax works along the last axis; other axes are swapped there first.
"""

from __future__ import annotations

from .. import kernels
from ..framework import errors, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from . import kernel_specs as K, shape_fns
from .array_ops import zeros_like
from .constant_op import convert_to_tensor
from .math_ops import exp, maximum, multiply, negative, where
from .reduction_ops import reduce_sum
from .reshape_ops import transpose


def floats_only(infer):
    """Wrap a shape function so integer inputs fail when the graph is built, as in TF.

    (minitf's nn kernels are compiled for float32/float64 only.)
    """
    def checked(ctx):
        dtype = ctx.dtype(0)
        if not dtype.is_floating:
            raise TypeError(f"Value for attr 'T' of {dtype.name} is not in the list of allowed "
                            f"values: half, float, double for '{ctx.name}' (op: '{ctx.op_type}')")
        return infer(ctx)
    return checked


# --- activations and their one-pass gradient ops ------------------------------------------
# TF's allowed dtypes (checked when built, before floats_only: TF allows integer Relu, minitf
# has no integer kernel for it).
_ALLOWED_T = {"Relu": L.RELU, "Relu6": L.REAL_NUMBER, "Elu": L.FLOAT, "Softplus": L.FLOAT,
              "ReluGrad": L.REAL_NUMBER, "Relu6Grad": L.REAL_NUMBER, "EluGrad": L.FLOAT,
              "SoftplusGrad": L.FLOAT}


def _activation(op_type: str, kernel: str, grad):
    register_op(op_type, floats_only(shape_fns.unchanged), attrs=("T",), grad=grad, **K.unary(kernel),
                type_constraints=allowed("features", _ALLOWED_T[op_type]))


def _activation_grad(op_type: str, kernel: str, grad):
    """``<Op>Grad(gradients, features)``: the incoming gradient times the local derivative."""
    register_op(op_type, floats_only(shape_fns.broadcast), attrs=("T",), grad=grad, **K.binary(kernel),
                type_constraints=allowed("gradients", _ALLOWED_T[op_type]))


def _relu_grad_grad(grad_op_type):
    """ReluGrad is linear in its first input; the mask input gets no gradient."""
    def grad(op, g):
        x = op.inputs[1]
        return [apply_op(grad_op_type, [g, x]), zeros_like(x)]
    return grad


def _elu_grad_grad(op, g):
    dy, y = op.inputs
    return [apply_op("EluGrad", [g, y]), where(y < 0, g * dy, zeros_like(y))]


def _softplus_grad_grad(op, g):
    """d/dx of dy * sigmoid(x) is dy * sigmoid'(x) = dy / (e^-x + 2 + e^x)."""
    dy, x = op.inputs
    return [apply_op("SoftplusGrad", [g, x]), g * dy / (exp(negative(x)) + 2.0 + exp(x))]


_activation("Relu", "relu", lambda op, g: [apply_op("ReluGrad", [g, op.outputs[0]])])
_activation("Relu6", "relu6", lambda op, g: [apply_op("Relu6Grad", [g, op.outputs[0]])])
_activation("Elu", "elu", lambda op, g: [apply_op("EluGrad", [g, op.outputs[0]])])
_activation("Softplus", "softplus", lambda op, g: [apply_op("SoftplusGrad", [g, op.inputs[0]])])
_activation_grad("ReluGrad", "relu_grad", _relu_grad_grad("ReluGrad"))
_activation_grad("Relu6Grad", "relu6_grad", _relu_grad_grad("Relu6Grad"))
_activation_grad("EluGrad", "elu_grad", _elu_grad_grad)
_activation_grad("SoftplusGrad", "softplus_grad", _softplus_grad_grad)


def _make_activation(op_type: str):
    def fn(features, name=None):
        return apply_op(op_type, [convert_to_tensor(features, name="features")], name=name or op_type)
    fn.__name__ = op_type.lower()
    fn.__doc__ = f"Elementwise {op_type} activation."
    return fn


relu = _make_activation("Relu")
relu6 = _make_activation("Relu6")
elu = _make_activation("Elu")
softplus = _make_activation("Softplus")


def leaky_relu(features, alpha=0.2, name=None):
    """``max(alpha * x, x)``: like relu, but lets a little gradient through below zero."""
    with name_scope(name, "LeakyRelu") as scope:
        x = convert_to_tensor(features, name="features")
        return maximum(multiply(alpha, x, name="mul"), x, name=scope)


# --- Softmax, LogSoftmax -------------------------------------------------------------------
def _at_least_rank_1(ctx):
    if ctx.shape(0).ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    return ctx.shape(0), ctx.dtype(0)


def _row_kernel(name: str):
    """Kernel factory for ``cpu.<name>``, which works one row (last axis) at a time.

    The GPU kernels are attached in ``nn_ops_gpu.py``.
    """
    def cpu_kernel(op, runtime):
        return getattr(kernels.cpu, name)
    return cpu_kernel


def _softmax_grad(op, g):
    """(g - sum(g * s)) * s along the last axis, s being the softmax."""
    s = op.outputs[0]
    return [(g - reduce_sum(g * s, -1, keepdims=True)) * s]


def _log_softmax_grad(op, g):
    return [g - reduce_sum(g, -1, keepdims=True) * exp(op.outputs[0])]


register_op("Softmax", floats_only(_at_least_rank_1), attrs=("T",), grad=_softmax_grad,
            type_constraints=allowed("logits", L.FLOAT),
            kernel=_row_kernel("softmax"), gpu_kernel="minitf.ops.nn_ops_gpu:softmax")
register_op("LogSoftmax", floats_only(_at_least_rank_1), attrs=("T",), grad=_log_softmax_grad,
            type_constraints=allowed("logits", L.FLOAT),
            kernel=_row_kernel("log_softmax"), gpu_kernel="minitf.ops.nn_ops_gpu:log_softmax")


def _swap_with_last(x, axis, op):
    """Apply ``op`` along ``axis`` by swapping that axis with the last one and back."""
    rank = x.shape.ndims
    if rank is None:
        raise ValueError("minitf needs the rank of the logits to apply softmax along an axis "
                         "other than the last")
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(None, None, f"Dimension ({axis}) must be in the range "
                                          f"[{-rank}, {rank}) where {rank} is the number of "
                                          "dimensions in the input.")
    perm = list(range(rank))
    perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
    return transpose(op(transpose(x, perm)), perm)


def _softmax_along(op_type, logits, axis, name):
    x = convert_to_tensor(logits)
    if axis is None or axis == -1 or axis == (x.shape.ndims or 0) - 1:
        return apply_op(op_type, [x], name=name or op_type)
    with name_scope(name, op_type):
        out = _swap_with_last(x, axis, lambda t: apply_op(op_type, [t]))
        out.set_shape(x.shape)
        return out


def softmax(logits, axis=None, name=None, dim=None):
    """exp(x) / sum(exp(x)) along ``axis`` (the last by default): a probability vector."""
    return _softmax_along("Softmax", logits, dim if axis is None else axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """log(softmax(x)), computed without forming the softmax (no log of 0)."""
    return _softmax_along("LogSoftmax", logits, dim if axis is None else axis, name)
