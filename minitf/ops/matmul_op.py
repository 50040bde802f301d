"""Matrix product: ``MatMul`` (2-D) and ``BatchMatMulV2`` (batched, broadcasting).

On the CPU the kernel is BLAS through numpy (fastest by far); a readable tiled
numba kernel can be selected for teaching (``minitf.kernels.config``).
"""

from __future__ import annotations

from .. import kernels
from ..framework import type_lists as L
from ..framework.op_builder import apply_op, shape_text
from ..framework.registry import allowed, register_op
from ..kernels.into import offer
from ..framework.tensor_shape import TensorShape, broadcast_static, unknown_shape
from .array_ops import broadcast_gradient_args, reshape, shape
from .constant_op import convert_to_tensor
from .math_ops import _binary_inputs
from .reduction_ops import reduce_sum


def _check_inner(a_inner, b_inner):
    if a_inner is not None and b_inner is not None and a_inner != b_inner:
        raise ValueError(f"Dimensions must be equal, but are {a_inner} and {b_inner}")


def _matmul_infer(ctx):
    a, b = ctx.shape(0), ctx.shape(1)
    _same_type(ctx, "a", "b")
    for s in (a, b):
        if s.ndims is not None and s.ndims != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {s.ndims}")
    if a.ndims is None or b.ndims is None:
        return unknown_shape(2), ctx.dtype(0)
    ta, tb = ctx.attr("transpose_a", False), ctx.attr("transpose_b", False)
    m, ka = (a[1], a[0]) if ta else (a[0], a[1])
    kb, n = (b[1], b[0]) if tb else (b[0], b[1])
    _check_inner(ka, kb)
    return TensorShape([m, n]), ctx.dtype(0)


def _batch_matmul_infer(ctx):
    a, b = ctx.shape(0), ctx.shape(1)
    _same_type(ctx, "x", "y")
    if a.ndims is None or b.ndims is None:
        return unknown_shape(), ctx.dtype(0)
    if a.ndims < 2 or b.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {min(a.ndims, b.ndims)}")
    ta, tb = ctx.attr("adj_x", False), ctx.attr("adj_y", False)
    m, ka = (a[-1], a[-2]) if ta else (a[-2], a[-1])
    kb, n = (b[-1], b[-2]) if tb else (b[-2], b[-1])
    _check_inner(ka, kb)
    batch = broadcast_static(a[:-2], b[:-2])
    return batch.concatenate(TensorShape([m, n])), ctx.dtype(0)


def _matmul_run_time_error(shapes, attrs):
    """What TF 1.x's MatMul kernel (matmul_op.cc) says about fed shapes that do not fit."""
    if not all(s.is_fully_defined() for s in shapes):
        return None
    for i, s in enumerate(shapes):
        if s.ndims != 2:
            return f"In[{i}] is not a matrix. Instead it has shape {shape_text(s)}"
    a, b = shapes
    ka = a[0] if attrs.get("transpose_a", False) else a[1]
    kb = b[1] if attrs.get("transpose_b", False) else b[0]
    if ka == kb:
        return None
    return f"Matrix size-incompatible: In[0]: {shape_text(a)}, In[1]: {shape_text(b)}"


def _same_type(ctx, a_name, b_name):
    if ctx.dtype(0) is not ctx.dtype(1):
        raise TypeError(f"Input '{b_name}' of '{ctx.op_type}' Op has type {ctx.dtype(1).name} that "
                        f"does not match type {ctx.dtype(0).name} of argument '{a_name}'.")


def _kernel(ta_attr, tb_attr):
    def cpu_kernel(op, runtime):
        ta, tb = op.get_attr(ta_attr), op.get_attr(tb_attr)

        def matmul_fn(a, b):
            return kernels.cpu.matmul(a, b, ta, tb)

        def into(ins, outs):         # a Session plan's specialized form (kernels/into.py)
            return kernels.cpu.matmul_into(*ins, ta, tb, *outs)
        return offer(matmul_fn, into)

    def gpu_kernel(op, runtime):
        ta, tb = op.get_attr(ta_attr), op.get_attr(tb_attr)
        return lambda a, b: kernels.gpu.matmul(a, b, ta, tb)
    return {"kernel": cpu_kernel, "gpu_kernel": gpu_kernel}


def _matmul_grad(op, g):
    """TF's four cases, one per transpose combination."""
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        return [matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)]
    if not ta and tb:
        return [matmul(g, b), matmul(g, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, g, transpose_b=True), matmul(a, g)]
    return [matmul(b, g, transpose_a=True, transpose_b=True),
            matmul(g, a, transpose_a=True, transpose_b=True)]


def _batch_matmul_grad(op, g):
    """Like MatMul's, then summed over batch dimensions that were broadcast."""
    x, y = op.inputs
    ax, ay = op.get_attr("adj_x"), op.get_attr("adj_y")
    bmm = lambda p, q, tp, tq: matmul(p, q, transpose_a=tp, transpose_b=tq)  # noqa: E731
    if not ax and not ay:
        gx, gy = bmm(g, y, False, True), bmm(x, g, True, False)
    elif not ax and ay:
        gx, gy = bmm(g, y, False, False), bmm(g, x, True, False)
    elif ax and not ay:
        gx, gy = bmm(y, g, False, True), bmm(x, g, False, False)
    else:
        gx, gy = bmm(y, g, True, True), bmm(g, x, True, True)
    if x.shape.is_fully_defined() and y.shape.is_fully_defined() and x.shape[:-2] == y.shape[:-2]:
        return [gx, gy]
    sx, sy = shape(x), shape(y)
    # Only the batch dimensions broadcast (TF compares shape[:-2]; whole shapes may differ in the matrices).
    rx, ry = broadcast_gradient_args(sx[:-2], sy[:-2])
    return [reshape(reduce_sum(gx, rx), sx), reshape(reduce_sum(gy, ry), sy)]


register_op("MatMul", _matmul_infer, grad=_matmul_grad, attrs=("transpose_a", "transpose_b", "T"),
            num_inputs=2, **_kernel("transpose_a", "transpose_b"), type_constraints=allowed("a", L.MATMUL),
            run_time_shape_error=_matmul_run_time_error)
register_op("BatchMatMulV2", _batch_matmul_infer, grad=_batch_matmul_grad, attrs=("T", "adj_x", "adj_y"),
            **_kernel("adj_x", "adj_y"), type_constraints=allowed("x", L.BATCH_MATMUL))


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product ``a @ b`` (batched when the inputs have rank > 2)."""
    a, b = _binary_inputs(a, b, "MatMul")
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    ranks = (a.shape.ndims, b.shape.ndims)
    if ranks[0] is not None and ranks[1] is not None and max(ranks) > 2:
        return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=name or "MatMul")
    return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=name or "MatMul")
