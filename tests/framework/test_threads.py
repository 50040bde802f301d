"""Default graphs and sessions are per thread, as in TF (``ops.py``'s thread-local stacks)."""

from __future__ import annotations

import threading

import numpy as np

import minitf as tf

N_THREADS = 8


def test_each_thread_builds_into_its_own_graph():
    start = threading.Barrier(N_THREADS)
    graphs, defaults, errors = [None] * N_THREADS, [None] * N_THREADS, []

    def build(i):
        try:
            g = tf.Graph()
            graphs[i] = g
            with g.as_default():
                start.wait()                       # every thread is inside its own as_default now
                for k in range(50):
                    tf.add(tf.constant(float(i)), tf.constant(float(k)), name=f"t{i}_add")
                defaults[i] = tf.get_default_graph()
        except Exception as e:                     # noqa: BLE001 (reported by the main thread)
            errors.append(e)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for i, g in enumerate(graphs):
        assert defaults[i] is g
        names = [op.name for op in g.get_operations()]
        assert len(names) == 150
        assert all(n.startswith(f"t{i}_add") or n.startswith("Const") for n in names), names[:5]
        assert sum(n.startswith(f"t{i}_add") for n in names) == 50


def test_global_default_graph_is_shared_when_no_as_default_is_open():
    main_default = tf.get_default_graph()
    seen = []
    t = threading.Thread(target=lambda: seen.append(tf.get_default_graph()))
    t.start()
    t.join()
    assert seen == [main_default]


def test_default_session_is_per_thread():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(3.0)
    seen = []
    with tf.Session(graph=g) as sess:
        def other():
            seen.append(tf.get_default_session())
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert tf.get_default_session() is sess
        assert np.isclose(c.eval(), 3.0)
    assert seen == [None]
