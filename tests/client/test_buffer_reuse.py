"""Buffer reuse (client/buffers.py): an optimized training step allocates no arrays, same numbers.

A plan is optimized (fused, specialized, given buffers) on its ``fusion.FUSE_AFTER_RUNS``-th run
once ``fusion.FUSE_AFTER_SECONDS`` have passed; the tests drop the time threshold (``optimize_early``).
``MINITF_BUFFERS=0`` is the same plan without specialization and buffers: every kernel call
allocates its output, as before.
"""

import threading
import tracemalloc

import numpy as np
import pytest

import minitf as tf
from minitf.client import fusion

WARM_UP = fusion.FUSE_AFTER_RUNS + 2


@pytest.fixture(autouse=True)
def optimize_early(monkeypatch, tmp_path):
    monkeypatch.setattr(fusion, "FUSE_AFTER_SECONDS", 0.0)
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))


# --- the course's training steps (small shapes, float32) -----------------------------------------
def _linreg():
    """The lecture's linear regression: 800 rows of 4 features, gradient descent."""
    rng = np.random.RandomState(0)
    X, y = rng.randn(800, 4).astype(np.float32), rng.randn(800, 1).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        data = tf.placeholder(tf.float32, [None, 4])
        label = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(tf.zeros([4, 1]))
        b = tf.Variable(tf.zeros([1]))
        loss = tf.reduce_mean(tf.square(label - tf.add(tf.matmul(data, w), b)))
        train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    return sess, train, [w, b, loss], {data: X, label: y}


def _mlp(optimizer: str):
    """A ReLU MLP 100-64-64-10 with softmax cross-entropy, batch 64: GD or Adam."""
    rng = np.random.RandomState(1)
    x = rng.rand(64, 100).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 64)]
    graph = tf.Graph()
    with graph.as_default():
        xs = tf.placeholder(tf.float32, [None, 100])
        ys = tf.placeholder(tf.float32, [None, 10])
        h, params = xs, []
        for i, (n_in, n_out) in enumerate([(100, 64), (64, 64), (64, 10)]):
            w = tf.Variable(rng.uniform(-0.3, 0.3, (n_in, n_out)).astype(np.float32))
            b = tf.Variable(np.zeros(n_out, np.float32))
            params += [w, b]
            h = tf.matmul(h, w) + b
            if i < 2:
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=ys, logits=h))
        opt = tf.train.GradientDescentOptimizer(0.1) if optimizer == "gd" else tf.train.AdamOptimizer(1e-2)
        train = opt.minimize(loss)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    return sess, train, params + [loss], {xs: x, ys: labels}


WORKLOADS = {"linreg": _linreg, "mlp_gd": lambda: _mlp("gd"), "mlp_adam": lambda: _mlp("adam")}


def _step_memory(make, steps: int = 200):
    """(bytes allocated at the peak of one step beyond what it leaves, growth over ``steps`` steps)."""
    sess, train, _, feed = make()
    for _ in range(WARM_UP):
        sess.run(train, feed)
    tracemalloc.start()
    try:
        for _ in range(20):
            sess.run(train, feed)
        transient = []
        for _ in range(3):           # the least of three: a rare one-off (a cache growing) is not a step's cost
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            sess.run(train, feed)
            after, peak = tracemalloc.get_traced_memory()
            transient.append(peak - before)
        for _ in range(steps):
            sess.run(train, feed)
        grown = tracemalloc.get_traced_memory()[0] - after
    finally:
        tracemalloc.stop()
        sess.close()
    return min(transient), grown


# A step still makes a few Python objects (array views for the numba calls, the feed dict):
# about 1 KB.  One float32 array of the linear regression (800 x 1) is 3.2 KB.
PYTHON_OBJECTS = 2048


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_an_optimized_training_step_allocates_no_arrays(workload, monkeypatch):
    transient, grown = _step_memory(WORKLOADS[workload])
    assert transient < PYTHON_OBJECTS, f"one {workload} step allocated {transient} bytes"
    assert grown < PYTHON_OBJECTS, f"{workload}: memory grew by {grown} bytes over 200 steps"
    monkeypatch.setenv("MINITF_BUFFERS", "0")      # the same step, every output a fresh array
    fresh, _ = _step_memory(WORKLOADS[workload], steps=0)
    assert fresh > 3 * PYTHON_OBJECTS, f"{workload} without buffers: {fresh} bytes"


