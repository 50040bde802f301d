"""Running sums and products along an axis: ``Cumsum`` and ``Cumprod`` (``tf.cumsum``, ``tf.cumprod``).

``exclusive`` leaves the current element out (the first result is 0 or 1);
``reverse`` runs from the end.  ``reduce_prod``'s gradient is built from two
exclusive products, one from each side, so it stays finite where an input is 0.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from .array_ops import index_tensor, node_suffix
from .constant_op import convert_to_tensor


def _cumulative_infer(ctx):
    x, axis = ctx.shape(0), ctx.const(1)
    if axis is not None and x.ndims is not None:
        a = int(axis)
        if not -x.ndims <= a < x.ndims:
            raise ValueError(f"axis must be in [{-x.ndims}, {x.ndims}), but got {a}")
    return x, ctx.dtype(0)


def _cumulative_kernel(np_fn, identity):
    def factory(op, runtime):
        exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")

        def run(x, axis):
            a = int(axis)
            if not -max(x.ndim, 1) <= a < max(x.ndim, 1):
                raise errors.InvalidArgumentError(None, op, (
                    f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), but got {a}"
                    + node_suffix(op)))
            a %= max(x.ndim, 1)
            if reverse:
                x = np.flip(x, a)
            out = np_fn(x, axis=a, dtype=x.dtype)
            if exclusive:                       # shift by one: element i holds the scan up to i-1
                out = np.concatenate([np.full_like(np.take(x, [0], a), identity),
                                      np.delete(out, -1, a)], axis=a) if x.shape[a] else out
            return np.flip(out, a) if reverse else out
        return run
    return factory


def _cumsum_grad(op, g):
    return [cumsum(g, op.inputs[1], exclusive=op.get_attr("exclusive"),
                   reverse=not op.get_attr("reverse")), None]


def _cumprod_grad(op, g):
    """TF's rule: reverse cumsum of (prod * g), divided by x (inf/nan where x is 0, as in TF)."""
    x, prod = op.inputs[0], op.outputs[0]
    out = cumsum(prod * g, op.inputs[1], exclusive=op.get_attr("exclusive"),
                 reverse=not op.get_attr("reverse"))
    return [out / x, None]              # tf.truediv, through the Tensor operator


_ATTRS = ("exclusive", "reverse", "T", "Tidx")
_TYPES = allowed("x", L.NUMBER) + allowed("axis", L.INDEX, 1, "Tidx")
# CPU kernels only; the axis (input 1) is a host parameter.
register_op("Cumsum", _cumulative_infer, kernel=_cumulative_kernel(np.cumsum, 0), grad=_cumsum_grad,
            attrs=_ATTRS, host_inputs=(1,), num_inputs=2, type_constraints=_TYPES)
register_op("Cumprod", _cumulative_infer, kernel=_cumulative_kernel(np.cumprod, 1), grad=_cumprod_grad,
            attrs=_ATTRS, host_inputs=(1,), num_inputs=2, type_constraints=_TYPES)


def _cumulative(op_type, x, axis, exclusive, reverse, name):
    x = convert_to_tensor(x)
    axis = index_tensor(axis)              # a float tensor axis: the type check refuses it
    return apply_op(op_type, [x, axis], {"exclusive": bool(exclusive), "reverse": bool(reverse),
                                         "T": x.dtype.base_dtype, "Tidx": axis.dtype.base_dtype}, name=name or op_type)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sum along ``axis``: ``cumsum([a, b, c]) = [a, a + b, a + b + c]``."""
    return _cumulative("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running product along ``axis``: ``cumprod([a, b, c]) = [a, a * b, a * b * c]``."""
    return _cumulative("Cumprod", x, axis, exclusive, reverse, name)
