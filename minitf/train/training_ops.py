"""The update ops optimizers add to the graph: ``ApplyGradientDescent``, ``ApplyAdam``...

Each takes the variable (and its slot variables) by reference, plus plain
inputs (learning rate, gradient, ...), and stores the new values in the
Session.  The formulas are TF's.

For float32/float64 variables with scalar hyperparameters (every optimizer's
case) an update is one fused in-place pass: the rule of ``update_rules.py``
run by a kernel of ``training_kernels_cpu.py`` over the variable's own buffer
and its slots' buffers (``copy_on_write.py`` says when that is safe).  The
numpy formulas below are the reference, and run whatever the fused path does
not cover (other dtypes, shapes that TF would reject, ...).
"""

from __future__ import annotations

from sys import getrefcount

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..ops.array_ops import node_suffix
from ..ops.constant_op import convert_to_tensor
from ..ops.state_ops import read_variable, update_lock, variable_op_of
from . import training_kernels_cpu, update_rules
from .copy_on_write import SOLE_IN_FRAME, writable

_FUSED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class Fused:
    """How an op runs in one pass: its rule, where the gradient is, and the rule's ``h`` tuple.

    ``hyper(*scalars)`` turns the op's other inputs (scalars of the variable's
    dtype, in input order) into the rule's hyperparameters.
    """

    def __init__(self, rule, grad_at: int, hyper, single: bool = False):
        self.rule, self.grad_at, self.hyper = rule, grad_at, hyper
        self.single = single                  # h is just the one scalar input


def _hyper(fused, inputs, dtype):
    """The rule's ``h`` tuple, or None when an input is not a scalar of ``dtype`` (numpy path)."""
    scalars = []
    grad_at = fused.grad_at
    for i, x in enumerate(inputs):
        if i != grad_at:
            if type(x) is not np.ndarray or x.shape or x.dtype is not dtype and x.dtype != dtype:
                return None
            scalars.append(x[()])
    if len(scalars) == 1 and fused.single:
        return (scalars[0],)                  # (alpha,), (lr,): no call to build it
    return tuple(fused.hyper(*scalars))


def _apply_kernel(n_refs: int, update, fused=None):
    """Kernel factory: the fused in-place pass when it applies, else ``update(refs, *inputs)``.

    ``update(op)`` returns the numpy rule ``(refs, *inputs) -> new refs``;
    ``fused(op)`` returns a ``Fused`` (or None for no fused path).
    """
    def factory(op, runtime):
        var_ops = [variable_op_of(t) for t in op.inputs[:n_refs]]
        numpy_update = update(op)
        plan = fused(op) if fused is not None else None
        built = training_kernels_cpu.dense(plan.rule, n_refs) if plan is not None else None
        serial = built.serial if built is not None else None

        locking = bool(op._attrs.get("use_locking", False))
        names = [v.name for v in var_ops]
        variables = runtime.variables

        def run(*args):
            if locking:
                with update_lock(op, runtime, var_ops[0]):
                    return locked(args[n_refs:])
            return locked(args[n_refs:])

        def locked(inputs):
            if built is not None and _run_fused(inputs):
                return variables[names[0]]
            refs = [read_variable(runtime, v, op) for v in var_ops]
            new = numpy_update(refs, *inputs)
            for v, old, value in zip(var_ops, refs, new):
                runtime.variables[v.name] = np.asarray(value, dtype=old.dtype)
            return runtime.variables[var_ops[0].name]

        def _run_fused(inputs) -> bool:
            grad = inputs[plan.grad_at]
            if type(grad) is not np.ndarray or grad.dtype.char not in "fd":   # float32, float64
                return False
            h = _hyper(plan, inputs, grad.dtype)
            if h is None:
                return False
            shape, dtype = grad.shape, grad.dtype
            for name in names:                  # cheap checks first: no private copy made in vain
                value = variables.get(name)
                if value is None or value.shape != shape or value.dtype != dtype:
                    return False                # (the numpy path raises the uninitialized error)
            flat = []
            for name in names:
                value = variables[name]
                if value.base is not None or getrefcount(value) > SOLE_IN_FRAME or not (
                        (flags := value.flags).c_contiguous and flags.writeable):
                    value = variables[name] = np.array(value, order="C")    # copy on write
                flat.append(value.reshape(-1))
            n = grad.size
            kernel = serial if n < training_kernels_cpu.PARALLEL_THRESHOLD else built.for_size(n)
            kernel(h, grad.reshape(-1), *flat)
            return True

        dtype = op._attrs["T"].np_dtype
        if plan is _FUSED_GD and not locking and dtype in _FUSED_DTYPES:   # runs once per variable per step
            shaped = training_kernels_cpu.dense_shaped(plan.rule)
            return _descent_in_place(names[0], variables, np.dtype(dtype), shaped, run)
        return run
    return factory