def _train(make, runs: int):
    """The fetched values after each of ``runs`` training steps (a fresh session)."""
    sess, train, fetches, feed = make()
    history = []
    for _ in range(runs):
        sess.run(train, feed)
        history.append(sess.run(fetches, feed))
    listing = sess.explain(train, feed)
    sess.close()
    return history, listing


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_buffers_give_the_same_numbers_bit_for_bit(workload, monkeypatch):
    pooled, listing = _train(WORKLOADS[workload], WARM_UP + 5)
    assert " [b0]" in listing and "kernel calls specialized" in listing
    monkeypatch.setenv("MINITF_BUFFERS", "0")
    fresh, fresh_listing = _train(WORKLOADS[workload], WARM_UP + 5)
    assert " [b0]" not in fresh_listing
    monkeypatch.setattr(fusion, "FUSE_AFTER_RUNS", 10 ** 9)          # never optimized at all
    plain, _ = _train(WORKLOADS[workload], WARM_UP + 5)
    for a, b, c in zip(pooled, fresh, plain):
        for x, y, z in zip(a, b, c):
            np.testing.assert_array_equal(x, y)
            np.testing.assert_array_equal(x, z)


# --- safety: what must never be overwritten ----------------------------------------------------
def _optimized(sess, fetches, feed=None):
    for _ in range(WARM_UP):
        result = sess.run(fetches, feed)
    return result


def test_a_fetched_value_is_not_changed_by_later_runs():
    sess, train, _, feed = _mlp("gd")
    hidden = sess.graph.get_tensor_by_name("Relu:0")
    kept = _optimized(sess, [hidden, train], feed)[0]
    copy = kept.copy()
    _optimized(sess, train, feed)            # the train plan pools its own Relu output
    for _ in range(3):
        again = sess.run([hidden, train], feed)[0]
        assert again is not kept
    np.testing.assert_array_equal(kept, copy)
    sess.close()


def test_a_value_assigned_to_a_variable_is_not_pooled():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [3])
        b = tf.placeholder(tf.float32, [3])
        v = tf.Variable(tf.zeros([3]))
        total = a + b
        update = tf.assign(v, total)
        other = tf.matmul(tf.reshape(a, [1, 3]), tf.reshape(b, [3, 1]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {a: np.ones(3, np.float32), b: np.full(3, 2.0, np.float32)}
            _optimized(sess, update.op, feed)
            listing = sess.explain(update.op, feed)
            assert next(line for line in listing.splitlines() if " add " in line).count("[b") == 0
            _optimized(sess, other, {a: np.full(3, 5.0, np.float32), b: np.full(3, 7.0, np.float32)})
            np.testing.assert_array_equal(sess.run(v), [3.0, 3.0, 3.0])


def test_a_py_func_may_keep_its_input():
    kept = []

    def keep(x):
        kept.append(x)                       # no copy: the array must stay as it was
        return np.float32(x.sum())

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4, 4])
        w = tf.constant(np.eye(4, dtype=np.float32) * 2)
        doubled = tf.matmul(x, w)
        total = tf.py_func(keep, [doubled], tf.float32)
        with tf.Session() as sess:
            feeds = [np.full((4, 4), float(i), np.float32) for i in range(WARM_UP + 3)]
            for value in feeds:
                sess.run(total, {x: value})
    for value, seen in zip(feeds, kept):
        np.testing.assert_array_equal(seen, value * 2)


def test_one_buffer_shared_by_values_that_do_not_overlap(monkeypatch):
    """A chain of products: the first result is dead once the second is made, so the third reuses it."""
    monkeypatch.setenv("MINITF_FUSION", "0")            # fusion off: buffers all the same
    rng = np.random.RandomState(2)
    x_value = rng.randn(8, 8).astype(np.float32)
    ws = [rng.randn(8, 8).astype(np.float32) for _ in range(4)]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [8, 8])
        h = x
        for w in ws:
            h = tf.nn.relu(tf.matmul(h, tf.constant(w)) * 0.5)
        out = tf.reduce_sum(h, axis=0)
        with tf.Session() as sess:
            for _ in range(WARM_UP):
                result = sess.run(out, {x: x_value})
            listing = sess.explain(out, {x: x_value})
            again = sess.run(out, {x: x_value * 2})
    expected = x_value
    for w in ws:
        expected = np.maximum(expected @ w * np.float32(0.5), 0)
    np.testing.assert_allclose(result, expected.sum(axis=0), rtol=1e-5)
    np.testing.assert_allclose(again, 2 * expected.sum(axis=0), rtol=1e-5)
    assert "Fused" not in listing
    assert listing.count(" [b0]") >= 2, listing          # one buffer, several values


def test_a_run_in_another_thread_does_not_write_into_a_busy_plan():
    """Thread A waits inside the plan while a pooled value is live; thread B runs the same plan."""
    inside, go_on = threading.Event(), threading.Event()
    hold = {"first": False}

    def pause(x):
        if hold["first"]:
            hold["first"] = False
            inside.set()
            go_on.wait(10)
        return x

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4, 4])
        w = tf.constant(np.eye(4, dtype=np.float32) * 3)
        product = tf.matmul(x, w)                        # pooled: lives across the py_func
        paused = tf.py_func(pause, [x], tf.float32)
        with tf.control_dependencies([paused]):          # runs after the py_func
            out = product * 2.0
        with tf.Session() as sess:
            _optimized(sess, out, {x: np.ones((4, 4), np.float32)})
            assert "[b" in sess.explain(out, {x: np.ones((4, 4), np.float32)})
            results = {}
            hold["first"] = True
            a = threading.Thread(target=lambda: results.update(a=sess.run(out, {x: np.ones((4, 4), np.float32)})))
            a.start()
            assert inside.wait(10)
            results["b"] = sess.run(out, {x: np.full((4, 4), 5.0, np.float32)})
            go_on.set()
            a.join(10)
    np.testing.assert_array_equal(results["a"], np.full((4, 4), 6.0))
    np.testing.assert_array_equal(results["b"], np.full((4, 4), 30.0))


