"""File-level behaviours no other test reached: remove_training_nodes, write_graph,
list-valued attrs through GraphDef export/import, every collection kind in a meta
graph, and tf.gfile's error translation and copy."""

from __future__ import annotations

import numpy as np
import pytest
from google.protobuf import text_format

import minitf as tf
from minitf.io.protos import graph_pb2


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def node(graph_def, name):
    return next(n for n in graph_def.node if n.name == name)


# --- graph_util.remove_training_nodes -------------------------------------------------------------
def test_remove_training_nodes_bypasses_identities_but_keeps_protected_and_values():
    x = tf.placeholder(tf.float32, [2], name="x")
    a = tf.identity(x, name="a")
    b = tf.identity(a, name="b")
    c = tf.identity(b, name="c")
    keep = tf.identity(c, name="keep")
    tf.multiply(keep, 2.0, name="out")
    gd = tf.get_default_graph().as_graph_def()
    slim = tf.graph_util.remove_training_nodes(gd, protected_nodes=["keep"])
    names = [n.name for n in slim.node]
    assert "a" not in names and "b" not in names and "c" not in names
    assert list(node(slim, "keep").input) == ["x"]                  # the chain a -> b -> c collapsed
    assert list(node(slim, "out").input)[0] == "keep"
    with tf.Graph().as_default():
        tf.import_graph_def(slim, name="")
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run("out:0", {"x:0": [1.0, -2.0]}), [2.0, -4.0])


def test_remove_training_nodes_keeps_identities_that_are_waited_on():
    x = tf.placeholder(tf.float32, [], name="x")
    gate = tf.identity(x, name="gate")
    with tf.control_dependencies([gate]):
        tf.add(x, 1.0, name="out")
    slim = tf.graph_util.remove_training_nodes(tf.get_default_graph().as_graph_def())
    assert "gate" in [n.name for n in slim.node] and "^gate" in node(slim, "out").input
    with tf.Graph().as_default():
        tf.import_graph_def(slim, name="")
        with tf.Session() as sess:
            assert sess.run("out:0", {"x:0": 1.0}) == 2.0


# --- tf.train.write_graph ---------------------------------------------------------------------------
@pytest.mark.parametrize("as_text, name", [(True, "g.pbtxt"), (False, "g.pb")])
def test_write_graph_text_and_binary_read_back_to_the_same_graph_def(tmp_path, as_text, name):
    tf.add(tf.constant(1.0, name="one"), tf.placeholder(tf.float32, name="p"), name="sum")
    graph = tf.get_default_graph()
    logdir = tmp_path / "new" / "dir"                                  # created on demand
    path = tf.train.write_graph(graph, str(logdir), name, as_text=as_text)
    assert path == str(logdir / name)
    data = (logdir / name).read_bytes()
    back = graph_pb2.GraphDef()
    if as_text:
        text_format.Parse(data.decode("utf-8"), back)
    else:
        back.ParseFromString(data)
    assert back == graph.as_graph_def()
    assert [n.name for n in back.node] == ["one", "p", "sum"]


def test_write_graph_accepts_a_graph_def(tmp_path):
    tf.constant(2.0, name="two")
    gd = tf.get_default_graph().as_graph_def()
    path = tf.train.write_graph(gd, str(tmp_path), "x.pb", as_text=False)
    back = graph_pb2.GraphDef()
    back.ParseFromString(open(path, "rb").read())
    assert back == gd


# --- list-valued attrs through export / import -------------------------------------------------------
def test_list_attr_survives_graph_def_export_and_import():
    x = tf.placeholder(tf.float32, [1, 3, 1], name="x")
    tf.squeeze(x, [0, 2], name="sq")
    gd = tf.get_default_graph().as_graph_def()
    assert list(node(gd, "sq").attr["squeeze_dims"].list.i) == [0, 2]
    text = text_format.MessageToString(gd)
    again = text_format.Parse(text, graph_pb2.GraphDef())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(again, name="imp")
        sq = g.get_operation_by_name("imp/sq")
        assert list(sq.get_attr("squeeze_dims")) == [0, 2]
        assert sq.outputs[0].shape.as_list() == [3]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run("imp/sq:0", {"imp/x:0": [[[1.0], [2.0], [3.0]]]}),
                                          [1.0, 2.0, 3.0])


