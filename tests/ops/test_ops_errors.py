"""Mistakes are reported in TensorFlow's words: shape errors when the graph is built
(ValueError naming the op and the input shapes), dtype errors as TypeError, and
bad values at run time as InvalidArgumentError naming the node."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_matmul_inner_dimensions_must_agree():
    a = tf.constant(np.ones((2, 3), np.float32))
    b = tf.constant(np.ones((2, 3), np.float32))
    expected = ("Dimensions must be equal, but are 3 and 2 for 'MatMul' (op: 'MatMul') with input "
                "shapes: [2,3], [2,3].")
    with pytest.raises(ValueError, match=re.escape(expected)):
        tf.matmul(a, b)


def test_dtype_mismatch_is_a_type_error():
    with pytest.raises(TypeError, match="float32 that does not match type int32"):
        tf.add(tf.constant(1), tf.constant(1.0))
    with pytest.raises(TypeError, match="does not match"):
        tf.matmul(tf.zeros([2, 2]), tf.zeros([2, 2], dtype=tf.float64))
    with pytest.raises(TypeError, match="don't all match"):
        tf.concat([tf.zeros([2]), tf.zeros([2], dtype=tf.int32)], 0)
    with pytest.raises(TypeError, match="don't all match"):
        tf.stack([tf.zeros([2]), tf.zeros([2], dtype=tf.float64)])


@pytest.mark.parametrize("build, message", [
    (lambda: tf.add(tf.zeros([2, 3]), tf.zeros([4])),
     "Dimensions must be equal, but are 3 and 4 for 'Add' (op: 'Add') with input shapes: [2,3], [4]."),
    (lambda: tf.reshape(tf.zeros([2, 3]), [4, 2]),
     "Cannot reshape a tensor with 6 elements to shape [4, 2] (8 elements)"),
    (lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1),
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,3]. for "
     "'concat' (op: 'ConcatV2')"),
    (lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([3])], 0), "Shape must be rank 2 but is rank 1"),
    (lambda: tf.concat([tf.zeros([2]), tf.zeros([2])], 1),
     "Expected concatenating dimensions in the range [-1, 1), but got 1"),
    (lambda: tf.stack([tf.zeros([2]), tf.zeros([3])]),
     "Dimension 0 in both shapes must be equal, but are 2 and 3"),
    (lambda: tf.stack([tf.zeros([2])], axis=2), "axis = 2 not in [-2, 2)"),
    (lambda: tf.transpose(tf.zeros([2, 3]), [1, 0, 2]), "Dimension must be 2 but is 3"),
    (lambda: tf.expand_dims(tf.zeros([2]), 3), "Tried to expand dim index 3 for tensor with 1 dimensions."),
    (lambda: tf.squeeze(tf.zeros([2, 3]), [0]), "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    (lambda: tf.split(tf.zeros([4, 2]), 3), "Dimension size must be evenly divisible by 3 but is 4"),
    (lambda: tf.split(tf.zeros([4, 2]), [1, 2]),
     "Determined shape must either match input shape along split_dim exactly"),
    (lambda: tf.tile(tf.zeros([2, 3]), [1, 2, 3]), "Dimension must be 2 but is 3"),
    (lambda: tf.slice(tf.zeros([2, 3]), [1, 1], [2, 1]), "Expected size[0] in [0, 1], but got 2"),
    (lambda: tf.gather(tf.zeros([2, 3]), [0], axis=2), "Expected axis in the range [-2, 2), but got 2"),
    (lambda: tf.zeros([2, 3])[0, 1, 2], "Index out of range using input dim 2; input has only 2 dims"),
    (lambda: tf.zeros([2, 3])[2], "slice index 2 of dimension 0 out of bounds."),
    (lambda: tf.pad(tf.zeros([2, 3]), [[1, 1]]), "Dimensions must be equal, but are 2 and 1"),
    (lambda: tf.range(0, 5, 0), "Requires delta != 0"),
    (lambda: tf.range(5, 0, 1), "Requires start <= limit when delta > 0: 5/0"),
    (lambda: tf.unstack(tf.placeholder(tf.float32, [None, 2])), "Cannot infer num from shape (?, 2)"),
    (lambda: tf.nn.softmax(tf.constant(1.0)), "Shape must be at least rank 1 but is rank 0"),
    (lambda: tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([4])), "Dimensions must be equal, but are 3 and 4"),
    (lambda: tf.nn.bias_add(tf.zeros([3]), tf.zeros([3])), "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([2, 4]), logits=tf.zeros([2, 3])),
     "Dimensions must be equal, but are 3 and 4 for 'softmax_cross_entropy_with_logits' "
     "(op: 'SoftmaxCrossEntropyWithLogits') with input shapes: [2,3], [2,4]."),
    (lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([2, 1], tf.int32),
                                                            logits=tf.zeros([2, 3])),
     "Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received 2)."),
    (lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([3], tf.int32),
                                                            logits=tf.zeros([2, 3])),
     "Shape mismatch: The shape of labels (received (3,)) should equal the shape of logits except "
     "for the last dimension (received (2, 3))."),
    (lambda: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3])),
     "logits and labels must have the same shape ((3,) vs (2,))"),
    (lambda: tf.boolean_mask(tf.zeros([2]), tf.constant(True)), "mask cannot be scalar."),
    (lambda: tf.losses.mean_squared_error(tf.zeros([2]), tf.zeros([3])), "are incompatible"),
])
def test_shape_errors_at_graph_build_time(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_cross_entropy_functions_require_named_arguments():
    logits, labels = tf.zeros([2, 3]), tf.zeros([2], tf.int32)
    with pytest.raises(ValueError, match=re.escape(
            "Only call `sparse_softmax_cross_entropy_with_logits` with named arguments "
            "(labels=..., logits=..., ...)")):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
    with pytest.raises(ValueError, match="Only call `softmax_cross_entropy_with_logits` with named"):
        tf.nn.softmax_cross_entropy_with_logits(tf.zeros([2, 3]), logits)
    with pytest.raises(ValueError, match="Only call `sigmoid_cross_entropy_with_logits` with named"):
        tf.nn.sigmoid_cross_entropy_with_logits(logits, logits)
    with pytest.raises(ValueError, match="Both labels and logits must be provided."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits)


def test_invalid_index_types():
    x = tf.zeros([3, 3])
    with pytest.raises(TypeError, match=re.escape(
            "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
            "tf.int32/tf.int64 tensors are valid indices, got 1.5")):
        x[1.5]
    with pytest.raises(TypeError, match="valid indices"):
        x[tf.constant([0, 1])]
    with pytest.raises(TypeError, match="valid indices"):
        x[0:2.5]


def test_one_hot_on_and_off_values_must_share_a_dtype():
    with pytest.raises(TypeError, match="of on_value does not match dtype"):
        tf.one_hot([0, 1], 2, on_value=1.0, off_value=0)


def test_unknown_padding_mode():
    with pytest.raises(ValueError, match="Unknown padding mode: WRAP"):
        tf.pad(tf.zeros([2]), [[1, 1]], mode="WRAP")


def test_invalid_loss_reduction():
    with pytest.raises(ValueError, match="Invalid Reduction Key bogus."):
        tf.losses.mean_squared_error([1.0], [2.0], reduction="bogus")


def _run_error(build, feed_values, match):
    x = tf.placeholder(tf.int32 if isinstance(feed_values, list) and
                       isinstance(feed_values[0], int) else tf.float32, None)
    out = build(x)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=match) as info:
            sess.run(out, {x: feed_values})
    assert out.op.name in str(info.value)


def _sparse_xent(labels):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.zeros([2, 3]))


@pytest.mark.parametrize("build, value, match", [
    (lambda x: tf.gather(tf.constant([1.0, 2.0, 3.0]), x), [0, 5], "indices[1] = 5 is not in [0, 3)"),
    (lambda x: x[5], [1.0, 2.0], "slice index 5 of dimension 0 out of bounds."),
    (_sparse_xent, [0, 3],
     "Received a label value of 3 which is outside the valid range of [0, 3).  Label values: 0 3"),
    (lambda x: tf.squeeze(x, [0]), [1.0, 2.0], "Can not squeeze dim[0], expected a dimension of 1, got 2"),
    (lambda x: tf.range(0.0, x, 0.0), 1.0, "Requires delta != 0"),
    (lambda x: tf.unsorted_segment_sum(tf.ones([2]), x, 2), [0, 4], "segment_ids 4 is out of range [0, 2)"),
])
def test_bad_values_are_caught_at_run_time(build, value, match):
    _run_error(build, value, re.escape(match))


def test_unstack_checks_the_fed_shape():
    x = tf.placeholder(tf.float32, [None])
    a, b = tf.unstack(x, num=2)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Dimension must be 2 but is 3"):
            sess.run(a, {x: [1.0, 2.0, 3.0]})
