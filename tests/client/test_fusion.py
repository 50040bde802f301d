"""Elementwise fusion (client/fusion.py): same numbers as the separate kernels, fewer kernel calls.

A plan is fused once it has run ``fusion.FUSE_AFTER_RUNS`` times and ``fusion.FUSE_AFTER_SECONDS`` in
all; the tests drop the time threshold (``fuse_early``) and run a plan that often.
"""

import numpy as np
import pytest

import minitf as tf
from minitf.client import fusion


@pytest.fixture(autouse=True)
def fuse_early(monkeypatch):
    """Fuse on the FUSE_AFTER_RUNS-th run, however quick the runs were."""
    monkeypatch.setattr(fusion, "FUSE_AFTER_SECONDS", 0.0)


def _linreg(fused: bool, monkeypatch, tmp_path):
    """Three GD steps of the lecture's linear regression; the weights, the loss and the plan listing."""
    monkeypatch.setenv("MINITF_FUSION", "1" if fused else "0")
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))
    rng = np.random.RandomState(0)
    X, y = rng.randn(50, 4).astype(np.float32), rng.randn(50, 1).astype(np.float32)
    with tf.Graph().as_default():
        data = tf.placeholder(tf.float32, [None, 4])
        label = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(tf.ones([4, 1]))
        b = tf.Variable(tf.ones([1]))
        loss = tf.reduce_mean(tf.square(label - (tf.matmul(data, w) + b)))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {data: X, label: y}
            for _ in range(fusion.FUSE_AFTER_RUNS + 2):
                sess.run(train, feed)
            return sess.run([w, b, loss], feed), sess.explain(train, feed)


def test_fused_linear_regression_matches_unfused_bit_for_bit(monkeypatch, tmp_path):
    fused, listing = _linreg(True, monkeypatch, tmp_path)
    plain, plain_listing = _linreg(False, monkeypatch, tmp_path)
    for a, b in zip(fused, plain):
        np.testing.assert_array_equal(a, b)
    assert "Fused[Add+Sub+Mul+Mul+Neg]" in listing
    assert "fused into one kernel: add, sub" in listing
    assert "Fused" not in plain_listing
    assert int(listing.split()[0]) < int(plain_listing.split()[0])     # fewer kernel calls


def test_fused_source_is_written_to_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(fusion, "_modules", {})          # as in a new process
    _linreg(True, monkeypatch, tmp_path)
    sources = list(tmp_path.glob("minitf_fused_*.py"))
    assert sources, "the generated kernel source is kept on disk"
    assert "for r in prange(out.size // width):" in sources[0].read_text()


@pytest.mark.parametrize("shape_a, shape_b", [((3, 4), (4,)), ((3, 4), ()), ((3, 1), (1, 4)), ((2, 3, 4), (3, 4))])
def test_broadcast_chains_match_numpy(shape_a, shape_b, monkeypatch, tmp_path):
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))
    rng = np.random.RandomState(1)
    a_val = rng.randn(*shape_a).astype(np.float64)
    b_val = np.asarray(rng.randn(*shape_b), np.float64)
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float64, shape_a)
        b = tf.placeholder(tf.float64, shape_b)
        out = tf.nn.relu((a + b) * 2.0 - b) / 3.0
        with tf.Session() as sess:
            for _ in range(fusion.FUSE_AFTER_RUNS + 1):
                got = sess.run(out, {a: a_val, b: b_val})
    want = np.maximum((a_val + b_val) * 2.0 - b_val, 0) / 3.0
    np.testing.assert_allclose(got, want, rtol=1e-15)


def test_an_intermediate_that_is_fetched_is_not_fused_away(monkeypatch, tmp_path):
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [5])
        mid = x * 2.0 + 1.0
        out = tf.negative(mid) - 3.0
        with tf.Session() as sess:
            for _ in range(fusion.FUSE_AFTER_RUNS + 1):
                m, o = sess.run([mid, out], {x: np.arange(5, dtype=np.float32)})
            assert "Fused" in sess.explain([mid, out], {x: np.arange(5, dtype=np.float32)})
    np.testing.assert_array_equal(m, np.arange(5) * 2.0 + 1.0)
    np.testing.assert_array_equal(o, -(np.arange(5) * 2.0 + 1.0) - 3.0)


def test_a_plan_run_only_a_few_times_is_not_fused(monkeypatch, tmp_path):
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [5])
        out = tf.negative(x * 2.0 + 1.0)
        with tf.Session() as sess:
            sess.run(out, {x: np.ones(5, np.float32)})
            assert "Fused" not in sess.explain(out, {x: np.ones(5, np.float32)})


def test_a_quick_plan_is_not_fused_until_it_has_run_for_long(monkeypatch, tmp_path):
    """A few hundred quick runs (a notebook's loop) would not earn a compile back: no fusion."""
    monkeypatch.setenv("MINITF_FUSION_CACHE", str(tmp_path))
    monkeypatch.setattr(fusion, "FUSE_AFTER_SECONDS", 3600.0)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [5])
        out = tf.negative(x * 2.0 + 1.0)
        with tf.Session() as sess:
            for _ in range(fusion.FUSE_AFTER_RUNS * 5):
                sess.run(out, {x: np.ones(5, np.float32)})
            assert "Fused" not in sess.explain(out, {x: np.ones(5, np.float32)})
            monkeypatch.setattr(fusion, "FUSE_AFTER_SECONDS", 0.0)
            sess.run(out, {x: np.ones(5, np.float32)})         # its time is now long enough
            assert "Fused" in sess.explain(out, {x: np.ones(5, np.float32)})
