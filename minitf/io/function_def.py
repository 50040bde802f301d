"""FuncGraph ↔ FunctionDef: the ``library`` of a GraphDef holding cond/loop bodies.

A control flow op names its bodies by attr (``then_branch: {func {name: ...}}``);
the bodies themselves are FunctionDefs in ``GraphDef.library``.  Inside a
FunctionDef, inputs are *arguments* (``arg0``), and a node's output is named
by TF's output argument name: ``MatMul:product:0`` rather than ``MatMul:0``,
so both directions look up the names TF's op registry uses (``op_args.py``).
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.func_graph import FuncGraph, claim_function_name
from ..framework.op_builder import infer_outputs
from ..framework.registry import get_op_def
from ..framework.tensor_shape import TensorShape
from .op_args import OUTPUT_ARGS
from .protos import function_pb2


class FunctionRef:
    """An attr naming a function, before the function itself is known (while importing)."""

    def __init__(self, name: str):
        self.name = name


# --- export -------------------------------------------------------------------------
def functions_used(graph) -> list:
    """Every FuncGraph the graph's ops name, nested ones too, each once, inner ones first."""
    found: dict = {}

    def visit(g):
        for op in g.get_operations():
            for value in op.attrs.values():
                if isinstance(value, FuncGraph) and value.name not in found:
                    visit(value)
                    found[value.name] = value
    visit(graph)
    return list(found.values())


def function_def_from_graph(func_graph, node_def_from_op) -> function_pb2.FunctionDef:
    """One body as a FunctionDef: arguments for its inputs, ``ret`` for its outputs."""
    fdef = function_pb2.FunctionDef()
    fdef.signature.name = func_graph.name
    names = {}
    for i, t in enumerate(func_graph.inputs):
        arg = fdef.signature.input_arg.add(name=f"arg{i}", type=t.dtype.base_dtype.enum)
        names[t] = arg.name
    for op in func_graph.get_operations():
        if op.outputs and all(t in names for t in op.outputs):
            continue
        node = fdef.node_def.add()
        node.CopyFrom(node_def_from_op(op))
        del node.input[:]
        node.input.extend(_input_ref(t, names) for t in op.inputs)
        node.input.extend("^" + c.name for c in op.control_inputs)
        node.device = ""
    if func_graph.is_stateful():
        fdef.signature.is_stateful = True
    for i, t in enumerate(func_graph.outputs):
        fdef.signature.output_arg.add(name=f"output{i}", type=t.dtype.base_dtype.enum)
        fdef.ret[f"output{i}"] = _input_ref(t, names)
    return fdef


def _input_ref(t, names) -> str:
    if t in names:
        return names[t]
    arg, index = _output_arg(t.op, t.value_index)
    return f"{t.op.name}:{arg}:{index}"


def _output_arg(op, index: int):
    """TF's (output argument name, index within it) for output ``index`` of ``op``."""
    start = 0
    for arg, count in _args_of(op.type):
        n = _count(op.attrs, count)
        if index < start + n:
            return arg, index - start
        start += n
    raise ValueError(f"Cannot name output {index} of '{op.name}' ({op.type}) in a FunctionDef")


def _args_of(op_type: str):
    args = OUTPUT_ARGS.get(op_type)
    if args is None:
        raise ValueError(f"Op type {op_type} is missing from minitf/io/op_args.py: run "
                         "tools/record_op_args.py to record its output names")
    return args


def _count(attrs: dict, count) -> int:
    if count is None:
        return 1
    value = attrs[count]
    return len(value) if isinstance(value, (list, tuple)) else int(value)


# --- import -------------------------------------------------------------------------
def import_library(library, outer_graph, python_attr) -> dict:
    """FuncGraphs for the FunctionDefs of ``library``: {name: FuncGraph}."""
    by_name = {f.signature.name: f for f in library.function}
    made: dict = {}

    def make(name):
        if name not in made:
            made[name] = _import_function(by_name[name], outer_graph, python_attr, make)
        return made[name]
    for name in by_name:
        make(name)
    return made


def _import_function(fdef, outer_graph, python_attr, lookup) -> FuncGraph:
    graph = FuncGraph(fdef.signature.name, outer_graph)
    graph.name = fdef.signature.name                       # keep the library's name
    claim_function_name(graph.name)
    tensors = {}
    for arg in fdef.signature.input_arg:
        dtype = dtypes.as_dtype(arg.type)
        op = graph._create_op("Placeholder", [], {"dtype": dtype, "shape": TensorShape(None)}, [dtype],
                              [TensorShape(None)], graph.unique_name(arg.name))
        graph.inputs.append(op.outputs[0])
        tensors[arg.name] = op.outputs[0]
    graph.arg_count = len(graph.inputs)
    created = {}
    for node in _ordered(fdef.node_def):
        op_def = get_op_def(node.op)
        attrs = {}
        for k, v in node.attr.items():
            if k.startswith("_") or k not in op_def.attrs:
                continue
            value = python_attr(v)
            attrs[k] = lookup(value.name) if isinstance(value, FunctionRef) else value
        inputs = [_resolve(text, tensors, created) for text in node.input if not text.startswith("^")]
        controls = [created[text[1:]] for text in node.input if text.startswith("^")]
        outs = infer_outputs(op_def, node.name, inputs, attrs)
        op = graph._create_op(node.op, inputs, attrs, [d for _, d in outs], [s for s, _ in outs],
                              node.name, control_inputs=controls)
        graph._names_in_use[node.name.lower()] = 1
        created[node.name] = op
    graph.outputs = [_resolve(fdef.ret[a.name], tensors, created) for a in fdef.signature.output_arg]
    return graph


def _resolve(text: str, tensors: dict, created: dict):
    if text in tensors:
        return tensors[text]
    node, arg, index = text.split(":") if text.count(":") == 2 else (text.split(":") + ["0", "0"])[:3]
    op = created[node]
    start = 0
    for name, count in _args_of(op.type):
        if name == arg:
            return op.outputs[start + int(index)]
        start += _count(op.attrs, count)
    raise ValueError(f"Function input '{text}': {op.type} has no output argument '{arg}'")


def _ordered(nodes) -> list:
    """Function nodes, inputs first (a FunctionDef need not be sorted)."""
    by_name = {n.name: n for n in nodes}
    order, seen = [], set()
    for root in nodes:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node.name in seen:
                continue
            seen.add(node.name)
            stack.append((node, True))
            for text in node.input:
                src = text.lstrip("^").split(":")[0]
                if src in by_name and src not in seen:
                    stack.append((by_name[src], False))
    return order
