"""Freezing (PB 模式): variables become constants, the graph becomes one file.

``convert_variables_to_constants`` keeps only what the outputs need
(``extract_sub_graph``: the Assign, init and save nodes drop out), then turns
each ``VariableV2`` node into a ``Const`` holding the session's current value.
``W/read`` stays an Identity of the new Const ``W``, exactly as TF leaves it.
"""

from __future__ import annotations

import numpy as np

from .graph_io import _parse_input, attr_value, refuse_python_functions
from .protos import graph_pb2

_VARIABLE_OPS = ("VariableV2", "Variable", "VarHandleOp")


def extract_sub_graph(graph_def, dest_nodes) -> graph_pb2.GraphDef:
    """The part of ``graph_def`` that ``dest_nodes`` depend on, in the original order."""
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list.")
    by_name = {n.name: n for n in graph_def.node}
    for d in dest_nodes:
        if d not in by_name:
            raise AssertionError(f"{d} is not in graph")
    keep, stack = set(), list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_parse_input(i)[0] for i in by_name[name].input)
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.library.CopyFrom(graph_def.library)
    out.node.extend(n for n in graph_def.node if n.name in keep)
    return out


def convert_variables_to_constants(sess, input_graph_def, output_node_names,
                                   variable_names_whitelist=None, variable_names_blacklist=None):
    """A GraphDef of ``output_node_names``' subgraph with every variable frozen to a Const."""
    sub = extract_sub_graph(input_graph_def, output_node_names)
    refuse_python_functions(sub, "freeze the graph")
    names = [n.name for n in sub.node if n.op in _VARIABLE_OPS and _chosen(
        n.name, variable_names_whitelist, variable_names_blacklist)]
    values = dict(zip(names, sess.run([n + ":0" for n in names]))) if names else {}
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(sub.versions)
    out.library.CopyFrom(sub.library)
    for node in sub.node:
        new = out.node.add()
        if node.name in values:
            new.name, new.op, new.device = node.name, "Const", node.device
            # A scalar variable runs to a numpy scalar; as an array it becomes a tensor, not a float attr.
            value = np.asarray(values[node.name])
            new.attr["dtype"].CopyFrom(node.attr["dtype"])
            new.attr["value"].CopyFrom(attr_value(value))
        else:
            new.CopyFrom(node)
    print(f"Converted {len(values)} variables to const ops.")
    return out


def _chosen(name, whitelist, blacklist) -> bool:
    if whitelist is not None and name not in whitelist:
        return False
    return not (blacklist is not None and name in blacklist)


def remove_training_nodes(input_graph, protected_nodes=None):
    """Drop Identity/CheckNumerics nodes that only pass values through (TF's helper)."""
    protected = set(protected_nodes or [])
    # A node something waits on ("^name") must stay, or the wait would point nowhere (TF keeps it too).
    protected |= {inp[1:] for n in input_graph.node for inp in n.input if inp.startswith("^")}
    # An Identity that waits on something ("^name" among its inputs) stays too, as TF keeps it.
    skip = {n.name: n.input[0] for n in input_graph.node
            if n.op in ("Identity", "CheckNumerics") and n.name not in protected and n.input
            and not any(i.startswith("^") for i in n.input)}
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(input_graph.versions)
    for node in input_graph.node:
        if node.name in skip:
            continue
        new = out.node.add()
        new.CopyFrom(node)
        del new.input[:]
        for inp in node.input:
            # Identity and CheckNumerics have one output, so an input naming one is that output.
            src, _, ctrl = _parse_input(inp)
            while not ctrl and src in skip:
                inp = skip[src]
                src, _, ctrl = _parse_input(inp)
            new.input.append(inp)
    return out
