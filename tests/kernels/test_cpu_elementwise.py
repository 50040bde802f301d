"""CPU unary and binary kernels against numpy, for every name and dtype in the catalog."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel_cases import (F32, F64, I32, I64, arrays, assert_matches, awkward, binary_cases,
                          binary_elements, binary_shapes, per_case, reference_binary,
                          reference_unary, shapes, unary_cases, unary_elements, unsupported_cases)
from minitf.kernels import cpu


def _id(case):
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize("case", unary_cases(), ids=_id)
@per_case
@given(data=st.data())
def test_unary_matches_numpy(case, data):
    name, dtype = case
    shape = data.draw(shapes(), label="shape")
    x = data.draw(arrays(dtype, shape, unary_elements(name, dtype)), label="x")
    x = data.draw(awkward(x), label="layout")
    assert_matches(cpu.unary(name)(x), reference_unary(name, x))


@pytest.mark.parametrize("case", binary_cases(), ids=_id)
@per_case
@given(data=st.data())
def test_binary_matches_numpy_with_broadcasting(case, data):
    name, dtype = case
    x_shape, y_shape = data.draw(binary_shapes(), label="shapes")
    x_elems, y_elems = binary_elements(name, dtype)
    x = data.draw(awkward(data.draw(arrays(dtype, x_shape, x_elems))), label="x")
    y = data.draw(awkward(data.draw(arrays(dtype, y_shape, y_elems))), label="y")
    assert_matches(cpu.binary(name)(x, y), reference_binary(name, x, y))


@pytest.mark.parametrize("x_shape, y_shape", [
    ((2, 1, 3, 1, 4, 1), (1, 5, 1, 2, 1, 3)),     # alternating broadcasts: more than 4 loops
    ((3, 1, 2, 1, 2, 1, 2), (1, 2, 1, 2, 1, 2, 1)),
    ((4, 3, 2), (2,)), ((1,), (5, 1)), ((), (3, 0)), ((0,), ()),
])
def test_binary_broadcasts_high_rank_and_empty(x_shape, y_shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(np.float32)
    y = rng.standard_normal(y_shape).astype(np.float32)
    assert_matches(cpu.binary("sub")(x, y), x - y)


def test_incompatible_shapes_raise_value_error():
    with pytest.raises(ValueError, match=r"Incompatible shapes: \[2, 3\] vs. \[4\]"):
        cpu.binary("add")(np.ones((2, 3), np.float32), np.ones(4, np.float32))


def test_round_is_bankers_rounding():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997, -0.7, np.inf, -np.inf],
                 np.float32)
    np.testing.assert_array_equal(cpu.unary("round")(x), np.rint(x))
    assert np.isnan(cpu.unary("round")(np.array([np.nan]))).all()


def test_floor_ceil_keep_infinities_and_nan():
    x = np.array([np.inf, -np.inf, np.nan, -0.5, 2.0, -3.2])
    np.testing.assert_array_equal(cpu.unary("floor")(x), np.floor(x))
    np.testing.assert_array_equal(cpu.unary("ceil")(x), np.ceil(x))


def test_math_domain_edges_follow_tensorflow():
    x = np.array([-1.0, 0.0, 1000.0])
    np.testing.assert_array_equal(cpu.unary("log")(x), [np.nan, -np.inf, np.log(1000.0)])
    np.testing.assert_array_equal(cpu.unary("sqrt")(x[:2]), [np.nan, 0.0])
    np.testing.assert_array_equal(cpu.unary("rsqrt")(x[:2]), [np.nan, np.inf])
    assert cpu.unary("exp")(x)[2] == np.inf
    assert cpu.unary("reciprocal")(np.array([0.0]))[0] == np.inf
    np.testing.assert_allclose(cpu.unary("sigmoid")(np.array([-1e4, 1e4])), [0.0, 1.0])
    np.testing.assert_allclose(cpu.unary("softplus")(np.array([-1e4, 1e4])), [0.0, 1e4])


@pytest.mark.parametrize("dtype", [I32, I64])
def test_integer_floordiv_floormod_follow_python_and_zero_divisor_gives_zero(dtype):
    x = np.array([7, -7, 7, -7, 5, 0, -3], dtype)
    y = np.array([2, 2, -2, -2, 0, 0, 0], dtype)
    np.testing.assert_array_equal(cpu.binary("floordiv")(x, y), [3, -4, -4, 3, 0, 0, 0])
    np.testing.assert_array_equal(cpu.binary("floormod")(x, y), [1, 1, -1, -1, 0, 0, 0])


@pytest.mark.parametrize("dtype", [I32, I64])
def test_smallest_integer_divided_by_minus_one_wraps_instead_of_crashing(dtype):
    low = np.iinfo(dtype).min
    x, y = np.array([low], dtype), np.array([-1], dtype)
    assert cpu.binary("floordiv")(x, y)[0] == low
    assert cpu.binary("floormod")(x, y)[0] == 0


def test_float_division_by_zero_gives_infinities_and_nan():
    x = np.array([1.0, -1.0, 0.0], np.float32)
    zeros = np.zeros(3, np.float32)
    np.testing.assert_array_equal(cpu.binary("div")(x, zeros), [np.inf, -np.inf, np.nan])
    np.testing.assert_array_equal(cpu.binary("floordiv")(x, zeros), [np.inf, -np.inf, np.nan])
    assert np.isnan(cpu.binary("floormod")(x, zeros)).all()


def test_integer_pow_rejects_negative_exponents():
    with pytest.raises(ValueError, match="negative integer powers"):
        cpu.binary("pow")(np.array([2], np.int32), np.array([-1], np.int32))


def test_maximum_minimum_propagate_nan():
    x = np.array([np.nan, 1.0, 2.0])
    y = np.array([1.0, np.nan, 1.0])
    np.testing.assert_array_equal(cpu.binary("maximum")(x, y), [np.nan, np.nan, 2.0])
    np.testing.assert_array_equal(cpu.binary("minimum")(x, y), [np.nan, np.nan, 1.0])


def test_comparisons_and_logical_ops_return_bool():
    x = np.arange(4, dtype=np.int32)
    assert cpu.binary("less")(x, x[::-1].copy()).dtype == np.bool_
    assert cpu.binary("equal")(x > 1, x > 2).dtype == np.bool_


def test_inputs_may_be_numpy_scalars_and_python_lists():
    assert_matches(cpu.binary("mul")(np.float32(3.0), np.float32(2.0)), np.array(6.0, np.float32))
    assert_matches(cpu.unary("neg")([1.0, 2.0]), np.array([-1.0, -2.0]))


def test_result_is_a_new_array():
    x = np.ones(3, np.float32)
    y = cpu.unary("identity")(x)
    y[0] = 5
    assert x[0] == 1


@pytest.mark.parametrize("case", unsupported_cases(), ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_unsupported_dtype_raises_type_error_naming_kernel_and_dtype(case):
    kind, name, dtype = case
    x = np.zeros(3, dtype)
    with pytest.raises(TypeError, match=rf"{kind} kernel '{name}' does not support dtype {dtype}"):
        if kind == "unary":
            cpu.unary(name)(x)
        elif kind == "binary":
            cpu.binary(name)(x, x)
        else:
            cpu.reduce(name)(x, (0,), False)


def test_mixed_dtypes_raise_type_error():
    with pytest.raises(TypeError, match="one dtype, got float32 and float64"):
        cpu.binary("add")(np.ones(2, np.float32), np.ones(2, np.float64))


@pytest.mark.parametrize("kind", ["unary", "binary", "reduce", "argreduce"])
def test_unknown_kernel_name_raises_type_error(kind):
    with pytest.raises(TypeError, match=f"unknown {kind} kernel 'nope'"):
        getattr(cpu, kind)("nope")


def test_float16_is_refused_too():
    with pytest.raises(TypeError, match="float16"):
        cpu.unary("exp")(np.ones(2, np.float16))


@pytest.mark.parametrize("dtype", [F32, F64])
def test_big_arrays_agree_with_numpy(dtype):
    # 1e5+ elements: the size at which kernels may go multi-threaded.
    x = np.linspace(-5, 5, 200_003).astype(dtype)
    assert_matches(cpu.unary("tanh")(x), np.tanh(x.astype(np.float64)).astype(dtype))
    assert_matches(cpu.binary("mul")(x, x), x * x)
