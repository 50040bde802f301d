"""Sparse Adam (an embedding lookup's IndexedSlices gradient) against TensorFlow, repeated rows included.

TF 1.x sums the gradients of a row looked up twice before its sparse Adam update
(``_deduplicate_indexed_slices``), so v gets (g1 + g2)², not g1² + g2².  The expected
tables were recorded with TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode) running
this very program; the numpy reference below writes TF1's update out.
"""

from __future__ import annotations

import numpy as np

import minitf as tf

E0 = np.array([[0.5, -1.0], [2.0, 0.25], [-0.5, 1.5]])
STEPS = [([0, 2], [[1.0, -2.0], [0.5, 3.0]]),
         ([1], [[-1.0, 0.25]]),
         ([2, 2], [[2.0, 1.0], [1.0, -3.0]])]          # row 2 twice: its gradients add up first
LR, BETA1, BETA2, EPS = 0.1, 0.8, 0.7, 0.01
RECORDED = [   # the embedding after each step, from TensorFlow
    [[0.40179300465600687, -0.9009046114657734], [2.0, 0.25], [-0.5964771540677307, 1.4006048978129382]],
    [[0.3340104693306601, -0.8323904903280329], [2.071136813628348, 0.18249432881740046],
     [-0.6628424084662379, 1.3318433926878284]],
    [[0.27996838377407957, -0.7776527137497313], [2.1278910186433753, 0.1291572843271887],
     [-0.7291092165131221, 1.3335060330090742]],
]


def _minitf_trajectory():
    with tf.Graph().as_default():
        emb = tf.Variable(E0)
        ids = tf.placeholder(tf.int32, [None])
        weights = tf.placeholder(tf.float64, [None, 2])
        loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids) * weights)
        train = tf.train.AdamOptimizer(LR, beta1=BETA1, beta2=BETA2, epsilon=EPS).minimize(loss)
        out = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i, w in STEPS:
                sess.run(train, {ids: i, weights: w})
                out.append(sess.run(emb))
        return out


def _numpy_trajectory():
    """TF1's sparse Adam, with TF's float32 hyperparameters and beta powers."""
    f32 = lambda v: float(np.float32(v))  # noqa: E731
    lr, b1, b2, eps = f32(LR), f32(BETA1), f32(BETA2), f32(EPS)
    var, m, v = E0.copy(), np.zeros_like(E0), np.zeros_like(E0)
    p1, p2 = np.float32(BETA1), np.float32(BETA2)
    out = []
    for ids, w in STEPS:
        g = np.zeros_like(E0)
        np.add.at(g, ids, np.array(w))                    # the deduplicated gradient, zero elsewhere
        lr_t = lr * np.sqrt(1 - float(p2)) / (1 - float(p1))
        m = m * b1 + g * (1 - b1)
        v = v * b2 + g * g * (1 - b2)
        var = var - lr_t * m / (np.sqrt(v) + eps)
        p1, p2 = p1 * np.float32(BETA1), p2 * np.float32(BETA2)
        out.append(var.copy())
    return out


def test_sparse_adam_matches_tensorflow_with_repeated_rows():
    for got, recorded in zip(_minitf_trajectory(), RECORDED):
        np.testing.assert_allclose(got, recorded, rtol=1e-12, atol=1e-14)


def test_sparse_adam_matches_the_numpy_formula():
    for got, expected in zip(_minitf_trajectory(), _numpy_trajectory()):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
