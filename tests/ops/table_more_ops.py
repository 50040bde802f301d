"""Op-table rows for the "more ops" family: Erf, ReverseV2, GatherNd, ScatterNd, and the ops TF composes.

``tensordot``, ``einsum``, ``reduce_logsumexp``, ``count_nonzero``,
``sequence_mask`` and the ``to_*`` casts are built from existing ops, as in
TF; their rows name the op that carries the work (MatMul, Log, Less, Cast), so
the table checks their values, gradients and unknown-dimension builds too.
"""

from __future__ import annotations

import math

import numpy as np

import minitf as tf

from ops_helpers import F32, FLOATS, I32, NUMBERS, Case, fixed, uniform

np_erf = np.vectorize(math.erf, otypes=[np.float64])


def np_logsumexp(x, axis=None, keepdims=False):
    m = x.max(axis=axis, keepdims=True)
    out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def np_scatter_nd(indices, updates, shape):
    out = np.zeros(shape, updates.dtype)
    np.add.at(out, tuple(np.moveaxis(indices, -1, 0)), updates)
    return out


_PAIRS = fixed([[0, 1], [2, 3], [0, 1]], np.int32)      # a repeated pair: its gradients add up
_ROWS = fixed([[2], [0]], np.int32)

CASES = [
    Case("Erf", tf.erf, lambda x: np_erf(x).astype(x.dtype), (uniform(2, 3),)),
    Case("ReverseV2", lambda x: tf.reverse(x, [1]), lambda x: np.flip(x, 1), (uniform(2, 3, 4),), NUMBERS),
    Case("ReverseV2", lambda x: tf.reverse(x, [0, -1]), lambda x: np.flip(x, (0, 2)), (uniform(2, 3, 4),),
         tag="two_axes"),
    Case("GatherNd", tf.gather_nd, lambda p, i: p[tuple(np.moveaxis(i, -1, 0))], (uniform(3, 4), _PAIRS),
         NUMBERS),
    Case("GatherNd", tf.gather_nd, lambda p, i: p[i[:, 0]], (uniform(3, 2, 2), _ROWS), tag="slices"),
    Case("ScatterNd", lambda i, u: tf.scatter_nd(i, u, [3, 4]), lambda i, u: np_scatter_nd(i, u, (3, 4)),
         (_PAIRS, uniform(3)), NUMBERS),
    Case("ScatterNd", lambda i, u: tf.scatter_nd(i, u, [3, 2]), lambda i, u: np_scatter_nd(i, u, (3, 2)),
         (_ROWS, uniform(2, 2)), tag="slices"),
    # Composed as TF composes them: the row names the op doing the work.
    Case("MatMul", lambda a, b: tf.tensordot(a, b, [[1, 2], [1, 0]]),
         lambda a, b: np.tensordot(a, b, [[1, 2], [1, 0]]), (uniform(2, 3, 4), uniform(4, 3, 2)),
         tag="tensordot"),
    Case("MatMul", lambda a, b: tf.tensordot(a, b, 1), lambda a, b: np.tensordot(a, b, 1),
         (uniform(2, 3), uniform(3, 2, 2)), tag="tensordot_int"),
    Case("MatMul", lambda a, b: tf.einsum("ij,jk->ik", a, b), lambda a, b: a @ b,
         (uniform(2, 3), uniform(3, 4)), NUMBERS, tag="einsum_matmul"),
    Case("BatchMatMulV2", lambda a, b: tf.einsum("bij,bkj->bki", a, b),
         lambda a, b: np.einsum("bij,bkj->bki", a, b), (uniform(2, 3, 4), uniform(2, 2, 4)),
         tag="einsum_batch"),
    Case("MatMul", lambda a, b, c: tf.einsum("ij,jk,kl->li", a, b, c),
         lambda a, b, c: np.einsum("ij,jk,kl->li", a, b, c), (uniform(2, 3), uniform(3, 2), uniform(2, 2)),
         tag="einsum_chain"),
    Case("MatMul", lambda a, b: tf.einsum("ij,j->i", a, b), lambda a, b: a @ b,
         (uniform(2, 3), uniform(3)), tag="einsum_matvec"),
    Case("MatMul", lambda a, b: tf.einsum("i,j->ij", a, b), np.outer, (uniform(2), uniform(3)),
         tag="einsum_outer"),
    Case("Sum", lambda a: tf.einsum("ijk->kj", a), lambda a: np.einsum("ijk->kj", a), (uniform(2, 3, 4),),
         tag="einsum_sum"),
    Case("Log", lambda x: tf.reduce_logsumexp(x, 1), lambda x: np_logsumexp(x, 1), (uniform(2, 3),),
         tag="logsumexp"),
    Case("Log", lambda x: tf.reduce_logsumexp(x, keepdims=True),
         lambda x: np_logsumexp(x, keepdims=True), (uniform(2, 3, lo=100.0, hi=104.0),),
         tag="logsumexp_large"),
    Case("NotEqual", lambda x: tf.count_nonzero(x, 0), lambda x: np.count_nonzero(x, 0),
         (fixed([[0, 1, 2], [0, 0, 3]]),), NUMBERS, grad=False, tag="count_nonzero"),
    Case("Less", lambda n: tf.sequence_mask(n), lambda n: np.arange(n.max()) < n[:, None],
         (fixed([1, 3, 0], np.int32),), (I32,), grad=False, static=False, tag="sequence_mask"),
    Case("Less", lambda n: tf.sequence_mask(n, 4, dtype=tf.float32),
         lambda n: (np.arange(4) < n[..., None]).astype(np.float32),
         (fixed([[1, 3], [0, 4]], np.int32),), (I32,), grad=False, tag="sequence_mask_maxlen"),
    Case("Cast", tf.to_float, lambda x: x.astype(np.float32), (uniform(2, 3),), (np.dtype(np.float64), I32),
         grad=False, tag="to_float"),
    Case("Cast", tf.to_double, lambda x: x.astype(np.float64), (uniform(2, 3),), (F32, I32), grad=False,
         tag="to_double"),
    Case("Cast", tf.to_int32, lambda x: x.astype(np.int32), (uniform(2, 3),), FLOATS, grad=False,
         tag="to_int32"),
    Case("Cast", tf.to_int64, lambda x: x.astype(np.int64), (uniform(2, 3),), FLOATS + (I32,), grad=False,
         tag="to_int64"),
]


