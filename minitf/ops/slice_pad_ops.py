"""Slice and Pad: cutting a block out of a tensor, and putting a border around one.

Each is the other's gradient: the gradient of a slice is the incoming
gradient padded with zeros back to the input's shape, and the gradient of a
pad is the slice of the incoming gradient where the input was.
"""

from __future__ import annotations

import builtins

import numpy as np

from ..framework import dtypes, type_lists as L
from ..framework.op_builder import apply_op
from ..framework.registry import allowed, register_op
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import const_ints, runtime_error
from .array_ops import rank, reshape, shape
from .concat_split_ops import concat, stack
from .constant_op import convert_to_tensor


# --- Slice --------------------------------------------------------------------------------------
def _slice_sizes(begin, size, dims):
    """Check begin/size against known dims; -1 sizes become 'to the end'."""
    out = []
    for i, (b, s, d) in enumerate(zip(begin, size, dims)):
        if d is not None and not 0 <= b <= d:
            raise ValueError(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if s == -1:
            out.append(None if d is None else d - b)
            continue
        if s < 0 or (d is not None and b + s > d):
            raise ValueError(f"Expected size[{i}] in [0, {'?' if d is None else d - b}], but got {s}")
        out.append(s)
    return out


def _slice_infer(ctx):
    x, begin, size = ctx.shape(0), const_ints(ctx, 1), const_ints(ctx, 2)
    n = ctx.shape(1)[0] if ctx.shape(1).ndims == 1 else None
    if x.ndims is not None and n is not None and n != x.ndims:
        raise ValueError(f"Shape must be rank {n} but is rank {x.ndims}")
    if x.ndims is None or size is None:
        return unknown_shape(x.ndims if x.ndims is not None else n), ctx.dtype(0)
    if begin is None:
        return TensorShape([None if s == -1 else s for s in size]), ctx.dtype(0)
    return TensorShape(_slice_sizes(begin, size, x.dims)), ctx.dtype(0)


def _slice_kernel(op, runtime):
    def slice_fn(x, begin, size):
        begin, size = [int(b) for b in begin], [int(s) for s in size]
        try:
            size = _slice_sizes(begin, size, list(x.shape))
        except ValueError as e:
            raise runtime_error(op, str(e)) from None
        return x[tuple(builtins.slice(b, b + s) for b, s in zip(begin, size))]
    return slice_fn


def _slice_grad(op, grad):
    """Pad the gradient with zeros back to the input's shape (TF's recipe)."""
    x, begin = op.inputs[0], op.inputs[1]
    column = stack([rank(x), 1])
    before = reshape(begin, column)
    after = reshape(shape(x) - shape(op.outputs[0]) - begin, column)
    return [pad(grad, concat([before, after], 1)), None, None]


register_op("Slice", _slice_infer, kernel=_slice_kernel, attrs=("T", "Index"), aliases_input=True,
            type_constraints=allowed("begin", L.INDEX, 1, "Index"),
            grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    """The block of ``input_`` that starts at ``begin`` with extent ``size`` (-1: to the end)."""
    x = convert_to_tensor(input_)
    b = convert_to_tensor(begin, dtype=dtypes.int32) if not isinstance(begin, Tensor) else begin
    s = convert_to_tensor(size, dtype=b.dtype.base_dtype)
    return apply_op("Slice", [x, b, s], {"Index": b.dtype.base_dtype}, name=name or "Slice")


# --- Pad, PadV2 (with a constant other than 0) ----------------------------------------------------
def _pad_infer(ctx):
    x, pads = ctx.shape(0), ctx.const(1)
    p = ctx.shape(1)
    if p.ndims is not None and p.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {p.ndims}")
    if p.ndims == 2 and p.dims[1] not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {p.dims[1]}")
    rank = x.ndims if x.ndims is not None else (p.dims[0] if p.ndims == 2 else None)
    if x.ndims is not None and p.ndims == 2 and p.dims[0] not in (None, x.ndims):
        raise ValueError(f"Dimensions must be equal, but are {x.ndims} and {p.dims[0]}")
    if x.ndims is None or pads is None:
        return unknown_shape(rank), ctx.dtype(0)
    pads = np.asarray(pads).reshape(-1, 2)
    if (pads < 0).any():
        raise ValueError(f"Paddings must be non-negative: {pads.min()}")
    return TensorShape([None if d is None else d + int(a) + int(b)
                        for d, (a, b) in zip(x.dims, pads)]), ctx.dtype(0)


def _pad_kernel(op, runtime):
    def pad_fn(x, paddings, constant_values=0):
        return np.pad(x, np.asarray(paddings).reshape(-1, 2), constant_values=constant_values)
    return pad_fn


def _pad_grad(op, grad):
    """Slice the padded gradient back to the input's block."""
    x, paddings = op.inputs[0], op.inputs[1]
    before = slice(paddings, [0, 0], stack([rank(x), 1]))
    grad_x = slice(grad, reshape(before, [-1]), shape(x, out_type=paddings.dtype.base_dtype))
    return [grad_x] + [None] * (len(op.inputs) - 1)


register_op("Pad", _pad_infer, kernel=_pad_kernel, attrs=("T", "Tpaddings"), grad=_pad_grad,
            type_constraints=allowed("paddings", L.INDEX, 1, "Tpaddings"))
register_op("PadV2", _pad_infer, kernel=_pad_kernel, attrs=("T", "Tpaddings"), grad=_pad_grad,
            type_constraints=allowed("paddings", L.INDEX, 1, "Tpaddings"))


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Add ``paddings[i] = [before, after]`` values around axis i."""
    if mode.upper() != "CONSTANT":
        if mode.upper() in ("REFLECT", "SYMMETRIC"):
            raise NotImplementedError(f"minitf implements CONSTANT padding only, not {mode}")
        raise ValueError(f"Unknown padding mode: {mode}")
    x = convert_to_tensor(tensor)
    p = convert_to_tensor(paddings, dtype=dtypes.int32) if not isinstance(paddings, Tensor) else paddings
    attrs = {"Tpaddings": p.dtype.base_dtype}
    if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
        return apply_op("Pad", [x, p], attrs, name=name or "Pad")
    c = convert_to_tensor(constant_values, dtype=x.dtype.base_dtype)
    return apply_op("PadV2", [x, p, c], attrs, name=name or "PadV2")
