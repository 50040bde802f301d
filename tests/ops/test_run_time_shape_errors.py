"""Shapes that disagree only when fed: the kernel's words, as TF's kernel says them.

At graph-build time TF's shape function speaks ("Dimensions must be equal, ..."); when the
shapes are known only at run time, TF's kernel finds the problem and says it its own way.
Expected messages recorded from TensorFlow 2.21 (compat.v1 graph mode, placeholders of
shape [None, None], Session.run with the arrays below; the first line of the error after
TF's "Node: 'product'" header).
"""

import numpy as np
import pytest

import minitf as tf


def _run_matmul(a_value, b_value, **kwargs):
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None, None])
        b = tf.placeholder(tf.float32, [None, None])
        product = tf.matmul(a, b, name="product", **kwargs)
        with tf.Session() as sess:
            return sess.run(product, {a: a_value, b: b_value})


@pytest.mark.parametrize("kwargs", [{}, {"transpose_b": True}])
def test_matmul_fed_shapes_that_disagree_are_the_kernels_error(kwargs):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        _run_matmul(np.ones((2, 3)), np.ones((4, 1)), **kwargs)
    # TF prints the inputs as fed, before any transpose.
    assert str(info.value) == "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,1]\n\t [[{{node product}}]]"


def test_matmul_fed_shapes_that_agree_still_run():
    np.testing.assert_allclose(_run_matmul(np.ones((2, 3)), np.ones((3, 1))), np.full((2, 1), 3.0))
    np.testing.assert_allclose(_run_matmul(np.ones((2, 3)), np.ones((1, 3)), transpose_b=True),
                               np.full((2, 1), 3.0))


def test_matmul_fed_rank_3_is_not_a_matrix():
    # TF 1.x's matmul_op.cc: "In[0] is not a matrix. Instead it has shape ..."
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
        product = tf.matmul(a, b, name="product")
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(product, {a: np.ones((2, 3, 4)), b: np.ones((4, 1))})
    assert str(info.value).startswith("In[0] is not a matrix. Instead it has shape [2,3,4]")


@pytest.mark.parametrize("build", [tf.add, tf.multiply, tf.maximum, tf.less, tf.squared_difference, tf.truediv],
                         ids=lambda f: f.__name__)
def test_binary_ops_fed_shapes_that_do_not_broadcast_are_bcasts_error(build):
    # Recorded from TF 2.21 for AddV2, Mul, Maximum, Less, SquaredDifference, RealDiv.
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
        out = build(a, b)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(out, {a: np.ones(2), b: np.ones(3)})
    assert str(info.value).startswith("Incompatible shapes: [2] vs. [3]\n\t [[{{node ")


def test_ops_without_the_kernels_words_keep_the_shape_functions():
    # The fallback: an op whose record has no run_time_shape_error (Pack) is reported in its shape
    # function's words, still an InvalidArgumentError naming the node.
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float32, [None, None]), tf.placeholder(tf.float32, [None, None])
        joined = tf.stack([a, b], name="joined")
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(joined, {a: np.ones((1, 2)), b: np.ones((1, 3))})
    text = str(info.value)
    assert text.startswith("Dimension 1 in both shapes must be equal, but are 2 and 3")
    assert text.endswith("[[{{node joined}}]]")
