"""Elementwise math: unary and broadcasting binary ops, with Python operators.

Each op is one ``register_op`` call: shape function, numba kernel (by name from
``minitf.kernels``), gradient written with minitf ops, and TF's attrs.
"""

from __future__ import annotations

import numpy as np

from ..framework import context, dtypes, errors, type_lists as L
from ..framework.op_builder import apply_op, shape_text
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import broadcast_static, unknown_shape
from . import kernel_specs as K, shape_fns
from .array_ops import broadcast_gradient_args, cast, node_suffix, ones_like, reshape, shape, zeros_like
from .constant_op import convert_to_tensor
from .reduction_ops import reduce_sum


# --- gradient helpers ---------------------------------------------------------------
def unbroadcast(op, gx, gy):
    """Sum each gradient over the axes its input was broadcast along (TF's recipe)."""
    x, y = op.inputs
    if x.shape.is_fully_defined() and y.shape.is_fully_defined() and x.shape == y.shape:
        return [gx, gy]          # TF skips the reduction when static shapes are equal
    sx, sy = shape(x), shape(y)
    rx, ry = broadcast_gradient_args(sx, sy)
    if gx is not None:
        gx = reshape(reduce_sum(gx, rx), sx)
    if gy is not None:
        gy = reshape(reduce_sum(gy, ry), sy)
    return [gx, gy]


# TF's allowed dtypes for each op's "T", checked when the op is built; the gradient
# ops name their first input 'y', the others 'x' (TF's OpDef argument names).
_ALLOWED_T = {
    "Neg": L.SIGNED, "Abs": L.ABS, "Square": L.SQUARE, "Sqrt": L.FLOAT_COMPLEX, "Rsqrt": L.FLOAT_COMPLEX,
    "Exp": L.FLOAT_COMPLEX, "Expm1": L.FLOAT_COMPLEX, "Log": L.FLOAT_COMPLEX, "Log1p": L.FLOAT_COMPLEX,
    "Sigmoid": L.FLOAT_COMPLEX, "Tanh": L.FLOAT_COMPLEX, "Reciprocal": L.SIGNED, "Sin": L.FLOAT_COMPLEX,
    "Cos": L.FLOAT_COMPLEX, "Sign": L.SIGNED, "Floor": L.FLOAT_ROUNDING, "Ceil": L.FLOAT_ROUNDING,
    "Round": L.SIGNED,
    "SqrtGrad": L.FLOAT_COMPLEX, "RsqrtGrad": L.FLOAT_COMPLEX, "SigmoidGrad": L.FLOAT_COMPLEX,
    "TanhGrad": L.FLOAT_COMPLEX, "ReciprocalGrad": L.FLOAT_COMPLEX,
    # minitf builds Add for `a + b`, where TF 1.15 builds AddV2 (uint16 too): AddV2's list, then
    "Add": L.ADD_V2, "AddV2": L.ADD_V2, "Sub": L.SUB, "Mul": L.MUL_DIV, "RealDiv": L.MUL_DIV,
    "Div": L.MUL_DIV, "FloorDiv": L.MUL_DIV, "FloorMod": L.FLOOR_MOD, "Pow": L.POW,
    "Maximum": L.MIN_MAX, "Minimum": L.MIN_MAX, "SquaredDifference": L.SQUARED_DIFFERENCE,
    "Less": L.REAL_NUMBER, "LessEqual": L.REAL_NUMBER, "Greater": L.REAL_NUMBER,
    "GreaterEqual": L.REAL_NUMBER,
}


def _incompatible_shapes(shapes, attrs):
    """What TF's binary kernels (BCast) say about fed shapes that do not broadcast."""
    if not all(s.is_fully_defined() for s in shapes):
        return None
    return f"Incompatible shapes: {shape_text(shapes[0])} vs. {shape_text(shapes[1])}"


def _type_constraints(op_type: str) -> tuple:
    if op_type not in _ALLOWED_T:
        return ()               # TF allows any T (Equal, NotEqual) or fixes it (LogicalAnd: bool)
    return allowed("y" if op_type.endswith("Grad") else "x", _ALLOWED_T[op_type])


