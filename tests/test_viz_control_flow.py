"""``minitf.viz`` draws tf.cond and tf.while_loop so a student can read them."""

from __future__ import annotations

import minitf as tf
from minitf import viz


def test_cond_and_loop_are_labelled_nodes_and_their_bodies_can_be_drawn():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        y = tf.cond(x > 0, lambda: x * 2.0, lambda: tf.negative(x), name="relu_ish")
        z = tf.while_loop(lambda a: a < 100.0, lambda a: a * a + 1.0, [y], name="grow")
        source = viz.draw_graph(z).source
        body = viz.draw_graph(z.op.get_attr("body")).source
    assert "relu_ish\nStatelessIf\ntrue: Mul\nfalse: Neg" in source.replace("\\n", "\n")
    assert "grow\nStatelessWhile\ncond: Less\nbody: Mul, Add" in source.replace("\\n", "\n")
    assert "shape=diamond" in source and "shape=doubleoctagon" in source
    assert "Placeholder" in body and "Mul" in body
