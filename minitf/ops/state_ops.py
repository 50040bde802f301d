"""Stateful variable ops: ``VariableV2``, ``Assign``, ``AssignAdd``, ``AssignSub``.

The graph only *names* a variable.  Its value lives in the Session's runtime
(``runtime.variables[name]``), so two Sessions on one graph are independent.
Updates replace the stored array rather than writing into it, so a value that
was fetched earlier never changes behind the user's back.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.tensor_shape import as_shape
from .array_ops import node_suffix
from .constant_op import convert_to_tensor


def variable_op_of(tensor):
    """Follow a ref input back to the VariableV2 op that owns the storage."""
    op = tensor.op
    while op.type != "VariableV2":
        if op.type in ("Identity", "RefIdentity", "Assign", "AssignAdd", "AssignSub") and op.inputs:
            op = op.inputs[0].op
        else:
            raise errors.InvalidArgumentError(None, op, f"'{tensor.name}' is not a variable reference")
    return op


def read_variable(runtime, var_op, user_op=None):
    """The current value, or TF's uninitialized-value error."""
    value = runtime.variables.get(var_op.name)
    if value is None:
        where = user_op if user_op is not None else var_op
        raise errors.FailedPreconditionError(None, where, (
            f"Attempting to use uninitialized value {var_op.name}" + node_suffix(where)))
    return value


# --- use_locking: one lock per variable and session -----------------------------------
_NO_LOCK = contextlib.nullcontext()
_locks: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # runtime -> {variable: Lock}
_locks_guard = threading.Lock()


def update_lock(op, runtime, var_op):
    """The lock an update op with ``use_locking=True`` holds while it reads and writes its variable.

    Session.run may be called from many threads.  Without the lock two
    ``assign_add`` calls can read the same old value and one increment is lost.
    """
    if not op._attrs.get("use_locking", False):
        return _NO_LOCK
    with _locks_guard:
        table = _locks.setdefault(runtime, {})
        lock = table.get(var_op.name)
        if lock is None:
            lock = table[var_op.name] = threading.Lock()
    return lock


def _variable_kernel(op, runtime):
    variables, name = runtime.variables, op.name

    def read():                      # runs once per variable per step: the lookup inlined
        value = variables.get(name)
        return value if value is not None else read_variable(runtime, op)   # (TF's error)
    return read


VARIABLE_OP = register_op("VariableV2", lambda ctx: (ctx.attr("shape"), ctx.attr("dtype")._as_ref),
                          kernel=_variable_kernel, attrs=("shape", "dtype", "container", "shared_name"),
                          stateful=True, aliases_input=True, variable=True,
                          gpu_kernel="minitf.ops.state_ops_gpu:variable")


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    return apply_op("VariableV2", [], {"shape": as_shape(shape), "dtype": dtypes.as_dtype(dtype).base_dtype,
                                       "container": container, "shared_name": shared_name}, name=name)


# --- Assign ----------------------------------------------------------------------------
def _assign_infer(ctx):
    ref, value = ctx.shape(0), ctx.shape(1)
    if ctx.attr("validate_shape", True) and not ref.is_compatible_with(value):
        if ref.ndims != value.ndims:
            raise ValueError(f"Shapes must be equal rank, but are {ref.ndims} and {value.ndims}")
        i = next(i for i, (a, b) in enumerate(zip(ref.dims, value.dims)) if None not in (a, b) and a != b)
        raise ValueError(f"Dimension {i} in both shapes must be equal, but are {ref[i]} and {value[i]}. "
                         f"Shapes are {_shape_text(ref.as_list())} and {_shape_text(value.as_list())}.")
    shape = value if not ctx.attr("validate_shape", True) else ref.merge_with(value)
    return shape, ctx.dtypes[0].base_dtype._as_ref


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _assign_kernel(op, runtime):
    var_op = variable_op_of(op.inputs[0])
    validate = op.get_attr("validate_shape")
    static = var_op.get_attr("shape")
    np_type = var_op.get_attr("dtype").np_dtype

    def assign(ref_unused, value):
        value = np.array(value, dtype=np_type)   # a private copy: the variable owns its value
        if validate and static.ndims is not None and not static.is_compatible_with(value.shape):
            raise errors.InvalidArgumentError(None, op, (
                "Assign requires shapes of both tensors to match. lhs shape= "
                f"{_shape_text(static.as_list())} rhs shape= {_shape_text(value.shape)}" + node_suffix(op)))
        runtime.variables[var_op.name] = value
        return value
    return assign


