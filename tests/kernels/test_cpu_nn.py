"""Softmax, log-softmax and the two softmax cross-entropies on the CPU."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel_cases import F32, F64, arrays, awkward, elements
from minitf.kernels import cpu


def ref_log_softmax(logits: np.ndarray) -> np.ndarray:
    """float64 reference."""
    z = logits.astype(np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def ref_xent(logits: np.ndarray, labels: np.ndarray):
    log_p = ref_log_softmax(logits)
    return -(labels * log_p).sum(-1), np.exp(log_p) - labels


def tolerance(dtype):
    return dict(rtol=2e-5, atol=2e-6) if dtype == F32 else dict(rtol=1e-10, atol=1e-12)


logits_shapes = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
@given(data=st.data())
def test_softmax_and_log_softmax_match_reference(dtype, data):
    shape = data.draw(logits_shapes, label="shape")
    x = data.draw(awkward(data.draw(arrays(dtype, shape, elements(dtype, -20, 20)))))
    expected = ref_log_softmax(x)
    np.testing.assert_allclose(cpu.log_softmax(x), expected, **tolerance(dtype))
    probs = cpu.softmax(x)
    assert probs.dtype == dtype and probs.shape == x.shape
    np.testing.assert_allclose(probs, np.exp(expected), **tolerance(dtype))
    np.testing.assert_allclose(probs.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
def test_extreme_logits_stay_finite(dtype):
    x = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [1e4, 1e4, 0.0]], dtype)
    probs = cpu.softmax(x)
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]],
                               atol=1e-7)
    log_p = cpu.log_softmax(x)
    assert np.isfinite(log_p).all()
    np.testing.assert_allclose(log_p[0], [0.0, -1e4, -2e4], rtol=1e-6)
    loss, backprop = cpu.softmax_cross_entropy(x, np.full(x.shape, 1 / 3, dtype))
    assert np.isfinite(loss).all() and np.isfinite(backprop).all()


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
@given(data=st.data())
def test_softmax_cross_entropy_matches_float64_reference(dtype, data):
    shape = data.draw(logits_shapes, label="shape")
    logits = data.draw(arrays(dtype, shape, elements(dtype, -10, 10)), label="logits")
    raw = data.draw(arrays(dtype, shape, elements(dtype, 0, 1)), label="labels")
    labels = (raw / np.maximum(raw.sum(-1, keepdims=True), 1e-3)).astype(dtype)
    loss, backprop = cpu.softmax_cross_entropy(data.draw(awkward(logits)), labels)
    ref_loss, ref_backprop = ref_xent(logits, labels)
    assert loss.shape == shape[:-1] and backprop.shape == shape
    assert loss.dtype == dtype and backprop.dtype == dtype
    np.testing.assert_allclose(loss, ref_loss, **tolerance(dtype))
    np.testing.assert_allclose(backprop, ref_backprop, **tolerance(dtype))


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
@pytest.mark.parametrize("label_dtype", [np.int32, np.int64], ids=["int32", "int64"])
@given(data=st.data())
def test_sparse_cross_entropy_matches_dense_with_one_hot(dtype, label_dtype, data):
    shape = data.draw(logits_shapes, label="shape")
    logits = data.draw(arrays(dtype, shape, elements(dtype, -10, 10)), label="logits")
    labels = data.draw(arrays(label_dtype, shape[:-1], st.integers(0, shape[-1] - 1)))
    loss, backprop = cpu.sparse_softmax_cross_entropy(logits, labels)
    one_hot = np.eye(shape[-1], dtype=dtype)[labels]
    ref_loss, ref_backprop = ref_xent(logits, one_hot)
    np.testing.assert_allclose(loss, ref_loss, **tolerance(dtype))
    np.testing.assert_allclose(backprop, ref_backprop, **tolerance(dtype))


def test_sparse_label_out_of_range_raises_like_tensorflow():
    logits = np.zeros((2, 3), np.float32)
    with pytest.raises(ValueError, match=r"label value of 3 which is outside the valid range "
                                         r"of \[0, 3\)"):
        cpu.sparse_softmax_cross_entropy(logits, np.array([0, 3]))
    with pytest.raises(ValueError, match="label value of -1"):
        cpu.sparse_softmax_cross_entropy(logits, np.array([-1, 0]))


def test_errors_for_bad_inputs():
    with pytest.raises(TypeError, match="does not support dtype int32"):
        cpu.softmax(np.zeros((2, 3), np.int32))
    with pytest.raises(ValueError, match="rank >= 1"):
        cpu.softmax(np.float32(1.0))
    with pytest.raises(ValueError, match="labels must match logits"):
        cpu.softmax_cross_entropy(np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float64))
    with pytest.raises(ValueError, match="labels must be int32/int64"):
        cpu.sparse_softmax_cross_entropy(np.zeros((2, 3), np.float32), np.zeros(2, np.float32))


def test_empty_batches():
    assert cpu.softmax(np.zeros((0, 4), np.float32)).shape == (0, 4)
    loss, backprop = cpu.sparse_softmax_cross_entropy(np.zeros((0, 4)), np.zeros(0, np.int64))
    assert loss.shape == (0,) and backprop.shape == (0, 4)


def test_big_batch_matches_reference():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((20_000, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 20_000)
    loss, _ = cpu.sparse_softmax_cross_entropy(logits, labels)
    np.testing.assert_allclose(loss, -ref_log_softmax(logits)[np.arange(20_000), labels],
                               rtol=1e-5, atol=1e-6)
