"""graph_util's freezing helpers against TensorFlow: what extract_sub_graph keeps, which
variables convert_variables_to_constants freezes (white/black lists), and the values frozen.

Node lists and messages were recorded with TensorFlow 2.21 (``tf.compat.v1.graph_util``,
graph mode) running the same programs.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _abcd_graph_def():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    tf.add(a, b, name="c")
    tf.multiply(a, 3.0, name="d")
    return tf.get_default_graph().as_graph_def()


def test_extract_sub_graph_keeps_what_the_destination_needs_in_order():
    sub = tf.graph_util.extract_sub_graph(_abcd_graph_def(), ["c"])
    assert [n.name for n in sub.node] == ["a", "b", "c"]                # TF: ['a', 'b', 'c']


def test_extract_sub_graph_follows_control_inputs_and_output_indices():
    x = tf.constant([3.0, 1.0, 2.0], name="x")
    values, _ = tf.nn.top_k(x, k=2, name="top")
    gate = tf.constant(0.0, name="gate")
    with tf.control_dependencies([gate]):
        tf.identity(values, name="out")
    tf.constant(5.0, name="unused")
    gd = tf.get_default_graph().as_graph_def()
    sub = tf.graph_util.extract_sub_graph(gd, ["out"])
    assert sorted(n.name for n in sub.node) == sorted(["x", "top/k", "top", "gate", "out"])


def test_extract_sub_graph_refuses_an_unknown_node():
    with pytest.raises(AssertionError, match="^nope is not in graph$"):
        tf.graph_util.extract_sub_graph(_abcd_graph_def(), ["nope"])


def _frozen(whitelist=None, blacklist=None):
    w = tf.Variable([1.0, 2.0], name="w")
    v = tf.Variable(3.0, name="v")
    tf.multiply(w, v, name="out")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return tf.graph_util.convert_variables_to_constants(
            sess, sess.graph_def, ["out"], variable_names_whitelist=whitelist,
            variable_names_blacklist=blacklist)


def _ops(graph_def):
    return [(n.name, n.op) for n in graph_def.node]


def test_freezing_turns_every_needed_variable_into_its_value(capsys):
    frozen = _frozen()
    assert _ops(frozen) == [("w", "Const"), ("w/read", "Identity"), ("v", "Const"),
                            ("v/read", "Identity"), ("out", "Mul")]
    assert capsys.readouterr().out == "Converted 2 variables to const ops.\n"
    with tf.Graph().as_default():
        tf.import_graph_def(frozen, name="")
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run("out:0"), [3.0, 6.0])


def test_freezing_only_the_whitelisted_variables():
    assert _ops(_frozen(whitelist=["w"])) == [("w", "Const"), ("w/read", "Identity"), ("v", "VariableV2"),
                                              ("v/read", "Identity"), ("out", "Mul")]


def test_freezing_all_but_the_blacklisted_variables():
    assert _ops(_frozen(blacklist=["w"])) == [("w", "VariableV2"), ("w/read", "Identity"), ("v", "Const"),
                                              ("v/read", "Identity"), ("out", "Mul")]


def test_remove_training_nodes_keeps_an_identity_that_waits_on_something():
    # TF: 'waited' (an Identity with a control input) stays, 'plain' is spliced out.
    x = tf.placeholder(tf.float32, [], name="x")
    gate = tf.constant(1.0, name="gate")
    with tf.control_dependencies([gate]):
        waited = tf.identity(x, name="waited")
    plain = tf.identity(waited, name="plain")
    tf.add(plain, 1.0, name="out")
    slim = tf.graph_util.remove_training_nodes(tf.get_default_graph().as_graph_def())
    inputs = {n.name: list(n.input) for n in slim.node}
    assert "plain" not in inputs
    assert inputs["waited"] == ["x", "^gate"]
    assert inputs["out"][0] == "waited"


def test_extract_sub_graph_keeps_every_input_of_a_diamond():
    # x feeds both y1 and y2: reaching x a second time must not end the walk before z.
    x = tf.constant(1.0, name="x")
    y1 = tf.multiply(x, 2.0, name="y1")
    y2 = tf.multiply(x, 3.0, name="y2")
    z = tf.constant(4.0, name="z")
    tf.add_n([z, y1, y2], name="out")
    sub = tf.graph_util.extract_sub_graph(tf.get_default_graph().as_graph_def(), ["out"])
    full = tf.get_default_graph().as_graph_def()
    assert [n.name for n in sub.node] == [n.name for n in full.node]      # every node is needed
