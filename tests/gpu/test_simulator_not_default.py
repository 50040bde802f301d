"""The CUDA simulator is never the default device: a program runs on the CPU unless it asks (issue 10).

The program runs in a child process with ``NUMBA_ENABLE_CUDASIM=1`` (the GPU
placement tests make the simulator stand in for a real GPU; this one does not).
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.gpu

ROOT = Path(__file__).resolve().parents[2]

REGRESSION = textwrap.dedent("""
    import time
    import numpy as np
    import minitf as tf
    rng = np.random.RandomState(0)
    X = rng.randn(500, 4).astype(np.float32)
    y = (X @ np.array([[1.5], [-2.0], [0.5], [3.0]]) + 0.7).astype(np.float32)
    data = tf.placeholder(tf.float32, [None, 4])
    real_label = tf.placeholder(tf.float32, [None, 1])
    weight = tf.Variable(tf.random_normal([4, 1], seed=1), dtype=tf.float32)
    bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
    y_label = tf.add(tf.matmul(data, weight), bias)
    loss = tf.reduce_mean(tf.square(real_label - y_label))
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    small = tf.placeholder(tf.float32, [2])
    with tf.device("/gpu:0"):
        on_gpu = tf.square(small)                             # asked for explicitly: simulated GPU
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {data: X, real_label: y}
        sess.run(train, feed)
        start = time.perf_counter()
        for i in range(200):
            sess.run(train, feed)
        per_step = (time.perf_counter() - start) / 200
        print("devices", sorted({s.device.rsplit(':', 2)[-2][-3:] for s in
                                 sess._plans[next(iter(sess._plans))].steps}))
        print("gpu_op", sess.run(on_gpu, {small: [1.0, 2.0]}).tolist(), tf.test.is_gpu_available())
        print("explicit", [s.device for s in sess._plans[next(reversed(sess._plans))].steps
                           if s.op.name == on_gpu.op.name])
        print("loss", float(sess.run(loss, feed)))
        print("per_step_ms", per_step * 1e3)
""")


@pytest.mark.slow
def test_simulated_gpu_is_not_the_default_device():
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", REGRESSION], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines["devices"] == "['CPU']"                       # every training step runs on the CPU
    assert lines["gpu_op"].startswith("[1.0, 4.0] True")       # the simulated GPU is there when asked
    assert "GPU:0" in lines["explicit"]
    assert float(lines["loss"]) < 1e-3
    print("lecture regression with NUMBA_ENABLE_CUDASIM=1:", lines["per_step_ms"], "ms per step")
