"""Where elements come from: from_tensor_slices, from_tensors, range, from_generator.

Elements are compared with what plain numpy/Python indexing gives; the static
dtypes and shapes with what TensorFlow infers (checked against TF 2.21 compat.v1).
"""

import collections
import importlib.resources

import numpy as np
import pytest

import minitf as tf
from data_helpers import elements
from minitf import datasets


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def test_slices_of_one_array_are_its_rows():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    ds = tf.data.Dataset.from_tensor_slices(x)
    assert ds.output_types == tf.float32 and ds.output_shapes.as_list() == [3]
    got = elements(ds)
    assert len(got) == 4 and all(np.array_equal(g, row) and g.dtype == np.float32 for g, row in zip(got, x))


def test_slices_of_a_tuple_pair_rows_up():
    x, y = np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    assert ds.output_types == (tf.float32, tf.int64)
    assert [s.as_list() for s in ds.output_shapes] == [[2], []]
    got = elements(ds)
    assert [int(b) for _, b in got] == list(y)
    assert all(np.array_equal(a, x[i]) for i, (a, _) in enumerate(got))


def test_slices_of_a_dict_keep_its_keys():
    ds = tf.data.Dataset.from_tensor_slices({"b": np.arange(3), "a": np.ones((3, 2), np.float32)})
    assert ds.output_types == {"a": tf.float32, "b": tf.int64}
    assert tf.data.get_output_shapes(ds)["a"].as_list() == [2]
    got = elements(ds)
    assert [set(g) for g in got] == [{"a", "b"}] * 3 and [int(g["b"]) for g in got] == [0, 1, 2]


def test_nested_structures_and_namedtuples_round_trip():
    Pair = collections.namedtuple("Pair", "left right")
    ds = tf.data.Dataset.from_tensor_slices((np.arange(2), {"p": Pair(np.arange(2.0), np.array([5, 6]))}))
    first, second = elements(ds)
    assert isinstance(first[1]["p"], Pair)
    assert (int(second[0]), float(second[1]["p"].left), int(second[1]["p"].right)) == (1, 1.0, 6)


def test_python_lists_are_one_tensor_with_tf_dtypes():
    ints = tf.data.Dataset.from_tensor_slices([1, 2, 3])
    floats = tf.data.Dataset.from_tensor_slices([[1.0, 2.0], [3.0, 4.0]])
    assert (ints.output_types, ints.output_shapes.as_list()) == (tf.int32, [])
    assert (floats.output_types, floats.output_shapes.as_list()) == (tf.float32, [2])
    assert [int(v) for v in elements(ints)] == [1, 2, 3]


def test_slices_of_graph_tensors_are_captured():
    c = tf.constant([[1, 2], [3, 4]])
    v = tf.Variable([10.0, 20.0])
    ds = tf.data.Dataset.from_tensor_slices((c, v))
    iterator = ds.make_initializable_iterator()
    nxt = iterator.get_next()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(iterator.initializer)
        assert [(a.tolist(), float(b)) for a, b in [sess.run(nxt), sess.run(nxt)]] == [([1, 2], 10.0),
                                                                                        ([3, 4], 20.0)]


def test_mismatched_rows_are_an_error():
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="only supported for rank >= 1"):
        tf.data.Dataset.from_tensor_slices(1.0)


def test_fed_rows_that_disagree_fail_when_initialized():
    a, b = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    iterator = tf.data.Dataset.from_tensor_slices((a, b)).make_initializable_iterator()
    nxt = iterator.get_next()
    with tf.Session() as sess:
        sess.run(iterator.initializer, {a: [1, 2, 3], b: [1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="same size in the 0th dimension, got 3, 2"):
            sess.run(nxt)


def test_from_tensors_is_one_element():
    ds = tf.data.Dataset.from_tensors((np.arange(6).reshape(2, 3), 1.5))
    assert [s.as_list() for s in ds.output_shapes] == [[2, 3], []]
    assert ds.output_types == (tf.int64, tf.float32)
    (only,) = elements(ds)
    assert only[0].tolist() == [[0, 1, 2], [3, 4, 5]] and only[1] == np.float32(1.5)


@pytest.mark.parametrize("args", [(5,), (2, 10, 3), (5, 0, -2), (3, 3), (0, 5, 7)])
def test_range_is_pythons_range_in_int64(args):
    ds = tf.data.Dataset.range(*args)
    assert (ds.output_types, ds.output_shapes.as_list()) == (tf.int64, [])
    got = elements(ds)
    assert [int(v) for v in got] == list(range(*args)) and all(v.dtype == np.int64 for v in got)


def test_range_with_zero_step_fails_at_run_time():
    with pytest.raises(tf.errors.InvalidArgumentError, match="step must be a non-zero integer."):
        elements(tf.data.Dataset.range(0, 5, 0))


def test_from_generator_calls_the_generator_for_each_walk():
    calls = []

    def gen():
        calls.append(1)
        for i in range(3):
            yield i, [float(i)] * i
    ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.float32), ((), (None,)))
    assert [s.as_list() for s in ds.output_shapes] == [[], [None]]
    got = elements(ds.repeat(2))
    assert len(calls) == 2
    assert [(int(i), v.tolist()) for i, v in got] == [(0, []), (1, [1.0]), (2, [2.0, 2.0])] * 2
    assert got[1][1].dtype == np.float32


def test_from_generator_without_shapes_has_unknown_shape_and_takes_args():
    ds = tf.data.Dataset.from_generator(lambda n: iter(range(n)), tf.int32, args=(4,))
    assert ds.output_shapes.ndims is None
    assert [int(v) for v in elements(ds)] == [0, 1, 2, 3]


def test_from_generator_checks_shape_and_type():
    def gen():
        yield [1, 2]
        yield [1, 2, 3]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"yielded an element of shape \(3,\) where an element of shape \(2,\) was expected"):
        elements(tf.data.Dataset.from_generator(gen, tf.int32, [2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not be converted to the expected type"):
        elements(tf.data.Dataset.from_generator(lambda: iter(["a"]), tf.int32))
    with pytest.raises(TypeError, match="`generator` must be callable"):
        tf.data.Dataset.from_generator([1, 2], tf.int32)


def test_minitf_data_package_still_holds_the_stocks_csv():
    """minitf/data is tf.data's package and the home of minitf.datasets' CSV (shipped as package data)."""
    assert importlib.resources.files("minitf.data").joinpath("stocks.csv").is_file()
    assert datasets.STOCKS_CSV.parent == importlib.resources.files("minitf.data")


def test_a_list_of_tensors_is_packed_into_one():
    ds = tf.data.Dataset.from_tensor_slices([tf.constant([1, 2]), tf.constant([3, 4])])
    assert ds.output_shapes.as_list() == [2]
    assert [v.tolist() for v in elements(ds)] == [[1, 2], [3, 4]]
