"""Python indexing of tensors: ``x[1:, ::2, tf.newaxis, ..., 0]`` is one ``StridedSlice`` op.

TensorFlow encodes an index expression as three int vectors (``begin``,
``end``, ``strides``) plus five bit masks, one bit per index item:

* ``begin_mask`` / ``end_mask``  the start / stop was left out (``:5``, ``2:``);
* ``ellipsis_mask``              the item is ``...``;
* ``new_axis_mask``              the item is ``tf.newaxis`` (``None``);
* ``shrink_axis_mask``           the item is a single index: that axis disappears.

The kernel turns the vectors and masks back into a Python index tuple and lets
numpy do the slicing: numpy's rules (clamping, negative steps) are TF's.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_ops import ones_like, shape
from .concat_split_ops import stack
from .constant_op import constant, convert_to_tensor

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
_ATTRS = ("T", "Index") + _MASKS


class _Unknown:
    """An index item whose value is not known while the graph is built."""


_UNKNOWN_INT, _UNKNOWN_SLICE = _Unknown(), _Unknown()


# --- from (begin, end, strides, masks) to a Python index tuple ----------------------
def index_items(begin, end, strides, attrs: dict) -> tuple:
    """The Python index tuple the vectors and masks stand for.

    ``begin``/``end``/``strides`` may be None (not known yet): the items are
    then ``_UNKNOWN_*`` placeholders, enough to work out the output rank.
    """
    n = len(begin) if begin is not None else attrs["_n"]
    items = []
    for i in range(n):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            items.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            items.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            items.append(_UNKNOWN_INT if begin is None else int(begin[i]))
        elif begin is None or end is None or strides is None:
            items.append(_UNKNOWN_SLICE)
        else:
            if int(strides[i]) == 0:
                raise ValueError(f"strides[{i}] must be non-zero")
            start = None if attrs["begin_mask"] & bit else int(begin[i])
            stop = None if attrs["end_mask"] & bit else int(end[i])
            items.append(slice(start, stop, int(strides[i])))
    if sum(it is Ellipsis for it in items) > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    return tuple(items)


def sliced_dims(dims: list, items: tuple) -> list:
    """The dims of ``x[items]`` for an ``x`` with ``dims`` (None where unknown)."""
    consumed = sum(1 for it in items if it is not None and it is not Ellipsis)
    if consumed > len(dims):
        raise ValueError(f"Index out of range using input dim {len(dims)}; "
                         f"input has only {len(dims)} dims")
    if not any(it is Ellipsis for it in items):
        items = items + (Ellipsis,)          # trailing axes are taken whole
    out, axis = [], 0
    for it in items:
        if it is Ellipsis:
            n = len(dims) - consumed
            out += dims[axis:axis + n]
            axis += n
        elif it is None:
            out.append(1)
        elif it is _UNKNOWN_INT or isinstance(it, int):
            _check_in_bounds(it, dims[axis], axis)
            axis += 1
        else:
            size = dims[axis]
            known = size is not None and it is not _UNKNOWN_SLICE
            out.append(len(range(*it.indices(size))) if known else None)
            axis += 1
    return out


def _check_in_bounds(index, size, axis):
    if isinstance(index, int) and size is not None and not -size <= index < size:
        raise ValueError(f"slice index {index} of dimension {axis} out of bounds.")


# --- StridedSlice and its gradient op ------------------------------------------------
def _vector(ctx, i):
    value = ctx.const(i)
    return None if value is None else [int(v) for v in np.asarray(value).reshape(-1)]


def _spec_length(ctx, i):
    shape = ctx.shape(i)
    return shape[0] if shape.ndims == 1 else None


def _strided_slice_infer(ctx):
    x = ctx.shape(0)
    n = _spec_length(ctx, 1)
    if x.ndims is None or n is None:
        return unknown_shape(), ctx.dtype(0)
    attrs = {m: ctx.attr(m, 0) for m in _MASKS}
    attrs["_n"] = n
    items = index_items(_vector(ctx, 1), _vector(ctx, 2), _vector(ctx, 3), attrs)
    return TensorShape(sliced_dims(x.dims, items)), ctx.dtype(0)


def _attrs_of(op) -> dict:
    return {m: op.get_attr(m) for m in _MASKS}


def _strided_slice_kernel(op, runtime):
    attrs = _attrs_of(op)

    def strided_slice_fn(x, begin, end, strides):
        items = index_items(begin, end, strides, attrs)
        try:
            return np.asarray(x[items])
        except IndexError:
            raise errors.InvalidArgumentError(None, op, _bounds_message(x, items)) from None
    return strided_slice_fn


def _bounds_message(x, items) -> str:
    for axis, it in enumerate(i for i in items if i is not None and i is not Ellipsis):
        if isinstance(it, int) and not -x.shape[axis] <= it < x.shape[axis]:
            return f"slice index {it} of dimension {axis} out of bounds."
    return f"Index out of range using input dim {x.ndim}; input has only {x.ndim} dims"


def _strided_slice_grad(op, grad):
    """Scatter the gradient back into zeros of the input's shape (StridedSliceGrad)."""
    x, begin, end, strides = op.inputs
    # T is dy's dtype: left out, apply_op would take input 0's (the int shape) and TF refuses the node.
    attrs = dict(_attrs_of(op), Index=begin.dtype.base_dtype, T=grad.dtype.base_dtype)
    dx = apply_op("StridedSliceGrad", [shape(x, out_type=begin.dtype.base_dtype), begin, end, strides,
                                       grad], attrs, name="StridedSliceGrad")
    return [dx, None, None, None]


