"""Array ops beyond the table: Python indexing, list-taking functions, dtype inference."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

X = np.arange(60, dtype=np.float32).reshape(3, 4, 5)


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


INDEXES = {
    "int": lambda a: a[1],
    "negative int": lambda a: a[-1],
    "two ints": lambda a: a[2, -3],
    "slice": lambda a: a[1:],
    "negative bounds": lambda a: a[-2:-1],
    "step": lambda a: a[::2],
    "negative step": lambda a: a[::-1, 3:0:-2],
    "clamped": lambda a: a[1:100, -100:2],
    "empty": lambda a: a[2:1],
    "ellipsis": lambda a: a[..., 0],
    "ellipsis middle": lambda a: a[0, ..., 1:3],
    "newaxis": lambda a: a[:, None, 1],
    "newaxis and ellipsis": lambda a: a[None, ..., None, 0],
    "everything": lambda a: a[1:, -1, ::-2],
    "colon": lambda a: a[:],
}


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_getitem_matches_numpy(name):
    index = INDEXES[name]
    t = index(tf.constant(X))
    got = run(t)
    want = index(X)
    np.testing.assert_array_equal(got, want)
    assert tuple(t.shape.as_list()) == want.shape


@pytest.mark.parametrize("name", sorted(INDEXES))
def test_getitem_on_unknown_shapes(name):
    index = INDEXES[name]
    p = tf.placeholder(tf.float32, [None, None, 5])
    t = index(p)
    np.testing.assert_array_equal(run(t, {p: X}), index(X))
    assert t.shape.is_compatible_with(index(X).shape)


def test_getitem_with_tensor_indices():
    i = tf.placeholder(tf.int32, [])
    t = tf.constant(X)
    np.testing.assert_array_equal(run(t[i, 1:i + 2], {i: 1}), X[1, 1:3])
    assert t[i].shape.as_list() == [4, 5]


def test_getitem_is_one_strided_slice_with_tfs_masks():
    t = tf.constant(X)[1:, tf.newaxis, ..., 2]
    op = t.op
    assert (op.type, op.name) == ("StridedSlice", "strided_slice")
    assert [op.get_attr(m) for m in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                     "shrink_axis_mask")] == [0b0000, 0b0001, 0b0100, 0b0010, 0b1000]
    assert [i.op.name for i in op.inputs[1:]] == ["strided_slice/stack", "strided_slice/stack_1",
                                                  "strided_slice/stack_2"]


def test_a_tensor_with_a_known_first_dimension_is_iterable():
    a, b = tf.constant([[1, 2], [3, 4]])
    assert run([a, b])[1].tolist() == [3, 4]


def test_strided_slice_function_with_masks():
    t = tf.strided_slice(tf.constant(X), [0, 1], [2, 3], [1, 1], end_mask=1, shrink_axis_mask=2)
    np.testing.assert_array_equal(run(t), X[0:, 1])


def test_stack_of_numbers_is_a_constant_and_of_tensors_a_pack():
    assert tf.stack([1, 2, 3]).op.type == "Const"
    n = tf.placeholder(tf.int32, [])
    s = tf.stack([n, 3])
    assert s.op.type == "Pack" and s.dtype == tf.int32
    assert run(s, {n: 7}).tolist() == [7, 3]


def test_concat_of_one_tensor_is_an_identity_and_lists_with_tensors_are_packed():
    x = tf.constant([1.0])
    assert tf.concat([x], 0).op.type == "Identity"
    n = tf.placeholder(tf.int32, [])
    shape = tf.concat([[2], [n, 3]], 0)
    assert run(shape, {n: 5}).tolist() == [2, 5, 3]


def test_split_and_unstack_always_return_lists():
    parts = tf.split(tf.zeros([4, 2]), 1)
    assert isinstance(parts, list) and len(parts) == 1
    rows = tf.unstack(tf.zeros([1, 2]))
    assert isinstance(rows, list) and len(rows) == 1
    assert [p.shape.as_list() for p in tf.split(tf.zeros([5, 2]), [2, -1])] == [[2, 2], [3, 2]]


def test_one_hot_dtypes():
    assert tf.one_hot([0, 1], 2).dtype == tf.float32
    assert tf.one_hot([0, 1], 2, dtype=tf.int32).dtype == tf.int32
    assert tf.one_hot([0, 1], 2, on_value=2.0, off_value=-1.0, dtype=tf.float64).dtype == tf.float64
    assert tf.one_hot([0, 1], 2, on_value=True, off_value=False).dtype == tf.bool
    np.testing.assert_array_equal(run(tf.one_hot([1, -1], 3)), [[0, 1, 0], [0, 0, 0]])


def test_range_infers_the_widest_dtype():
    assert tf.range(5).dtype == tf.int32
    assert tf.range(0, 1, 0.25).dtype == tf.float32
    assert tf.range(tf.constant(2, tf.int64)).dtype == tf.int64
    assert tf.range(3, dtype=tf.float64).dtype == tf.float64
    r = tf.range(1, 2, 0.25)
    assert r.op.type == "Range" and r.op.name.startswith("range") and r.shape.as_list() == [4]
    np.testing.assert_allclose(run(r), [1.0, 1.25, 1.5, 1.75])
    assert run(tf.range(10, 0, -3)).tolist() == [10, 7, 4, 1]


def test_linspace_includes_both_ends():
    np.testing.assert_allclose(run(tf.linspace(0.0, 1.0, 5)), [0.0, 0.25, 0.5, 0.75, 1.0])
    assert tf.lin_space is tf.linspace


def test_eye():
    np.testing.assert_array_equal(run(tf.eye(3)), np.eye(3))
    np.testing.assert_array_equal(run(tf.eye(2, 4, dtype=tf.int32)), np.eye(2, 4, dtype=np.int32))
    batch = tf.eye(2, batch_shape=[3])
    assert batch.shape.as_list() == [3, 2, 2]
    np.testing.assert_array_equal(run(batch), np.broadcast_to(np.eye(2), (3, 2, 2)))
    n = tf.placeholder(tf.int32, [])
    np.testing.assert_array_equal(run(tf.eye(n), {n: 2}), np.eye(2))


def test_where_with_only_a_condition_gives_int64_coordinates():
    c = tf.constant([[True, False], [False, True]])
    idx = tf.where(c)
    assert idx.dtype == tf.int64 and idx.shape.as_list() == [None, 2]
    assert run(idx).tolist() == [[0, 0], [1, 1]]


def test_boolean_mask():
    t = tf.constant(X)
    mask = np.array([[True, False, True, False]] * 3)
    got = tf.boolean_mask(t, mask)
    assert got.shape.as_list() == [None, 5]
    np.testing.assert_array_equal(run(got), X[mask])
    on_axis1 = tf.boolean_mask(t, [False, True, True, False], axis=1)
    np.testing.assert_array_equal(run(on_axis1), X[:, [1, 2]])
    (g,) = tf.gradients(tf.reduce_sum(got), t)
    np.testing.assert_array_equal(run(g), np.broadcast_to(mask[..., None], X.shape).astype(np.float32))


def test_transpose_names_and_default_permutation():
    t = tf.transpose(tf.constant(X))
    assert t.op.name == "transpose" and t.shape.as_list() == [5, 4, 3]
    p = tf.placeholder(tf.float32, None)
    np.testing.assert_array_equal(run(tf.transpose(p), {p: X}), X.T)


def test_squeeze_and_expand_dims():
    x = tf.zeros([1, 2, 1])
    assert tf.squeeze(x).shape.as_list() == [2]
    assert tf.squeeze(x, axis=-1).shape.as_list() == [1, 2]
    assert tf.squeeze(tf.placeholder(tf.float32, [None, 1])).shape.ndims is None
    assert tf.expand_dims(x, -1).shape.as_list() == [1, 2, 1, 1]
    assert tf.expand_dims(x, dim=0).shape.as_list() == [1, 1, 2, 1]


def test_tile_and_pad_gradients_with_unknown_shapes():
    p = tf.placeholder(tf.float64, [None, 2])
    (gt,) = tf.gradients(tf.tile(p, [3, 2]), p)
    (gp,) = tf.gradients(tf.pad(p, [[1, 1], [0, 2]]) * 2.0, p)
    v = np.ones((2, 2))
    np.testing.assert_array_equal(run(gt, {p: v}), np.full((2, 2), 6.0))
    np.testing.assert_array_equal(run(gp, {p: v}), np.full((2, 2), 2.0))


def test_concat_gradient_with_a_tensor_axis():
    a, b = tf.constant([[1.0, 2.0]]), tf.constant([[3.0]])
    axis = tf.placeholder(tf.int32, [])
    c = tf.concat([a, b], axis)
    ga, gb = tf.gradients(c * tf.constant([[10.0, 20.0, 30.0]]), [a, b])
    va, vb = run([ga, gb], {axis: -1})
    np.testing.assert_array_equal(va, [[10.0, 20.0]])
    np.testing.assert_array_equal(vb, [[30.0]])


def test_unsorted_segment_sum_drops_negative_ids():
    out = tf.unsorted_segment_sum(tf.constant([1.0, 2.0, 4.0]), tf.constant([1, -1, 1]), 2)
    assert run(out).tolist() == [0.0, 5.0]


def test_string_constants_hold_bytes_as_in_tf():
    values = run([tf.constant("abc"), tf.constant(["x", "é"]), tf.constant([b"raw"], dtype=tf.string)])
    assert values[0] == b"abc"
    assert values[1].tolist() == [b"x", "é".encode()]
    assert values[2].tolist() == [b"raw"]


def test_empty_integer_constants():
    empty = tf.constant([], dtype=tf.int32)
    assert empty.dtype == tf.int32 and empty.shape.as_list() == [0]
    assert run(empty).dtype == np.int32
    with pytest.raises(TypeError, match="Expected int32, got 1.5"):
        tf.constant(1.5, dtype=tf.int32)


def test_shape_of_a_known_shape_is_known_while_building():
    x = tf.zeros([2, 3])
    assert tf.reshape(tf.ones([6]), tf.shape(x)).shape.as_list() == [2, 3]
    assert tf.fill(tf.shape(x), 1.0).shape.as_list() == [2, 3]
    assert tf.reshape(tf.ones([6]), tf.shape(tf.placeholder(tf.float32, [None, 3]))).shape.ndims == 2
