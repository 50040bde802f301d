"""Math built from other ops: ``erf``, ``reduce_logsumexp``, ``count_nonzero``, ``tensordot``, ``einsum``.

Only ``Erf`` is an op of its own (an elementwise kernel from the kernel
library, CPU and GPU).  The others are composed of ops that already exist,
exactly as TensorFlow 1.x composes them, so a GraphDef written here holds the
same node types TF's would, and their gradients come from the parts.
``tensordot`` and ``einsum`` both come down to transpose → reshape → matmul:
line the summed axes up at the end of one matrix and the start of the other,
multiply, and reshape the result back.
"""

from __future__ import annotations

import math

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from . import kernel_specs as K, shape_fns
from .array_ops import cast, reshape, shape, stop_gradient, zeros_like
from .constant_op import constant, convert_to_tensor
from .math_ops import exp, log, not_equal, where
from .matmul_op import matmul
from .numerics_ops import is_finite
from .reduction_ops import reduce_max, reduce_prod, reduce_sum
from .reshape_ops import transpose


# --- Erf ------------------------------------------------------------------------------------------
def _erf_grad(op, g):
    """d/dx erf(x) = 2/√π · e^(-x²)."""
    x = op.inputs[0]
    return [g * (2.0 / math.sqrt(math.pi)) * exp(-(x * x))]


register_op("Erf", shape_fns.unchanged, grad=_erf_grad, attrs=("T",), num_inputs=1, **K.unary("erf"),
            type_constraints=allowed("x", L.FLOAT_ROUNDING))


def erf(x, name=None):
    """The Gauss error function, elementwise (floats)."""
    x = convert_to_tensor(x, name="x")
    return apply_op("Erf", [x], name=name or "Erf")


