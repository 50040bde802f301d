"""Optimizers in eager mode follow exactly the graph-mode trajectory.

``minimize(lambda: loss)`` runs the loss on a tape and applies the same
registry ``Apply*`` kernels a Session would run, so five steps of each
optimizer must land on the same values in both modes.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import minitf as tf
from eager_harness import run_ok

OPTIMIZERS = {
    "sgd": "tf.train.GradientDescentOptimizer(0.1)",
    "momentum": "tf.train.MomentumOptimizer(0.1, 0.9)",
    "nesterov": "tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)",
    "adam": "tf.train.AdamOptimizer(0.1)",
    "adagrad": "tf.train.AdagradOptimizer(0.3)",
    "rmsprop": "tf.train.RMSPropOptimizer(0.05, momentum=0.5)",
}
STEPS = 5


def data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (8, 3)).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    return X, y


EAGER_CHILD = """
import json
import numpy as np
import minitf as tf
tf.enable_eager_execution()
X, y = DATA
X, y = np.array(X, np.float32), np.array(y, np.float32)
out = {}
for name, make in OPTIMIZERS.items():
    W = tf.Variable(np.full((3, 1), 0.5, np.float32), name="W")
    b = tf.Variable(0.0, name="b")
    step = tf.Variable(np.int64(0), trainable=False, name="step")
    opt = eval(make)
    loss = lambda: tf.reduce_mean(tf.square(tf.matmul(X, W) + b - y))
    losses = []
    for _ in range(STEPS):
        losses.append(float(loss()))
        opt.minimize(loss, global_step=step)
    out[name] = {"W": W.numpy().ravel().tolist(), "b": float(b), "losses": losses,
                 "step": int(step), "slots": opt.get_slot_names()}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def eager_runs():
    X, y = data()
    code = (EAGER_CHILD.replace("DATA", repr((X.tolist(), y.tolist())))
            .replace("OPTIMIZERS", repr(OPTIMIZERS)).replace("STEPS", str(STEPS)))
    return json.loads(run_ok(code).strip().splitlines()[-1])


def graph_run(make: str) -> dict:
    X, y = data()
    with tf.Graph().as_default():
        W = tf.Variable(np.full((3, 1), 0.5, np.float32), name="W")
        b = tf.Variable(0.0, name="b")
        step = tf.Variable(np.int64(0), trainable=False, name="step")
        loss = tf.reduce_mean(tf.square(tf.matmul(X, W) + b - y))
        opt = eval(make)
        train = opt.minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(STEPS):
                losses.append(float(sess.run(loss)))
                sess.run(train)
            return {"W": sess.run(W).ravel().tolist(), "b": float(sess.run(b)), "losses": losses,
                    "step": int(sess.run(step)), "slots": opt.get_slot_names()}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_eager_minimize_follows_graph_mode(eager_runs, name):
    eager, graph = eager_runs[name], graph_run(OPTIMIZERS[name])
    np.testing.assert_allclose(eager["losses"], graph["losses"], rtol=1e-6)
    np.testing.assert_allclose(eager["W"], graph["W"], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(eager["b"], graph["b"], rtol=1e-6, atol=1e-7)
    assert eager["step"] == graph["step"] == STEPS
    assert eager["slots"] == graph["slots"]
    assert eager["losses"][-1] < eager["losses"][0]


def test_apply_gradients_with_tape_gradients():
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution()
        w = tf.Variable([1.0, -2.0])
        opt = tf.train.GradientDescentOptimizer(0.25)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
        grads = tape.gradient(loss, [w])
        print(opt.apply_gradients(zip(grads, [w])), w.numpy().tolist())
        print(opt.compute_gradients(lambda: tf.reduce_sum(w * w))[0][0].numpy().tolist())
        try:
            opt.minimize(lambda: tf.constant(1.0) * 2.0)
        except ValueError as e:
            print("ValueError")
    """)
    assert out == "None [0.5, -1.0]\n[1.0, -2.0]\nValueError\n"