def _update_kernel(sign: int):
    def factory(op, runtime):
        var_op = variable_op_of(op.inputs[0])

        def update(ref_unused, delta):
            with update_lock(op, runtime, var_op):
                old = read_variable(runtime, var_op, op)
                new = old + delta if sign > 0 else old - delta
                if new.shape != old.shape:
                    raise errors.InvalidArgumentError(None, op, (
                        f"Must have updates.shape = ref.shape: {list(np.shape(delta))} vs {list(old.shape)}"
                        + node_suffix(op)))
                new = runtime.variables[var_op.name] = new.astype(old.dtype, copy=False)
            return new
        return update
    return factory


def _ref_like(ctx):
    return ctx.shape(0), ctx.dtypes[0].base_dtype._as_ref


# An Assign skips the usual "don't run before inputs" pruning of the ref input:
# ref_inputs=(0,) tells the planner the variable need not be initialized to assign it.
register_op("Assign", _assign_infer, kernel=_assign_kernel, attrs=("T", "validate_shape", "use_locking"),
            stateful=True, ref_inputs=(0,), differentiable=False, stores_input=True,
            gpu_kernel="minitf.ops.state_ops_gpu:assign")
register_op("AssignAdd", _ref_like, kernel=_update_kernel(+1), attrs=("T", "use_locking"),
            stateful=True, ref_inputs=(0,), differentiable=False,
            gpu_kernel="minitf.ops.state_ops_gpu:assign_add", type_constraints=allowed("ref", L.NUMBER))
register_op("AssignSub", _ref_like, kernel=_update_kernel(-1), attrs=("T", "use_locking"),
            stateful=True, ref_inputs=(0,), differentiable=False,
            gpu_kernel="minitf.ops.state_ops_gpu:assign_sub", type_constraints=allowed("ref", L.NUMBER))


def _is_initialized_kernel(op, runtime):
    var_op = variable_op_of(op.inputs[0])
    return lambda ref_unused: np.array(var_op.name in runtime.variables)


register_op("IsVariableInitialized", lambda ctx: (as_shape([]), dtypes.bool),
            kernel=_is_initialized_kernel, attrs=("dtype",), stateful=True, ref_inputs=(0,),
            ref_read_only=True, differentiable=False, host_outputs=True)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Store ``value`` in the variable ``ref`` when run; returns the new value."""
    ref_t = convert_to_tensor(ref, as_ref=True)
    value = convert_to_tensor(value, dtype=ref_t.dtype.base_dtype)
    return apply_op("Assign", [ref_t, value], {
        "T": ref_t.dtype.base_dtype, "validate_shape": True if validate_shape is None else bool(validate_shape),
        "use_locking": True if use_locking is None else bool(use_locking)}, name=name or "Assign")


def assign_add(ref, value, use_locking=None, name=None):
    ref_t = convert_to_tensor(ref, as_ref=True)
    value = convert_to_tensor(value, dtype=ref_t.dtype.base_dtype)
    return apply_op("AssignAdd", [ref_t, value], {"T": ref_t.dtype.base_dtype,
                                                  "use_locking": bool(use_locking)}, name=name or "AssignAdd")


def assign_sub(ref, value, use_locking=None, name=None):
    ref_t = convert_to_tensor(ref, as_ref=True)
    value = convert_to_tensor(value, dtype=ref_t.dtype.base_dtype)
    return apply_op("AssignSub", [ref_t, value], {"T": ref_t.dtype.base_dtype,
                                                  "use_locking": bool(use_locking)}, name=name or "AssignSub")


def is_variable_initialized(ref, name=None):
    ref_t = convert_to_tensor(ref, as_ref=True)
    return apply_op("IsVariableInitialized", [ref_t], {"dtype": ref_t.dtype.base_dtype},
                    name=name or "IsVariableInitialized")


# --- ScatterAdd / ScatterSub / ScatterUpdate: update some rows of a variable --------------------
def _checked_rows(op, indices, n_rows: int):
    """``indices`` as int64, or TF's error naming the first one out of range."""
    indices = np.asarray(indices).astype(np.int64, copy=False)
    bad = np.argwhere((indices < 0) | (indices >= n_rows))
    if len(bad):
        where = ",".join(str(i) for i in bad[0])
        raise errors.InvalidArgumentError(None, op, (
            f"indices[{where}] = {indices[tuple(bad[0])]} is not in [0, {n_rows})" + node_suffix(op)))
    return indices