def _strided_slice_grad_infer(ctx):
    dims = _vector(ctx, 0)
    if dims is None:
        return unknown_shape(_spec_length(ctx, 0)), ctx.dtype(4)
    return TensorShape(dims), ctx.dtype(4)


def _strided_slice_grad_kernel(op, runtime):
    attrs = _attrs_of(op)

    def strided_slice_grad_fn(shape, begin, end, strides, dy):
        dx = np.zeros(tuple(int(d) for d in shape), dtype=dy.dtype)
        dx[index_items(begin, end, strides, attrs)] = dy
        return dx
    return strided_slice_grad_fn


def _strided_slice_grad_grad(op, grad):
    """StridedSliceGrad is linear in dy: its gradient slices the incoming gradient."""
    _, begin, end, strides, _ = op.inputs
    return [None, None, None, None, strided_slice(grad, begin, end, strides, **_attrs_of(op))]


register_op("StridedSlice", _strided_slice_infer, kernel=_strided_slice_kernel, attrs=_ATTRS,
            aliases_input=True, grad=_strided_slice_grad,
            type_constraints=allowed("begin", L.INDEX_WITH_INT16, 1, "Index"))
register_op("StridedSliceGrad", _strided_slice_grad_infer, kernel=_strided_slice_grad_kernel,
            attrs=_ATTRS, grad=_strided_slice_grad_grad, type_constraints=allowed("shape", L.INDEX, 0, "Index"))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """``input_[begin:end:strides]`` per axis, with TF's masks (see the module docstring)."""
    x = convert_to_tensor(input_)
    begin = convert_to_tensor(begin, dtype=dtypes.int32) if not isinstance(begin, Tensor) else begin
    end = convert_to_tensor(end, dtype=begin.dtype.base_dtype)
    if strides is None:
        strides = ones_like(begin)
    strides = convert_to_tensor(strides, dtype=begin.dtype.base_dtype)
    attrs = {"Index": begin.dtype.base_dtype, "begin_mask": begin_mask, "end_mask": end_mask,
             "ellipsis_mask": ellipsis_mask, "new_axis_mask": new_axis_mask,
             "shrink_axis_mask": shrink_axis_mask}
    return apply_op("StridedSlice", [x, begin, end, strides], attrs, name=name or "StridedSlice")


# --- Tensor.__getitem__ -------------------------------------------------------------------
_INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                "tf.int32/tf.int64 tensors are valid indices, got {!r}")


def _check_index(idx):
    """Reject index items TF 1.x does not accept (lists, floats, non-scalar tensors)."""
    if isinstance(idx, (int, np.integer)) and not isinstance(idx, bool):
        return
    if isinstance(idx, Tensor) and idx.dtype.base_dtype in (dtypes.int32, dtypes.int64) \
            and idx.shape.ndims in (0, None):
        return
    raise TypeError(_INDEX_ERROR.format(idx))


def slice_helper(tensor, slice_spec):
    """``tensor[slice_spec]``: one StridedSlice whose vectors and masks encode the index."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]             # TF 1.x reads a list as several index items
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for i, item in enumerate(slice_spec):
        b, e, step, mask_names = _encode(item)
        begin.append(b)
        end.append(e)
        strides.append(step)
        for m in mask_names:
            masks[m] |= 1 << i
    with name_scope(None, "strided_slice") as scope:
        if begin:
            packed = [_pack(begin), _pack(end), _pack(strides)]
        else:                                 # x[()]: no index items at all
            packed = [constant([], dtype=dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, **masks)


def _encode(item):
    """One index item as (begin, end, stride, names of the masks whose bit it sets)."""
    if isinstance(item, slice):
        masks = [m for m, v in (("begin_mask", item.start), ("end_mask", item.stop)) if v is None]
        start = 0 if item.start is None else _checked(item.start)
        stop = 0 if item.stop is None else _checked(item.stop)
        step = 1 if item.step is None else _checked(item.step)
        return start, stop, step, masks
    if item is Ellipsis:
        return 0, 0, 1, ["ellipsis_mask"]
    if item is None:                          # tf.newaxis
        return 0, 0, 1, ["new_axis_mask"]
    return _checked(item), item + 1, 1, ["shrink_axis_mask"]


def _checked(value):
    _check_index(value)
    return value


def _pack(values):
    """One int vector from Python ints and scalar tensors (a Const when all are ints)."""
    if not any(isinstance(v, Tensor) for v in values):
        return constant(np.array(values, dtype=np.int32 if _fits_int32(values) else np.int64),
                        name="stack")
    if any(isinstance(v, Tensor) and v.dtype.base_dtype is dtypes.int64 for v in values):
        values = [convert_to_tensor(v, dtype=dtypes.int64) for v in values]
    return stack(values)


def _fits_int32(values) -> bool:
    return all(-2**31 <= int(v) < 2**31 for v in values)


def install_getitem(cls) -> None:
    """Give ``cls`` (Tensor, EagerTensor) TF's indexing: ``x[...]`` builds a StridedSlice."""
    cls.__getitem__ = slice_helper


install_getitem(Tensor)
