"""A fed numpy array of a narrower dtype is converted to the placeholder's dtype, as in TF.

Expected values were recorded with TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode):
float32 fed to float64 comes back float64 (0.1 widened, not rounded again), int16 and int8
widen to float64 and int64.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


def test_float32_array_fed_to_a_float64_placeholder_comes_back_float64():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, [None])
        with tf.Session() as sess:
            got = sess.run(p, {p: np.array([0.1, 2.5], np.float32)})
    assert got.dtype == np.float64
    assert got.tolist() == [0.10000000149011612, 2.5]


def test_narrow_integer_arrays_widen_to_the_placeholder_dtype():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, [None])
        q = tf.placeholder(tf.int64, [2])
        with tf.Session() as sess:
            doubled = sess.run(p * 2, {p: np.array([1, 2], np.int16)})
            same = sess.run(q, {q: np.array([3, 4], np.int8)})
    assert doubled.dtype == np.float64 and doubled.tolist() == [2.0, 4.0]
    assert same.dtype == np.int64 and same.tolist() == [3, 4]


def test_an_array_of_the_right_dtype_is_fed_as_it_is():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, [2])
        value = np.array([1.5, -2.0], np.float32)
        with tf.Session() as sess:
            got = sess.run(p, {p: value})
    assert got.dtype == np.float32 and got.tolist() == [1.5, -2.0]


@pytest.mark.parametrize("value, kind", [({"a": 1}, "dict"), (object(), "object")])
def test_a_value_numpy_cannot_convert_is_numpys_type_error(value, kind):
    # TF 2.21 raises numpy's own TypeError, word for word.
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, [2], name="p")
        message = f"^float\\(\\) argument must be a string or a (real )?number, not '{kind}'$"
        with tf.Session() as sess:
            with pytest.raises(TypeError, match=message):
                sess.run(p, {p: value})
