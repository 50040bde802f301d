"""Graph model: names, scopes, reprs, collections, lookups, control dependencies."""

import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_reprs_match_tf():
    v1 = tf.Variable(tf.random_uniform([3]))
    s = tf.add(v1, v1)
    assert repr(v1) == "<tf.Variable 'Variable:0' shape=(3,) dtype=float32_ref>"
    assert str(s) == 'Tensor("Add:0", shape=(3,), dtype=float32)'
    assert repr(s) == "<tf.Tensor 'Add:0' shape=(3,) dtype=float32>"
    assert repr(s.op) == "<tf.Operation 'Add' type=Add>"
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    assert str(x) == 'Tensor("x:0", shape=(?, 3), dtype=float32)'
    assert str(tf.placeholder(tf.float32)) == 'Tensor("Placeholder:0", shape=<unknown>, dtype=float32)'


def test_unique_names_are_case_insensitive_and_skip_taken():
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0, name="const")
    assert [a.op.name, b.op.name, c.op.name] == ["Const", "Const_1", "const_2"]
    f1, f2 = tf.constant(1, name="foo"), tf.constant(1, name="foo_1")
    f3 = tf.constant(1, name="foo")
    assert [f1.op.name, f2.op.name, f3.op.name] == ["foo", "foo_1", "foo_2"]


def test_python_operators_use_lowercase_names():
    a, b = tf.constant(1.0), tf.constant(2.0)
    names = [(a + b).op.name, (a - b).op.name, (a * b).op.name, (a / b).op.name]
    assert names == ["add", "sub", "mul", "truediv"]
    assert (a / b).op.type == "RealDiv"
    assert tf.add(a, b).op.name == "Add_1"   # names are unique case-insensitively, as in TF


def test_name_scopes_nest_and_reopen():
    with tf.name_scope("scope"):
        x = tf.constant(1.0, name="x")
        with tf.name_scope("inner"):
            y = tf.constant(1.0, name="y")
    with tf.name_scope("scope"):
        z = tf.constant(1.0, name="x")
    with tf.name_scope("scope/"):
        w = tf.constant(1.0, name="w")
    assert [x.op.name, y.op.name, z.op.name, w.op.name] == [
        "scope/x", "scope/inner/y", "scope_1/x", "scope/w"]


def test_variable_builds_tf1_nodes():
    w = tf.Variable([[1.0], [2.0]], name="W")
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["W/initial_value", "W", "W/Assign", "W/read"]
    assert w.op.type == "VariableV2" and w.value().op.type == "Identity"
    init = tf.global_variables_initializer()
    assert init.name == "init" and [c.name for c in init.control_inputs] == ["W/Assign"]


def test_collections():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b]


def test_get_tensor_and_operation_by_name(fresh_graph):
    c = tf.constant(1.0, name="c")
    assert fresh_graph.get_tensor_by_name("c:0") is c
    assert fresh_graph.get_operation_by_name("c") is c.op
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        fresh_graph.get_tensor_by_name("c")
    with pytest.raises(KeyError, match="The operation, 'nope', does not exist in the graph."):
        fresh_graph.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="exists but only has 1 outputs"):
        fresh_graph.get_tensor_by_name("c:1")


def test_several_graphs_side_by_side():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0)
    with g2.as_default():
        b = tf.constant(2.0)
    assert a.graph is g1 and b.graph is g2
    assert a.op.name == b.op.name == "Const"


def test_default_graph_and_reset():
    g = tf.get_default_graph()
    assert tf.constant(1.0).graph is g


def test_reset_default_graph_outside_nesting():
    # (the autouse fixture nests a graph, so do this in a subprocess-free way: just call it nested)
    with pytest.raises(AssertionError):
        tf.reset_default_graph()


def test_control_dependencies():
    a = tf.constant(1.0, name="a")
    with tf.control_dependencies([a]):
        b = tf.constant(2.0, name="b")
    assert b.op.control_inputs == [a.op]


def test_static_shapes_and_broadcasting():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [4, 1, 3])
    assert (x + y).shape.as_list() == [4, None, 3]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        x + tf.placeholder(tf.float32, [None, 2])


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError) as e:
        tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
    assert str(e.value) == ("Dimensions must be equal, but are 3 and 2 for 'MatMul' (op: 'MatMul') "
                            "with input shapes: [2,3], [2,3].")


def test_dtype_mismatch_is_type_error():
    with pytest.raises(TypeError):
        tf.add(tf.constant(1.0), tf.constant(1))
    with pytest.raises(TypeError):
        tf.constant(2.5) + tf.constant(1, dtype=tf.int32)


def test_tensor_is_not_a_bool():
    with pytest.raises(TypeError, match="Using a `tf.Tensor` as a Python `bool` is not allowed"):
        bool(tf.constant(True))


def test_device_scope_recorded():
    with tf.device("/cpu:0"):
        a = tf.constant(1.0)
    assert a.device == "/device:CPU:0"
    with tf.device("/GPU:1"):
        b = tf.constant(1.0)
    assert b.op.device == "/device:GPU:1"


def test_invalid_names_rejected():
    with pytest.raises(ValueError, match="is not a valid node name"):
        tf.constant(1.0, name="bad name")


def test_device_function_places_each_op_by_its_type():
    # TF's multi-GPU pattern: variables on the parameter server's CPU, the math on the tower's GPU.
    def assign_to_device(op):
        node_def = op if isinstance(op, tf.NodeDef) else op.node_def
        return "/cpu:0" if node_def.op in ("VariableV2", "Variable") else "/gpu:1"

    with tf.device(assign_to_device):
        v = tf.Variable(1.0, name="v")
        y = v * 2.0
        with tf.device("/cpu:0"):
            z = y + 1.0
    assert v.op.device == "/device:CPU:0"
    assert y.op.device == "/device:GPU:1"
    assert z.op.device == "/device:GPU:1"          # as in TF: the outer function has the last word


def test_device_function_merges_with_outer_names_and_must_answer_a_string():
    with tf.device("/job:ps"), tf.device(lambda op: "/gpu:1"):
        a = tf.constant(1.0)
    with tf.device("/gpu:0"), tf.device(lambda op: ""):
        b = tf.constant(1.0)
    assert a.op.device == "/job:ps/device:GPU:1"
    assert b.op.device == "/device:GPU:0"
    with pytest.raises(TypeError, match="Expected binary or unicode string, got None"):
        with tf.device(lambda op: None):
            tf.constant(1.0)