def _descent_in_place(name, variables, dtype, kernel, general):
    """``ApplyGradientDescent``'s common case as one test and one kernel call, else ``general``.

    The common case: ndarray inputs of the variable's float dtype (``is``: numpy's
    built-in dtypes are singletons), a scalar step, a small variable held by no one
    but the runtime (``copy_on_write.py``) in a contiguous writable buffer.  The
    lecture's step runs this twice (4 and 1 elements): through ``general`` a call
    took 1.4 us, here 0.8 us (measured), most of it numba's dispatch and these
    checks.  Anything else (another dtype, a shared buffer to copy first, an
    uninitialized variable's error, a variable big enough for the parallel kernel)
    goes to ``general`` unchanged.
    """
    small = training_kernels_cpu.PARALLEL_THRESHOLD
    ndarray, sole = np.ndarray, SOLE_IN_FRAME           # (closure names: a little faster than globals)

    def run(ref, alpha, delta):
        value = variables.get(name)
        if (type(value) is ndarray and type(delta) is ndarray and type(alpha) is ndarray
                and value.dtype is dtype and delta.dtype is dtype and alpha.dtype is dtype
                and not alpha.shape and value.shape == delta.shape and delta.size < small
                and value.base is None and getrefcount(value) <= sole
                and (flags := value.flags).c_contiguous and flags.writeable):
            kernel(alpha, delta, value)
            return value
        del value                         # our reference would make ``general`` copy the buffer
        return general(ref, alpha, delta)
    return run


def _gd(refs, alpha, delta):
    return [refs[0] - alpha * delta]


def _momentum(op):
    nesterov = op.get_attr("use_nesterov")

    def update(refs, lr, grad, momentum):
        var, accum = refs
        accum = accum * momentum + grad
        step = lr * grad + lr * momentum * accum if nesterov else lr * accum
        return [var - step, accum]
    return update


