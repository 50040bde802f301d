"""``tf.py_func``: a Python function inside the graph, and why such a graph cannot be exported."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf


def test_py_func_runs_the_function_on_fed_values():
    calls = []

    def clipped_log(x):
        calls.append(x.copy())
        return np.log(np.maximum(x, 1e-3)).astype(np.float32)

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = tf.py_func(clipped_log, [x], tf.float32)
        assert y.op.type == "PyFunc" and y.dtype == tf.float32 and y.shape.ndims is None
        assert y.op.get_attr("Tout") == [tf.float32] and y.op.get_attr("Tin") == [tf.float32]
        z = y * 2.0
        with tf.Session() as sess:
            got = sess.run(z, {x: [1.0, 0.0, np.e]})
    np.testing.assert_allclose(got, 2 * np.log([1.0, 1e-3, np.e]), rtol=1e-6)
    assert len(calls) == 1 and calls[0].dtype == np.float32


def test_py_func_with_several_outputs_and_stateless():
    with tf.Graph().as_default():
        a, b = tf.py_func(lambda x, y: (x + y, (x * y).astype(np.int64)), [tf.constant([1, 2]), tf.constant([3, 4])],
                          [tf.int32, tf.int64], stateful=False)
        assert a.op.type == "PyFuncStateless"
        with tf.Session() as sess:
            va, vb = sess.run([a, b])
    np.testing.assert_array_equal(va, [4, 6])
    np.testing.assert_array_equal(vb, [3, 8])


def test_py_func_errors_become_tf_errors():
    def bad(x):
        raise ValueError("no good")

    with tf.Graph().as_default():
        y = tf.py_func(bad, [tf.constant(1.0)], tf.float32)
        wrong_type = tf.py_func(lambda x: x.astype(np.float64), [tf.constant(1.0)], tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: no good"):
                sess.run(y)
            with pytest.raises(tf.errors.InvalidArgumentError, match="expects to see float32"):
                sess.run(wrong_type)


def test_py_func_has_no_gradient():
    with tf.Graph().as_default():
        x = tf.constant([1.0])
        y = tf.py_func(lambda v: v * 3, [x], tf.float32)
        assert tf.gradients(tf.reduce_sum(y), x) == [None]


def test_a_graph_with_py_func_is_not_exported(tmp_path):
    with tf.Graph().as_default() as graph:
        x = tf.Variable([1.0], name="x")
        y = tf.py_func(lambda v: v * 3, [x], tf.float32, name="triple")
        out = tf.identity(y, name="out")
        with pytest.raises(ValueError, match="node 'triple' is a tf.py_func.*only in this process"):
            tf.train.write_graph(graph, str(tmp_path), "g.pb", as_text=False)
        assert not (tmp_path / "g.pb").exists()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run(out), [3.0])
            with pytest.raises(ValueError, match="Cannot freeze the graph"):
                tf.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), ["out"])
