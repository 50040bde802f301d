"""One reverse sweep serves tf.gradients (graph) and GradientTape (eager)."""

from __future__ import annotations

import numpy as np
from eager_harness import run_ok

import minitf as tf
from minitf.autodiff import gradients as graph_gradients, sweep
from minitf.eager import backprop


def test_graph_and_tape_share_one_loop():
    assert graph_gradients.reverse_sweep is sweep.reverse_sweep
    assert backprop.reverse_sweep is sweep.reverse_sweep


def _graph_values():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [3], name="x")
        y = tf.reduce_sum(x * x + tf.sin(x) * x)            # x reaches y along three paths
        dx, = tf.gradients(y, [x])
        names = [op.name for op in g.get_operations() if op.name.startswith("gradients/")]
        with tf.Session() as sess:
            return sess.run(dx, {x: [0.5, 1.0, 2.0]}), names


def test_paths_add_up_with_one_addn_named_as_tf():
    value, names = _graph_values()
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(value, 2 * x + np.cos(x) * x + np.sin(x))
    assert "gradients/AddN" in names


def test_tape_gives_the_graph_numbers():
    out = run_ok("""
        import numpy as np
        import minitf as tf
        tf.enable_eager_execution()
        x = tf.constant([0.5, 1.0, 2.0], dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x * x + tf.sin(x) * x)
        print(repr(tape.gradient(y, x).numpy().tolist()))
    """)
    eager = np.array(eval(out.strip().splitlines()[-1]))
    np.testing.assert_allclose(eager, _graph_values()[0], rtol=1e-12)