# ``num_inputs`` lets the GraphDef importer refuse a NodeDef with the wrong number of inputs.
def _unary(op_type: str, kernel: str, grad=None, infer=shape_fns.unchanged, **fields):
    register_op(op_type, infer, grad=grad, attrs=("T",), num_inputs=1, **K.unary(kernel),
                type_constraints=_type_constraints(op_type), **fields)


def _binary(op_type: str, kernel: str, grad=None, infer=shape_fns.broadcast, **fields):
    register_op(op_type, infer, grad=grad, attrs=("T",), num_inputs=2, **K.binary(kernel),
                type_constraints=_type_constraints(op_type), run_time_shape_error=_incompatible_shapes, **fields)


# --- unary ops and their gradients -----------------------------------------------
_unary("Neg", "neg", lambda op, g: [negative(g)])
_unary("Abs", "abs", lambda op, g: [g * sign(op.inputs[0])])
_unary("Square", "square", lambda op, g: [g * (2.0 * op.inputs[0])])
_unary("Sqrt", "sqrt", lambda op, g: [apply_op("SqrtGrad", [op.outputs[0], g])])
_unary("Rsqrt", "rsqrt", lambda op, g: [apply_op("RsqrtGrad", [op.outputs[0], g])])
_unary("Exp", "exp", lambda op, g: [g * op.outputs[0]])
_unary("Expm1", "expm1", lambda op, g: [g * exp(op.inputs[0])])
_unary("Log", "log", lambda op, g: [g * reciprocal(op.inputs[0])])
_unary("Log1p", "log1p", lambda op, g: [g * reciprocal(1.0 + op.inputs[0])])
_unary("Sigmoid", "sigmoid", lambda op, g: [apply_op("SigmoidGrad", [op.outputs[0], g])])
_unary("Tanh", "tanh", lambda op, g: [apply_op("TanhGrad", [op.outputs[0], g])])
_unary("Reciprocal", "reciprocal", lambda op, g: [apply_op("ReciprocalGrad", [op.outputs[0], g])])
_unary("Sin", "sin", lambda op, g: [g * cos(op.inputs[0])])
_unary("Cos", "cos", lambda op, g: [negative(g) * sin(op.inputs[0])])
_unary("Sign", "sign", lambda op, g: [zeros_like(op.inputs[0])])
_unary("Floor", "floor", differentiable=False)
_unary("Ceil", "ceil", differentiable=False)
_unary("Round", "round", differentiable=False)
_unary("LogicalNot", "logical_not", infer=shape_fns.unchanged_bool, differentiable=False)

# Gradient kernels: (y, dy) -> dx, themselves differentiable enough for our needs.
_binary("SqrtGrad", "sqrt_grad", differentiable=False)
_binary("RsqrtGrad", "rsqrt_grad", differentiable=False)
_binary("SigmoidGrad", "sigmoid_grad", lambda op, g: [
    g * op.inputs[1] * (1.0 - 2.0 * op.inputs[0]), apply_op("SigmoidGrad", [op.inputs[0], g])])
_binary("TanhGrad", "tanh_grad", lambda op, g: [
    -2.0 * g * op.inputs[1] * op.inputs[0], apply_op("TanhGrad", [op.inputs[0], g])])
_binary("ReciprocalGrad", "reciprocal_grad", differentiable=False)


# --- binary ops and their gradients ---------------------------------------------
def _add_grad(op, g):
    return unbroadcast(op, g, g)


def _sub_grad(op, g):
    return unbroadcast(op, g, negative(g))


def _mul_grad(op, g):
    x, y = op.inputs
    return unbroadcast(op, g * y, x * g)


def _div_grad(op, g):
    x, y = op.inputs
    return unbroadcast(op, g / y, g * (negative(x) / square(y)))


def _pow_grad(op, g):
    x, y = op.inputs
    z = op.outputs[0]
    gx = g * y * pow(x, y - 1.0)
    safe_log = log(where(x > 0, x, ones_like(x)))   # d/dy x^y = x^y log x, 0 where x <= 0 (log 1 = 0)
    return unbroadcast(op, gx, g * z * safe_log)