def _scatter_kernel(combine):
    def factory(op, runtime):
        var_op = variable_op_of(op.inputs[0])

        def scatter(ref_unused, indices, updates):
            with update_lock(op, runtime, var_op):
                return _scatter_locked(indices, updates)

        def _scatter_locked(indices, updates):
            old = read_variable(runtime, var_op, op)
            if old.ndim == 0:
                raise errors.InvalidArgumentError(None, op, "params must be at least 1-D, got 0-D"
                                                  + node_suffix(op))
            indices = _checked_rows(op, indices, old.shape[0])
            updates = np.asarray(updates, dtype=old.dtype)
            expected = indices.shape + old.shape[1:]
            if updates.shape != expected and updates.ndim != 0:
                raise errors.InvalidArgumentError(None, op, (
                    "updates.shape = " + _shape_text(updates.shape) + " must equal indices.shape + "
                    f"params.shape[1:] = {_shape_text(expected)}" + node_suffix(op)))
            new = old.copy()            # a fetched value never changes behind the user's back
            combine(new, indices, np.broadcast_to(updates, expected))
            runtime.variables[var_op.name] = new
            return new
        return scatter
    return factory


def _scatter_update(new, indices, updates):
    new[indices] = updates          # with repeated indices one of the updates wins, as in TF


def _scatter_infer(ctx):
    return ctx.shape(0), ctx.dtypes[0].base_dtype._as_ref


_SCATTER = {"ScatterAdd": lambda new, i, u: np.add.at(new, i, u),
            "ScatterSub": lambda new, i, u: np.subtract.at(new, i, u),
            "ScatterUpdate": _scatter_update}
# ScatterUpdate may write any dtype; ScatterAdd/Sub need numbers.  Indices are int32/int64.
_SCATTER_INDICES = allowed("indices", L.INDEX, 1, "Tindices")
_SCATTER_TYPES = {"ScatterAdd": allowed("ref", L.NUMBER) + _SCATTER_INDICES,
                  "ScatterSub": allowed("ref", L.NUMBER) + _SCATTER_INDICES,
                  "ScatterUpdate": _SCATTER_INDICES}
for _op_type, _combine in _SCATTER.items():
    register_op(_op_type, _scatter_infer, kernel=_scatter_kernel(_combine),
                attrs=("T", "Tindices", "use_locking"), stateful=True, ref_inputs=(0,), differentiable=False,
                type_constraints=_SCATTER_TYPES[_op_type])


def _scatter(op_type, ref, indices, updates, use_locking, name):
    ref_t = convert_to_tensor(ref, as_ref=True)
    idx = convert_to_tensor(indices)
    if idx.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'indices' has DataType {idx.dtype.base_dtype.name} "
                        "not in list of allowed values: int32, int64")
    upd = convert_to_tensor(updates, dtype=ref_t.dtype.base_dtype)
    attrs = {"T": ref_t.dtype.base_dtype, "Tindices": idx.dtype.base_dtype, "use_locking": bool(use_locking)}
    return apply_op(op_type, [ref_t, idx, upd], attrs, name=name or op_type)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """``ref[indices[i], ...] += updates[i, ...]`` (repeated indices add up); returns the new value."""
    return _scatter("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """``ref[indices[i], ...] -= updates[i, ...]`` (repeated indices add up); returns the new value."""
    return _scatter("ScatterSub", ref, indices, updates, use_locking, name)


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """``ref[indices[i], ...] = updates[i, ...]``; returns the new value."""
    return _scatter("ScatterUpdate", ref, indices, updates, use_locking, name)