def _bias_add_step():
    """tf.nn.bias_add and its gradient (BiasAddGrad), a Mean loss, momentum."""
    rng = np.random.RandomState(3)
    x = rng.randn(32, 20).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        xs = tf.placeholder(tf.float32, [None, 20])
        w = tf.Variable(rng.randn(20, 16).astype(np.float32))
        b = tf.Variable(np.zeros(16, np.float32))
        loss = tf.reduce_mean(tf.square(tf.nn.relu(tf.nn.bias_add(tf.matmul(xs, w), b))))
        train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    return sess, train, [w, b, loss], {xs: x}


def test_bias_add_and_its_gradient_are_specialized(monkeypatch):
    pooled, listing = _train(_bias_add_step, WARM_UP + 3)
    assert next(line for line in listing.splitlines() if " BiasAdd " in line).count("[b") == 1
    assert next(line for line in listing.splitlines() if " BiasAddGrad " in line).count("[b") == 1
    monkeypatch.setenv("MINITF_BUFFERS", "0")
    fresh, _ = _train(_bias_add_step, WARM_UP + 3)
    for a, b in zip(pooled, fresh):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


@pytest.mark.gpu
def test_a_value_a_gpu_step_reads_is_not_pooled(monkeypatch):
    """Under the CUDA simulator: CPU products feed a GPU op; the copy to the GPU reads them."""
    rng = np.random.RandomState(4)
    x_value = rng.randn(6, 5).astype(np.float32)

    def run(buffers: str):
        monkeypatch.setenv("MINITF_BUFFERS", buffers)
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [6, 5])
            with tf.device("/cpu:0"):
                on_cpu = tf.matmul(x, tf.constant(rng.randn(5, 5).astype(np.float32))) * 2.0
            with tf.device("/gpu:0"):
                on_gpu = tf.nn.relu(on_cpu) + 1.0
            with tf.device("/cpu:0"):
                out = tf.reduce_sum(on_gpu * on_cpu, axis=0)
            with tf.Session() as sess:
                results = [sess.run(out, {x: x_value * k}) for k in range(WARM_UP + 3)]
                return results, sess.explain(out, {x: x_value})

    rng.seed(4)
    pooled, listing = run("1")
    rng.seed(4)
    fresh, _ = run("0")
    for a, b in zip(pooled, fresh):
        np.testing.assert_array_equal(a, b)
    copy_line = next(line for line in listing.splitlines() if "CopyHostToDevice" in line)
    source = copy_line.split("(")[1].split(")")[0]           # the CPU value the copy reads
    made = next(line for line in listing.splitlines() if f"-> {source}" in line)
    assert "[b" not in made, listing
    assert "mul_1:0 [b" in listing                          # read back from the GPU: pooled


def test_a_view_keeps_its_buffer_busy_until_its_last_reader(monkeypatch):
    """``r`` (a reshape of ``h``) is read after ``g`` is made: ``g`` must not take ``h``'s buffer."""
    monkeypatch.setenv("MINITF_FUSION", "0")
    rng = np.random.RandomState(5)
    x_value = rng.randn(8, 8).astype(np.float32)
    w1, w2 = rng.randn(8, 8).astype(np.float32), rng.randn(8, 8).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [8, 8])
        h = tf.matmul(x, tf.constant(w1))
        r = tf.reshape(h, [64])                          # a view of h's memory
        g = tf.reshape(tf.nn.relu(tf.matmul(x, tf.constant(w2))), [64])
        out = r - g
        fetched_view = tf.reshape(tf.matmul(x, tf.constant(w2)) * 3.0, [64])
        with tf.Session() as sess:
            results = _optimized(sess, [out, fetched_view], {x: x_value})
            listing = sess.explain([out, fetched_view], {x: x_value})
            kept = results[1].copy()
            sess.run([out, fetched_view], {x: -x_value})
    np.testing.assert_array_equal(results[0], (x_value @ w1).reshape(64) - np.maximum(x_value @ w2, 0).reshape(64))
    np.testing.assert_array_equal(results[1], kept)      # a fetched view is the user's
    assert next(line for line in listing.splitlines() if " MatMul " in line).count("[b") == 1, listing
    assert next(line for line in listing.splitlines() if " mul " in line).count("[b") == 0, listing
