"""Graph ↔ GraphDef: writing TF's ``.pb`` files and importing them.

Export writes exactly the attrs TF 1.x's op registry declares (listed in each
OpDef's ``attrs``), so TensorFlow loads the file.  Import accepts what modern
TensorFlow writes: ``AddV2``, extra attrs (``grad_a``) and ``_``-prefixed ones
(``_class``, ``_output_shapes``) are ignored.
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..framework import dtypes, hooks
from ..framework.func_graph import FuncGraph
from ..framework.graph import get_default_graph
from ..framework.op_builder import cpp_dtype_name, infer_outputs
from ..framework.registry import get_op_def, has_op
from ..framework.tensor_shape import TensorShape
from .protos import attr_value_pb2, graph_pb2, node_def_pb2, versions_pb2
from .function_def import FunctionRef, function_def_from_graph, functions_used, import_library
from .tensor_proto import make_ndarray, make_tensor_proto, shape_from_proto, shape_to_proto

GRAPH_DEF_VERSION = 134            # TF 1.15's producer version
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
TF_VERSION = "1.15.0"


def versions_def() -> versions_pb2.VersionDef:
    return versions_pb2.VersionDef(producer=GRAPH_DEF_VERSION, min_consumer=GRAPH_DEF_VERSION_MIN_CONSUMER)


# --- export -------------------------------------------------------------------------
def graph_def_from_graph(graph, add_shapes: bool = False) -> graph_pb2.GraphDef:
    """The whole graph as a GraphDef (nodes in creation order)."""
    graph_def = graph_pb2.GraphDef()
    graph_def.versions.CopyFrom(versions_def())
    for op in graph.get_operations():
        node = graph_def.node.add()
        node.CopyFrom(node_def_from_op(op))
        if add_shapes and op.outputs:
            shapes = attr_value_pb2.AttrValue()
            for t in op.outputs:
                shapes.list.shape.add().CopyFrom(shape_to_proto(t.shape.as_tuple()))
            node.attr["_output_shapes"].CopyFrom(shapes)
    for func_graph in functions_used(graph):          # cond branches and loop bodies
        graph_def.library.function.add().CopyFrom(function_def_from_graph(func_graph, node_def_from_op))
    return graph_def


# tf.py_func's ops name a Python function by a token valid only in the process that made it.
PY_FUNC_OPS = ("PyFunc", "PyFuncStateless", "EagerPyFunc")


def refuse_python_functions(graph_def, what: str) -> None:
    """Raise when ``graph_def`` holds a py_func: the file written would not run anywhere else."""
    for node in graph_def.node:
        if node.op in PY_FUNC_OPS:
            raise ValueError(
                f"Cannot {what}: node '{node.name}' is a tf.py_func ({node.op}). Its Python function lives "
                "only in this process, so the saved graph could not run it (TensorFlow cannot serialize "
                "py_func either). Compute it with TensorFlow ops, or feed its result through a placeholder.")


def node_def_from_op(op) -> node_def_pb2.NodeDef:
    """One op as a NodeDef: name, type, inputs (``x``, ``x:1``, ``^ctrl``), device, TF attrs."""
    node = node_def_pb2.NodeDef(name=op.name, op=op.type, device=op.device)
    for t in op.inputs:
        node.input.append(t.op.name if t.value_index == 0 else t.name)
    for c in op.control_inputs:
        node.input.append("^" + c.name)
    for name in op.op_def.attrs:
        if name in op.attrs:
            node.attr[name].CopyFrom(attr_value(op.attrs[name]))
    return node


# Graph.as_graph_def(), Graph.graph_def_versions and Operation.node_def call these
# (framework/ cannot import this module: it is the floor below it).
hooks.install(graph_def=graph_def_from_graph, node_def=node_def_from_op, versions_def=versions_def)


def attr_value(value) -> attr_value_pb2.AttrValue:
    """A Python attr value as TF's AttrValue."""
    out = attr_value_pb2.AttrValue()
    if isinstance(value, dtypes.DType):
        out.type = value.base_dtype.enum
    elif isinstance(value, (bool, np.bool_)):
        out.b = bool(value)
    elif isinstance(value, (int, np.integer)):
        out.i = int(value)
    elif isinstance(value, (float, np.floating)):
        out.f = float(value)
    elif isinstance(value, str):
        out.s = value.encode("utf-8")
    elif isinstance(value, bytes):
        out.s = value
    elif isinstance(value, TensorShape):
        out.shape.CopyFrom(shape_to_proto(value.as_tuple()))
    elif isinstance(value, np.ndarray):
        out.tensor.CopyFrom(make_tensor_proto(value))
    elif isinstance(value, FuncGraph):
        out.func.name = value.name
    elif isinstance(value, (list, tuple)):
        out.list.SetInParent()              # an empty list is still a list (Conv2D's explicit_paddings)
        _fill_list(out.list, value)
    else:
        raise TypeError(f"Cannot serialize attr value {value!r} of type {type(value).__name__}")
    return out


