"""TensorFlow imports and runs what the variable-scope / training-utility APIs build.

A graph with ``get_variable`` under scopes (orthogonal and variance-scaling initializers,
an L2 regularizer), a piecewise-constant schedule, ``clip_by_global_norm``, Adadelta,
centered RMSProp and an ``ExponentialMovingAverage``: TF loads minitf's GraphDef, takes
minitf's initial values through the variables' Assign nodes, trains, and gets minitf's numbers.
Marker ``tensorflow``: skipped where the real package is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow

X = np.random.RandomState(0).randn(5, 4).astype(np.float32)


def build():
    tf = minitf
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    with tf.variable_scope("m", initializer=tf.orthogonal_initializer(seed=3),
                           regularizer=tf.contrib.layers.l2_regularizer(0.01)):
        w = tf.get_variable("w", [4, 3])
        b = tf.get_variable("b", [3], initializer=tf.variance_scaling_initializer(seed=1))
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) + b), name="data_loss") + \
        tf.losses.get_regularization_loss()
    step = tf.train.get_or_create_global_step()
    lr = tf.train.piecewise_constant(step, [2], [0.1, 0.01])
    grads, variables = zip(*tf.train.AdadeltaOptimizer(lr).compute_gradients(loss))
    clipped, _ = tf.clip_by_global_norm(list(grads), 1.0)
    ada = tf.train.AdadeltaOptimizer(lr).apply_gradients(zip(clipped, variables), global_step=step)
    rms = tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True).minimize(loss)
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.control_dependencies([ada, rms]):
        train = ema.apply([w, b])
    return loss, train, [w, b, ema.average(w)]


def test_tensorflow_trains_the_graph_to_minitfs_numbers(real_tf):
    g = minitf.Graph()
    with g.as_default():
        loss, train, watched = build()
        variables = minitf.global_variables()
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            initial = sess.run(variables)
            for _ in range(3):
                sess.run(train, {"x:0": X})
            want = sess.run([loss] + watched, {"x:0": X})
        serialized = g.as_graph_def().SerializeToString()
    tf = real_tf
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(serialized)
    with tf.Graph().as_default() as tg:
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=tg) as sess:
            for v, value in zip(variables, initial):      # start from minitf's random draws
                assign = tg.get_operation_by_name(v.op.name + "/Assign")
                sess.run(assign, {assign.inputs[1]: value})
            for _ in range(3):
                sess.run(train.name, {"x:0": X})
            got = sess.run([loss.name] + [v.name for v in watched], {"x:0": X})
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
