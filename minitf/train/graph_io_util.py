"""``tf.train.write_graph``: a graph (or GraphDef) to a ``.pb`` or ``.pbtxt`` file."""

from __future__ import annotations

import os

from ..io.atomic import atomic_write_bytes, write_error
from ..io.graph_io import refuse_python_functions


def write_graph(graph_or_graph_def, logdir, name, as_text=True) -> str:
    """Write the graph to ``logdir/name`` (text format when ``as_text``); return the path."""
    from google.protobuf import text_format
    graph_def = graph_or_graph_def
    if hasattr(graph_or_graph_def, "as_graph_def"):
        graph_def = graph_or_graph_def.as_graph_def()
    refuse_python_functions(graph_def, f"write the graph to {name}")
    logdir = os.fspath(logdir)
    if logdir and not os.path.isdir(logdir):
        try:
            os.makedirs(logdir, exist_ok=True)
        except OSError as e:
            raise write_error(e, logdir) from None
    path = os.path.join(logdir, name)
    data = text_format.MessageToString(graph_def).encode("utf-8") if as_text else graph_def.SerializeToString()
    atomic_write_bytes(path, data)
    return path
