"""The scalar functions behind every elementwise kernel: written once, run everywhere.

Each function here works on *one* number (or a pair). The factories in
``cpu_factories.py`` and ``cuda_factories.py`` turn them into array kernels:
numba compiles the same function for the CPU and, as a ``cuda.jit`` device
function, for the GPU. They are also plain Python, so you can call
``scalar.sigmoid(0.0)`` in a notebook to see what a kernel does to one element.

Rules that keep one definition valid on all three (Python, njit, cuda.jit):

- use only operators and ``math`` functions that numba supports on both the
  CPU and the GPU (so no ``math.fmod``, and ``math.floor`` is avoided because
  it returns an int on the CPU but a float on the GPU);
- a function never calls another function of this file (a CUDA device function
  can only call other device functions);
- inputs outside a function's domain return what TensorFlow returns
  (``log(0) = -inf``, ``sqrt(-1) = nan``) instead of raising like Python's
  ``math`` would.

Names that would shadow Python builtins end in ``_`` (``abs_``, ``round_``).
"""

from __future__ import annotations

import math

# --------------------------------------------------------------------------
# Unary arithmetic (floats and ints)
# --------------------------------------------------------------------------


def neg(x):
    """-x"""
    return -x


def abs_(x):
    """|x|"""
    return -x if x < 0 else x


def square(x):
    """x * x"""
    return x * x