def _adam(refs, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    var, m, v = refs
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = m + (grad - m) * (1 - beta1)
    v = v + (grad * grad - v) * (1 - beta2)
    return [var - lr_t * m / (np.sqrt(v) + epsilon), m, v]


def _adagrad(refs, lr, grad):
    var, accum = refs
    accum = accum + grad * grad
    return [var - lr * grad / np.sqrt(accum), accum]


def _rmsprop(refs, lr, rho, momentum, epsilon, grad):
    var, ms, mom = refs
    ms = ms + (grad * grad - ms) * (1 - rho)
    mom = mom * momentum + lr * grad / np.sqrt(ms + epsilon)
    return [var - mom, ms, mom]


def _sparse_apply_kernel(n_refs: int, make_update, grad_at: int, fused=None):
    """Kernel factory for ``SparseApply*``: the dense rule applied to the rows at ``indices`` only.

    The inputs are TF's: refs, then the dense op's inputs with ``indices`` right
    after ``grad``.  Repeated indices are summed first, as TF's optimizers do
    (``_deduplicate_indexed_slices``) before they call these ops.  With a
    ``fused`` rule the rows are updated in place in one pass.
    """
    def factory(op, runtime):
        var_ops = [variable_op_of(t) for t in op.inputs[:n_refs]]
        update = make_update(op)
        plan = fused(op) if fused is not None else None
        built = training_kernels_cpu.sparse(plan.rule, n_refs) if plan is not None else None

        def run(*args):
            with update_lock(op, runtime, var_ops[0]):
                return locked(*args)

        def locked(*args):
            refs = [read_variable(runtime, v, op) for v in var_ops]
            inputs = list(args[n_refs:])
            grad, indices = np.asarray(inputs[grad_at]), np.asarray(inputs.pop(grad_at + 1))
            rows, summed = _unique_rows(op, indices, grad, refs[0])
            inputs[grad_at] = summed
            if built is not None and _fusable(refs, summed):
                h = _hyper(plan, inputs, summed.dtype)
                if h is not None:
                    del refs                    # our own references would force a copy
                    buffers = [writable(runtime, v, op) for v in var_ops]
                    width = summed.size // max(len(rows), 1)
                    built.for_size(summed.size)(h, summed.reshape(-1), rows, width,
                                                *[b.reshape(-1) for b in buffers])
                    return runtime.variables[var_ops[0].name]
            new_rows = update([r[rows] for r in refs], *inputs)
            for v, old, value in zip(var_ops, refs, new_rows):
                new = old.copy()                # only these rows change
                new[rows] = value
                runtime.variables[v.name] = new
            return runtime.variables[var_ops[0].name]
        return run
    return factory


def _fusable(refs, summed) -> bool:
    """The fused row kernel applies: float32/64 values, every slot shaped like the variable."""
    var = refs[0]
    return (summed.dtype in _FUSED_DTYPES and var.ndim >= 1 and var.dtype == summed.dtype
            and all(r.shape == var.shape and r.dtype == var.dtype for r in refs))


def _unique_rows(op, indices, grad, var):
    """The distinct rows and the gradient summed per row, or TF's out-of-range error."""
    indices = indices.reshape(-1).astype(np.int64, copy=False)
    bad = np.flatnonzero((indices < 0) | (indices >= var.shape[0]))
    if len(bad):
        raise errors.InvalidArgumentError(None, op, (
            f"Index {indices[bad[0]]} at offset {bad[0]} in indices is out of range" + node_suffix(op)))
    rows, inverse = np.unique(indices, return_inverse=True)
    summed = np.zeros((len(rows),) + var.shape[1:], var.dtype)
    np.add.at(summed, inverse, grad.reshape((len(indices),) + var.shape[1:]))
    return rows, summed


def _adadelta(refs, lr, rho, epsilon, grad):
    var, accum, accum_update = refs
    accum = accum * rho + grad * grad * (1 - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    accum_update = accum_update * rho + update * update * (1 - rho)
    return [var - update * lr, accum, accum_update]


def _centered_rmsprop(refs, lr, rho, momentum, epsilon, grad):
    var, mg, ms, mom = refs
    ms = ms + (grad * grad - ms) * (1 - rho)
    mg = mg + (grad - mg) * (1 - rho)
    mom = mom * momentum + lr * grad / np.sqrt(ms - mg * mg + epsilon)   # variance, not 2nd moment
    return [var - mom, mg, ms, mom]


def _ref_out(ctx):
    return ctx.shape(0), ctx.dtypes[0].base_dtype._as_ref


# --- the fused rules: where the gradient is, and the hyperparameters in the rule's order ---------
def _fused_momentum(op):
    rule = update_rules.nesterov_momentum if op.get_attr("use_nesterov") else update_rules.momentum
    return Fused(rule, 1, lambda lr, momentum: (lr, momentum))


def _adam_hyper(beta1_power, beta2_power, lr, beta1, beta2, epsilon):
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)     # as _adam, in the variable's dtype
    return lr_t, 1 - beta1, 1 - beta2, epsilon


def _rms_hyper(lr, rho, momentum, epsilon):
    return lr, 1 - rho, momentum, epsilon


_FUSED_GD = Fused(update_rules.gradient_descent, 1, lambda alpha: (alpha,), single=True)
_FUSED_ADAM = Fused(update_rules.adam, 6, _adam_hyper)
_FUSED_ADAGRAD = Fused(update_rules.adagrad, 1, lambda lr: (lr,), single=True)
_FUSED_RMSPROP = Fused(update_rules.rmsprop, 4, _rms_hyper)
_FUSED_ADADELTA = Fused(update_rules.adadelta, 3, lambda lr, rho, epsilon: (lr, rho, 1 - rho, epsilon))
_FUSED_CENTERED = Fused(update_rules.centered_rmsprop, 4, _rms_hyper)


def _always(value):
    return lambda op: value


# TF's training ops take any number for var and its hyperparameters (attr T).
_COMMON = {"stateful": True, "differentiable": False, "type_constraints": allowed("var", L.NUMBER)}
register_op("ApplyGradientDescent", _ref_out, kernel=_apply_kernel(1, _always(_gd), _always(_FUSED_GD)),
            attrs=("T", "use_locking"), ref_inputs=(0,), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_gradient_descent")
register_op("ApplyMomentum", _ref_out, kernel=_apply_kernel(2, _momentum, _fused_momentum),
            attrs=("T", "use_locking", "use_nesterov"), ref_inputs=(0, 1), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_momentum")
register_op("ApplyAdam", _ref_out, kernel=_apply_kernel(3, _always(_adam), _always(_FUSED_ADAM)),
            attrs=("T", "use_locking", "use_nesterov"), ref_inputs=(0, 1, 2), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_adam")
register_op("ApplyAdagrad", _ref_out, kernel=_apply_kernel(2, _always(_adagrad), _always(_FUSED_ADAGRAD)),
            attrs=("T", "use_locking", "update_slots"), ref_inputs=(0, 1), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_adagrad")
register_op("ApplyRMSProp", _ref_out, kernel=_apply_kernel(3, _always(_rmsprop), _always(_FUSED_RMSPROP)),
            attrs=("T", "use_locking"), ref_inputs=(0, 1, 2), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_rms_prop")


_SPARSE = {"stateful": True, "differentiable": False}
_SPARSE_INDICES = {"SparseApplyMomentum": 4, "SparseApplyAdagrad": 4, "SparseApplyRMSProp": 8}


def _sparse_types(op_type):
    return allowed("var", L.NUMBER) + allowed("indices", L.INDEX, _SPARSE_INDICES[op_type], "Tindices")
register_op("SparseApplyMomentum", _ref_out,
            kernel=_sparse_apply_kernel(2, _momentum, 1, _fused_momentum),
            attrs=("T", "Tindices", "use_locking", "use_nesterov"), ref_inputs=(0, 1), **_SPARSE,
            type_constraints=_sparse_types("SparseApplyMomentum"))
register_op("SparseApplyAdagrad", _ref_out,
            kernel=_sparse_apply_kernel(2, _always(_adagrad), 1, _always(_FUSED_ADAGRAD)),
            attrs=("T", "Tindices", "use_locking", "update_slots"), ref_inputs=(0, 1), **_SPARSE,
            type_constraints=_sparse_types("SparseApplyAdagrad"))
register_op("SparseApplyRMSProp", _ref_out,
            kernel=_sparse_apply_kernel(3, _always(_rmsprop), 4, _always(_FUSED_RMSPROP)),
            attrs=("T", "Tindices", "use_locking"), ref_inputs=(0, 1, 2), **_SPARSE,
            type_constraints=_sparse_types("SparseApplyRMSProp"))

register_op("ApplyAdadelta", _ref_out,
            kernel=_apply_kernel(3, _always(_adadelta), _always(_FUSED_ADADELTA)),
            attrs=("T", "use_locking"), ref_inputs=(0, 1, 2), **_COMMON)
register_op("ApplyCenteredRMSProp", _ref_out,
            kernel=_apply_kernel(4, _always(_centered_rmsprop), _always(_FUSED_CENTERED)),
            attrs=("T", "use_locking"), ref_inputs=(0, 1, 2, 3), **_COMMON,
            gpu_kernel="minitf.train.training_ops_gpu:apply_centered_rms_prop")


def _apply(op_type, refs, inputs, attrs, name):
    ref_ts = [convert_to_tensor(r, as_ref=True) for r in refs]
    dtype = ref_ts[0].dtype.base_dtype
    in_ts = [convert_to_tensor(x, dtype=dtype) for x in inputs]
    return apply_op(op_type, ref_ts + in_ts, dict(attrs, T=dtype), name=name)


def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    return _apply("ApplyGradientDescent", [var], [alpha, delta], {"use_locking": use_locking},
                  name or "ApplyGradientDescent")


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False, name=None):
    return _apply("ApplyMomentum", [var, accum], [lr, grad, momentum],
                  {"use_locking": use_locking, "use_nesterov": use_nesterov}, name or "ApplyMomentum")


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
               use_locking=False, use_nesterov=False, name=None):
    return _apply("ApplyAdam", [var, m, v], [beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad],
                  {"use_locking": use_locking, "use_nesterov": use_nesterov}, name or "ApplyAdam")


def apply_adagrad(var, accum, lr, grad, use_locking=False, update_slots=True, name=None):
    return _apply("ApplyAdagrad", [var, accum], [lr, grad],
                  {"use_locking": use_locking, "update_slots": update_slots}, name or "ApplyAdagrad")


def _sparse_apply(op_type, refs, inputs, indices, grad_at, attrs, name):
    """Like ``_apply``, with ``indices`` (int32/int64) put right after the gradient input."""
    ref_ts = [convert_to_tensor(r, as_ref=True) for r in refs]
    dtype = ref_ts[0].dtype.base_dtype
    in_ts = [convert_to_tensor(x, dtype=dtype) for x in inputs]
    idx = convert_to_tensor(indices)
    in_ts.insert(grad_at + 1, idx)
    if idx.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'indices' has DataType {idx.dtype.base_dtype.name} "
                        "not in list of allowed values: int32, int64")
    return apply_op(op_type, ref_ts + in_ts, dict(attrs, T=dtype, Tindices=idx.dtype.base_dtype), name=name)


def sparse_apply_momentum(var, accum, lr, grad, indices, momentum, use_locking=False, use_nesterov=False,
                          name=None):
    return _sparse_apply("SparseApplyMomentum", [var, accum], [lr, grad, momentum], indices, 1,
                         {"use_locking": use_locking, "use_nesterov": use_nesterov},
                         name or "SparseApplyMomentum")


def sparse_apply_adagrad(var, accum, lr, grad, indices, use_locking=False, update_slots=True, name=None):
    return _sparse_apply("SparseApplyAdagrad", [var, accum], [lr, grad], indices, 1,
                         {"use_locking": use_locking, "update_slots": update_slots},
                         name or "SparseApplyAdagrad")


def sparse_apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, indices, use_locking=False,
                          name=None):
    return _sparse_apply("SparseApplyRMSProp", [var, ms, mom], [lr, rho, momentum, epsilon, grad], indices,
                         4, {"use_locking": use_locking}, name or "SparseApplyRMSProp")


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    return _apply("ApplyRMSProp", [var, ms, mom], [lr, rho, momentum, epsilon, grad],
                  {"use_locking": use_locking}, name or "ApplyRMSProp")


def apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False, name=None):
    return _apply("ApplyAdadelta", [var, accum, accum_update], [lr, rho, epsilon, grad],
                  {"use_locking": use_locking}, name or "ApplyAdadelta")


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False,
                            name=None):
    return _apply("ApplyCenteredRMSProp", [var, mg, ms, mom], [lr, rho, momentum, epsilon, grad],
                  {"use_locking": use_locking}, name or "ApplyCenteredRMSProp")