def _fill_list(lst, values) -> None:
    for v in values:
        if isinstance(v, dtypes.DType):
            lst.type.append(v.base_dtype.enum)
        elif isinstance(v, bool):
            lst.b.append(v)
        elif isinstance(v, int):
            lst.i.append(v)
        elif isinstance(v, float):
            lst.f.append(v)
        elif isinstance(v, (str, bytes)):
            lst.s.append(v.encode("utf-8") if isinstance(v, str) else v)
        elif isinstance(v, TensorShape):
            lst.shape.add().CopyFrom(shape_to_proto(v.as_tuple()))
        else:
            raise TypeError(f"Cannot serialize list attr element {v!r}")


# --- import -------------------------------------------------------------------------
def python_attr(value: attr_value_pb2.AttrValue):
    """A TF AttrValue as the Python value minitf ops store."""
    kind = value.WhichOneof("value")
    if kind == "type":
        return dtypes.as_dtype(value.type)
    if kind == "shape":
        return TensorShape(shape_from_proto(value.shape))
    if kind == "tensor":
        return make_ndarray(value.tensor)
    if kind == "s":
        return value.s.decode("utf-8", errors="replace")
    if kind in ("i", "f", "b"):
        return getattr(value, kind)
    if kind == "func":
        return FunctionRef(value.func.name)
    if kind == "list":
        lst = value.list
        if lst.type:
            return [dtypes.as_dtype(t) for t in lst.type]
        if lst.shape:
            return [TensorShape(shape_from_proto(s)) for s in lst.shape]
        for field in ("i", "f", "b", "s"):
            items = list(getattr(lst, field))
            if items:
                return [s.decode("utf-8", errors="replace") for s in items] if field == "s" else items
        return []
    return None


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Add the nodes of ``graph_def`` to the default graph, under the scope ``name`` ("import")."""
    if not isinstance(graph_def, graph_pb2.GraphDef):
        raise TypeError(f"graph_def must be a GraphDef proto, got {type(graph_def).__name__}.")
    graph = get_default_graph()
    _check_versions(graph_def)
    _check_ops_known(graph_def)
    _check_unique_names(graph_def)
    input_map = {_tensor_key(k): v for k, v in (input_map or {}).items()}
    scope = _import_scope(graph, name)
    nodes = _topological(graph_def)
    functions = import_library(graph_def.library, graph, python_attr)
    created = {}
    for node in nodes:
        created[node.name] = _create_node(graph, node, scope, created, input_map, functions)
    if return_elements is None:
        return None
    return [_element(created, r) for r in return_elements]


def _check_versions(graph_def) -> None:
    """TF's CheckVersions: refuse a graph only a newer TensorFlow may read."""
    if not graph_def.HasField("versions"):
        return                           # TF imports a GraphDef with no versions at all
    v = graph_def.versions
    if v.producer < 0:
        raise ValueError(f"GraphDef producer version {v.producer} below min producer 0 supported by "
                         f"TensorFlow {TF_VERSION}.  Please regenerate your graph.")
    if v.min_consumer > GRAPH_DEF_VERSION:
        raise ValueError(f"GraphDef min consumer version {v.min_consumer} above current version "
                         f"{GRAPH_DEF_VERSION} for TensorFlow {TF_VERSION}.  Please upgrade TensorFlow.")
    if GRAPH_DEF_VERSION in v.bad_consumers:
        raise ValueError(f"GraphDef disallows consumer version {GRAPH_DEF_VERSION}.  Please upgrade "
                         "TensorFlow: this version is likely buggy.")


