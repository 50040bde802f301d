"""Convolution and pooling behave as TensorFlow's: output sizes, padding, errors, gradients, GraphDefs.

The values of every op are checked against naive numpy loops in the op table
(``ops_table.py``, ``conv_reference.py``); this file checks what a table row cannot.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def _run(t, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(t, feed)


# --- static shapes: TF's output-size formulas, batch unknown --------------------------------------
@pytest.mark.parametrize("size, k, s, d, padding, out", [
    (28, 5, 1, 1, "SAME", 28), (28, 5, 1, 1, "VALID", 24), (28, 5, 2, 1, "SAME", 14),
    (7, 3, 2, 1, "SAME", 4), (7, 3, 2, 1, "VALID", 3), (8, 3, 3, 1, "VALID", 2),
    (7, 3, 1, 2, "VALID", 3), (7, 3, 1, 2, "SAME", 7),
])
def test_conv2d_output_size(size, k, s, d, padding, out):
    x = tf.placeholder(tf.float32, [None, size, size + 1, 2])
    y = tf.nn.conv2d(x, tf.zeros([k, k, 2, 3]), [1, s, s, 1], padding, dilations=[1, d, d, 1])
    static = y.shape.as_list()
    assert static[0] is None and static[1] == out and static[3] == 3
    value = _run(y, {x: np.zeros((2, size, size + 1, 2), np.float32)})
    assert value.shape == (2, out, static[2], 3)


def test_unknown_spatial_dimensions_stay_unknown():
    x = tf.placeholder(tf.float32, [None, None, 5, 1])
    assert tf.nn.conv2d(x, tf.zeros([3, 3, 1, 4]), [1, 2, 2, 1], "SAME").shape.as_list() == [None, None, 3, 4]
    assert tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").shape.as_list() == [None, None, 2, 1]


def test_pool_output_sizes():
    x = tf.placeholder(tf.float32, [None, 28, 28, 32])
    assert tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").shape.as_list() == [None, 14, 14, 32]
    assert tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID").shape.as_list() == [None, 13, 13, 32]
    assert tf.nn.max_pool(x, 3, 2, "SAME").shape.as_list() == [None, 14, 14, 32]      # TF 1.14+ ints


def test_conv2d_transpose_takes_its_shape_from_output_shape():
    x = tf.placeholder(tf.float32, [4, 5, 5, 3])
    y = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 2, 3]), [4, 10, 10, 2], [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [4, 10, 10, 2]
    assert y.op.type == "Conv2DBackpropInput" and y.op.name == "conv2d_transpose"


# --- SAME padding: total // 2 before, the rest after ------------------------------------------------
def test_same_padding_puts_the_odd_zero_after():
    # 1x4x4 image, 2x2 window, stride 2: total padding 0; 1x3x3 with stride 1: total 1, all of it after.
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)
    y = _run(tf.nn.conv2d(x, np.ones((2, 2, 1, 1), np.float32), [1, 1, 1, 1], "SAME"))
    assert y[0, 0, 0, 0] == 0 + 1 + 3 + 4          # the window starts on the image, not in padding
    assert y[0, 2, 2, 0] == 8                       # the last window is mostly padding
    # Odd kernel, stride 2 on an even size: total 1, so 0 before, 1 after (TF's rule, not cuDNN's).
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    y = _run(tf.nn.conv2d(x, np.ones((3, 3, 1, 1), np.float32), [1, 2, 2, 1], "SAME"))
    assert y[0, 0, 0, 0] == x[0, :3, :3].sum()


def test_avg_pool_same_divides_by_the_valid_elements():
    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32).reshape(1, 2, 2, 1)
    y = _run(tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"))
    np.testing.assert_allclose(y.ravel(), [2.5, 2.5, 2.5, 2.5])    # 10 / 4, never 10 / 9
    y = _run(tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "SAME"))
    np.testing.assert_allclose(y.ravel(), [2.5, 3.0, 3.5, 4.0])


def test_max_pool_gradient_goes_to_the_first_max():
    x = tf.constant(np.full((1, 2, 2, 1), 7.0, np.float32))
    (g,) = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), [x])
    np.testing.assert_array_equal(_run(g).ravel(), [1, 0, 0, 0])


# --- errors in TF's words ---------------------------------------------------------------------------
def test_channel_mismatch_fails_when_the_graph_is_built():
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    expected = ("Depth of input (3) is not a multiple of input depth of filter (4) for 'Conv2D' "
                "(op: 'Conv2D') with input shapes: [?,5,5,3], [3,3,4,2].")
    with pytest.raises(ValueError, match=re.escape(expected)):
        tf.nn.conv2d(x, tf.zeros([3, 3, 4, 2]), [1, 1, 1, 1], "SAME")


def test_valid_window_larger_than_the_image():
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 5 from 4"):
        tf.nn.conv2d(x, tf.zeros([5, 5, 1, 1]), [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 5 from 4"):
        tf.nn.max_pool(x, [1, 5, 5, 1], [1, 1, 1, 1], "VALID")


@pytest.mark.parametrize("build", [
    lambda x: tf.nn.conv2d(x, tf.zeros([1, 1, 1, 1]), [1, 1, 1, 1], "same"),
    lambda x: tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "FULL"),
    lambda x: tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], None),
])
def test_unknown_padding(build):
    with pytest.raises(ValueError, match="Unknown padding"):
        build(tf.placeholder(tf.float32, [1, 4, 4, 1]))


def test_other_bad_arguments():
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    with pytest.raises(TypeError, match="Value for attr 'T' of int32 is not in the list"):
        tf.nn.conv2d(tf.zeros([1, 4, 4, 1], tf.int32), tf.zeros([1, 1, 1, 1], tf.int32), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="batch and depth dimensions must be 1"):
        tf.nn.max_pool(x, [2, 2, 2, 1], [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.nn.conv2d(tf.zeros([4, 4, 1]), tf.zeros([1, 1, 1, 1]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="NHWC"):
        tf.nn.conv2d(x, tf.zeros([1, 1, 1, 1]), [1, 1, 1, 1], "SAME", data_format="NCHW")
    with pytest.raises(ValueError, match="input channels does not match filter's input channels, 1 != 2"):
        tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 5, 2]), [1, 8, 8, 5], [1, 2, 2, 1])


# --- gradients and GraphDefs as TF builds them ------------------------------------------------------
def test_conv2d_gradient_nodes_are_named_and_typed_as_in_tf():
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    w = tf.Variable(tf.zeros([3, 3, 2, 4]))
    dx, dw = tf.gradients(tf.reduce_sum(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")), [x, w])
    assert dx.op.name == "gradients/Conv2D_grad/Conv2DBackpropInput"
    assert dw.op.name == "gradients/Conv2D_grad/Conv2DBackpropFilter"
    assert dx.op.get_attr("T") == tf.float32 and dw.shape.as_list() == [3, 3, 2, 4]
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    conv = nodes["Conv2D"]
    assert sorted(conv.attr) == sorted(["T", "strides", "use_cudnn_on_gpu", "padding", "explicit_paddings",
                                        "data_format", "dilations"])
    assert conv.attr["explicit_paddings"].HasField("list")      # an empty list, not a missing value
    assert list(conv.attr["strides"].list.i) == [1, 1, 1, 1] and conv.attr["padding"].s == b"SAME"
    assert nodes["gradients/Conv2D_grad/Conv2DBackpropInput"].attr["T"].type == tf.float32.as_datatype_enum


def test_conv2d_transpose_is_the_gradient_of_conv2d():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(2, 7, 7, 3)))
    f = tf.constant(rng.normal(size=(3, 3, 3, 5)))
    y = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME")
    dy = rng.normal(size=(2, 4, 4, 5))
    (dx,) = tf.gradients(y, [x], grad_ys=[tf.constant(dy)])
    transposed = tf.nn.conv2d_transpose(dy, f, [2, 7, 7, 3], [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(*_run([dx, transposed]), rtol=1e-12)


def test_a_conv_graph_survives_a_graph_def_round_trip():
    rng = np.random.default_rng(1)
    x = tf.placeholder(tf.float32, [None, 6, 6, 1], name="x")
    y = tf.nn.max_pool(tf.nn.conv2d(x, rng.normal(size=(3, 3, 1, 2)).astype(np.float32), [1, 1, 1, 1],
                                    "SAME", dilations=[1, 2, 2, 1]), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    y = tf.identity(tf.nn.avg_pool(y, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"), name="y")
    graph_def = tf.get_default_graph().as_graph_def()
    feed = rng.normal(size=(2, 6, 6, 1)).astype(np.float32)
    want = _run(y, {x: feed})
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            got = sess.run("y:0", {"x:0": feed})
    np.testing.assert_array_equal(got, want)


# --- a tiny LeNet learns ----------------------------------------------------------------------------
def test_a_tiny_lenet_step_lowers_the_loss():
    """conv -> relu -> max_pool -> reshape -> matmul -> softmax cross-entropy, plain gradient descent."""
    rng = np.random.default_rng(0)
    images = rng.normal(size=(16, 8, 8, 1)).astype(np.float32)
    labels = (images[:, :4].sum((1, 2, 3)) > images[:, 4:].sum((1, 2, 3))).astype(np.int32)  # top vs bottom
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    y = tf.placeholder(tf.int32, [None])
    w1 = tf.Variable(tf.truncated_normal([3, 3, 1, 4], stddev=0.3))
    b1 = tf.Variable(tf.zeros([4]))
    h = tf.nn.max_pool(tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME"), b1)),
                       [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    w2 = tf.Variable(tf.truncated_normal([4 * 4 * 4, 2], stddev=0.1))
    logits = tf.matmul(tf.reshape(h, [-1, 4 * 4 * 4]), w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {x: images, y: labels}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([train, loss], feed)[1] for _ in range(30)]
    assert np.all(np.isfinite(losses))
    assert losses[-1] < 0.7 * losses[0], losses


def test_conv2d_transpose_output_shape_must_fit_its_input():
    value = tf.ones([1, 3, 3, 2])
    y = tf.nn.conv2d_transpose(value, tf.ones([3, 3, 1, 2]), [1, 8, 8, 1], [1, 2, 2, 1], "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Size of out_backprop doesn't match computed: actual = 3, computed = 4"):
        _run(y)


def test_conv1d_is_a_conv2d_of_height_one():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 7, 3)).astype(np.float32)
    f = rng.normal(size=(3, 3, 4)).astype(np.float32)
    y = tf.nn.conv1d(x, f, 2, "VALID")
    assert y.shape.as_list() == [2, 3, 4] and y.op.name == "conv1d/Squeeze"
    want = np.stack([np.einsum("nwc,wco->no", x[:, 2 * i:2 * i + 3], f) for i in range(3)], 1)
    np.testing.assert_allclose(_run(y), want, rtol=1e-5, atol=1e-5)