def _minmax_grad(op, g, pick_x):
    x, y = op.inputs
    zeros = zeros_like(g)
    mask = pick_x(x, y)
    return unbroadcast(op, where(mask, g, zeros), where(mask, zeros, g))


def _sqdiff_grad(op, g):
    x, y = op.inputs
    gx = (2.0 * g) * (x - y)
    return unbroadcast(op, gx, negative(gx))


_binary("Add", "add", _add_grad)
_binary("AddV2", "add", _add_grad)
_binary("Sub", "sub", _sub_grad)
_binary("Mul", "mul", _mul_grad)


def _integer_division(kernel: str) -> dict:
    """A division kernel that refuses an integer divisor of 0, as TF's CPU kernels do."""
    fields = K.binary(kernel)
    cpu_factory = fields["kernel"]

    def checked_factory(op, runtime):
        run = cpu_factory(op, runtime)
        if not op.inputs or op.inputs[0].dtype.base_dtype.is_floating:
            return run

        def divide(x, y):
            if not np.all(y):
                raise errors.InvalidArgumentError(None, op, "Integer division by zero" + node_suffix(op))
            return run(x, y)
        return divide
    return dict(fields, kernel=checked_factory)


def _division(op_type: str, kernel: str, grad=None, **fields):
    register_op(op_type, shape_fns.broadcast, grad=grad, attrs=("T",), num_inputs=2,
                **_integer_division(kernel), type_constraints=_type_constraints(op_type),
                run_time_shape_error=_incompatible_shapes, **fields)


_division("RealDiv", "div", _div_grad)
_division("Div", "div", _div_grad)
_division("FloorDiv", "floordiv", differentiable=False)
_division("FloorMod", "floormod", lambda op, g: unbroadcast(
    op, g, g * negative(apply_op("FloorDiv", list(op.inputs)))))
_binary("Pow", "pow", _pow_grad)
_binary("Maximum", "maximum", lambda op, g: _minmax_grad(op, g, greater_equal))
_binary("Minimum", "minimum", lambda op, g: _minmax_grad(op, g, less_equal))
_binary("SquaredDifference", "squared_difference", _sqdiff_grad)
for _op, _k in [("Equal", "equal"), ("NotEqual", "not_equal"), ("Less", "less"),
                ("LessEqual", "less_equal"), ("Greater", "greater"), ("GreaterEqual", "greater_equal"),
                ("LogicalAnd", "logical_and"), ("LogicalOr", "logical_or")]:
    _binary(_op, _k, infer=shape_fns.broadcast_bool, differentiable=False)


# --- the public functions ----------------------------------------------------------
def _is_tensor_like(v) -> bool:
    return isinstance(v, Tensor) or hasattr(v, "_as_graph_element") or hasattr(v, "_is_eager_tensor")


def _binary_inputs(x, y, op_type: str = "BinaryOp"):
    """Convert both operands; a Python number takes the other operand's dtype.

    Called inside the op's name scope (see ``_binary_op``), the constants are
    named for the input they feed, ``mul/y``, as TF 1.x names them.
    """
    if _is_tensor_like(x):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y) if _is_tensor_like(y) else convert_to_tensor(y, dtype=x.dtype.base_dtype,
                                                                             name="y")
    elif _is_tensor_like(y):
        y = convert_to_tensor(y)
        x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
    else:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
    if x.dtype.base_dtype is not y.dtype.base_dtype:
        raise TypeError(f"Input 'y' of '{op_type}' Op has type {y.dtype.base_dtype.name} that does not "
                        f"match type {x.dtype.base_dtype.name} of argument 'x'.")
    return [x, y]


def _eager_binary_inputs(x, y, op_type: str):
    """``_binary_inputs`` in eager mode, with a plain Python number converted once (then cached)."""
    kind_x, kind_y = type(x), type(y)
    if kind_y in _PLAIN_NUMBERS and kind_x not in _PLAIN_NUMBERS and hasattr(x, "_is_eager_tensor"):
        return [x, context.executor().scalar_operand(y, x.dtype.base_dtype, _convert_y)]
    if kind_x in _PLAIN_NUMBERS and kind_y not in _PLAIN_NUMBERS and hasattr(y, "_is_eager_tensor"):
        return [context.executor().scalar_operand(x, y.dtype.base_dtype, _convert_x), y]
    return _binary_inputs(x, y, op_type)


