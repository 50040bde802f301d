"""``tf.saved_model.utils``: a tensor's TensorInfo (name, dtype, shape), and back."""

from __future__ import annotations

from ..framework.graph import get_default_graph
from ..io.protos import meta_graph_pb2
from ..io.tensor_proto import shape_to_proto


def build_tensor_info(tensor) -> meta_graph_pb2.TensorInfo:
    """The TensorInfo a SignatureDef stores for ``tensor``: ``name``, ``dtype``, ``tensor_shape``."""
    if not hasattr(tensor, "name") or not hasattr(tensor, "dtype"):
        raise TypeError(f"build_tensor_info takes a graph Tensor, got {type(tensor).__name__}")
    return meta_graph_pb2.TensorInfo(name=tensor.name, dtype=tensor.dtype.as_datatype_enum,
                                     tensor_shape=shape_to_proto(tensor.shape))


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The Tensor in ``graph`` (default graph) that ``tensor_info`` names."""
    graph = graph or get_default_graph()
    if tensor_info.WhichOneof("encoding") != "name":
        raise ValueError(f"Invalid TensorInfo.encoding: {tensor_info.WhichOneof('encoding')}")
    prefix = f"{import_scope}/" if import_scope else ""
    return graph.get_tensor_by_name(prefix + tensor_info.name)
