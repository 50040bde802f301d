"""Feeds of the wrong rank are refused, even when every known dimension would match.

TF1's ``Session.run`` checks ``subfeed_t.get_shape().is_compatible_with(np_val.shape)``:
a shape is compatible only with a value of the same rank, so (3,) cannot go into
``[None, 3]`` although its one dimension is 3.  The error is TF's ValueError:
``Cannot feed value of shape (3,) for Tensor 'x:0', which has shape '(?, 3)'``.
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


def _message(value_shape, name, shape):
    return re.escape(f"Cannot feed value of shape {value_shape} for Tensor '{name}', which has shape '{shape}'")


@pytest.mark.parametrize("shape, value, value_shape, shown", [
    ([None, 3], np.zeros(3, np.float32), "(3,)", "(?, 3)"),            # one dimension short
    ([None], [[1.0, 2.0]], "(1, 2)", "(?,)"),                          # one too many
    ([None], 5.0, "()", "(?,)"),                                       # a scalar into a vector
    ([None, 3], np.zeros((2, 3, 1), np.float32), "(2, 3, 1)", "(?, 3)"),
    ([None, None], np.zeros(6, np.float32), "(6,)", "(?, ?)"),         # no known size to disagree with
    ([], [1.0], "(1,)", "()"),
])
def test_wrong_rank_is_refused(shape, value, value_shape, shown):
    x = tf.placeholder(tf.float32, shape, name="x")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=_message(value_shape, "x:0", shown)):
            sess.run(tf.identity(x), {x: value})


def test_wrong_rank_refused_for_a_fed_intermediate_tensor():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.identity(x, name="y")
    z = y * 2.0
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=_message("(3,)", "y:0", "(?, 3)")):
            sess.run(z, {y: np.ones(3, np.float32)})


@pytest.mark.parametrize("shape, value", [
    ([None, 3], np.zeros((5, 3), np.float32)),
    ([None], [1.0, 2.0]),
    ([None, None], np.zeros((2, 7), np.float32)),
    (None, np.zeros((2, 3, 4), np.float32)),                           # unknown rank takes any value
    (None, 1.0),
])
def test_right_rank_is_accepted(shape, value):
    x = tf.placeholder(tf.float32, shape)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x + 0.0, {x: value}), np.asarray(value, np.float32))


def test_wrong_rank_refused_by_the_callable_too():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.Session() as sess:
        run = sess.make_callable(x * 1.0, [x])
        with pytest.raises(ValueError, match=_message("(3,)", "x:0", "(?, 3)")):
            run(np.zeros(3, np.float32))


@pytest.mark.parametrize("value_shape", [(2, 2), (2, 4)])
def test_right_rank_but_a_known_dimension_differs(value_shape):
    """Smaller and larger both refused: a known dimension must match exactly."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=_message(str(value_shape), "x:0", "(?, 3)")):
            sess.run(tf.identity(x), {x: np.zeros(value_shape, np.float32)})