_PLAIN_NUMBERS = (int, float, bool)


def _convert_x(value, dtype):
    return convert_to_tensor(value, dtype=dtype, name="x")


def _convert_y(value, dtype):
    return convert_to_tensor(value, dtype=dtype, name="y")


def _binary_op(op_type: str, x, y, name, default_name: str, build=None):
    """Build a binary op; plain numbers become constants inside its scope (``mul/y``), as in TF 1.x."""
    build = build or (lambda a, b, op_name: apply_op(op_type, [a, b], name=op_name))
    if context.executing_eagerly():
        return build(*_eager_binary_inputs(x, y, op_type), name or default_name)
    if _is_tensor_like(x) and _is_tensor_like(y):
        return build(*_binary_inputs(x, y, op_type), name or default_name)
    with name_scope(name, default_name) as scope:
        return build(*_binary_inputs(x, y, op_type), scope)


def _make_binary(op_type: str, default_name: str):
    def fn(x, y, name=None):
        return _binary_op(op_type, x, y, name, default_name)
    fn.__name__ = default_name.lower()
    fn.__doc__ = f"Elementwise {op_type} with numpy broadcasting."
    return fn


def _make_unary(op_type: str, default_name: str):
    def fn(x, name=None):
        return apply_op(op_type, [convert_to_tensor(x)], name=name or default_name)
    fn.__name__ = default_name.lower()
    fn.__doc__ = f"Elementwise {op_type}."
    return fn


add = _make_binary("Add", "Add")
subtract = _make_binary("Sub", "Sub")
multiply = _make_binary("Mul", "Mul")
maximum = _make_binary("Maximum", "Maximum")
minimum = _make_binary("Minimum", "Minimum")
squared_difference = _make_binary("SquaredDifference", "SquaredDifference")
floordiv = _make_binary("FloorDiv", "floordiv")
floormod = _make_binary("FloorMod", "FloorMod")
mod = floormod
equal = _make_binary("Equal", "Equal")
not_equal = _make_binary("NotEqual", "NotEqual")
less = _make_binary("Less", "Less")
less_equal = _make_binary("LessEqual", "LessEqual")
greater = _make_binary("Greater", "Greater")
greater_equal = _make_binary("GreaterEqual", "GreaterEqual")
logical_and = _make_binary("LogicalAnd", "LogicalAnd")
logical_or = _make_binary("LogicalOr", "LogicalOr")
negative = _make_unary("Neg", "Neg")
abs = _make_unary("Abs", "Abs")  # noqa: A001 - TF's name
square = _make_unary("Square", "Square")
sqrt = _make_unary("Sqrt", "Sqrt")
rsqrt = _make_unary("Rsqrt", "Rsqrt")
exp = _make_unary("Exp", "Exp")
expm1 = _make_unary("Expm1", "Expm1")
log = _make_unary("Log", "Log")
log1p = _make_unary("Log1p", "Log1p")
sigmoid = _make_unary("Sigmoid", "Sigmoid")
tanh = _make_unary("Tanh", "Tanh")
reciprocal = _make_unary("Reciprocal", "Reciprocal")
sin = _make_unary("Sin", "Sin")
cos = _make_unary("Cos", "Cos")
sign = _make_unary("Sign", "Sign")
floor = _make_unary("Floor", "Floor")
ceil = _make_unary("Ceil", "Ceil")
round = _make_unary("Round", "Round")  # noqa: A001 - TF's name
logical_not = _make_unary("LogicalNot", "LogicalNot")


def pow(x, y, name=None):  # noqa: A001 - TF's name
    return _binary_op("Pow", x, y, name, "Pow")


def truediv(x, y, name=None):
    """Division that always gives floats (ints are cast first, as TF does)."""
    def build(x, y, op_name):
        if not x.dtype.is_floating:
            target = dtypes.float64 if x.dtype.base_dtype in (dtypes.int32, dtypes.int64) else dtypes.float32
            x, y = cast(x, target), cast(y, target)
        return apply_op("RealDiv", [x, y], name=op_name)
    return _binary_op("RealDiv", x, y, name, "truediv", build)


