"""Several targets in one ``tf.gradients`` call: one depending on another, repeated, unconnected.

Expected values, messages and node names were recorded with TensorFlow 2.21
(``tensorflow.compat.v1``, graph mode) running the same programs.
"""

from __future__ import annotations

import pytest

import minitf as tf


def _run(fetches):
    with tf.Session() as sess:
        return sess.run(fetches)


def test_a_target_that_feeds_another_waits_for_its_gradient():
    # b = 3a, a = 2x: d(b + a)/dx = 6 + 2 = 8 whatever order the targets are listed in.
    with tf.Graph().as_default():
        x = tf.constant(1.5)
        a = x * 2.0
        b = a * 3.0
        assert _run(tf.gradients([b, a], x)) == [8.0]
        assert _run(tf.gradients([a, b], x)) == [8.0]


def test_a_repeated_target_counts_twice():
    # TF: d(c + a + a)/dx with c = 3x, a = 2x is 7.
    with tf.Graph().as_default():
        x = tf.constant(1.5)
        a, c = x * 2.0, x * 3.0
        assert _run(tf.gradients([c, a, a], x)) == [7.0]
        assert _run(tf.gradients([a, a, c], x)) == [7.0]


def test_a_target_no_x_reaches_builds_no_gradient_nodes():
    # TF builds gradients/y1_grad/... and nothing for y2, which does not depend on x.
    with tf.Graph().as_default() as graph:
        x = tf.constant(1.5, name="x")
        w = tf.constant(2.0, name="w")
        y1 = tf.multiply(x, 2.0, name="y1")
        y2 = tf.multiply(w, 3.0, name="y2")
        before = len(graph.get_operations())
        grads = tf.gradients([y1, y2], x)
        names = [op.name for op in graph.get_operations()[before:]]
        assert any(n.startswith("gradients/y1_grad/") for n in names)
        assert not any(n.startswith("gradients/y2_grad/") for n in names)
        assert _run(grads) == [2.0]


@pytest.mark.parametrize("n_grad_ys", [0, 2])
def test_grad_ys_must_match_the_targets_in_number(n_grad_ys):
    with tf.Graph().as_default():
        x = tf.constant(1.5)
        grad_ys = [tf.constant(1.0)] * n_grad_ys
        with pytest.raises(ValueError, match=f"^Length mismatch. Passed {n_grad_ys} grad_ys for 1 ys$"):
            tf.gradients(x * 2.0, x, grad_ys=grad_ys)