def _check_unique_names(graph_def) -> None:
    seen = set()
    for node in graph_def.node:
        if node.name in seen:
            raise ValueError(f"Node '{node.name}' is not unique")
        seen.add(node.name)


def _check_ops_known(graph_def) -> None:
    for node in graph_def.node:
        if not has_op(node.op):
            raise ValueError(f"No op named {node.op} in defined operations "
                             f"(node '{node.name}'): minitf cannot import this graph.")


def _import_scope(graph, name) -> str:
    if name == "":
        return ""
    with graph.name_scope(name or "import") as scope:
        return scope


def _tensor_key(name: str) -> str:
    name = name[1:] if name.startswith("^") else name
    return name if ":" in name else name + ":0"


def _parse_input(text: str):
    """``'x'`` → ('x', 0, False); ``'x:1'`` → ('x', 1, False); ``'^x'`` → ('x', 0, True)."""
    if text.startswith("^"):
        return text[1:], 0, True
    if ":" in text:
        op, _, index = text.rpartition(":")
        return op, int(index), False
    return text, 0, False


def _topological(graph_def) -> list:
    """Nodes ordered so every input comes first (GraphDefs need not be sorted)."""
    by_name = {n.name: n for n in graph_def.node}
    order, state = [], {}
    for root in graph_def.node:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                state[node.name] = 2
                order.append(node)
                continue
            if state.get(node.name):
                if state[node.name] == 1:
                    raise ValueError(f"GraphDef has a cycle at node '{node.name}'")
                continue
            state[node.name] = 1
            stack.append((node, True))
            for inp in reversed(node.input):
                src = _parse_input_checked(node, inp)[0]
                if src not in by_name:
                    raise ValueError(f"Node '{node.name}': input '{inp}' does not exist in the graph_def.")
                if state.get(src) == 1:
                    raise ValueError(f"GraphDef has a cycle: node '{node.name}' depends on '{src}', "
                                     "which depends on it")
                if not state.get(src):
                    stack.append((by_name[src], False))
    return order


def _parse_input_checked(node, text: str):
    try:
        return _parse_input(text)
    except ValueError:
        raise ValueError(f"Node '{node.name}': malformed input '{text}'") from None


def _create_node(graph, node, scope, created, input_map, functions=None):
    op_def = get_op_def(node.op)
    _check_arity(node, op_def)
    inputs, controls = [], []
    for inp in node.input:
        src, index, is_control = _parse_input(inp)
        if is_control:
            controls.append(created[src])
            continue
        key = f"{src}:{index}"
        if key in input_map:
            inputs.append(input_map[key])
            continue
        src_op = created[src]
        if index >= len(src_op.outputs):
            raise ValueError(f"Node '{node.name}': input '{inp}' refers to output {index} of "
                             f"'{src}', which has {len(src_op.outputs)} outputs.")
        inputs.append(src_op.outputs[index])
    attrs = {k: _node_attr(node, k, v) for k, v in node.attr.items()
             if not k.startswith("_") and k in op_def.attrs}
    attrs = {k: functions[v.name] if isinstance(v, FunctionRef) else v for k, v in attrs.items()}
    name = scope + node.name
    _check_types(node, op_def, inputs, name)
    for required in op_def.required_attrs:
        if required not in attrs:
            raise ValueError(f"NodeDef missing attr '{required}' from Op<name={node.op}>; "
                             f"NodeDef: {{{{node {node.name}}}}}")
    try:
        outputs = infer_outputs(op_def, name, inputs, attrs)
    except (AttributeError, TypeError, IndexError, KeyError, ValueError) as e:
        raise ValueError(f"Node '{node.name}' ({node.op}) cannot be imported: {e}") from None
    _check_output_types(node, attrs, outputs)
    with graph.device(node.device) if node.device else contextlib.nullcontext():
        op = graph._create_op(op_def.type, inputs, attrs, [d for _, d in outputs], [s for s, _ in outputs],
                              name, control_inputs=controls)
    graph._names_in_use.setdefault(name.lower(), 1)
    return op