def divide(x, y, name=None):
    return truediv(x, y, name=name)


def div(x, y, name=None):
    """TF1 ``tf.div``: floor division for ints, real division for floats."""
    def build(x, y, op_name):
        return apply_op("RealDiv" if x.dtype.is_floating else "FloorDiv", [x, y], name=op_name)
    return _binary_op("Div", x, y, name, "div", build)


def realdiv(x, y, name=None):
    return _binary_op("RealDiv", x, y, name, "RealDiv")


# --- Select (TF 1.x tf.where with x and y) and SelectV2 (broadcasting, tf.where_v2) ----------
def _select_infer(ctx):
    """TF 1.x Select: x and y alike; cond a scalar, a vector along dim 0, or x's shape."""
    xy = ctx.shape(1).merge_with(ctx.shape(2))
    c = ctx.shape(0)
    if c.ndims is not None and xy.ndims is not None and c.ndims not in (0, xy.ndims):
        if c.ndims != 1 or xy.ndims < 1:
            raise ValueError(f"Shapes must be equal rank, but are {c.ndims} and {xy.ndims}")
        c.merge_with(xy[:1])
    elif c.ndims == xy.ndims:
        xy = xy.merge_with(c)
    return xy, ctx.dtype(1)


def _select_grad(op, g):
    c = op.inputs[0]
    zeros = zeros_like(g)
    return [None, where(c, g, zeros), where(c, zeros, g)]


def _select_kernel(op, runtime):
    def select(c, x, y):
        if x.shape != y.shape:
            raise errors.InvalidArgumentError(None, op, (
                "'then' and 'else' must have the same size.  but received: "
                f"{list(x.shape)} vs. {list(y.shape)}" + node_suffix(op)))
        if c.ndim == 1 and x.ndim > 1:              # a vector condition picks whole rows
            if c.shape[0] != x.shape[0]:
                raise errors.InvalidArgumentError(None, op, (
                    f"Number of batches of 'then' must match size of 'cond', but saw: {x.shape[0]}"
                    f" vs. {c.shape[0]}" + node_suffix(op)))
            c = c.reshape((-1,) + (1,) * (x.ndim - 1))
        elif c.ndim != 0 and c.shape != x.shape:
            raise errors.InvalidArgumentError(None, op, (
                "'cond' and 'then' must have the same size.  but received: "
                f"{list(c.shape)} vs. {list(x.shape)}" + node_suffix(op)))
        return np.where(c, x, y)
    return select


register_op("Select", _select_infer, kernel=_select_kernel, attrs=("T",), grad=_select_grad,
            gpu_kernel="minitf.ops.array_ops_gpu:select_rows")


def _select_v2_infer(ctx):
    shape_xy = broadcast_static(ctx.shape(1), ctx.shape(2))
    return broadcast_static(ctx.shape(0), shape_xy), ctx.dtype(1)


def _select_v2_grad(op, g):
    c, x, y = op.inputs
    zeros = zeros_like(g)
    gx, gy = where_v2(c, g, zeros), where_v2(c, zeros, g)
    sg = shape(g)
    rx, _ = broadcast_gradient_args(shape(x), sg)
    ry, _ = broadcast_gradient_args(shape(y), sg)
    return [None, reshape(reduce_sum(gx, rx), shape(x)), reshape(reduce_sum(gy, ry), shape(y))]


def _select_v2_kernel(op, runtime):
    return lambda c, x, y: np.where(c, x, y)


register_op("SelectV2", _select_v2_infer, kernel=_select_v2_kernel, attrs=("T",), grad=_select_v2_grad,
            gpu_kernel="minitf.ops.array_ops_gpu:select")


