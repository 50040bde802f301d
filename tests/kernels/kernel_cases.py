"""One table of cases for every kernel test, CPU and GPU (MiniTorch's testing.py idea).

For each kernel name: a numpy reference, the range its inputs are drawn from,
and hypothesis strategies for values, shapes and awkward memory layouts.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitf.kernels import catalog

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)
I32, I64 = np.dtype(np.int32), np.dtype(np.int64)
BOOL = np.dtype(np.bool_)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# Numpy references. Float inputs are promoted to float64 before the call.
UNARY_REF = {
    "neg": np.negative, "abs": np.abs, "square": np.square, "sign": np.sign,
    "identity": np.copy, "sqrt": np.sqrt, "rsqrt": lambda x: 1.0 / np.sqrt(x),
    "exp": np.exp, "log": np.log, "log1p": np.log1p, "expm1": np.expm1,
    "sigmoid": _sigmoid, "tanh": np.tanh, "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6), "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "softplus": lambda x: np.logaddexp(0.0, x), "reciprocal": lambda x: 1.0 / x,
    "floor": np.floor, "ceil": np.ceil, "round": np.rint, "sin": np.sin, "cos": np.cos,
    "logical_not": np.logical_not,
    "erf": np.vectorize(math.erf, otypes=[np.float64]),
}

# Binary references run at the inputs' own dtype (so float32 floor division
# rounds like the kernel's float32 arithmetic); gradient helpers in float64.
BINARY_REF = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "floordiv": np.floor_divide, "floormod": np.remainder, "pow": np.power,
    "maximum": np.maximum, "minimum": np.minimum,
    "squared_difference": lambda x, y: np.square(x - y),
    "equal": np.equal, "not_equal": np.not_equal, "less": np.less,
    "less_equal": np.less_equal, "greater": np.greater, "greater_equal": np.greater_equal,
    "logical_and": np.logical_and, "logical_or": np.logical_or,
}
GRAD_REF = {
    "relu_grad": lambda dy, x: np.where(x > 0, dy, 0.0),
    "relu6_grad": lambda dy, x: np.where((x > 0) & (x < 6), dy, 0.0),
    "elu_grad": lambda dy, y: np.where(y < 0, dy * (y + 1), dy),
    "softplus_grad": lambda dy, x: dy * _sigmoid(x),
    "sigmoid_grad": lambda y, dy: dy * y * (1 - y),
    "tanh_grad": lambda y, dy: dy * (1 - y * y),
    "sqrt_grad": lambda y, dy: dy * 0.5 / y,
    "rsqrt_grad": lambda y, dy: dy * -0.5 * y ** 3,
    "reciprocal_grad": lambda y, dy: -dy * y * y,
}

# Input ranges (float inputs); everything else draws from (-10, 10).
UNARY_RANGE = {
    "sqrt": (0.0, 100.0), "rsqrt": (0.01, 100.0), "log": (0.01, 100.0),
    "log1p": (-0.99, 100.0), "exp": (-60.0, 60.0), "expm1": (-60.0, 60.0),
    "reciprocal": (0.1, 10.0), "softplus": (-50.0, 50.0), "sigmoid": (-50.0, 50.0),
}
BINARY_RANGE = {   # (x range, y range)
    "div": ((-10.0, 10.0), (0.5, 10.0)),
    "floordiv": ((-10.0, 10.0), (0.5, 10.0)),
    "floormod": ((-10.0, 10.0), (0.5, 10.0)),
    "pow": ((0.1, 10.0), (-3.0, 3.0)),
    "sqrt_grad": ((0.1, 10.0), (-10.0, 10.0)),
}
INT_RANGE = {"pow": ((-8, 8), (0, 5))}
AWAY_FROM_ZERO = {"div", "floordiv", "floormod"}   # float y: ±[0.5, 10] (zeros: own tests)


# The per-(name, dtype) property tests are many (about 200): each gets a third
# of the profile's examples, which still totals thousands per run.
per_case = settings(max_examples=max(3, settings().max_examples // 3))


def unary_cases():
    """(name, dtype) for every unary kernel and every dtype it accepts."""
    return [(n, d) for n, (_, dts) in catalog.UNARY.items() for d in dts]


def binary_cases():
    """(name, dtype) for every binary kernel and every dtype it accepts."""
    return [(n, d) for n, (_, dts) in catalog.BINARY.items() for d in dts]


def unsupported_cases():
    """(kind, name, dtype) combinations a kernel must refuse with TypeError."""
    every = catalog.NUMBER + catalog.BOOL
    cases = [("unary", n, d) for n, (_, dts) in catalog.UNARY.items() for d in every
             if d not in dts]
    cases += [("binary", n, d) for n, (_, dts) in catalog.BINARY.items() for d in every
              if d not in dts]
    cases += [("reduce", n, d) for n, (_, _, dts) in catalog.REDUCE.items() for d in every
              if d not in dts]
    return cases


def elements(dtype: np.dtype, low=-10.0, high=10.0):
    """A hypothesis strategy for single values of ``dtype`` in [low, high]."""
    if dtype == BOOL:
        return st.booleans()
    if dtype.kind == "i":
        return st.integers(int(low), int(high))
    if dtype == F32:    # bounds rounded inward to float32 values
        low, high = float(np.float32(low)), float(np.float32(high))
    return st.floats(low, high, width=32 if dtype == F32 else 64)


def unary_elements(name: str, dtype: np.dtype):
    low, high = UNARY_RANGE.get(name, (-10.0, 10.0)) if dtype.kind == "f" else (-50, 50)
    return elements(dtype, low, high)


def binary_elements(name: str, dtype: np.dtype):
    """Strategies for the x and the y values of binary kernel ``name``."""
    if dtype.kind == "i":
        (xl, xh), (yl, yh) = INT_RANGE.get(name, ((-50, 50), (-50, 50)))
    else:
        (xl, xh), (yl, yh) = BINARY_RANGE.get(name, ((-10.0, 10.0), (-10.0, 10.0)))
    y = elements(dtype, yl, yh)
    if name in AWAY_FROM_ZERO and dtype.kind == "f":
        y = st.one_of(y, elements(dtype, -yh, -yl))
    return elements(dtype, xl, xh), y


def reference_unary(name: str, x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "f":
        return UNARY_REF[name](x.astype(np.float64)).astype(x.dtype)
    return UNARY_REF[name](x)


def reference_binary(name: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if name in GRAD_REF:
        return GRAD_REF[name](x.astype(np.float64), y.astype(np.float64)).astype(x.dtype)
    with np.errstate(all="ignore"):
        return BINARY_REF[name](x, y)


def assert_matches(actual: np.ndarray, expected: np.ndarray) -> None:
    """Same shape and dtype; equal values (close values for floats, NaN == NaN)."""
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    if actual.dtype.kind == "f":
        rtol, atol = (2e-5, 1e-5) if actual.dtype == F32 else (1e-10, 1e-12)
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(actual, expected)


@st.composite
def awkward(draw, values: np.ndarray) -> np.ndarray:
    """``values`` in a random memory layout: C, Fortran, strided view or reversed view."""
    layout = draw(st.sampled_from(["c", "fortran", "strided", "reversed"]))
    if layout == "fortran":
        return np.asfortranarray(values)
    if layout == "strided" and values.ndim:
        big = np.zeros(tuple(2 * n for n in values.shape), values.dtype)
        view = big[(slice(None, None, 2),) * values.ndim]
        view[...] = values
        return view
    if layout == "reversed" and values.ndim:
        return np.ascontiguousarray(values[::-1])[::-1]
    return values


def arrays(dtype, shape, elems):
    return hnp.arrays(dtype, shape, elements=elems)


def shapes(max_dims=4, max_side=5):
    return hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side)


@st.composite
def binary_shapes(draw, max_dims=4, max_side=5):
    """Two shapes that broadcast together; equal half of the time (the kernels' fast path)."""
    (x_shape, y_shape), _ = draw(hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side))
    return (x_shape, x_shape) if draw(st.booleans()) else (x_shape, y_shape)


ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env):
    """Run ``code`` in a fresh interpreter; it prints one JSON object, returned here."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
