"""Row-wise variable updates against numpy: ScatterAdd/Sub/Update and the SparseApply* ops."""

import numpy as np
import pytest

import minitf as tf
from minitf import errors
from minitf.train import training_ops


def _run_update(initial, build):
    """Variables with ``initial`` values, ``build(*vars)`` an update op; the values after one run."""
    with tf.Graph().as_default():
        vs = [tf.Variable(np.array(v, np.float32)) for v in initial]
        op = build(*vs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(op)
            return [sess.run(v) for v in vs]


@pytest.mark.parametrize("fn, ref", [
    (tf.scatter_add, lambda a, i, u: np.add.at(a, i, u)),
    (tf.scatter_sub, lambda a, i, u: np.subtract.at(a, i, u)),
    (tf.scatter_update, lambda a, i, u: a.__setitem__(i, u)),
], ids=["add", "sub", "update"])
def test_scatter_ops_match_numpy(fn, ref):
    start = np.arange(8, dtype=np.float32).reshape(4, 2)
    idx, upd = np.array([3, 0, 3]) if fn is not tf.scatter_update else np.array([3, 0]), None
    upd = np.ones((len(idx), 2), np.float32) * 5
    (got,) = _run_update([start], lambda v: fn(v, idx, upd))
    expected = start.copy()
    ref(expected, idx, upd)
    np.testing.assert_array_equal(got, expected)


def test_scatter_index_out_of_range():
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] = 9 is not in \[0, 4\)"):
        _run_update([np.zeros((4, 2))], lambda v: tf.scatter_add(v, [0, 9], np.ones((2, 2), np.float32)))


def _dense_rows(rule, refs, rows, *args):
    return rule([r[rows] for r in refs], *args)


def test_sparse_apply_momentum_matches_numpy():
    var, acc = np.ones((3, 2)), np.full((3, 2), 0.5)
    g = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    got = _run_update([var, acc], lambda v, a: training_ops.sparse_apply_momentum(
        v, a, 0.1, g, [2, 0], 0.9))
    new_acc = acc.copy()
    new_acc[[2, 0]] = acc[[2, 0]] * 0.9 + g
    new_var = var.copy()
    new_var[[2, 0]] -= 0.1 * new_acc[[2, 0]]
    np.testing.assert_allclose(got[0], new_var, rtol=1e-6)
    np.testing.assert_allclose(got[1], new_acc, rtol=1e-6)


def test_sparse_apply_adagrad_sums_duplicates():
    var, acc = np.ones((3, 1)), np.full((3, 1), 0.1)
    g = np.array([[1.0], [2.0]], np.float32)
    got = _run_update([var, acc], lambda v, a: training_ops.sparse_apply_adagrad(v, a, 0.5, g, [1, 1]))
    acc1 = 0.1 + 3.0 ** 2
    np.testing.assert_allclose(got[1], [[0.1], [acc1], [0.1]], rtol=1e-6)
    np.testing.assert_allclose(got[0], [[1.0], [1.0 - 0.5 * 3.0 / np.sqrt(acc1)], [1.0]], rtol=1e-6)


def test_sparse_apply_rms_prop_matches_numpy():
    var, ms, mom = np.ones((2, 2)), np.ones((2, 2)), np.zeros((2, 2))
    g = np.array([[0.5, -1.0]], np.float32)
    got = _run_update([var, ms, mom], lambda v, m, o: training_ops.sparse_apply_rms_prop(
        v, m, o, 0.01, 0.9, 0.5, 1e-10, g, [1]))
    ms1 = 1.0 + (g[0] ** 2 - 1.0) * 0.1
    mom1 = 0.01 * g[0] / np.sqrt(ms1 + 1e-10)
    np.testing.assert_allclose(got[1][1], ms1, rtol=1e-6)
    np.testing.assert_allclose(got[2][1], mom1, rtol=1e-6)
    np.testing.assert_allclose(got[0][1], 1.0 - mom1, rtol=1e-6)
    np.testing.assert_array_equal(got[0][0], [1.0, 1.0])


def test_sparse_apply_index_out_of_range():
    g = np.ones((1, 1), np.float32)
    with pytest.raises(errors.InvalidArgumentError, match="Index 5 at offset 0 in indices is out of range"):
        _run_update([np.ones((3, 1)), np.ones((3, 1))],
                    lambda v, a: training_ops.sparse_apply_adagrad(v, a, 0.5, g, [5]))
