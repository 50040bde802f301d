"""``use_locking=True`` is honoured: updates of one variable from many threads are not lost."""

import sys
import threading

import numpy as np
import pytest

import minitf as tf


@pytest.fixture
def fast_thread_switches():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)          # switch threads as often as possible: races show up
    yield
    sys.setswitchinterval(old)


def _hammer(sess, op, n_threads, n_steps):
    def work():
        for _ in range(n_steps):
            sess.run(op)
    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_locked_assign_add_from_8_threads_is_exact(fast_thread_switches):
    with tf.Graph().as_default():
        counter = tf.Variable(0, dtype=tf.int64)
        inc = tf.assign_add(counter, 1, use_locking=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            seen = []
            stop = threading.Event()

            def watch():
                while not stop.is_set():
                    seen.append(int(sess.run(counter)))
            watcher = threading.Thread(target=watch)
            watcher.start()
            _hammer(sess, inc, 8, 500)
            stop.set()
            watcher.join()
            assert sess.run(counter) == 4000
    assert all(a <= b for a, b in zip(seen, seen[1:])), "a reader saw the counter go backwards"


def test_locked_optimizer_and_scatter_updates_are_exact(fast_thread_switches):
    with tf.Graph().as_default():
        w = tf.Variable(np.zeros(3, np.float64))
        step = tf.train.GradientDescentOptimizer(1.0, use_locking=True).apply_gradients(
            [(tf.constant([1.0, 0.0, 2.0], tf.float64), w)])
        table = tf.Variable(np.zeros((2, 2), np.float64))
        scatter = tf.scatter_add(table, [1], [[1.0, 1.0]], use_locking=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _hammer(sess, [step, scatter], 8, 500)
            np.testing.assert_array_equal(sess.run(w), [-4000.0, 0.0, -8000.0])
            np.testing.assert_array_equal(sess.run(table), [[0.0, 0.0], [4000.0, 4000.0]])
