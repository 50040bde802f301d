"""The bounded plan cache: at most PLAN_CACHE_SIZE plans per Session, least recently used dropped (issue 10)."""

import numpy as np

import minitf as tf
from minitf.client import session as session_mod


def test_plan_cache_keeps_a_bounded_number_of_plans():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = tf.reduce_sum(x * 2.0)
        with tf.Session() as sess:
            for n in range(1, session_mod.PLAN_CACHE_SIZE + 40):
                assert sess.run(y, {x: np.ones(n, np.float32)}) == 2.0 * n
            assert len(sess._plans) == session_mod.PLAN_CACHE_SIZE


def test_plan_cache_drops_the_least_recently_used():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = x + 1.0
        with tf.Session() as sess:
            first = np.ones(1, np.float32)
            sess.run(y, {x: first})
            for n in range(2, session_mod.PLAN_CACHE_SIZE + 10):
                sess.run(y, {x: first})                      # keeps the first plan recent
                sess.run(y, {x: np.ones(n, np.float32)})
            shapes = [key[1][0][1] for key in sess._plans]
            assert (1,) in shapes and (2,) not in shapes
