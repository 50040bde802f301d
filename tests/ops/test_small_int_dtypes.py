"""int8/int16/uint8/uint16 tensors run through the int32 kernels and wrap around like TF."""

import numpy as np
import pytest

import minitf as tf


@pytest.mark.parametrize("dtype", [tf.int8, tf.int16, tf.uint8, tf.uint16])
def test_small_int_arithmetic_reductions_and_comparisons(dtype):
    np_type = dtype.np_dtype
    a_val = np.array([[100, 7], [3, 120]], dtype=np_type)
    b_val = np.array([[100, 2], [5, 9]], dtype=np_type)
    with tf.Graph().as_default():
        a = tf.placeholder(dtype, [2, 2])
        b = tf.placeholder(dtype, [2, 2])
        fetches = [a + b, a * b, tf.maximum(a, b), tf.reduce_sum(a, 0), a < b, tf.square(a)]
        with tf.Session() as sess:
            got = sess.run(fetches, {a: a_val, b: b_val})
    with np.errstate(over="ignore"):
        want = [a_val + b_val, a_val * b_val, np.maximum(a_val, b_val),
                a_val.sum(0, dtype=np_type), a_val < b_val, a_val * a_val]
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)