# --- sampled losses (with fixed sampled_values, so the rows are deterministic) --------------------------
_SAMPLED = np.array([3, 0, 5, 8, 2], np.int64)
_LABELS = np.array([[1], [3], [7], [0]], np.int64)


def _sampled_values(t):
    """(sampled, true_expected_count, sampled_expected_count) in the dtype of ``t`` (float64 rows too)."""
    dtype = t.dtype.base_dtype
    return (_SAMPLED, tf.constant([[0.4], [0.2], [0.1], [0.9]], dtype),
            tf.constant([0.2, 0.9, 0.15, 0.1, 0.3], dtype))


def np_sampled_logits(w, b, x, hits):
    ids = np.concatenate([_LABELS[:, 0], _SAMPLED])
    logits = x @ w[ids].T + b[ids]
    true = logits[np.arange(4), np.arange(4)][:, None] - np.log([[0.4], [0.2], [0.1], [0.9]])
    sampled = logits[:, 4:] - np.log([0.2, 0.9, 0.15, 0.1, 0.3])
    if hits:
        sampled = np.where(_LABELS == _SAMPLED[None, :], -np.finfo(np.float32).max, sampled)
    return np.concatenate([true, sampled], 1).astype(x.dtype)


def np_nce(w, b, x):
    z = np_sampled_logits(w, b, x, hits=False)
    labels = np.zeros_like(z)
    labels[:, 0] = 1
    return (np.maximum(z, 0) - z * labels + np.log1p(np.exp(-np.abs(z)))).sum(1)


def np_sampled_softmax(w, b, x):
    z = np_sampled_logits(w, b, x, hits=True)
    z = z - z.max(1, keepdims=True)
    return -(z[:, 0] - np.log(np.exp(z).sum(1)))


def np_accidental_hits(true, sampled):
    pairs = np.argwhere(true[:, :, None] == sampled[None, None, :])
    rows, ids = pairs[:, 0].astype(np.int32), pairs[:, 2].astype(np.int64)
    return [rows, ids, np.full(len(rows), -np.finfo(np.float32).max, np.float32)]


CASES += [
    Case("Log", lambda w, b, x: tf.nn.nce_loss(
        w, b, _LABELS, x, 5, 10, sampled_values=_sampled_values(w)), np_nce,
        (uniform(10, 3, lo=-1, hi=1), uniform(10, lo=-1, hi=1), uniform(4, 3, lo=-1, hi=1)), partial=False,
        static=False, tag="nce_loss"),
    Case("SoftmaxCrossEntropyWithLogits", lambda w, b, x: tf.nn.sampled_softmax_loss(
        w, b, _LABELS, x, 5, 10, sampled_values=_sampled_values(w)), np_sampled_softmax,
        (uniform(10, 3, lo=-1, hi=1), uniform(10, lo=-1, hi=1), uniform(4, 3, lo=-1, hi=1)), partial=False,
        static=False, tag="sampled_softmax_loss"),
    Case("ComputeAccidentalHits", lambda t, s: list(tf.nn.compute_accidental_hits(t, s, 2)),
         np_accidental_hits, (fixed([[1, 2], [3, 4], [7, 0], [0, 9]], np.int64), fixed(_SAMPLED, np.int64)),
         (I32,), grad=False, static=False),
]

ELSEWHERE = {
    "LogUniformCandidateSampler":
        "test_sampled_losses.py::test_log_uniform_sampler_is_seeded_unique_and_counts_like_tf",
}

# --- printing: values pass through Print; what it writes is checked in test_print_ops.py --------------
CASES += [
    Case("Print", lambda x: tf.Print(x, [x], "table: "), lambda x: x, (uniform(2, 3),), NUMBERS),
]
ELSEWHERE["PrintV2"] = "test_print_ops.py::test_print_v2_writes_tfs_format"
# A string scalar comes back from Session.run as bytes (as in TF), so its text is checked there too.
ELSEWHERE["StringFormat"] = "test_print_ops.py::test_print_v2_writes_tfs_format"
ELSEWHERE["PyFunc"] = "test_py_func.py::test_py_func_runs_the_function_on_fed_values"
ELSEWHERE["PyFuncStateless"] = "test_py_func.py::test_py_func_with_several_outputs_and_stateless"
