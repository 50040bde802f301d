"""Our generated protobuf modules read and write TensorFlow's files exactly."""

from __future__ import annotations

import pathlib
import re

import pytest
from google.protobuf import text_format
from google.protobuf.unknown_fields import UnknownFieldSet

from minitf.io.protos import (event_pb2, graph_pb2, meta_graph_pb2, saver_pb2, summary_pb2,
                              tensor_bundle_pb2, variable_pb2)

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "tf"
FROZEN = ["seed_add", "linreg_frozen", "mlp_frozen", "elementwise_frozen"]
META = FIXTURES / "linreg_ckpt" / "model.ckpt-300.meta"


def _unknown_fields(message, path="") -> list:
    """Paths of every sub-message holding fields our .proto files do not declare."""
    found = [path] if len(UnknownFieldSet(message)) else []
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            children = [v for v in value.values() if hasattr(v, "ListFields")]
        elif field.is_repeated:
            children = list(value)
        else:
            children = [value]
        for i, child in enumerate(children):
            found += _unknown_fields(child, f"{path}.{field.name}[{i}]")
    return found


def _names_and_ops_in_text(text: str) -> list:
    """(name, op) of each top-level node, read from the .pbtxt with a regex (not protobuf)."""
    return re.findall(r'^node \{\n  name: "([^"]*)"\n  op: "([^"]*)"', text, flags=re.M)


@pytest.mark.parametrize("case", FROZEN)
def test_graph_def_binary_and_text_agree(case):
    binary = (FIXTURES / case / "model.pb").read_bytes()
    text = (FIXTURES / case / "model.pbtxt").read_text()
    graph = graph_pb2.GraphDef.FromString(binary)
    assert [(n.name, n.op) for n in graph.node] == _names_and_ops_in_text(text)
    assert text_format.Parse(text, graph_pb2.GraphDef()) == graph
    # Byte-for-byte re-serialization is not expected here: TF wrote these attr
    # maps in its own order. A round trip must still give the same message.
    assert graph_pb2.GraphDef.FromString(graph.SerializeToString()) == graph
    assert text_format.MessageToString(graph) == text
    assert _unknown_fields(graph) == []


def test_meta_graph_from_saver_parses_completely():
    binary = META.read_bytes()
    meta = meta_graph_pb2.MetaGraphDef.FromString(binary)
    assert _unknown_fields(meta) == []
    assert meta.SerializeToString(deterministic=True) == binary
    assert meta.meta_info_def.tensorflow_version == "2.21.0"
    assert {"VariableV2", "SaveV2", "RestoreV2", "AddV2"} <= {
        op.name for op in meta.meta_info_def.stripped_op_list.op}
    nodes = {n.name: n.op for n in meta.graph_def.node}
    assert nodes["weight"] == "VariableV2" and nodes["save/restore_all"] == "NoOp"
    assert meta.saver_def == saver_pb2.SaverDef(
        filename_tensor_name="save/Const:0", save_tensor_name="save/control_dependency:0",
        restore_op_name="save/restore_all", max_to_keep=2, keep_checkpoint_every_n_hours=10000,
        version=saver_pb2.SaverDef.V2)
    variables = [variable_pb2.VariableDef.FromString(b)
                 for b in meta.collection_def["variables"].bytes_list.value]
    assert [v.variable_name for v in variables] == ["weight:0", "bias:0", "global_step:0"]
    assert variables[0].initializer_name == "weight/Assign" and variables[0].trainable
    assert list(meta.collection_def["train_op"].node_list.value) == ["GradientDescent"]
    # The text form parses back to the same message.
    assert text_format.Parse(text_format.MessageToString(meta), meta_graph_pb2.MetaGraphDef()) == meta


def test_messages_live_in_our_own_package():
    assert graph_pb2.GraphDef.DESCRIPTOR.full_name == "minitf.tf.GraphDef"
    assert graph_pb2.DESCRIPTOR.name == "minitf/io/protos/graph.proto"


def test_field_numbers_match_tensorflow_on_the_wire():
    value = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=1.0)])
    assert value.SerializeToString() == bytes.fromhex("0a0b0a046c6f737315 0000803f".replace(" ", ""))
    histo = summary_pb2.Summary.Value(histo=summary_pb2.HistogramProto(num=1))
    assert histo.SerializeToString() == bytes.fromhex("2a09190000000000 00f03f".replace(" ", ""))
    event = event_pb2.Event(step=3, file_version="brain.Event:2")
    assert event.SerializeToString() == b"\x10\x03\x1a\x0dbrain.Event:2"
    header = tensor_bundle_pb2.BundleHeaderProto(num_shards=1, version={"producer": 1})
    assert header.SerializeToString() == bytes.fromhex("08011a020801")


def test_committed_modules_match_the_proto_files(tmp_path):
    pytest.importorskip("grpc_tools")
    from minitf.io.protos import regenerate

    for generated in regenerate.regenerate(tmp_path):
        committed = regenerate.REPO_ROOT / generated.relative_to(tmp_path)
        assert committed.read_text() == generated.read_text(), f"run python -m {regenerate.__name__}"
