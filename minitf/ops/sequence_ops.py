"""Tensors made from a few numbers: Range, LinSpace, eye."""

from __future__ import annotations

import builtins

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape
from .array_helpers import const_int, is_tensor_like, runtime_error
from .array_ops import broadcast_to, cast, identity, shape
from .concat_split_ops import concat
from .constant_op import _numpy_value, convert_to_tensor
from .math_ops import equal
from .reshape_ops import expand_dims


# --- Range, LinSpace, eye ------------------------------------------------------------------------
def _range_length(start, limit, delta) -> int:
    """How many values ``range`` yields, checked with TF's messages."""
    if delta == 0:
        raise ValueError("Requires delta != 0: 0")
    if delta > 0 and start > limit:
        raise ValueError(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise ValueError(f"Requires start >= limit when delta < 0: {start}/{limit}")
    return int(np.ceil(abs((limit - start) / delta)))


def _range_infer(ctx):
    args = [ctx.const(i) for i in builtins.range(3)]
    if any(a is None for a in args):
        return TensorShape([None]), ctx.attr("Tidx")
    return TensorShape([_range_length(*[a.item() for a in args])]), ctx.attr("Tidx")


def _range_kernel(op, runtime):
    dtype = op.get_attr("Tidx").np_dtype

    def range_fn(start, limit, delta):
        try:
            n = _range_length(start.item(), limit.item(), delta.item())
        except ValueError as e:
            raise runtime_error(op, str(e)) from None
        return (start + delta * np.arange(n)).astype(dtype)
    return range_fn


register_op("Range", _range_infer, kernel=_range_kernel, attrs=("Tidx",), differentiable=False,
            type_constraints=allowed("start", L.RANGE, 0, "Tidx"))

_RANGE_TYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """``[start, start + delta, ...]`` up to but not including ``limit`` (like Python's)."""
    if limit is None:
        start, limit = 0, start
    args = {"start": start, "limit": limit, "delta": delta}
    with name_scope(name, "Range") as scope:
        if dtype is None:     # the widest of the three, as TF infers it
            dtype = max((_dtype_of(v) for v in args.values()), key=_RANGE_TYPES.index)
        dtype = dtypes.as_dtype(dtype)
        tensors = [cast(v, dtype) if is_tensor_like(v) else convert_to_tensor(v, dtype=dtype, name=n)
                   for n, v in args.items()]
        return apply_op("Range", tensors, {"Tidx": dtype}, name=scope)


def _dtype_of(value) -> dtypes.DType:
    """The dtype ``value`` would get as a tensor (Python ints int32, floats float32)."""
    if is_tensor_like(value):
        return convert_to_tensor(value).dtype.base_dtype
    return dtypes.as_dtype(_numpy_value(value, None).dtype)


def _linspace_infer(ctx):
    num = const_int(ctx, 2)
    if num is not None and num <= 0:
        raise ValueError(f"Requires num > 0: {num}")
    return TensorShape([num]), ctx.dtype(0)


register_op("LinSpace", _linspace_infer, attrs=("T", "Tidx"), differentiable=False,
            kernel=lambda op, rt: (lambda start, stop, num: np.linspace(start, stop, int(num))
                                   .astype(start.dtype)),
            type_constraints=allowed("start", L.FLOAT_ROUNDING) + allowed("num", L.INDEX, 2, "Tidx"))


def linspace(start, stop, num, name=None):
    """``num`` evenly spaced values from ``start`` to ``stop``, both included."""
    s = convert_to_tensor(start)
    e = convert_to_tensor(stop, dtype=s.dtype.base_dtype)
    n = convert_to_tensor(num, dtype=dtypes.int32)
    return apply_op("LinSpace", [s, e, n], {"Tidx": n.dtype.base_dtype}, name=name or "LinSpace")


lin_space = linspace


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """The identity matrix: ones where the row index equals the column index."""
    with name_scope(name, "eye") as scope:
        cols = num_rows if num_columns is None else num_columns
        rows = expand_dims(range(0, num_rows), 1)
        matrix = cast(equal(rows, range(0, cols)), dtype)
        if batch_shape is None:
            return identity(matrix, name=scope)
        if isinstance(batch_shape, (list, tuple)) and matrix.shape.is_fully_defined():
            target = list(batch_shape) + matrix.shape.as_list()     # keeps the static shape
        else:
            target = concat([convert_to_tensor(batch_shape, dtype=dtypes.int32), shape(matrix)], 0)
        return broadcast_to(matrix, target, name=scope)
