"""Reductions: ``reduce_sum/mean/max/min/prod/any/all`` and ``argmax/argmin``.

As in TF the axes are a tensor *input* (``reduction_indices``), usually a
constant; the shape function reads it when it is known.
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..framework import dtypes, errors, type_lists as L
from ..framework.op_builder import apply_op, constant_value
from ..framework.registry import allowed, register_op, when_no_axes
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from ..kernels.into import offer
from . import shape_fns
from .array_ops import broadcast_to, cast, index_tensor, node_suffix, rank, reshape, shape, size
from .constant_op import constant, convert_to_tensor
from .cumulative_ops import cumprod
from .kernel_specs import widened_for


def _reduce_kernel(name: str):
    def cpu_kernel(op, runtime):
        reduce_fn, keep = kernels.cpu.reduce(name), op.get_attr("keep_dims")
        last = [None, None, None]       # (axes array, rank, axes tuple): axes are usually constant

        def run(x, axes):
            rank = np.ndim(x)
            if axes is not last[0] or rank != last[1]:
                last[:] = [axes, rank, _axes_tuple(axes, rank, op)]
            return reduce_fn(x, last[2], keep)

        def into(ins, outs):         # a Session plan's specialized form (kernels/into.py)
            (x, axes), (out,) = ins, outs
            if axes.value is None:
                return None              # fed axes: checked at every call
            try:
                return reduce_fn.into_over(x, _axes_tuple(axes.value, len(x.shape), op), keep, out, skipped=1)
            except errors.OpError:
                return None              # bad axes: the plain kernel raises TF's error when run
        return widened_for(op, offer(run, into))

    def gpu_kernel(op, runtime):
        reduce_fn, keep = kernels.gpu.reduce(name), op.get_attr("keep_dims")
        return lambda x, axes: reduce_fn(x, _axes_tuple(axes, len(x.shape), op), keep)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def _axes_tuple(axes, rank: int, op=None) -> tuple:
    """The reduced axes, checked as TF's kernel does (a fed axis may be anything)."""
    seen = set()
    for a in np.asarray(axes).reshape(-1).tolist():
        a = int(a)
        if not -rank <= a < rank:
            raise _invalid(op, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
        if a % rank in seen:
            raise _invalid(op, f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank}")
        seen.add(a % rank)
    return tuple(sorted(seen))


def _invalid(op, message: str):
    return errors.InvalidArgumentError(None, op, message + (node_suffix(op) if op is not None else ""))


# --- gradients ---------------------------------------------------------------------
def _kept_shape(op):
    """The output shape with reduced axes kept as 1 (to broadcast the gradient back)."""
    x, axes = op.inputs
    axes_value = constant_value(axes)
    rank = x.shape.ndims
    if rank is not None and axes_value is not None:
        reduced = set(shape_fns.normalize_axes(axes_value, rank))
        dims = x.shape.dims
        unknown = [i for i, d in enumerate(dims) if d is None and i not in reduced]
        if len(unknown) <= 1:
            return constant([1 if i in reduced else (-1 if d is None else d)
                             for i, d in enumerate(dims)], dtype=dtypes.int32)
        keep_mask = np.array([0 if i in reduced else 1 for i in range(rank)], dtype=np.int32)
        return shape(x) * constant(keep_mask) + constant(1 - keep_mask)
    return shape(reduce_sum(x, axes, keepdims=True))   # rank unknown: let a kept-dims op tell us


def _sum_grad(op, g):
    x = op.inputs[0]
    if not op.get_attr("keep_dims"):
        g = reshape(g, _kept_shape(op))
    return [broadcast_to(g, shape(x)), None]


def _mean_grad(op, g):
    from .math_ops import truediv  # here, not at the top: math_ops imports this module
    sum_grad = _sum_grad(op, g)[0]
    x, y = op.inputs[0], op.outputs[0]
    n_in, n_out = x.shape.num_elements(), y.shape.num_elements()
    if n_in is not None and n_out is not None:
        factor = constant(max(n_in // max(n_out, 1), 1), dtype=sum_grad.dtype)
    else:
        factor = cast(truediv(size(x), _max1(size(y))), sum_grad.dtype)
    return [truediv(sum_grad, factor), None]


def _max1(t):
    from .math_ops import maximum  # here, not at the top: math_ops imports this module
    return maximum(t, 1)


def _minmax_grad(op, g):
    """Split the gradient evenly between the entries that hit the max (TF's rule)."""
    from .math_ops import equal, truediv  # here, not at the top: math_ops imports this module
    x, y = op.inputs[0], op.outputs[0]
    kept = _kept_shape(op) if not op.get_attr("keep_dims") else shape(y)
    y_b = broadcast_to(reshape(y, kept), shape(x))
    indicators = cast(equal(y_b, x), g.dtype)
    count = reshape(reduce_sum(indicators, op.inputs[1], keepdims=True), kept)
    g_b = broadcast_to(reshape(g, kept), shape(x))
    return [truediv(indicators, broadcast_to(count, shape(x))) * g_b, None]


def _prod_grad(op, g):
    """TF's rule: d prod / d x_i = (product of the others), from two exclusive cumprods.

    Dividing prod by x_i would give nan where x_i is 0.  Instead the reduced axes
    are moved to the front and flattened, and each entry gets the product of
    the entries before it times the product of those after it.
    """
    from .array_ops_extra import gather, stack, transpose  # here, not at the top: they import this module
    x, y = op.inputs[0], op.outputs[0]
    kept = _kept_shape(op) if not op.get_attr("keep_dims") else shape(y)
    g_b = broadcast_to(reshape(g, kept), shape(x))
    axes_value, rank = constant_value(op.inputs[1]), x.shape.ndims
    if axes_value is None or rank is None:
        # axes known only at run time: nonzero inputs assumed
        from .math_ops import truediv  # here, not at the top: math_ops imports this module
        return [truediv(g_b * broadcast_to(reshape(y, kept), shape(x)), x), None]
    if rank == 0:
        return [g_b, None]
    reduced = sorted(set(shape_fns.normalize_axes(axes_value, rank)))
    other = [i for i in range(rank) if i not in reduced]
    perm = reduced + other
    x_shape = shape(x)
    reduced_num = reduce_prod(gather(x_shape, constant(reduced, dtype=dtypes.int32)))
    other_num = reduce_prod(gather(x_shape, constant(other, dtype=dtypes.int32)))
    permuted = transpose(x, perm)
    flat = reshape(permuted, stack([reduced_num, other_num]))
    left = cumprod(flat, axis=0, exclusive=True)
    right = cumprod(flat, axis=0, exclusive=True, reverse=True)
    others = reshape(left * right, shape(permuted))
    inverse = [perm.index(i) for i in range(rank)]
    return [g_b * transpose(others, inverse), None]


_REDUCE_ATTRS = ("keep_dims", "T", "Tidx")
_AXES_TYPES = allowed("reduction_indices", L.INDEX, 1, "Tidx")    # TF's allowed dtypes, checked when built
# The axes (input 1) are read on the host; reducing over no axes returns the input.
_REDUCE_FACTS = {"host_inputs": (1,), "forwards_input": when_no_axes, "num_inputs": 2}
register_op("Sum", shape_fns.reduced, grad=_sum_grad, attrs=_REDUCE_ATTRS, **_reduce_kernel("sum"),
            type_constraints=allowed("input", L.NUMBER) + _AXES_TYPES, **_REDUCE_FACTS)
register_op("Mean", shape_fns.reduced, grad=_mean_grad, attrs=_REDUCE_ATTRS, **_reduce_kernel("mean"),
            type_constraints=allowed("input", L.NUMBER) + _AXES_TYPES, **_REDUCE_FACTS)
register_op("Max", shape_fns.reduced, grad=_minmax_grad, attrs=_REDUCE_ATTRS, **_reduce_kernel("max"),
            type_constraints=allowed("input", L.REDUCE_MIN_MAX) + _AXES_TYPES, **_REDUCE_FACTS)
register_op("Min", shape_fns.reduced, grad=_minmax_grad, attrs=_REDUCE_ATTRS, **_reduce_kernel("min"),
            type_constraints=allowed("input", L.REDUCE_MIN_MAX) + _AXES_TYPES, **_REDUCE_FACTS)
register_op("Prod", shape_fns.reduced, grad=_prod_grad, attrs=_REDUCE_ATTRS, **_reduce_kernel("prod"),
            type_constraints=allowed("input", L.NUMBER) + _AXES_TYPES, **_REDUCE_FACTS)
register_op("Any", shape_fns.reduced, differentiable=False, attrs=("keep_dims", "Tidx"),
            **_reduce_kernel("any"), host_inputs=(1,), type_constraints=_AXES_TYPES)
register_op("All", shape_fns.reduced, differentiable=False, attrs=("keep_dims", "Tidx"),
            **_reduce_kernel("all"), host_inputs=(1,), type_constraints=_AXES_TYPES)


def _reduction(op_type: str, default_name: str, x_dtype=None):
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        x = convert_to_tensor(input_tensor, dtype=x_dtype)
        if axis is None:
            axis = reduction_indices
        keep = bool(keepdims if keepdims is not None else (keep_dims or False))
        attrs = {"keep_dims": keep, "Tidx": dtypes.int32}
        if axis is None:            # all axes: a Const built beside the op, as TF 1.x's _ReductionDims
            return apply_op(op_type, [x, _all_axes(x)], attrs, name=name or default_name)
        # given axes become the op's input "reduction_indices", named inside its scope as TF names it
        with name_scope(name, default_name) as scope:
            axes = index_tensor(axis, name="reduction_indices")
            return apply_op(op_type, [x, axes], attrs, name=scope or None)
    fn.__name__ = default_name
    fn.__doc__ = f"Reduce with {op_type} over ``axis`` (all axes when None)."
    return fn


def _all_axes(x):
    """The axes input when no axis is given: all of them (TF1 ``_ReductionDims``)."""
    if x.shape.ndims is not None:
        return constant(np.arange(x.shape.ndims, dtype=np.int32))
    from .array_ops_extra import range as tf_range  # here, not at the top: array_ops_extra imports this module
    return tf_range(0, rank(x), 1)


reduce_sum = _reduction("Sum", "Sum")
reduce_mean = _reduction("Mean", "Mean")
reduce_max = _reduction("Max", "Max")
reduce_min = _reduction("Min", "Min")
reduce_prod = _reduction("Prod", "Prod")
reduce_any = _reduction("Any", "Any", x_dtype=dtypes.bool)
reduce_all = _reduction("All", "All", x_dtype=dtypes.bool)


# --- ArgMax / ArgMin ------------------------------------------------------------------
def _arg_infer(ctx):
    shape, axis = ctx.shape(0), ctx.const(1)
    out_type = ctx.attr("output_type")
    if shape.ndims is None or axis is None:
        return unknown_shape(None if shape.ndims is None else shape.ndims - 1), out_type
    axis = int(axis)
    if not -shape.ndims <= axis < shape.ndims:
        raise ValueError(f"Expected dimension in the range [{-shape.ndims}, {shape.ndims}), but got {axis}")
    axis %= shape.ndims
    return TensorShape([d for i, d in enumerate(shape.dims) if i != axis]), out_type


def _arg_kernel(name: str):
    def cpu_kernel(op, runtime):
        arg_fn, out = kernels.cpu.argreduce(name), op.get_attr("output_type").np_dtype
        return lambda x, axis: arg_fn(x, _arg_axis(op, axis, np.ndim(x))).astype(out, copy=False)

    def gpu_kernel(op, runtime):
        arg_fn = kernels.gpu.argreduce(name)
        return lambda x, axis: arg_fn(x, _arg_axis(op, axis, len(x.shape)))
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def _arg_axis(op, axis, rank: int) -> int:
    """A fed axis, checked with TF's words."""
    a = int(axis)
    if not -rank <= a < rank:
        raise _invalid(op, f"Expected dimension in the range [{-rank}, {rank}), but got {a}")
    return a % rank


register_op("ArgMax", _arg_infer, differentiable=False, attrs=("T", "Tidx", "output_type"),
            **_arg_kernel("argmax"), host_inputs=(1,),
            type_constraints=allowed("input", L.ARG_MIN_MAX) + allowed("dimension", L.INDEX_WITH_INT16, 1, "Tidx"))
register_op("ArgMin", _arg_infer, differentiable=False, attrs=("T", "Tidx", "output_type"),
            **_arg_kernel("argmin"), host_inputs=(1,),
            type_constraints=allowed("input", L.ARG_MIN_MAX) + allowed("dimension", L.INDEX, 1, "Tidx"))


def _arg(op_type: str, default_name: str):
    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
        if axis is None:
            axis = 0 if dimension is None else dimension
        x = convert_to_tensor(input)
        a = convert_to_tensor(axis, dtype=dtypes.int32)
        return apply_op(op_type, [x, a], {"Tidx": dtypes.int32,
                                          "output_type": dtypes.as_dtype(output_type)},
                        name=name or default_name)
    fn.__name__ = default_name
    fn.__doc__ = f"Index of the {op_type[3:].lower()} value along ``axis``."
    return fn


argmax = _arg("ArgMax", "ArgMax")
argmin = _arg("ArgMin", "ArgMin")
arg_max = argmax
arg_min = argmin