# --- reductions built from others --------------------------------------------------------------------
def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) over ``axis``, computed as max + log(sum(exp(x - max))) so it cannot overflow.

    The max is held constant for the gradient (TF's ``stop_gradient``): the
    result does not depend on it, so its gradient would only add rounding noise.
    """
    keep = bool(keepdims if keepdims is not None else (keep_dims or False))
    axis = reduction_indices if axis is None else axis
    with name_scope(name, "ReduceLogSumExp"):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        raw_max = reduce_max(x, axis, keepdims=True)
        my_max = stop_gradient(where(is_finite(raw_max), raw_max, zeros_like(raw_max)))
        result = log(reduce_sum(exp(x - my_max), axis, keepdims=keep))
        if not keep:
            my_max = reshape(my_max, shape(result))
        return result + my_max


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """How many entries are not zero along ``axis`` (int64 by default, as TF)."""
    keep = bool(keepdims if keepdims is not None else (keep_dims or False))
    axis = reduction_indices if axis is None else axis
    with name_scope(name, "count_nonzero"):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = constant(np.zeros((), x.dtype.np_dtype), name="zero")
        counted = reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis, keepdims=keep)
        return cast(counted, dtype)


# --- tensordot ----------------------------------------------------------------------------------------
def _dims(t) -> list:
    """t's dimensions: ints where the static shape knows them, scalar tensors where it does not."""
    if t.shape.ndims is None:
        raise ValueError(f"tensordot and einsum need operands of known rank, got {t.name} of unknown rank")
    dynamic = None
    dims = []
    for i, d in enumerate(t.shape.dims):
        if d is None:
            dynamic = shape(t) if dynamic is None else dynamic
            d = dynamic[i]
        dims.append(d)
    return dims


def _product(dims):
    """The product of a list of dims (an int when all are known)."""
    if all(isinstance(d, int) for d in dims):
        return int(np.prod(dims, dtype=np.int64))
    return reduce_prod([d for d in dims], name="Prod")


def _as_matrix(t, rows: list, cols: list):
    """Transpose axes ``rows + cols`` to the front/back and flatten each group into one dimension."""
    dims = _dims(t)
    perm = rows + cols
    if perm != list(range(len(dims))):
        t = transpose(t, perm)
    return reshape(t, [_product([dims[i] for i in rows]), _product([dims[i] for i in cols])])


def _tensordot_axes(a, b, axes):
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        ra, rb = a.shape.ndims, b.shape.ndims
        if n < 0:
            raise ValueError("'axes' must be at least 0.")
        if n > ra or n > rb:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of tensor {a.name}.")
        return list(range(ra - n, ra)), list(range(n))
    a_axes, b_axes = axes
    a_axes = [int(a_axes)] if np.ndim(a_axes) == 0 else [int(i) for i in a_axes]
    b_axes = [int(b_axes)] if np.ndim(b_axes) == 0 else [int(i) for i in b_axes]
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', {len(a_axes)} != {len(b_axes)}.")
    return ([i % a.shape.ndims for i in a_axes], [i % b.shape.ndims for i in b_axes])


def tensordot(a, b, axes, name=None):
    """Sum of products over ``axes`` of ``a`` and ``b`` (numpy's tensordot), as one matmul."""
    with name_scope(name, "Tensordot"):
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b", dtype=a.dtype.base_dtype)
        a_dims, b_dims = _dims(a), _dims(b)          # both ranks must be known
        a_axes, b_axes = _tensordot_axes(a, b, axes)
        a_free = [i for i in range(a.shape.ndims) if i not in a_axes]
        b_free = [i for i in range(b.shape.ndims) if i not in b_axes]
        product = matmul(_as_matrix(a, a_free, a_axes), _as_matrix(b, b_axes, b_free))
        out_dims = [a_dims[i] for i in a_free] + [b_dims[i] for i in b_free]
        return reshape(product, out_dims if out_dims else [])


# --- einsum -------------------------------------------------------------------------------------------
def _parse(equation: str, n_operands: int):
    if "..." in equation:
        raise ValueError("minitf's einsum does not take ellipses ('...'): write the axes out")
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != n_operands:
        raise ValueError(f"Got {n_operands} arguments for equation \"{equation}\", expecting {len(terms)}")
    if not arrow:        # implicit output: the letters used once, in alphabetical order
        output = "".join(sorted(c for c in set(inputs) - {","} if inputs.count(c) == 1))
    for term in terms + [output]:
        if not term.isalpha() and term:
            raise ValueError(f"Invalid einsum subscripts \"{equation}\": only letters are allowed")
        if len(set(term)) != len(term):
            raise ValueError(f"Subscript with a repeated letter in \"{equation}\" (a diagonal) is not "
                             "supported by minitf's einsum")
    missing = set(output) - set(inputs)
    if missing:
        raise ValueError(f"Output subscripts {''.join(sorted(missing))} do not appear in the inputs "
                         f"of \"{equation}\"")
    return terms, output


def _sum_out(t, subs: str, keep: str):
    """Sum ``t`` over the letters of ``subs`` that are not in ``keep``."""
    gone = [i for i, c in enumerate(subs) if c not in keep]
    if not gone:
        return t, subs
    return reduce_sum(t, gone), "".join(c for c in subs if c in keep)


def _arrange(t, subs: str, target: str):
    """Transpose ``t`` from letter order ``subs`` to ``target``."""
    if subs == target:
        return t
    return transpose(t, [subs.index(c) for c in target])


def _contract(a, sa: str, b, sb: str, keep: str):
    """Multiply two operands, summing the shared letters not in ``keep``: one (batch) matmul."""
    a, sa = _sum_out(a, sa, keep + sb)
    b, sb = _sum_out(b, sb, keep + sa)
    batch = [c for c in sa if c in sb and c in keep]
    summed = [c for c in sa if c in sb and c not in keep]
    a_free = [c for c in sa if c not in sb]
    b_free = [c for c in sb if c not in sa]
    a_dims = dict(zip(sa, _dims(a)))
    b_dims = dict(zip(sb, _dims(b)))
    batch_dims = [a_dims[c] for c in batch]

    def grouped(t, subs, dims, first, second):
        t = _arrange(t, subs, "".join(batch + first + second))
        return reshape(t, batch_dims + [_product([dims[c] for c in first]),
                                        _product([dims[c] for c in second])])

    product = matmul(grouped(a, sa, a_dims, a_free, summed), grouped(b, sb, b_dims, summed, b_free))
    out_dims = batch_dims + [a_dims[c] for c in a_free] + [b_dims[c] for c in b_free]
    return reshape(product, out_dims if out_dims else []), "".join(batch + a_free + b_free)


def einsum(equation: str, *inputs, name=None, **kwargs):
    """Einstein summation over the operands ("ij,jk->ik" is a matmul), built from transpose/reshape/matmul.

    Operands are combined left to right, each pair by one (batch) matmul;
    letters seen only in one operand and not in the output are summed first.
    """
    if kwargs:
        raise TypeError(f"invalid keyword arguments for einsum: {', '.join(sorted(kwargs))}")
    terms, output = _parse(equation, len(inputs))
    with name_scope(name, "einsum"):
        tensors = [convert_to_tensor(t, name="input") for t in inputs]
        for t, subs in zip(tensors, terms):
            if t.shape.ndims is not None and t.shape.ndims != len(subs):
                raise ValueError(f"Input {t.name} has rank {t.shape.ndims} but its subscripts "
                                 f"\"{subs}\" name {len(subs)} axes")
        result, subs = tensors[0], terms[0]
        for i in range(1, len(tensors)):
            later = "".join(terms[i + 1:]) + output
            result, subs = _contract(result, subs, tensors[i], terms[i], later)
        result, subs = _sum_out(result, subs, output)
        return _arrange(result, subs, output)

