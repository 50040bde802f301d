"""Reduction gradients where central differences see nothing: empty tensors, axes fed at run
time, and the graph built for known shapes.

Expected values were recorded with TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode)
running the same programs, or are written out from the formula with numpy.
"""

from __future__ import annotations

import numpy as np

import minitf as tf


def _new_op_types(graph, before) -> set:
    return {op.type for op in graph.get_operations()[before:]}


def test_mean_gradient_of_static_shapes_divides_by_a_constant():
    # TF's _MeanGrad: with both static shapes known the factor is a constant (input size // output
    # size); only unknown shapes need run-time sizes.
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [2, 3])
        mean = tf.reduce_mean(x, axis=1)
        before = len(graph.get_operations())
        (g,) = tf.gradients(mean, x)
        assert not _new_op_types(graph, before) & {"Size", "Cast", "Maximum"}
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(g, {x: np.ones((2, 3))}), np.full((2, 3), 1 / 3))


def test_mean_gradient_over_an_empty_axis():
    # TF: the gradient of reduce_mean(zeros([0, 3]), axis=1) has shape (0, 3), no division by zero.
    with tf.Graph().as_default():
        x = tf.zeros([0, 3])
        (g,) = tf.gradients(tf.reduce_mean(x, axis=1), x)
        with tf.Session() as sess:
            assert sess.run(g).shape == (0, 3)


def test_sum_gradient_with_one_unknown_dimension_reshapes_to_a_constant():
    # One unknown kept dimension fits in a -1: the gradient's kept shape is the constant [-1, 1].
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 3])
        before = len(graph.get_operations())
        (g,) = tf.gradients(tf.reduce_sum(x, axis=1), x)
        reshapes = [op for op in graph.get_operations()[before:] if op.type == "Reshape"]
        assert [op.inputs[1].op.type for op in reshapes] == ["Const"]
        with tf.Session() as sess:
            assert sess.run(reshapes[0].inputs[1]).tolist() == [-1, 1]
            np.testing.assert_array_equal(sess.run(g, {x: np.zeros((4, 3))}), np.ones((4, 3)))


def test_prod_gradient_with_axes_fed_at_run_time():
    # TF: the product of the other entries times the upstream gradient (inputs nonzero).
    xs = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
    up = np.array([2.0, 3.0], np.float32)
    with tf.Graph().as_default():
        x = tf.constant(xs)
        axis = tf.placeholder(tf.int32, [])
        (g,) = tf.gradients(tf.reduce_prod(x, axis), x, grad_ys=tf.constant(up))
        with tf.Session() as sess:
            got = sess.run(g, {axis: 1})
    np.testing.assert_allclose(got, [[12.0, 6.0, 4.0], [90.0, 72.0, 60.0]])        # recorded from TF
    np.testing.assert_allclose(got, up[:, None] * xs.prod(axis=1, keepdims=True) / xs)


def test_sum_gradient_with_known_kept_dimensions_reshapes_to_a_constant():
    # No unknown kept dimension ([2, 3] over axis 1, or [None, 3] over axis 0): a constant kept shape.
    for shape, axis, kept in [([2, 3], 1, [2, 1]), ([None, 3], 0, [1, 3])]:
        with tf.Graph().as_default() as graph:
            x = tf.placeholder(tf.float32, shape)
            before = len(graph.get_operations())
            tf.gradients(tf.reduce_sum(x, axis=axis), x)
            reshapes = [op for op in graph.get_operations()[before:] if op.type == "Reshape"]
            assert [op.inputs[1].op.type for op in reshapes] == ["Const"]
            with tf.Session() as sess:
                assert sess.run(reshapes[0].inputs[1]).tolist() == kept
