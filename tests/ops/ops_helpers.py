"""Helpers for the op suite: input samplers, building a case in a fresh graph, gradient checks.

A *case* is a minitf expression ``fn(*inputs)`` and its numpy reference
``ref(*arrays)``.  Every input is fed through a placeholder, so the kernels run
on fed values (not folded constants) and the same case can be rebuilt with
unknown dimensions to test shape inference.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import minitf as tf

F32, F64, I32 = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int32)
FLOATS = (F32, F64)
NUMBERS = (F32, F64, I32)


# --- input samplers: (rng, dtype) -> array ----------------------------------------------------
def uniform(*shape, lo=-2.0, hi=2.0):
    """Floats in [lo, hi); integers in [-5, 5] for int dtypes."""
    def draw(rng, dtype):
        if dtype.kind == "i":
            return rng.integers(-5, 6, size=shape).astype(dtype)
        return rng.uniform(lo, hi, size=shape).astype(dtype)
    return draw


def positive(*shape):
    """Values in [0.5, 2] (ints 1..5): for log, sqrt, divisors, pow bases."""
    def draw(rng, dtype):
        if dtype.kind == "i":
            return rng.integers(1, 6, size=shape).astype(dtype)
        return rng.uniform(0.5, 2.0, size=shape).astype(dtype)
    return draw


def away_from(*shape, points=(0.0,), margin=0.3, lo=-2.0, hi=2.0):
    """Floats at least ``margin`` from every kink in ``points`` (numerical gradients need that)."""
    def draw(rng, dtype):
        if dtype.kind == "i":
            return rng.integers(-5, 6, size=shape).astype(dtype)
        x = rng.uniform(lo, hi, size=shape)
        for p in points:
            near = np.abs(x - p) < margin
            x[near] = p + np.where(x[near] >= p, margin, -margin)
        return x.astype(dtype)
    return draw


def fixed(values, dtype=None):
    """Always these values (cast to the case's dtype, or to ``dtype`` when given)."""
    def draw(rng, case_dtype):
        return np.array(values, dtype=dtype or case_dtype)
    return draw


def ints(*shape, lo=0, hi=3):
    """int32 indices in [lo, hi), whatever the case's dtype."""
    return lambda rng, dtype: rng.integers(lo, hi, size=shape).astype(np.int32)


def bools(*shape):
    return lambda rng, dtype: rng.random(size=shape) < 0.5


def distribution(*shape):
    """Rows that are probability vectors (labels for cross-entropy)."""
    def draw(rng, dtype):
        p = rng.uniform(0.1, 1.0, size=shape)
        return (p / p.sum(-1, keepdims=True)).astype(dtype)
    return draw


# --- the table's record -------------------------------------------------------------------------
@dataclass
class Case:
    """One row of the op table: an expression, its numpy reference, and what to check."""
    op: str                           # the registry op type the expression must create
    fn: Callable                      # (*input tensors) -> Tensor or list of Tensors
    ref: Callable                     # (*input arrays) -> array or list of arrays
    inputs: tuple = ()                # one sampler per input
    dtypes: tuple = FLOATS            # the dtypes to run the forward check in
    grad: bool = True                 # float64 numerical gradient check
    partial: bool = True              # also build with the first dimension unknown
    static: bool = True               # static shape fully known when inputs' shapes are
    tag: str = ""                     # tells apart several cases of one op
    rtol32: float = 1e-5
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.op + (f"-{self.tag}" if self.tag else "")


def sample(case: Case, dtype) -> list:
    rng = np.random.default_rng(zlib.crc32(case.id.encode()))
    return [draw(rng, np.dtype(dtype)) for draw in case.inputs]


def as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


# --- building and running -------------------------------------------------------------------------
def build(case: Case, arrays, partial: bool | str = False):
    """Placeholders for ``arrays`` and the case's outputs, in the current default graph.

    ``partial``: True or "first" leaves the first dimension unknown, "all" every dimension
    (the rank stays known), so shape-dependent code must read the shapes at run time.
    """
    holders = []
    for i, a in enumerate(arrays):
        shape = list(a.shape)
        if partial == "all":
            shape = [None] * len(shape)
        elif partial and shape:
            shape[0] = None
        holders.append(tf.placeholder(tf.as_dtype(a.dtype), shape, name=f"in{i}"))
    outputs = as_list(case.fn(*holders))
    return holders, outputs


def evaluate(case: Case, arrays, partial: bool = False):
    """Run the case in a fresh graph: (output tensors, output values, graph)."""
    graph = tf.Graph()
    with graph.as_default():
        holders, outputs = build(case, arrays, partial)
        with tf.Session() as sess:
            values = sess.run(outputs, dict(zip(holders, arrays)))
    return outputs, values, graph


def op_types(graph) -> set:
    return {op.type for op in graph.get_operations()}


def assert_close(actual, expected, dtype, rtol32=1e-5, what=""):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    if np.dtype(dtype).kind in "iub" or actual.dtype.kind in "iubO":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    elif np.dtype(dtype) == F32:
        np.testing.assert_allclose(actual, expected, rtol=rtol32, atol=rtol32, err_msg=what)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12, err_msg=what)


# --- gradient checking ------------------------------------------------------------------------------
def check_gradients(case: Case, eps: float = 1e-6, rtol: float = 1e-6, atol: float = 1e-7,
                    partial: bool | str = False):
    """Compare ``tf.gradients`` with central differences of sum(outputs * random weights), in float64.

    ``partial`` builds on placeholders with unknown dimensions (see ``build``).
    """
    arrays = sample(case, F64)
    rng = np.random.default_rng(1)
    with tf.Graph().as_default():
        holders, outputs = build(case, arrays, partial)
        feed = dict(zip(holders, arrays))
        with tf.Session() as sess:
            values = sess.run(outputs, feed)
            terms = [tf.reduce_sum(out * rng.uniform(-1, 1, size=np.shape(v)))
                     for out, v in zip(outputs, values) if out.dtype.is_floating]
            loss = tf.add_n(terms) if len(terms) > 1 else terms[0]
            wrt = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
            grads = tf.gradients(loss, [holders[i] for i in wrt])
            grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
            analytic = sess.run([g for g in grads if g is not None], feed)
            analytic = iter(analytic)
            for i, g in zip(wrt, grads):
                got = next(analytic) if g is not None else np.zeros_like(arrays[i])
                want = _numeric_gradient(sess, loss, holders, arrays, i, eps)
                np.testing.assert_allclose(got, want, rtol=rtol, atol=atol,
                                           err_msg=f"d loss / d input {i} of {case.id}")


def _numeric_gradient(sess, loss, holders, arrays, i, eps):
    x = arrays[i].copy()
    grad = np.zeros_like(x)
    feed = dict(zip(holders, arrays))
    for j in np.ndindex(x.shape):
        old = x[j]
        x[j] = old + eps
        feed[holders[i]] = x
        up = sess.run(loss, feed)
        x[j] = old - eps
        down = sess.run(loss, feed)
        x[j] = old
        grad[j] = (up - down) / (2 * eps)
    return grad