def sign(x):
    """-1, 0 or 1; NaN stays NaN (like tf.sign)."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    return x          # 0 or NaN


def identity(x):
    """x, unchanged."""
    return x


# --------------------------------------------------------------------------
# Unary math (floats)
# --------------------------------------------------------------------------


def sqrt(x):
    """√x; NaN for x < 0."""
    return math.sqrt(x) if x >= 0 else math.nan


def rsqrt(x):
    """1 / √x; inf at 0, NaN for x < 0."""
    if x > 0:
        return 1.0 / math.sqrt(x)
    return math.inf if x == 0 else math.nan


def exp(x):
    """e ** x"""
    return math.exp(x) if x < 709.0 else math.inf     # Python's math raises past 709.78


def log(x):
    """ln x; -inf at 0, NaN for x < 0."""
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def log1p(x):
    """ln(1 + x), accurate for small x."""
    if x > -1:
        return math.log1p(x)
    return -math.inf if x == -1 else math.nan


def expm1(x):
    """e ** x - 1, accurate for small x."""
    return math.expm1(x) if x < 709.0 else math.inf


def erf(x):
    """The error function 2/√π ∫₀ˣ e^(-t²) dt (the normal distribution's CDF is built on it)."""
    return math.erf(x)


def sigmoid(x):
    """1 / (1 + e ** -x), computed so that neither branch can overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x) if x > -709.0 else 0.0
    return z / (1.0 + z)


def tanh(x):
    """Hyperbolic tangent."""
    return math.tanh(x)


def relu(x):
    """max(x, 0)"""
    return 0.0 if x < 0 else x


def relu6(x):
    """min(max(x, 0), 6)"""
    if x < 0:
        return 0.0
    return 6.0 if x > 6 else x


def elu(x):
    """x for x > 0, e ** x - 1 otherwise."""
    return x if x > 0 else math.expm1(x)


def softplus(x):
    """ln(1 + e ** x), written as max(x, 0) + ln(1 + e ** -|x|) so it never overflows."""
    if x > 0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x)) if x > -709.0 else 0.0


def reciprocal(x):
    """1 / x"""
    return 1.0 / x


def floor(x):
    """Largest integer ≤ x, as a float. Floor division by one does it on every device."""
    return x if math.isinf(x) else x // 1.0


def ceil(x):
    """Smallest integer ≥ x, as a float."""
    return x if math.isinf(x) else -((-x) // 1.0)


def round_(x):
    """Round half to even (banker's rounding), like tf.round and np.rint."""
    if math.isinf(x):
        return x
    below = x // 1.0
    fraction = x - below
    if fraction > 0.5 or (fraction == 0.5 and below % 2.0 == 1.0):
        return below + 1.0
    return below


def sin(x):
    """Sine."""
    return math.sin(x)


def cos(x):
    """Cosine."""
    return math.cos(x)


# --------------------------------------------------------------------------
# Logical (bool)
# --------------------------------------------------------------------------


def logical_not(x):
    """not x"""
    return not x


def logical_and(x, y):
    """x and y"""
    return x and y


def logical_or(x, y):
    """x or y"""
    return x or y


# --------------------------------------------------------------------------
# Binary arithmetic
# --------------------------------------------------------------------------


def add(x, y):
    """x + y"""
    return x + y


def sub(x, y):
    """x - y"""
    return x - y


def mul(x, y):
    """x * y"""
    return x * y


def div(x, y):
    """x / y (real division: ±inf or NaN when y is 0)."""
    return x / y


def floordiv(x, y):
    """floor(x / y) with Python's rules, like TF's FloorDiv. Integers: x // 0 is 0."""
    # numba's `//` (numpy error model) already gives 0 for an integer division
    # by zero instead of raising. x // -1 is spelled out because the smallest
    # int64 divided by -1 overflows; -x wraps around like numpy does.
    if y == -1:
        return -x
    return x // y


def floormod(x, y):
    """x - floor(x / y) * y, with the sign of y, like TF's FloorMod. Integers: x % 0 is 0."""
    return x % y


def pow_(x, y):
    """x ** y"""
    return x ** y


def maximum(x, y):
    """The larger of x and y; NaN if either is NaN (like np.maximum)."""
    return x if (x > y or x != x) else y


def minimum(x, y):
    """The smaller of x and y; NaN if either is NaN."""
    return x if (x < y or x != x) else y


def squared_difference(x, y):
    """(x - y) ** 2"""
    d = x - y
    return d * d


# --------------------------------------------------------------------------
# Comparisons (any dtype in, bool out)
# --------------------------------------------------------------------------


def equal(x, y):
    """x == y"""
    return x == y


def not_equal(x, y):
    """x != y"""
    return x != y


def less(x, y):
    """x < y"""
    return x < y


def less_equal(x, y):
    """x <= y"""
    return x <= y


def greater(x, y):
    """x > y"""
    return x > y


def greater_equal(x, y):
    """x >= y"""
    return x >= y


# --------------------------------------------------------------------------
# Gradient helpers. Argument order follows TensorFlow's *Grad ops:
# (dy, x) for ReluGrad & co, (y, dy) for SigmoidGrad & co.
# --------------------------------------------------------------------------


def relu_grad(dy, x):
    """dy where x > 0, else 0."""
    return dy if x > 0 else 0.0


def relu6_grad(dy, x):
    """dy where 0 < x < 6, else 0."""
    return dy if (x > 0 and x < 6) else 0.0


def elu_grad(dy, y):
    """dy * (y + 1) where the elu output y < 0, else dy (TF's EluGrad takes the output)."""
    return dy * (y + 1.0) if y < 0 else dy


def softplus_grad(dy, x):
    """dy * sigmoid(x)"""
    if x >= 0:
        return dy / (1.0 + math.exp(-x))
    z = math.exp(x) if x > -709.0 else 0.0
    return dy * z / (1.0 + z)


def sigmoid_grad(y, dy):
    """dy * y * (1 - y), from the sigmoid output y."""
    return dy * y * (1.0 - y)


def tanh_grad(y, dy):
    """dy * (1 - y * y), from the tanh output y."""
    return dy * (1.0 - y * y)


def sqrt_grad(y, dy):
    """dy * 0.5 / y, from the sqrt output y."""
    return dy * 0.5 / y


def rsqrt_grad(y, dy):
    """dy * -0.5 * y ** 3, from the rsqrt output y."""
    return dy * -0.5 * y * y * y


def reciprocal_grad(y, dy):
    """-dy * y * y, from the reciprocal output y."""
    return -dy * y * y


# --------------------------------------------------------------------------
# Finishing a reduction: called once per output with the folded value and
# the number of elements folded into it.
# --------------------------------------------------------------------------


def reduced_total(total, count):
    """The folded value itself (sum, prod, max, min, any, all)."""
    return total


def reduced_mean(total, count):
    """total / count. Stored into an integer output the cast truncates, like TF's integer Mean."""
    return total / count if count > 0 else math.nan
