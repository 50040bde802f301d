"""cond and while_loop placed on a GPU: the ops run there (on the host, like TF's HostMemory kernels).

Under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``) a model whose cond and loop sit inside
``tf.device('/gpu:0')`` needs no soft placement and computes the CPU's values and gradients.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu


def _run(device):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [3])
        with tf.device(device):
            h = x * 2.0
            y = tf.cond(tf.reduce_sum(h) > 0, lambda: h + 1.0, lambda: h - 1.0)
            z = tf.while_loop(lambda a: tf.reduce_sum(a) < 100.0, lambda a: a * 2.0, [y])
            w = z * 3.0
        g = tf.gradients(tf.reduce_sum(w), x)[0]
        with tf.Session() as sess:
            return sess.run([y, w, g], {x: [1.0, 2.0, 3.0]}), y.op.device


def test_cond_and_loop_on_the_gpu_match_the_cpu():
    on_gpu, device = _run("/gpu:0")
    on_cpu, _ = _run("/cpu:0")
    assert device == "/device:GPU:0"
    for a, b in zip(on_gpu, on_cpu):
        np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(on_gpu[1], [72.0, 120.0, 168.0])
