"""Linear algebra ops: ``Qr`` (the QR decomposition, ``tf.linalg.qr``).

``orthogonal_initializer`` needs it: the Q of a random Gaussian matrix is a
random orthogonal matrix.  The kernel is numpy's (LAPACK Householder, like
TF's Eigen kernel); no gradient is registered, initializers need none.
"""

from __future__ import annotations

import numpy as np

from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.tensor_shape import TensorShape
from .array_ops import shape
from .constant_op import convert_to_tensor
from .sequence_ops import eye


def _qr_infer(ctx):
    """a [..., M, N] → q [..., M, K], r [..., K, N] with K = min(M, N) (or M, N when full)."""
    shape, dtype = ctx.shape(0), ctx.dtype(0)
    if shape.ndims is None:
        return [(TensorShape(None), dtype), (TensorShape(None), dtype)]
    if shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {shape.ndims} for '{ctx.name}' "
                         f"(op: 'Qr') with input shapes: {shape}.")
    *batch, m, n = shape.as_list()
    if ctx.attr("full_matrices"):
        k_q, k_r = m, m
    else:
        k_q = k_r = None if m is None or n is None else min(m, n)
    return [(TensorShape(batch + [m, k_q]), dtype), (TensorShape(batch + [k_r, n]), dtype)]


def _qr_kernel(op, runtime):
    mode = "complete" if op.get_attr("full_matrices") else "reduced"

    def run(a):
        q, r = np.linalg.qr(a, mode=mode)
        return q.astype(a.dtype), r.astype(a.dtype)
    return run


register_op("Qr", _qr_infer, kernel=_qr_kernel, attrs=("full_matrices", "T"), differentiable=False,
            type_constraints=allowed("input", L.QR))


def qr(input, full_matrices=False, name=None):  # noqa: A002 (TF's argument name)
    """``(q, r)`` with ``q`` orthonormal columns and ``r`` upper triangular, ``q @ r == input``."""
    a = convert_to_tensor(input, name="input")
    return apply_op("Qr", [a], {"full_matrices": bool(full_matrices), "T": a.dtype.base_dtype},
                    name=name or "Qr")


def _diag_part_infer(ctx):
    shape = ctx.shape(0)
    if shape.ndims is None:
        return TensorShape(None), ctx.dtype(0)
    if shape.ndims != 2:
        raise ValueError(f"minitf's DiagPart takes a matrix; '{ctx.name}' got shape {shape}.")
    n, m = shape.as_list()
    if n is not None and m is not None and n != m:
        raise ValueError(f"Dimensions must be equal, but are {n} and {m} for '{ctx.name}' "
                         f"(op: 'DiagPart') with input shapes: {shape}.")
    return TensorShape([n if n is not None else m]), ctx.dtype(0)


def _diag_part_grad(op, grad):
    """Only the diagonal got used: the gradient is ``grad`` on the diagonal, zero elsewhere."""
    n = shape(op.inputs[0])[0]
    return [eye(n, dtype=grad.dtype.base_dtype) * grad]


register_op("DiagPart", _diag_part_infer, kernel=lambda op, runtime: lambda a: np.diagonal(a).copy(),
            grad=_diag_part_grad, attrs=("T",), type_constraints=allowed("input", L.DIAG_PART))


def diag_part(input, name=None):  # noqa: A002 (TF's argument name)
    """The diagonal of a square matrix."""
    a = convert_to_tensor(input, name="input")
    return apply_op("DiagPart", [a], {"T": a.dtype.base_dtype}, name=name or "DiagPart")
