"""MetaGraphDef: a graph plus its collections and Saver, as written to ``.meta`` files.

``export_meta_graph`` stores the GraphDef (with ``_output_shapes``), the
variable collections as VariableDef protos, and the SaverDef.
``tf.train.import_meta_graph`` (``train/meta_graph_import.py``) rebuilds all of that
in the default graph.
"""

from __future__ import annotations

from ..framework import errors
from ..framework.graph import get_default_graph
from ..framework.operation import Operation
from ..framework.tensor import Tensor
from . import gfile
from .atomic import atomic_write_bytes
from .graph_io import graph_def_from_graph
from .protos import meta_graph_pb2, variable_pb2

VARIABLE_COLLECTIONS = ("variables", "trainable_variables", "global_step", "local_variables",
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
    data = text_format.MessageToString(meta).encode("utf-8") if as_text else meta.SerializeToString()
    atomic_write_bytes(filename, data)


def read_meta_graph_file(filename: str) -> meta_graph_pb2.MetaGraphDef:
    """Parse a ``.meta`` file (binary, or text as TF also accepts)."""
    from google.protobuf import message, text_format
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

