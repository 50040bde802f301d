"""Bad input to the "more ops" gets a typed error in TF's words, at build time when shapes tell."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_gather_nd_and_scatter_nd_name_the_bad_index():
    with tf.Graph().as_default():
        params = tf.constant(np.zeros((3, 4), np.float32))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"indices\[1\] = \[3, 0\] does not index into param shape \[3,4\]"):
            _run(tf.gather_nd(params, [[0, 1], [3, 0]]))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"indices\[0\] = \[-1\] does not index into shape \[4\]"):
            _run(tf.scatter_nd([[-1]], [1.0], [4]))
        with pytest.raises(ValueError, match="indices.shape\\[-1\\] must be <= params.rank"):
            tf.gather_nd(params, [[0, 1, 2]])
        with pytest.raises(ValueError, match="must match the outer 1 dimensions of updates"):
            tf.scatter_nd([[0], [1]], [1.0, 2.0, 3.0], [4])


def test_reverse_refuses_repeated_or_out_of_range_axes():
    with tf.Graph().as_default():
        x = tf.zeros([2, 3])
        with pytest.raises(ValueError, match="axis 1 specified more than once"):
            tf.reverse(x, [1, -1])
        with pytest.raises(ValueError, match=r"'axis'\[0\] = 2 is out of valid range \[0, 1\]"):
            tf.reverse(x, [2])
        axis = tf.placeholder(tf.int32, [None])
        with pytest.raises(tf.errors.InvalidArgumentError, match="axis 0 specified more than once"):
            _run(tf.reverse(x, axis), {axis: [0, 0]})


def test_einsum_and_tensordot_say_what_is_wrong():
    with tf.Graph().as_default():
        a, b = tf.zeros([2, 3]), tf.zeros([3, 4])
        with pytest.raises(ValueError, match="expecting 2"):
            tf.einsum("ij,jk->ik", a)
        with pytest.raises(ValueError, match="has rank 2 but its subscripts \"ijk\""):
            tf.einsum("ijk,kl->il", a, b)
        with pytest.raises(ValueError, match="ellipses"):
            tf.einsum("...j,jk->...k", a, b)
        with pytest.raises(ValueError, match="Output subscripts z do not appear"):
            tf.einsum("ij,jk->iz", a, b)
        with pytest.raises(ValueError, match="Different number of contraction axes"):
            tf.tensordot(a, b, [[1], [0, 1]])
        with pytest.raises(ValueError, match="Dimensions must be equal"):
            tf.tensordot(a, b, [[0], [0]])
        np.testing.assert_allclose(_run(tf.einsum("ij,jk", a + 1, b + 1)), np.full((2, 4), 3.0))


def test_sequence_mask_wants_a_scalar_maxlen():
    with tf.Graph().as_default(), pytest.raises(ValueError, match="maxlen must be scalar for sequence_mask"):
        tf.sequence_mask([1, 2], [3, 4])