def test_output_shapes_list_attr_with_add_shapes():
    tf.placeholder(tf.float32, [None, 3], name="x")
    gd = tf.get_default_graph().as_graph_def(add_shapes=True)
    shapes = node(gd, "x").attr["_output_shapes"].list.shape
    assert len(shapes) == 1 and [d.size for d in shapes[0].dim] == [-1, 3]


# --- collections in meta graphs ------------------------------------------------------------------------
def test_every_collection_kind_round_trips_through_a_meta_graph(tmp_path):
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.multiply(x, 3.0, name="y")
    tf.add_to_collection("nodes", y)
    tf.add_to_collection("nodes", y.op)
    tf.add_to_collection("bytes", b"\x00raw")
    tf.add_to_collection("bytes", "text")
    tf.add_to_collection("floats", 1.5)
    tf.add_to_collection("floats", -2.25)
    tf.add_to_collection("ints", 3)
    tf.add_to_collection("ints", 2 ** 40)
    path = str(tmp_path / "m.meta")
    meta = tf.train.export_meta_graph(path)
    kinds = {k: meta.collection_def[k].WhichOneof("kind") for k in ("nodes", "bytes", "floats", "ints")}
    assert kinds == {"nodes": "node_list", "bytes": "bytes_list", "floats": "float_list", "ints": "int64_list"}
    with tf.Graph().as_default() as g:
        tf.train.import_meta_graph(path)
        nodes = g.get_collection("nodes")
        assert [n.name for n in nodes] == ["y:0", "y"]
        assert nodes[0] is g.get_tensor_by_name("y:0") and nodes[1] is g.get_operation_by_name("y")
        assert g.get_collection("bytes") == [b"\x00raw", b"text"]
        assert g.get_collection("floats") == [1.5, -2.25]
        assert g.get_collection("ints") == [3, 2 ** 40]
        with tf.Session() as sess:
            assert sess.run(nodes[0], {"x:0": 2.0}) == 6.0


def test_meta_graph_collection_list_limits_what_is_exported(tmp_path):
    tf.add_to_collection("a", 1)
    tf.add_to_collection("b", 2)
    meta = tf.train.export_meta_graph(str(tmp_path / "m.meta"), collection_list=["a"])
    assert set(meta.collection_def) == {"a"}


# --- tf.gfile: error translation and copy ------------------------------------------------------------
def test_gfile_missing_file_is_not_found(tmp_path):
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(tf.errors.NotFoundError, match="nope.txt; No such file or directory"):
        tf.gfile.GFile(missing, "r")
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.Remove(missing)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.ListDirectory(missing)


def test_gfile_errors_for_existing_paths_and_directories(tmp_path):
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.MkDir(str(tmp_path))
    with pytest.raises(tf.errors.FailedPreconditionError):
        tf.gfile.GFile(str(tmp_path), "r")                              # a directory is not a file
    assert isinstance(tf.errors.NotFoundError(None, None, "m"), tf.errors.OpError)


def test_gfile_copy_and_overwrite(tmp_path):
    src, dst = tmp_path / "a.bin", tmp_path / "b.bin"
    src.write_bytes(b"\x00\x01payload")
    tf.gfile.Copy(str(src), str(dst))
    assert dst.read_bytes() == b"\x00\x01payload"
    src.write_bytes(b"new")
    with pytest.raises(tf.errors.AlreadyExistsError, match="b.bin"):
        tf.gfile.Copy(str(src), str(dst))
    assert dst.read_bytes() == b"\x00\x01payload"                       # untouched after the refusal
    tf.gfile.Copy(str(src), str(dst), overwrite=True)
    assert dst.read_bytes() == b"new"
    with pytest.raises(tf.errors.NotFoundError, match="missing"):
        tf.gfile.Copy(str(tmp_path / "missing"), str(tmp_path / "c"))
    assert not (tmp_path / "c").exists()