def _check_output_types(node, attrs, outputs) -> None:
    """An output's dtype comes from a type attr; an attr holding another kind of value (a tensor,
    an int...) where a type belongs is refused in TF's words instead of failing later."""
    for output in outputs:
        if output is not None and isinstance(output[1], dtypes.DType):
            continue
        key = next((k for k, v in node.attr.items()
                    if not k.startswith("_") and v.WhichOneof("value") not in ("type", "list")
                    and k in attrs and isinstance(attrs[k], (np.ndarray, int, float, bytes, str, bool))), None)
        kind = node.attr[key].WhichOneof("value") if key is not None else "unknown"
        raise ValueError(f"AttrValue had value with type '{kind}' when 'type' expected\n\t for attr "
                         f"'{key}'\n\t; NodeDef: {{{{node {node.name}}}}}")


def _check_types(node, op_def, inputs, name: str) -> None:
    """TF's NodeDef check: each type attr (``T``) holds a dtype the op allows, else a ValueError.

    TF's importer checks the NodeDef's attr, so that is read first; a NodeDef without it is judged by
    the input that would set it.  TF's message goes on with the op's full signature (left out here).
    """
    for rule in op_def.type_constraints:
        if rule.attr in node.attr and node.attr[rule.attr].WhichOneof("value") == "type":
            dtype = _node_attr(node, rule.attr, node.attr[rule.attr])
        elif -len(inputs) <= rule.input < len(inputs):
            dtype = inputs[rule.input].dtype
        else:
            continue
        dtype = dtype.base_dtype
        if dtype.name not in rule.allowed:
            raise ValueError(f"Value for attr '{rule.attr}' of {cpp_dtype_name(dtype.name)} is not in the list of "
                             f"allowed values: {', '.join(cpp_dtype_name(n) for n in rule.allowed)}\n\t; "
                             f"NodeDef: {{{{node {name}}}}}")


def _check_arity(node, op_def) -> None:
    """TF's NodeDef check: a fixed-arity op gets exactly its number of data inputs."""
    expected = op_def.num_inputs
    given = sum(1 for i in node.input if not i.startswith("^"))
    if expected is not None and given != expected:
        raise ValueError(f"NodeDef expected {expected} input(s) do not match {given} inputs specified; "
                         f"Op<name={node.op}>; NodeDef: {{{{node {node.name}}}}}")


def _node_attr(node, key: str, value):
    """An attr as Python, or a ValueError naming the node (an unknown dtype enum, ...)."""
    try:
        return python_attr(value)
    except Exception as e:          # a malformed attr of any kind: TF rejects the node
        raise ValueError(f"Node '{node.name}': attr '{key}' is not valid: {e}") from None


def _element(created, name: str):
    op_name, _, index = name.rpartition(":") if ":" in name else (name, "", "")
    if op_name not in created or (index and not index.isdigit()) or (
            index and int(index) >= len(created[op_name].outputs)):
        raise ValueError(f"Requested return_element '{name}' not found in graph_def.")
    return created[op_name].outputs[int(index)] if index else created[op_name]
