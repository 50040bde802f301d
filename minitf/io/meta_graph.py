"""MetaGraphDef: a graph plus its collections and Saver, as written to ``.meta`` files.

``export_meta_graph`` stores the GraphDef (with ``_output_shapes``), the
variable collections as VariableDef protos, and the SaverDef.
``import_meta_graph`` rebuilds all of that in the default graph.
"""

from __future__ import annotations

from ..framework import context
from ..framework.graph import get_default_graph
from ..framework.operation import Operation
from ..framework.tensor import Tensor
from .graph_io import graph_def_from_graph, import_graph_def
from .protos import meta_graph_pb2, variable_pb2

_VARIABLE_COLLECTIONS = ("variables", "trainable_variables", "global_step", "local_variables",
                         "model_variables", "moving_average_variables")
TF_VERSION = "1.15.0"


def variable_to_proto(v, export_scope=None) -> variable_pb2.VariableDef:
    """A Variable's names in the graph (what ``Variable.from_proto`` needs)."""
    proto = variable_pb2.VariableDef(
        variable_name=v.name, initializer_name=v.initializer.name, snapshot_name=v.value().name,
        trainable=v.trainable)
    if v.initial_value is not None:
        proto.initial_value_name = v.initial_value.name
    return proto


def export_meta_graph(graph=None, saver_def=None, collection_list=None, clear_devices=False):
    """The MetaGraphDef of ``graph`` (default graph)."""
    graph = graph or get_default_graph()
    meta = meta_graph_pb2.MetaGraphDef()
    meta.meta_info_def.tensorflow_version = TF_VERSION
    meta.meta_info_def.tensorflow_git_version = "minitf"
    meta.graph_def.CopyFrom(graph_def_from_graph(graph, add_shapes=True))
    if clear_devices:
        for node in meta.graph_def.node:
            node.device = ""
    if saver_def is not None:
        meta.saver_def.CopyFrom(saver_def)
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    for key in sorted(keys):
        _add_collection(meta, key, graph.get_collection(key))
    return meta


def _add_collection(meta, key: str, items) -> None:
    if not items:
        return
    if all(hasattr(i, "to_proto") and hasattr(i, "initializer") for i in items):
        values = meta.collection_def[key].bytes_list.value
        values.extend(i.to_proto().SerializeToString() for i in items)
    elif all(isinstance(i, (Tensor, Operation)) for i in items):
        meta.collection_def[key].node_list.value.extend(i.name for i in items)
    elif all(isinstance(i, (bytes, str)) for i in items):
        meta.collection_def[key].bytes_list.value.extend(
            i.encode("utf-8") if isinstance(i, str) else i for i in items)
    elif all(isinstance(i, bool) or not isinstance(i, int) for i in items) and \
            all(isinstance(i, float) for i in items):
        meta.collection_def[key].float_list.value.extend(items)
    elif all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        meta.collection_def[key].int64_list.value.extend(items)
    # Other Python objects (optimizers, ...) cannot be stored; TF skips them with a warning too.


def write_meta_graph_file(meta, filename: str, as_text: bool = False) -> None:
    """Write ``meta`` to ``filename`` atomically (binary, or protobuf text when ``as_text``)."""
    from google.protobuf import text_format
    from .atomic import atomic_write_bytes
    data = text_format.MessageToString(meta).encode("utf-8") if as_text else meta.SerializeToString()
    atomic_write_bytes(filename, data)


def read_meta_graph_file(filename: str) -> meta_graph_pb2.MetaGraphDef:
    """Parse a ``.meta`` file (binary, or text as TF also accepts)."""
    from google.protobuf import message, text_format
    from ..framework import errors
    from . import gfile
    if not gfile.exists(filename):
        raise IOError(f"File {filename} does not exist.")
    with open(filename, "rb") as f:
        data = f.read()
    meta = meta_graph_pb2.MetaGraphDef()
    try:
        meta.ParseFromString(data)
        return meta
    except message.DecodeError:
        pass
    try:
        text_format.Merge(data.decode("utf-8"), meta)
    except (UnicodeDecodeError, text_format.ParseError) as e:
        raise errors.DataLossError(None, None, f"Cannot parse {filename} as a MetaGraphDef: {e}") from None
    return meta


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
    from ..train.saver import Saver
    if meta.HasField("saver_def"):
        return Saver(saver_def=meta.saver_def, name=import_scope)
    from ..ops.variables import global_variables
    if global_variables():
        return Saver()
    print("Saver not created because there are no variables in the graph to restore")
    return None


def _variable_def(key: str, raw: bytes) -> variable_pb2.VariableDef:
    """One VariableDef of a collection, or a ValueError naming the collection."""
    from google.protobuf import message
    proto = variable_pb2.VariableDef()
    try:
        proto.ParseFromString(raw)
    except message.DecodeError as e:
        raise ValueError(f"Collection '{key}' holds a VariableDef that cannot be parsed: {e}") from None
    return proto


def _restore_collections(meta, import_scope) -> None:
    from ..ops.variables import Variable
    graph = get_default_graph()
    prefix = (import_scope + "/") if import_scope else ""
    made: dict = {}        # one Python Variable per variable, shared by every collection naming it
    for key, collection in sorted(meta.collection_def.items()):
        kind = collection.WhichOneof("kind")
        if kind == "bytes_list" and key in _VARIABLE_COLLECTIONS:
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