def where(condition, x=None, y=None, name=None):
    """Pick from ``x`` where ``condition`` is true, else from ``y`` (or indices if x, y are None).

    TF 1.x semantics: ``x`` and ``y`` have the same shape; a vector ``condition``
    picks whole rows (``tf.where_v2`` broadcasts instead).
    """
    if x is None and y is None:
        from .array_ops_extra import where_indices  # here, not at the top: array_ops_extra imports this module
        return where_indices(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    c = convert_to_tensor(condition, dtype=dtypes.bool)
    x, y = _binary_inputs(x, y, "Select")
    return apply_op("Select", [c, x, y], {"T": x.dtype.base_dtype}, name=name or "Select")


def where_v2(condition, x=None, y=None, name=None):
    """Pick from ``x`` where ``condition`` is true, else from ``y``, all three broadcast (TF 2's where)."""
    if x is None and y is None:
        return where(condition, name=name)          # the indices of the true elements
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    c = convert_to_tensor(condition, dtype=dtypes.bool)
    x, y = _binary_inputs(x, y, "SelectV2")
    return apply_op("SelectV2", [c, x, y], {"T": x.dtype.base_dtype}, name=name or "SelectV2")


# --- AddN ---------------------------------------------------------------------------
def _add_n_infer(ctx):
    merged = unknown_shape()
    for s in ctx.shapes:
        merged = merged.merge_with(s)
    return merged, ctx.dtype(0)


def _add_n_kernel(op, runtime):
    def add_n_fn(*xs):
        total = xs[0].copy()
        for x in xs[1:]:
            total += x
        return total
    return add_n_fn


register_op("AddN", _add_n_infer, kernel=_add_n_kernel, attrs=("N", "T"),
            type_constraints=allowed("inputs", L.ADD_N),
            grad=lambda op, g: [g] * len(op.inputs), gpu_kernel="minitf.ops.array_ops_gpu:add_n")


def add_n(inputs, name=None):
    """Sum a list of tensors of the same shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    tensors = [convert_to_tensor(t) for t in inputs]
    if len({t.dtype.base_dtype for t in tensors}) != 1:
        raise TypeError("Input 'inputs' of 'AddN' Op must all have the same type.")
    if len(tensors) == 1:
        return tensors[0] if name is None else apply_op("Identity", tensors, name=name)
    return apply_op("AddN", tensors, {"N": len(tensors)}, name=name or "AddN")


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamp values into [min, max] (gradient flows only where not clipped)."""
    with name_scope(name, "clip_by_value") as scope:
        t_min = minimum(t, clip_value_max)
        return maximum(t_min, clip_value_min, name=scope or None)


# --- Python operators on Tensor -------------------------------------------------------
def _binary_operator(fn, name):
    def forward(self, other):
        return fn(self, other, name=name)

    def reverse(self, other):
        return fn(other, self, name=name)
    return forward, reverse


def install_operators(cls) -> None:
    """Give ``cls`` (Tensor, Variable, EagerTensor) TF's Python operators."""
    table = {"add": add, "sub": subtract, "mul": multiply, "truediv": truediv,
             "floordiv": floordiv, "mod": floormod, "pow": pow}
    for dunder, fn in table.items():
        fwd, rev = _binary_operator(fn, dunder)
        setattr(cls, f"__{dunder}__", fwd)
        setattr(cls, f"__r{dunder}__", rev)
    from .matmul_op import matmul  # here, not at the top: matmul_op imports this module
    cls.__matmul__ = lambda a, b: matmul(a, b, name="matmul")
    cls.__rmatmul__ = lambda a, b: matmul(b, a, name="matmul")
    cls.__neg__ = lambda a: negative(a, name="Neg")
    cls.__abs__ = lambda a: abs(a, name="Abs")
    cls.__invert__ = lambda a: logical_not(a, name="LogicalNot")
    cls.__and__ = lambda a, b: logical_and(a, b, name="and")
    cls.__rand__ = lambda a, b: logical_and(b, a, name="and")
    cls.__or__ = lambda a, b: logical_or(a, b, name="or")
    cls.__ror__ = lambda a, b: logical_or(b, a, name="or")
    cls.__lt__ = lambda a, b: less(a, b)
    cls.__le__ = lambda a, b: less_equal(a, b)
    cls.__gt__ = lambda a, b: greater(a, b)
    cls.__ge__ = lambda a, b: greater_equal(a, b)


install_operators(Tensor)
