"""How ``tf.gradients`` builds the backward graph: names, sums over paths, broadcasting,
unconnected inputs, stop_gradient, higher orders."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


def run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_gradient_nodes_are_named_after_the_forward_op():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3], name="x")
        w = tf.constant(np.ones((3, 4), np.float32), name="w")
        y = tf.nn.relu(tf.matmul(x, w))
        gx, gw = tf.gradients(tf.reduce_sum(y), [x, w])
        assert gx.name == "gradients/MatMul_grad/MatMul:0"
        assert gw.name == "gradients/MatMul_grad/MatMul_1:0"
        relu_grad = gx.op.inputs[0].op
        assert relu_grad.type == "ReluGrad" and relu_grad.name == "gradients/Relu_grad/ReluGrad"
        part = x[:, 1:]
        assert part.op.name == "strided_slice"
        (gs,) = tf.gradients(part, x)
        assert gs.op.name == "gradients_1/strided_slice_grad/StridedSliceGrad"


def test_a_second_call_opens_a_new_gradients_scope():
    with tf.Graph().as_default():
        x = tf.constant(1.0)
        (g1,) = tf.gradients(x * x, x)
        (g2,) = tf.gradients(x * x, x)
        assert g1.name.startswith("gradients/") and g2.name.startswith("gradients_1/")


def test_gradients_from_several_paths_are_summed():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [3])
        y = x * x + x
        (g,) = tf.gradients(y, x)
        assert g.op.type == "AddN" and g.op.name == "gradients/AddN"   # as TF 1.x names it
        xs = np.array([1.0, -2.0, 0.5])
        np.testing.assert_allclose(run(g, {x: xs}), 2 * xs + 1)


def test_gradients_of_several_ys_are_summed():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        (g,) = tf.gradients([tf.reduce_sum(x * 3.0), tf.reduce_sum(tf.square(x))], x)
        np.testing.assert_allclose(run(g), 3 + 2 * np.array([1.0, 2.0]))


def test_broadcast_gradients_are_summed_back_to_each_input_shape():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [3, 1])
        b = tf.placeholder(tf.float32, [4])
        ga, gb = tf.gradients(a + b, [a, b])
        assert ga.shape.as_list() == [3, 1] and gb.shape.as_list() == [4]
        va, vb = run([ga, gb], {a: np.zeros((3, 1)), b: np.zeros(4)})
        np.testing.assert_array_equal(va, np.full((3, 1), 4.0))
        np.testing.assert_array_equal(vb, np.full(4, 3.0))


def test_broadcast_gradient_with_unknown_shapes():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None, 1])
        b = tf.placeholder(tf.float32, [None])
        ga, gb = tf.gradients(a * b, [a, b])
        va, vb = run([ga, gb], {a: [[1.0], [2.0]], b: [1.0, 10.0, 100.0]})
        np.testing.assert_array_equal(va, [[111.0], [111.0]])
        np.testing.assert_array_equal(vb, [3.0, 3.0, 3.0])


def test_unconnected_inputs_get_none():
    with tf.Graph().as_default():
        x, z = tf.constant(1.0), tf.constant(2.0)
        assert tf.gradients(x * 2.0, [x, z])[1] is None
        i = tf.constant(3)
        assert tf.gradients(tf.cast(i, tf.float32) * x, i) == [None]   # integers carry no gradient


def test_stop_gradient_blocks_the_path():
    with tf.Graph().as_default():
        x = tf.constant([3.0, 4.0])
        y = x * tf.stop_gradient(x)
        (g,) = tf.gradients(y, x)
        np.testing.assert_array_equal(run(g), [3.0, 4.0])          # not 2x
        (h,) = tf.gradients(x * x, x, stop_gradients=[x])
        np.testing.assert_array_equal(run(h), [6.0, 8.0])


def test_grad_ys_weights_the_outputs():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        (g,) = tf.gradients(x * x, x, grad_ys=tf.constant([10.0, 100.0]))
        np.testing.assert_array_equal(run(g), [20.0, 400.0])


def test_second_and_third_derivatives():
    with tf.Graph().as_default():
        x = tf.constant(2.0)
        y = x * x * x
        (d1,) = tf.gradients(y, x)
        (d2,) = tf.gradients(d1, x)
        (d3,) = tf.gradients(d2, x)
        assert run([d1, d2, d3]) == [12.0, 12.0, 6.0]


def test_second_derivative_of_sigmoid_and_softplus():
    with tf.Graph().as_default():
        x = tf.constant([-1.0, 0.5], tf.float64)
        (d1,) = tf.gradients(tf.nn.softplus(x), x)
        (d2,) = tf.gradients(d1, x)
        s = 1 / (1 + np.exp(-np.array([-1.0, 0.5])))
        np.testing.assert_allclose(run(d1), s)
        np.testing.assert_allclose(run(d2), s * (1 - s))


def test_gradient_of_an_unused_output_of_a_multi_output_op_is_zero():
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        first, _ = tf.unstack(x)
        (g,) = tf.gradients(first * 5.0, x)
        np.testing.assert_array_equal(run(g), [[5.0, 5.0], [0.0, 0.0]])


def test_gather_gradient_accumulates_repeated_indices():
    with tf.Graph().as_default():
        p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        (g,) = tf.gradients(tf.gather(p, [2, 0, 2]), p)     # an IndexedSlices, as in TF 1.x
        np.testing.assert_array_equal(run(tf.convert_to_tensor(g)), [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]])


def test_gradient_of_an_integer_target_is_none_as_in_tf():
    # Recorded from TF 2.21 compat.v1 (graph mode; TF 1.x's gradients_util): no TypeError.
    # tf.gradients(i * 2, i) -> [None], building gradients/Shape, gradients/grad_ys_0/Const and
    # gradients/grad_ys_0 (Fill); tf.gradients(cast(x, int32) * 2, x) -> [None];
    # tf.gradients(i, i) -> [<gradients/grad_ys_0:0 int32>].
    with tf.Graph().as_default() as g:
        i = tf.constant([1, 2])
        y = i * 2
        before = len(g.get_operations())
        assert tf.gradients(y, i) == [None]
        built = [op.name for op in g.get_operations()[before:]]
        assert built and not any("mul_grad" in n for n in built)   # only the ones
        x = tf.constant([1.0, 2.0])
        assert tf.gradients(tf.cast(x, tf.int32) * 2, x) == [None]
        (own,) = tf.gradients(i, i)
        assert own.dtype == tf.int32       # TF names it gradients_2/grad_ys_0 (minitf: gradients_2/Fill)
        np.testing.assert_array_equal(run(own), [1, 1])


def test_gradient_through_reductions_over_unknown_shapes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, None])
        (g_mean,) = tf.gradients(tf.reduce_mean(x), x)
        (g_max,) = tf.gradients(tf.reduce_max(x, axis=1), x)
        xs = np.array([[1.0, 5.0, 5.0], [2.0, 0.0, 1.0]])
        np.testing.assert_allclose(run(g_mean, {x: xs}), np.full((2, 3), 1 / 6))
        np.testing.assert_allclose(run(g_max, {x: xs}), [[0, 0.5, 0.5], [1, 0, 0]])


def test_reductions_of_unknown_rank_use_a_range_of_axes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, None)
        total = tf.reduce_sum(x)
        assert total.op.inputs[1].op.type == "Range"       # all axes, computed at run time
        (g,) = tf.gradients(tf.reduce_mean(x), x)
        xs = np.arange(6.0).reshape(2, 3)
        assert run(total, {x: xs}) == 15.0
        np.testing.assert_allclose(run(g, {x: xs}), np.full((2, 3), 1 / 6))
