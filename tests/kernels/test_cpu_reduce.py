"""CPU reductions (sum, prod, max, min, mean, any, all) and arg-reductions against numpy."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel_cases import BOOL, F32, F64, I32, I64, arrays, assert_matches, awkward, elements, shapes
from minitf.kernels import catalog, cpu

NUMERIC_REDUCTIONS = ["sum", "prod", "max", "min", "mean"]


def reference_reduce(name: str, x: np.ndarray, axes: tuple, keepdims: bool) -> np.ndarray:
    """numpy's answer with minitf's dtype rules (results keep the input dtype)."""
    if name == "mean" and x.dtype.kind == "i":     # TF: integer mean truncates toward zero
        total = np.sum(x, axis=axes, keepdims=keepdims, dtype=np.int64)
        count = max(int(np.prod([x.shape[a] for a in axes])), 1)
        return (np.sign(total) * (np.abs(total) // count)).astype(x.dtype)
    if name in ("max", "min") and x.size == 0:
        return np.full(np.sum(x, axis=axes, keepdims=keepdims).shape,
                       catalog.reduce_start(name, x.dtype), x.dtype)
    function = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min,
                "mean": np.mean, "any": np.any, "all": np.all}[name]
    if name in ("sum", "prod", "mean"):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)     # numpy: "Mean of empty slice"
            return np.asarray(function(x, axis=axes, keepdims=keepdims, dtype=x.dtype))
    return np.asarray(function(x, axis=axes, keepdims=keepdims))


def all_axis_subsets(ndim: int):
    return [c for r in range(ndim + 1) for c in itertools.combinations(range(ndim), r)]


def _sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == BOOL:
        return rng.random(shape) < 0.5
    if dtype.kind == "i":
        return rng.integers(-9, 10, shape).astype(dtype)
    return rng.uniform(-2, 2, shape).astype(dtype)


REDUCE_CASES = [(n, d) for n, (_, _, dts) in catalog.REDUCE.items() for d in dts]


def _id(value):
    return str(value) if isinstance(value, np.dtype) else None


@pytest.mark.parametrize("name, dtype", REDUCE_CASES, ids=_id)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 1, 4), (5,), ()])
def test_every_axis_combination(name, dtype, shape):
    x = _sample(dtype, shape)
    if name == "prod":
        x = x // 3 if x.dtype.kind == "i" else x / 2 + 1   # keep products representable
    for axes in all_axis_subsets(len(shape)):
        for keepdims in (False, True):
            expected = reference_reduce(name, x, axes, keepdims)
            assert_matches(cpu.reduce(name)(x, axes, keepdims), expected)


@pytest.mark.parametrize("name, dtype", REDUCE_CASES, ids=_id)
@given(data=st.data())
def test_random_shapes_axes_and_layouts(name, dtype, data):
    shape = data.draw(shapes(max_dims=4, max_side=4), label="shape")
    low, high = (-3, 3) if name != "prod" else (-1.5, 1.5)
    x = data.draw(awkward(data.draw(arrays(dtype, shape, elements(dtype, low, high)))))
    axes = data.draw(st.sampled_from(all_axis_subsets(len(shape))), label="axes")
    keepdims = data.draw(st.booleans(), label="keepdims")
    if x.size == 0 and name == "mean" and dtype.kind == "i":
        return      # integer mean over nothing divides by zero (undefined, as in TF)
    assert_matches(cpu.reduce(name)(x, axes, keepdims), reference_reduce(name, x, axes, keepdims))


@pytest.mark.parametrize("dtype", [F32, F64, I32, I64], ids=_id)
def test_reductions_over_empty_axes_give_identities(dtype):
    x = np.zeros((0, 3), dtype)
    assert_matches(cpu.reduce("sum")(x, (0,), False), np.zeros(3, dtype))
    assert_matches(cpu.reduce("prod")(x, (0,), False), np.ones(3, dtype))
    assert_matches(cpu.reduce("max")(x, (0,), False),
                   np.full(3, catalog.reduce_start("max", dtype), dtype))
    assert_matches(cpu.reduce("min")(x, (0,), False),
                   np.full(3, catalog.reduce_start("min", dtype), dtype))
    if dtype.kind == "f":
        assert np.isnan(cpu.reduce("mean")(x, (0,), False)).all()


def test_any_all_over_empty_and_full():
    x = np.zeros((0,), bool)
    assert cpu.reduce("any")(x, (0,), False) == np.False_
    assert cpu.reduce("all")(x, (0,), False) == np.True_


def test_no_axes_is_a_copy():
    x = np.arange(6.0).reshape(2, 3)
    y = cpu.reduce("sum")(x, (), False)
    assert_matches(y, x)
    y[0, 0] = 7
    assert x[0, 0] == 0


def test_integer_mean_truncates_toward_zero():
    x = np.array([[-7, 0], [2, 3]], np.int32)
    assert_matches(cpu.reduce("mean")(x, (1,), False), np.array([-3, 2], np.int32))


def test_max_min_propagate_nan():
    x = np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(cpu.reduce("max")(x, (1,), False), [np.nan, 3.0])
    np.testing.assert_array_equal(cpu.reduce("min")(x, (0,), False), [1.0, np.nan, 3.0])


def test_large_float32_sum_is_accurate():
    x = np.random.default_rng(1).uniform(0, 1, 1_000_000).astype(np.float32)
    np.testing.assert_allclose(cpu.reduce("sum")(x, (0,), False), x.sum(dtype=np.float64),
                               rtol=1e-5)


@pytest.mark.parametrize("axes", [(2,), (-3,), (0, 5)])
def test_bad_axes_raise_value_error(axes):
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        cpu.reduce("sum")(np.ones((2, 3)), axes, False)


def test_negative_axes_are_accepted():
    x = np.arange(6.0).reshape(2, 3)
    assert_matches(cpu.reduce("sum")(x, (-1,), False), x.sum(-1))


# --------------------------------------------------------------------------
# argmax / argmin
# --------------------------------------------------------------------------

ARG_CASES = [(n, d) for n in ("argmax", "argmin") for d in (F32, F64, I32, I64)]


@pytest.mark.parametrize("name, dtype", ARG_CASES, ids=_id)
@given(data=st.data())
def test_argreduce_matches_numpy_with_ties(name, dtype, data):
    shape = data.draw(shapes(max_dims=4, max_side=4).filter(lambda s: len(s) and min(s) > 0))
    x = data.draw(awkward(data.draw(arrays(dtype, shape, elements(dtype, 0, 2)))))  # many ties
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis")
    expected = (np.argmax if name == "argmax" else np.argmin)(x, axis=axis)
    assert_matches(cpu.argreduce(name)(x, axis), np.asarray(expected, np.int64))


def test_argmax_picks_the_first_of_equal_values_and_nan_wins():
    assert cpu.argreduce("argmax")(np.array([1, 3, 3, 0], np.int32), 0) == 1
    assert cpu.argreduce("argmin")(np.array([1, 0, 3, 0], np.int64), 0) == 1
    assert cpu.argreduce("argmax")(np.array([1.0, np.nan, 5.0, np.nan]), 0) == 1


def test_argmax_errors():
    with pytest.raises(ValueError, match="Reduction axis 1 is empty"):
        cpu.argreduce("argmax")(np.ones((2, 0)), 1)
    with pytest.raises(ValueError, match="out of range"):
        cpu.argreduce("argmax")(np.ones((2, 3)), 2)
    with pytest.raises(TypeError, match="does not support dtype bool"):
        cpu.argreduce("argmax")(np.ones(3, bool), 0)
