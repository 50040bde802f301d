"""Finding NaN and Inf: ``tf.check_numerics``, ``tf.is_nan``, ``tf.is_inf``, ``tf.is_finite``.

A debugging chapter's tools: ``check_numerics(x, message)`` passes ``x``
through unchanged, or stops the run with TF's InvalidArgumentError
("<message> : Tensor had NaN values") when ``x`` holds a NaN or an Inf;
``add_check_numerics_ops()`` puts such a check after every float tensor.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.graph import get_default_graph
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import control_dependencies
from . import shape_fns
from .array_ops import node_suffix
from .constant_op import convert_to_tensor
from .control_flow_ops import group


def _check_numerics_kernel(op, runtime):
    message = op.get_attr("message")

    def check(x):
        nan, inf = bool(np.isnan(x).any()), bool(np.isinf(x).any())
        if nan or inf:
            found = "Inf and NaN" if nan and inf else ("NaN" if nan else "Inf")
            raise errors.InvalidArgumentError(None, op, f"{message} : Tensor had {found} values"
                                              + node_suffix(op))
        return x
    return check


def _check_numerics_grad(op, g):
    """The gradient is checked too (TF's rule), with a message saying so."""
    return [check_numerics(g, "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                           + op.get_attr("message"))]


register_op("CheckNumerics", shape_fns.unchanged, kernel=_check_numerics_kernel, grad=_check_numerics_grad,
            attrs=("T", "message"), aliases_input=True, type_constraints=allowed("tensor", L.FLOAT_ROUNDING))


def check_numerics(tensor, message, name=None):
    """``tensor`` unchanged, or an InvalidArgumentError at run time if it holds a NaN or an Inf."""
    x = convert_to_tensor(tensor)
    if not x.dtype.base_dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'tensor' has DataType {x.dtype.base_dtype.name} not in "
                        "list of allowed values: bfloat16, float16, float32, float64")
    return apply_op("CheckNumerics", [x], {"message": str(message)}, name=name or "CheckNumerics")


def _predicate(op_type: str, np_fn):
    register_op(op_type, shape_fns.unchanged_bool, kernel=lambda op, rt: np_fn, attrs=("T",),
                differentiable=False, type_constraints=allowed("x", L.FLOAT_ROUNDING))

    def fn(x, name=None):
        x = convert_to_tensor(x)
        if not x.dtype.base_dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.base_dtype.name} not in "
                            "list of allowed values: bfloat16, float16, float32, float64")
        return apply_op(op_type, [x], name=name or op_type)
    fn.__name__ = op_type
    fn.__doc__ = f"Elementwise {np_fn.__name__}: a bool tensor."
    return fn


is_nan = _predicate("IsNan", np.isnan)
is_inf = _predicate("IsInf", np.isinf)
is_finite = _predicate("IsFinite", np.isfinite)


def add_check_numerics_ops():
    """One op that checks every float tensor of the default graph (TF 1.x's ``add_check_numerics_ops``).

    Each check is named for the tensor it watches ("<op>:<output>"); they run one
    after another, so the first bad tensor is the one reported.
    """
    graph = get_default_graph()
    checks = []
    for op in graph.get_operations():
        for output in op.outputs:
            if output.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):   # not refs
                message = f"{op.name}:{output.value_index}"
                with control_dependencies(checks[-1:]):
                    checks.append(check_numerics(output, message).op)
    return group(*checks)
