"""TF 1.x idioms that minitf used to reject or treat differently (issue 10, part E)."""

import numpy as np
import pytest

import minitf as tf
from minitf import errors


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def _run(fetch, feed=None):
    with tf.Session() as sess:
        return sess.run(fetch, feed)


# --- lists mixing ints and tensors are packed ------------------------------------------------
def test_reshape_with_dynamic_batch_dimension():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    y = tf.reshape(x, [tf.shape(x)[0], -1])
    assert _run(y, {x: np.zeros((4, 2, 3))}).shape == (4, 6)


def test_zeros_with_a_tensor_in_the_shape():
    x = tf.placeholder(tf.float32, [None, 3])
    z = tf.zeros([tf.shape(x)[0], 5])
    assert _run(z, {x: np.zeros((7, 3))}).shape == (7, 5)
    assert z.op.type == "Fill"


def test_packed_list_is_one_pack_op():
    n = tf.constant(3)
    t = tf.convert_to_tensor([n, 4])
    assert t.op.type == "Pack" and t.op.name == "packed"
    np.testing.assert_array_equal(_run(t), [3, 4])


# --- tf.zeros / ones / fill: Fill ops for big shapes, TF's errors for bad ones -----------------
def test_small_zeros_is_a_const():
    assert tf.zeros([2, 3]).op.type == "Const"


def test_big_zeros_is_a_fill_and_the_graph_stays_small():
    v = tf.Variable(tf.zeros([int(2e8)]))
    assert v.initial_value.op.type == "Fill"
    assert [op.name for op in tf.get_default_graph().get_operations()][:3] == [
        "zeros/shape_as_tensor", "zeros/Const", "zeros"]
    assert len(tf.get_default_graph().as_graph_def().SerializeToString()) < 10_000


def test_big_ones_values():
    got = _run(tf.ones([40, 50], dtype=tf.int32))
    assert got.shape == (40, 50) and got.dtype == np.int32 and (got == 1).all()


def test_zeros_with_a_negative_dimension_is_value_error():
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.zeros([-1, 3])


def test_huge_zeros_builds_and_fails_when_run_with_resource_exhausted():
    z = tf.zeros([int(1e12)])                       # TF builds a Fill; only running it needs the memory
    assert z.op.type == "Fill"
    with pytest.raises(errors.ResourceExhaustedError, match="OOM when allocating tensor with shape"):
        _run(z)


# --- implicit constants are named inside the op's scope -----------------------------------------
def test_implicit_constants_are_named_like_tf():
    x = tf.placeholder(tf.float32, name="x")
    y = x * 2
    z = tf.add(x, 1.0)
    w = 3.0 - x
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["x", "mul/y", "mul", "Add/y", "Add", "sub/x", "sub"]
    assert (y.op.name, z.op.name, w.op.name) == ("mul", "Add", "sub")


def test_second_product_gets_the_next_scope():
    x = tf.placeholder(tf.float32, name="x")
    _ = x * 2
    second = x * 3
    assert second.op.name == "mul_1"
    assert second.op.inputs[1].op.name == "mul_1/y"


# --- Dimension: x.get_shape()[1].value -----------------------------------------------------------
def test_shape_items_are_dimensions_with_value():
    x = tf.placeholder(tf.float32, [None, 3])
    dim = x.get_shape()[1]
    assert isinstance(dim, tf.Dimension)
    assert dim.value == 3 and dim == 3 and int(dim) == 3 and str(dim) == "3"
    assert x.get_shape()[0].value is None and str(x.get_shape()[0]) == "?"
    assert dim * 2 == 6 and (dim + 1).value == 4
    assert x.get_shape()[0] + 1 == None  # noqa: E711 - unknown stays unknown
    assert list(range(dim)) == [0, 1, 2]
    assert x.get_shape().as_list() == [None, 3]


def test_dimension_feeds_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(tf.zeros([x.get_shape()[1], 2]))
    assert w.shape.as_list() == [3, 2]


# --- feeds and tapes -----------------------------------------------------------------------------
def test_string_fed_to_float_placeholder_is_value_error():
    x = tf.placeholder(tf.float32, [])
    with pytest.raises(ValueError, match="could not convert string to float"):
        _run(x + 1.0, {x: "abc"})


def test_tape_gradient_of_none_is_type_error():
    with tf.GradientTape() as tape:
        pass
    with pytest.raises(TypeError, match="received None"):
        tape.gradient(None, [])


# --- check_numerics and friends --------------------------------------------------------------------
def test_check_numerics_passes_finite_values():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(_run(tf.check_numerics(x, "x is bad")), [1.0, 2.0])


@pytest.mark.parametrize("value, found", [([1.0, np.nan], "NaN"), ([np.inf, 1.0], "Inf"),
                                          ([np.inf, np.nan], "Inf and NaN")])
def test_check_numerics_stops_the_run(value, found):
    x = tf.placeholder(tf.float32, [2])
    checked = tf.debugging.check_numerics(x * 1.0, "after mul")
    with pytest.raises(errors.InvalidArgumentError, match=f"after mul : Tensor had {found} values"):
        _run(checked, {x: value})


def test_check_numerics_gradient_is_checked():
    x = tf.placeholder(tf.float32, [])
    y = tf.check_numerics(x, "x")
    (g,) = tf.gradients(tf.sqrt(y), [x])                # d sqrt(x) at 0 is inf
    with pytest.raises(errors.InvalidArgumentError, match="detected in gradient. x : Tensor had Inf"):
        _run(g, {x: 0.0})
    assert _run(g, {x: 4.0}) == 0.25


def test_add_check_numerics_ops_names_the_bad_tensor():
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.log(x, name="log")
    check = tf.add_check_numerics_ops()
    with pytest.raises(errors.InvalidArgumentError, match="log:0 : Tensor had Inf values"):
        _run([y, check], {x: 0.0})
    assert _run([y, check], {x: 1.0})[0] == 0.0


def test_is_nan_wants_floats():
    with pytest.raises(TypeError, match="not in list of allowed values"):
        tf.is_nan(tf.constant([1, 2]))
