"""Property tests: broadcasting binary ops and reductions on random shapes (ranks 0-4, dims 1-4).

For every drawn case the value matches numpy, the static shape equals the
computed one, and each gradient has its input's shape (broadcast axes summed
away) with the value numpy's chain rule gives.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minitf as tf

DTYPES = st.sampled_from([np.float32, np.float64])


@st.composite
def broadcastable_shapes(draw):
    """Two shapes that broadcast together: suffixes of one shape, some dims replaced by 1."""
    out = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))

    def one_side():
        rank = draw(st.integers(0, len(out)))
        dims = out[len(out) - rank:]
        return tuple(1 if draw(st.booleans()) else d for d in dims)
    return one_side(), one_side()


def _unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape`` (what the gradient of a broadcast input must be)."""
    while grad.ndim > len(shape):
        grad = grad.sum(0)
    for axis, d in enumerate(shape):
        if d == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis, keepdims=True)
    return grad


# op: (minitf function, numpy function, d out/dx, d out/dy, y must be positive)
BINARY = {
    "add": (tf.add, np.add, lambda x, y: np.ones_like(x + y), lambda x, y: np.ones_like(x + y), False),
    "sub": (tf.subtract, np.subtract, lambda x, y: np.ones_like(x + y), lambda x, y: -np.ones_like(x + y),
            False),
    "mul": (tf.multiply, np.multiply, lambda x, y: y + 0 * x, lambda x, y: x + 0 * y, False),
    "div": (tf.truediv, np.divide, lambda x, y: 1 / y + 0 * x, lambda x, y: -x / y ** 2, True),
    "maximum": (tf.maximum, np.maximum, lambda x, y: (x >= y) * 1.0, lambda x, y: (x < y) * 1.0, False),
    "squared_difference": (tf.squared_difference, lambda x, y: (x - y) ** 2, lambda x, y: 2 * (x - y),
                           lambda x, y: -2 * (x - y), False),
}


@settings(max_examples=40, deadline=None)
@given(shapes=broadcastable_shapes(), op=st.sampled_from(sorted(BINARY)), dtype=DTYPES,
       seed=st.integers(0, 2**16))
def test_binary_ops_broadcast_like_numpy(shapes, op, dtype, seed):
    fn, ref, dx, dy, positive_y = BINARY[op]
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, shapes[0]).astype(dtype)
    y = (rng.uniform(0.5, 2, shapes[1]) if positive_y else rng.uniform(-2, 2, shapes[1])).astype(dtype)
    with tf.Graph().as_default():
        px, py = tf.placeholder(dtype, shapes[0]), tf.placeholder(dtype, shapes[1])
        out = fn(px, py)
        gx, gy = tf.gradients(out, [px, py])
        with tf.Session() as sess:
            value, vx, vy = sess.run([out, gx, gy], {px: x, py: y})
    expected = ref(x, y)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(value, expected, rtol=rtol, atol=rtol)
    assert tuple(out.shape.as_list()) == expected.shape == value.shape
    assert value.dtype == dtype
    np.testing.assert_allclose(vx, _unbroadcast(np.broadcast_to(dx(x, y), expected.shape), x.shape),
                               rtol=rtol, atol=rtol)
    np.testing.assert_allclose(vy, _unbroadcast(np.broadcast_to(dy(x, y), expected.shape), y.shape),
                               rtol=rtol, atol=rtol)


@settings(max_examples=25, deadline=None)
@given(shapes=broadcastable_shapes(), seed=st.integers(0, 2**16))
def test_comparisons_broadcast_to_bool(shapes, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.integers(0, 3, shapes[0]).astype(np.int32), rng.integers(0, 3, shapes[1]).astype(np.int32)
    with tf.Graph().as_default():
        outs = [tf.less(x, y), tf.equal(x, y), tf.greater_equal(x, y)]
        with tf.Session() as sess:
            values = sess.run(outs)
    for v, want in zip(values, [x < y, x == y, x >= y]):
        assert v.dtype == np.bool_
        np.testing.assert_array_equal(v, want)


@st.composite
def reduction_cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    rank = len(shape)
    if draw(st.booleans()):
        axes = None
    else:
        axes = sorted(draw(st.sets(st.integers(0, rank - 1), max_size=rank))) if rank else []
        axes = [a - rank if draw(st.booleans()) else a for a in axes]     # negative axes too
    return shape, axes, draw(st.booleans())


REDUCTIONS = {"sum": (tf.reduce_sum, np.sum), "mean": (tf.reduce_mean, np.mean),
              "max": (tf.reduce_max, np.max), "min": (tf.reduce_min, np.min),
              "prod": (tf.reduce_prod, np.prod)}


@settings(max_examples=40, deadline=None)
@given(case=reduction_cases(), op=st.sampled_from(sorted(REDUCTIONS)), dtype=DTYPES,
       seed=st.integers(0, 2**16))
def test_reductions_match_numpy(case, op, dtype, seed):
    shape, axes, keepdims = case
    fn, ref = REDUCTIONS[op]
    x = np.random.default_rng(seed).uniform(0.5, 2, shape).astype(dtype)   # nonzero, few ties
    with tf.Graph().as_default():
        px = tf.placeholder(dtype, shape)
        out = fn(px, axis=axes, keepdims=keepdims)
        (grad,) = tf.gradients(out, px)
        with tf.Session() as sess:
            value, g = sess.run([out, grad], {px: x})
    np_axes = None if axes is None else tuple(axes)
    expected = ref(x, axis=np_axes, keepdims=keepdims)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(value, expected, rtol=rtol)
    assert tuple(out.shape.as_list()) == np.shape(expected) == np.shape(value)
    assert g.shape == x.shape and g.dtype == dtype
    kept = ref(x, axis=np_axes, keepdims=True)
    count = x.size // max(kept.size, 1)
    want = {"sum": np.ones_like(x), "mean": np.full_like(x, 1 / count if axes != [] else 1.0),
            "max": (x == kept) * 1.0, "min": (x == kept) * 1.0, "prod": kept / x}[op]
    if op in ("max", "min"):
        want = want / (x == kept).sum(axis=np_axes, keepdims=True)
    np.testing.assert_allclose(g, want, rtol=rtol * 10, atol=rtol)


@settings(max_examples=25, deadline=None)
@given(case=reduction_cases(), seed=st.integers(0, 2**16))
def test_reductions_with_unknown_dims_keep_what_is_known(case, seed):
    shape, axes, keepdims = case
    x = np.random.default_rng(seed).uniform(-1, 1, shape)
    with tf.Graph().as_default():
        px = tf.placeholder(tf.float64, [None] * len(shape))
        out = tf.reduce_sum(px, axis=axes, keepdims=keepdims)
        with tf.Session() as sess:
            value = sess.run(out, {px: x})
    expected = np.sum(x, axis=None if axes is None else tuple(axes), keepdims=keepdims)
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    assert out.shape.ndims == np.ndim(expected)
    assert out.shape.is_compatible_with(np.shape(expected))
