"""``tf.train.import_meta_graph``: rebuild a saved graph, its collections and its Saver.

The MetaGraphDef format itself (writing, reading) is ``io/meta_graph.py``;
this file puts one back into the default graph, with Python ``Variable``
objects in the variable collections and a ``Saver`` ready to restore.
"""

from __future__ import annotations

from google.protobuf import message

from ..framework import context
from ..framework.graph import get_default_graph
from ..io.graph_io import import_graph_def
from ..io.meta_graph import VARIABLE_COLLECTIONS, read_meta_graph_file
from ..io.protos import meta_graph_pb2, variable_pb2
from ..ops.variables import Variable, global_variables
from .saver import Saver


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuild a saved graph in the default graph; return its Saver (or None without variables)."""
    if context.executing_eagerly():
        raise RuntimeError("Exporting/importing meta graphs is not supported when eager execution is "
                           "enabled. No graph exists when eager execution is enabled.")
    meta = meta_graph_or_file
    if not isinstance(meta, meta_graph_pb2.MetaGraphDef):
        meta = read_meta_graph_file(meta_graph_or_file)
    graph_def = meta.graph_def
    if clear_devices:
        graph_def = type(graph_def)()
        graph_def.CopyFrom(meta.graph_def)
        for node in graph_def.node:
            node.device = ""
    import_graph_def(graph_def, name=import_scope or "")
    _restore_collections(meta, import_scope)
    if meta.HasField("saver_def"):
        return Saver(saver_def=meta.saver_def, name=import_scope)
    if global_variables():
        return Saver()
    print("Saver not created because there are no variables in the graph to restore")
    return None


def _variable_def(key: str, raw: bytes) -> variable_pb2.VariableDef:
    """One VariableDef of a collection, or a ValueError naming the collection."""
    proto = variable_pb2.VariableDef()
    try:
        proto.ParseFromString(raw)
    except message.DecodeError as e:
        raise ValueError(f"Collection '{key}' holds a VariableDef that cannot be parsed: {e}") from None
    return proto


def _restore_collections(meta, import_scope) -> None:
    graph = get_default_graph()
    prefix = (import_scope + "/") if import_scope else ""
    made: dict = {}        # one Python Variable per variable, shared by every collection naming it
    for key, collection in sorted(meta.collection_def.items()):
        kind = collection.WhichOneof("kind")
        if kind == "bytes_list" and key in VARIABLE_COLLECTIONS:
            for raw in collection.bytes_list.value:
                proto = _variable_def(key, raw)
                if proto.variable_name not in made:
                    try:
                        made[proto.variable_name] = Variable.from_proto(proto, import_scope=import_scope)
                    except (KeyError, ValueError, TypeError) as e:
                        raise ValueError(f"Collection '{key}': VariableDef of '{proto.variable_name}' "
                                         f"names nodes this graph lacks: {e}") from None
                graph.add_to_collection(key, made[proto.variable_name])
        elif kind == "node_list":
            for name in collection.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(prefix + name))
        elif kind is not None:
            graph.get_collection_ref(key).extend(getattr(collection, kind).value)
