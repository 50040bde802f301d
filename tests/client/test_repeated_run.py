"""A repeated ``sess.run`` (a training loop) takes a short path; anything different still gets every check.

The short path (``Session._resolve_feeds`` / ``_cached_plan``): an array of the dtype
and shape accepted before for the same tensor is fed as is, and a request equal to the
last one reuses its plan without a cache lookup.
"""

import numpy as np
import pytest

import minitf as tf


def _graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        total = tf.reduce_sum(x * 2.0)
        rows = tf.shape(x)[0]
    return g, x, total, rows


def test_after_repeated_runs_another_dtype_is_converted_as_before():
    g, x, total, _ = _graph()
    with tf.Session(graph=g) as sess:
        for _ in range(3):
            assert sess.run(total, {x: np.ones((2, 2), np.float32)}) == 8.0
        got = sess.run(total, {x: np.full((2, 2), 0.1, np.float64)})        # converted to float32
        assert got.dtype == np.float32 and got == np.float32(0.1) * 2 * 4
        got = sess.run(x, {x: np.ones((1, 2), np.int8)})
        assert got.dtype == np.float32 and got.tolist() == [[1.0, 1.0]]


def test_after_repeated_runs_a_wrong_shape_or_value_still_gets_tf_errors():
    g, x, total, _ = _graph()
    with tf.Session(graph=g) as sess:
        for _ in range(3):
            sess.run(total, {x: np.ones((2, 2), np.float32)})
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2, 3\) for Tensor "
                                             r"'Placeholder:0', which has shape '\(\?, 2\)'"):
            sess.run(total, {x: np.ones((2, 3), np.float32)})
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\)"):
            sess.run(total, {x: np.ones(2, np.float32)})
        with pytest.raises(ValueError, match="Cannot feed value 'a' for Tensor 'Placeholder:0'"):
            sess.run(total, {x: "a"})
        assert sess.run(total, {x: np.ones((2, 2), np.float32)}) == 8.0


def test_a_tensor_made_unfeedable_after_runs_is_refused():
    g, x, total, _ = _graph()
    with tf.Session(graph=g) as sess:
        sess.run(total, {x: np.ones((2, 2), np.float32)})
        g.prevent_feeding(x)
        with pytest.raises(ValueError, match="Tensor Placeholder:0 may not be fed."):
            sess.run(total, {x: np.ones((2, 2), np.float32)})


def test_alternating_requests_each_get_their_own_plan():
    g, x, total, rows = _graph()
    with tf.Session(graph=g) as sess:
        for n in [1, 3, 1, 3, 3, 1]:
            value = np.ones((n, 2), np.float32)
            assert sess.run(total, {x: value}) == 4.0 * n
            assert sess.run(rows, {x: value}) == n                  # folded per fed shape
            assert sess.run([rows, total], {x: value}) == [n, 4.0 * n]
        assert len(sess._plans) == 6


def test_a_closed_session_refuses_the_repeated_request():
    g, x, total, _ = _graph()
    sess = tf.Session(graph=g)
    sess.run(total, {x: np.ones((2, 2), np.float32)})
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(total, {x: np.ones((2, 2), np.float32)})


def test_arrays_fed_with_a_changing_scalar_and_in_an_ordered_dict():
    import collections
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None])
        scale = tf.placeholder(tf.float32, [])
        out = tf.reduce_sum(x) * scale
    with tf.Session(graph=g) as sess:
        value = np.ones(3, np.float32)
        for k in [1.0, 2.0, 3.0]:
            assert sess.run(out, {x: value, scale: k}) == 3.0 * k
        for k in [1.0, 2.0]:
            assert sess.run(out, collections.OrderedDict([(x, value), (scale, np.float32(k))])) == 3.0 * k
        value[:] = 2.0                                        # the same array, new contents
        assert sess.run(out, {x: value, scale: 1.0}) == 6.0


def test_flat_lists_and_tuples_of_fetches_keep_their_type_and_checks():
    import collections
    g, x, total, rows = _graph()
    other = tf.Graph()
    with other.as_default():
        stranger = tf.constant(1.0)
    pair = collections.namedtuple("pair", "total rows")
    with tf.Session(graph=g) as sess:
        feed = {x: np.ones((3, 2), np.float32)}
        for _ in range(2):
            assert sess.run([total, rows], feed) == [12.0, 3]
            got = sess.run((total, total.op, rows), feed)
            assert type(got) is tuple and got == (12.0, None, 3)
            named = sess.run(pair(total, rows), feed)
            assert type(named) is pair and named == (12.0, 3)
        assert sess.run([], feed) == [] and sess.run((), feed) == ()
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run([total, stranger], feed)
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run([total, None], feed)


def test_threads_running_different_requests_always_get_their_own_plan():
    import sys
    import threading
    g, x, total, rows = _graph()
    sess = tf.Session(graph=g)
    wrong = []

    def loop(fetch, n):
        value = np.ones((n, 2), np.float32)
        expected = sess.run(fetch, {x: value})
        for _ in range(300):
            got = sess.run(fetch, {x: value})
            if got != expected:
                wrong.append((fetch.name, n, got))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)                  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=loop, args=args)
                   for args in [(total, 1), (total, 3), (rows, 2), (rows, 5)]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
        sess.close()
    assert wrong == []


def test_python_numbers_fed_again_and_again_and_changed():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [])
        inverse = 1.0 / x
        flag = tf.placeholder(tf.bool, [])
        picked = tf.where(flag, 1, 2)
    with tf.Session(graph=g) as sess:
        half, zero, negative_zero = 0.5, 0.0, -0.0
        for _ in range(3):
            assert sess.run(inverse, {x: half}) == 2.0
        assert sess.run(inverse, {x: 0.25}) == 4.0                    # another number object
        assert sess.run(inverse, {x: zero}) == np.inf
        assert sess.run(inverse, {x: negative_zero}) == -np.inf        # equal to 0.0, not the same
        assert np.isnan(sess.run(inverse, {x: float("nan")}))
        assert sess.run(inverse, {x: np.float32(8.0)}) == 0.125
        assert sess.run(inverse, {x: half}) == 2.0
        assert [sess.run(picked, {flag: v}) for v in (True, False, True)] == [1, 2, 1]
        with pytest.raises(ValueError, match="Cannot feed value of shape \\(2,\\)"):
            sess.run(inverse, {x: [half, half]})
        g.prevent_feeding(x)
        with pytest.raises(ValueError, match="may not be fed"):
            sess.run(inverse, {x: half})
