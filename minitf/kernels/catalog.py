"""Which scalar function implements each kernel name, and which dtypes it accepts.

This table is the whole elementwise and reduction vocabulary of minitf. The CPU
and the GPU build their kernels from it, the tests iterate over it, and a
student who wants a new elementwise op adds one function to ``scalar.py`` and
one line here.
"""

from __future__ import annotations

import numpy as np

from minitf.kernels import scalar

FLOAT = (np.dtype(np.float32), np.dtype(np.float64))
INT = (np.dtype(np.int32), np.dtype(np.int64))
NUMBER = FLOAT + INT
BOOL = (np.dtype(np.bool_),)

# name: (scalar function, accepted dtypes). The output dtype is the input's.
UNARY = {
    "neg": (scalar.neg, NUMBER),
    "abs": (scalar.abs_, NUMBER),
    "square": (scalar.square, NUMBER),
    "sign": (scalar.sign, NUMBER),
    "identity": (scalar.identity, NUMBER + BOOL),
    "sqrt": (scalar.sqrt, FLOAT),
    "rsqrt": (scalar.rsqrt, FLOAT),
    "exp": (scalar.exp, FLOAT),
    "log": (scalar.log, FLOAT),
    "log1p": (scalar.log1p, FLOAT),
    "expm1": (scalar.expm1, FLOAT),
    "sigmoid": (scalar.sigmoid, FLOAT),
    "tanh": (scalar.tanh, FLOAT),
    "relu": (scalar.relu, FLOAT),
    "relu6": (scalar.relu6, FLOAT),
    "elu": (scalar.elu, FLOAT),
    "softplus": (scalar.softplus, FLOAT),
    "reciprocal": (scalar.reciprocal, FLOAT),
    "floor": (scalar.floor, FLOAT),
    "ceil": (scalar.ceil, FLOAT),
    "round": (scalar.round_, FLOAT),
    "sin": (scalar.sin, FLOAT),
    "cos": (scalar.cos, FLOAT),
    "logical_not": (scalar.logical_not, BOOL),
    "erf": (scalar.erf, FLOAT),
}

# name: (scalar function, accepted dtypes). Both inputs share one dtype.
BINARY = {
    "add": (scalar.add, NUMBER),
    "sub": (scalar.sub, NUMBER),
    "mul": (scalar.mul, NUMBER),
    "div": (scalar.div, FLOAT),
    "floordiv": (scalar.floordiv, NUMBER),
    "floormod": (scalar.floormod, NUMBER),
    "pow": (scalar.pow_, NUMBER),
    "maximum": (scalar.maximum, NUMBER),
    "minimum": (scalar.minimum, NUMBER),
    "squared_difference": (scalar.squared_difference, NUMBER),
    "equal": (scalar.equal, NUMBER + BOOL),
    "not_equal": (scalar.not_equal, NUMBER + BOOL),
    "less": (scalar.less, NUMBER),
    "less_equal": (scalar.less_equal, NUMBER),
    "greater": (scalar.greater, NUMBER),
    "greater_equal": (scalar.greater_equal, NUMBER),
    "logical_and": (scalar.logical_and, BOOL),
    "logical_or": (scalar.logical_or, BOOL),
    "relu_grad": (scalar.relu_grad, FLOAT),
    "relu6_grad": (scalar.relu6_grad, FLOAT),
    "elu_grad": (scalar.elu_grad, FLOAT),
    "softplus_grad": (scalar.softplus_grad, FLOAT),
    "sigmoid_grad": (scalar.sigmoid_grad, FLOAT),
    "tanh_grad": (scalar.tanh_grad, FLOAT),
    "sqrt_grad": (scalar.sqrt_grad, FLOAT),
    "rsqrt_grad": (scalar.rsqrt_grad, FLOAT),
    "reciprocal_grad": (scalar.reciprocal_grad, FLOAT),
}

# Binary kernels whose output is bool whatever the input dtype.
BOOL_OUTPUT = {"equal", "not_equal", "less", "less_equal", "greater",
               "greater_equal", "logical_and", "logical_or"}

# name: (combining scalar function, finishing scalar function, accepted dtypes).
# The combining function folds the elements; the finishing one turns the folded
# value and the element count into the result ("mean" sums, then divides).
REDUCE = {
    "sum": (scalar.add, scalar.reduced_total, NUMBER),
    "mean": (scalar.add, scalar.reduced_mean, NUMBER),
    "prod": (scalar.mul, scalar.reduced_total, NUMBER),
    "max": (scalar.maximum, scalar.reduced_total, NUMBER),
    "min": (scalar.minimum, scalar.reduced_total, NUMBER),
    "any": (scalar.logical_or, scalar.reduced_total, BOOL),
    "all": (scalar.logical_and, scalar.reduced_total, BOOL),
}

ARGREDUCE = {"argmax": NUMBER, "argmin": NUMBER}


def reduce_start(name: str, dtype: np.dtype):
    """The value a reduction starts from: what it returns over zero elements."""
    if name in ("sum", "mean"):
        return dtype.type(0)
    if name == "prod":
        return dtype.type(1)
    if name == "any":
        return np.False_
    if name == "all":
        return np.True_
    lowest, highest = ((-np.inf, np.inf) if dtype.kind == "f"
                       else (np.iinfo(dtype).min, np.iinfo(dtype).max))
    return dtype.type(lowest if name == "max" else highest)


def lookup(table: dict, kind: str, name: str):
    """Find ``name`` in ``table``, or raise TypeError listing the known names."""
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        raise TypeError(f"unknown {kind} kernel {name!r}; known: {known}") from None


def check_dtype(kind: str, name: str, dtype: np.dtype, accepted: tuple) -> None:
    """Raise TypeError unless ``dtype`` is one that kernel ``name`` accepts."""
    if dtype not in accepted:
        names = ", ".join(d.name for d in accepted)
        raise TypeError(
            f"{kind} kernel {name!r} does not support dtype {dtype}; it accepts {names}")
