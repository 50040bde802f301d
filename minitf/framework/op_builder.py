"""``apply_op``: the one place where an op is created (graph mode) or run (eager).

Every public op function (``tf.add``, ``tf.matmul``...) converts its arguments
to Tensors and calls ``apply_op``.  Here the registry's shape function checks
the inputs, so shape errors appear when the graph is built, in TF's words.
"""

from __future__ import annotations

import numpy as np

from . import context, errors, graph as graph_mod
from .func_graph import FuncGraph, capture_inputs
from .graph import _VALID_OP_NAME
from .registry import InferContext, get_op_def, normalize_infer_result, shape_stand_in
from .tensor import Tensor
from .tensor_shape import as_shape


def apply_op(op_type: str, inputs, attrs: dict | None = None, name: str | None = None,
             graph=None, control_inputs=()):
    """Create an op of ``op_type``; return its output Tensor (or list, or the op if none)."""
    op_def = get_op_def(op_type)
    executor = context.executor()
    check_input_types(op_def, inputs, eager=executor is not None)
    attrs = dict(attrs or {})
    if "T" in op_def.attrs and "T" not in attrs and inputs:
        attrs["T"] = inputs[0].dtype.base_dtype
    if executor is not None:                      # eager mode: run it now (eager/executor.py)
        return executor.execute(op_def, inputs, attrs, name)
    if graph is None and isinstance(graph_mod.get_default_graph(), FuncGraph):
        graph = graph_mod.get_default_graph()        # building a cond branch or loop body
        inputs = capture_inputs(graph, inputs)
    graph = graph or _graph_of(inputs)
    op_name = _checked_name(graph, name or op_type)
    outputs = infer_outputs(op_def, op_name, inputs, attrs)
    op = graph._create_op(op_type, inputs, attrs, [d for _, d in outputs], [s for s, _ in outputs],
                          op_name, control_inputs=control_inputs)
    return op_result(op)


def check_input_types(op_def, inputs, eager: bool = False) -> None:
    """Refuse an input whose dtype the op's type attr does not allow, in TF's words.

    Building a graph, TF checks this in Python before the op exists (op_def_library):
    a TypeError.  Eager ops go straight to TF's C++ NodeDef check: an
    InvalidArgumentError in C++ dtype names (TF's message goes on with the op's
    full signature, left out here).
    """
    for rule in op_def.type_constraints:
        if not -len(inputs) <= rule.input < len(inputs):
            continue
        dtype = inputs[rule.input].dtype.base_dtype
        if dtype.name in rule.allowed:
            continue
        if eager:
            cpp = ", ".join(cpp_dtype_name(n) for n in rule.allowed)
            raise errors.InvalidArgumentError(None, None, (
                f"Value for attr '{rule.attr}' of {cpp_dtype_name(dtype.name)} is not in "
                f"the list of allowed values: {cpp}\n\t; NodeDef: {{{{node {op_def.type}}}}} [Op:{op_def.type}]"))
        raise TypeError(f"Value passed to parameter '{rule.param}' has DataType {dtype.name} "
                        f"not in list of allowed values: {', '.join(rule.allowed)}")


# The names TF's C++ core gives the dtypes whose Python names differ.
_CPP_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def cpp_dtype_name(name: str) -> str:
    """A dtype as TF's C++ messages name it (float32 -> float): eager ops, imported NodeDefs."""
    return _CPP_DTYPE_NAMES.get(name, name)


def op_result(op):
    """What an op function returns: its single output, its outputs, or the op itself."""
    if not op.outputs:
        return op
    return op.outputs[0] if len(op.outputs) == 1 else op.outputs


def infer_outputs(op_def, op_name, inputs, attrs, shapes=None, consts=None) -> list:
    """Run the op's shape function, rewording its ValueError as TF does."""
    shapes = [t.shape for t in inputs] if shapes is None else shapes
    if consts is None:
        consts = [constant_value(t) for t in inputs]
    ctx = InferContext(op_def.type, op_name, shapes, [t.dtype for t in inputs], attrs, consts)
    try:
        return normalize_infer_result(op_def.infer(ctx))
    except ValueError as e:
        shown = ", ".join(shape_text(s) for s in ctx.shapes)
        raise ValueError(f"{e} for '{op_name}' (op: '{op_def.type}') with input shapes: {shown}.") from None


def run_time_shape_message(op_def, shapes, attrs, error: Exception) -> str:
    """The words for a shape error found when the op runs: its kernel's, when TF's kernel checks it."""
    if op_def.run_time_shape_error is not None:
        message = op_def.run_time_shape_error([as_shape(s) for s in shapes], attrs)
        if message:
            return message
    return str(error)


def constant_value(t: Tensor):
    """The value of ``t`` if it is known at graph-build time, else None.

    Like TF's ``tensor_util.constant_value``: an eager tensor's value, a Const,
    or the Shape/Size/Rank of a tensor whose static shape is fully known (so
    ``reshape(g, shape(x))`` keeps x's static shape).
    """
    if hasattr(t, "_is_eager_tensor"):
        return t.numpy()                 # in eager mode every value is known
    if not isinstance(t, Tensor):
        return None
    op_def = t.op.op_def
    if op_def.constant:
        return t.op.get_attr("value")
    if op_def.shape_function_of_input and t.op.inputs[0].shape.is_fully_defined():
        stand_in = shape_stand_in(t.op.inputs[0].shape.as_list())
        return np.asarray(op_def.kernel(t.op, None)(stand_in), dtype=t.dtype.np_dtype)
    return None


def shape_text(shape) -> str:
    """A shape as TF's messages print it (TensorShape::DebugString): [2,3], [?,3], ?."""
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.dims) + "]"


def _graph_of(inputs):
    graph = None
    for t in inputs:
        if hasattr(t, "_is_eager_tensor"):     # an eager value inside `with tf.Graph().as_default():`
            raise RuntimeError("Attempting to capture an EagerTensor without building a function.")
        if graph is None:
            graph = t.graph
        elif t.graph is not graph:
            raise ValueError(f"Tensor({t}) must be from the same graph as Tensor({inputs[0]}).")
    default = graph_mod.get_default_graph()
    if graph is not None and graph is not default and graph_mod.inside_as_default():
        # Inside `with g.as_default()`, inputs from another graph are a mistake.
        raise ValueError(f"Tensor({inputs[0]}) must be from the same graph as the default graph.")
    return graph or default


def _checked_name(graph, name: str) -> str:
    if name.endswith("/"):      # a scope name from `name_scope(...) as scope`: used exactly
        return name[:-1]
    if not _VALID_OP_NAME.match(name):
        raise ValueError(f"'{name}' is not a valid node name")
    return graph.unique_name(name)
