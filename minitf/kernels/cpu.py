"""The CPU kernels that ops call: thin numpy-facing wrappers around the numba kernels.

    cpu.unary("exp")(x)                       cpu.binary("add")(x, y)
    cpu.reduce("sum")(x, axes, keepdims)      cpu.argreduce("argmax")(x, axis)
    cpu.matmul(a, b), cpu.softmax(logits), cpu.softmax_cross_entropy(logits, labels), ...

Each wrapper checks the dtype (a TypeError names the kernel, never a numba
typing error), allocates the output with numpy, flattens or reshapes the
inputs into the simple layout its kernel expects, and calls it. The engine runs
many tiny ops per training step, so the common path is kept short: no shape
planning when both inputs have the same shape, memoized plans otherwise.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from minitf.kernels import catalog, config, cpu_factories, layout, rows
from minitf.kernels.into import offer
from minitf.kernels.cpu_matmul import matmul, matmul_into, matmul_tiled  # noqa: F401  (re-exported)

__all__ = ["unary", "binary", "reduce", "argreduce", "matmul", "matmul_tiled", "softmax",
           "log_softmax", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


class Built:
    """One kernel's serial build, and its parallel build, made the first time it pays off."""

    def __init__(self, factory, *args):
        self._factory, self._args = factory, args
        self.serial = factory(*args, parallel=False)
        self._parallel = None

    def for_size(self, n: int):
        """The kernel to run on ``n`` elements: parallel only if big and threads > 1."""
        if n < config.PARALLEL_THRESHOLD or config.num_threads == 1:
            return self.serial
        if self._parallel is None:
            self._parallel = self._factory(*self._args, parallel=True)
        config.apply_num_threads()
        return self._parallel


def _contiguous(x) -> np.ndarray:
    """``x`` as a C-contiguous ndarray (a copy only when it has to be)."""
    if type(x) is not np.ndarray:
        x = np.asarray(x)
    return x if x.flags.c_contiguous else np.ascontiguousarray(x)


# In the hot wrappers below, ``a.ravel()`` is the flat view of a C-contiguous
# array, or a C-ordered copy of any other layout: one call does both jobs.
# Inputs that are not numpy arrays or scalars (lists, Python floats) have no
# ``dtype``; they take the slower path through ``np.asarray``.


@cache
def unary(name: str):
    """The kernel ``f(x) -> y`` that applies scalar op ``name`` to every element."""
    fn, accepted = catalog.lookup(catalog.UNARY, "unary", name)
    accepted = frozenset(accepted)
    built = Built(cpu_factories.map, fn, name)
    serial = built.serial

    def run(x):
        try:
            dtype = x.dtype
        except AttributeError:
            return run(np.asarray(x))
        if dtype not in accepted:
            catalog.check_dtype("unary", name, dtype, tuple(accepted))
        out = np.empty(x.shape, dtype)
        kernel = serial if out.size < config.PARALLEL_THRESHOLD else built.for_size(out.size)
        kernel(x.ravel(), out.ravel())
        return out

    def into(ins, outs):
        """``f(x, out)`` for the planned shape and dtype (see ``into.py``)."""
        (x,), (out,) = ins, outs
        if x.dtype not in accepted or out.dtype != x.dtype or out.shape != x.shape:
            return None
        size = math.prod(out.shape)

        def run_into(x, out):
            kernel = serial if size < config.PARALLEL_THRESHOLD else built.for_size(size)
            kernel(x.ravel(), out.ravel())
            return out
        return run_into

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Elementwise {name} (CPU kernel)."
    run.kernels = built     # for a look inside: cpu.unary("exp").kernels.serial.signatures
    return offer(run, into)


@cache
def binary(name: str):
    """The kernel ``f(x, y) -> z`` for scalar op ``name``, with numpy broadcasting."""
    fn, accepted = catalog.lookup(catalog.BINARY, "binary", name)
    accepted = frozenset(accepted)
    bool_out = name in catalog.BOOL_OUTPUT
    flat = Built(cpu_factories.zip, fn, name)
    serial = flat.serial
    broadcast = None

    def run(x, y):
        nonlocal broadcast
        try:
            dtype = x.dtype
            y_dtype = y.dtype
        except AttributeError:
            return run(np.asarray(x), np.asarray(y))
        if dtype not in accepted or (y_dtype is not dtype and y_dtype != dtype):
            _binary_dtype_error(name, dtype, y_dtype, accepted)
        out_dtype = np.bool_ if bool_out else dtype
        if x.shape == y.shape:     # the common case: no broadcasting, one flat loop
            out = np.empty(x.shape, out_dtype)
            kernel = serial if out.size < config.PARALLEL_THRESHOLD else flat.for_size(out.size)
            kernel(x.ravel(), y.ravel(), out.ravel())
            return out
        out_shape, loops = layout.broadcast_plan(x.shape, y.shape)
        if loops is None:          # too many loop levels: materialize the broadcast
            return run(np.broadcast_to(x, out_shape), np.broadcast_to(y, out_shape))
        out = np.empty(out_shape, out_dtype)
        if broadcast is None:
            broadcast = Built(cpu_factories.zip_broadcast, fn, name)
        kernel = (broadcast.serial if out.size < config.PARALLEL_THRESHOLD
                  else broadcast.for_size(out.size))
        kernel(x.ravel(), y.ravel(), out.ravel(), loops)
        return out

    def into(ins, outs):
        """``f(x, y, out)`` with the broadcast planned once (see ``into.py``)."""
        nonlocal broadcast
        (x, y), (out,) = ins, outs
        dtype = x.dtype
        if dtype not in accepted or y.dtype != dtype or out.dtype != (np.bool_ if bool_out else dtype):
            return None
        size = math.prod(out.shape)
        if x.shape == y.shape == out.shape:
            built, loops = flat, None
        else:
            out_shape, loops = layout.broadcast_plan(x.shape, y.shape)
            if loops is None or out_shape != out.shape:
                return None
            if broadcast is None:
                broadcast = Built(cpu_factories.zip_broadcast, fn, name)
            built = broadcast
        small = built.serial

        def run_into(x, y, out):
            kernel = small if size < config.PARALLEL_THRESHOLD else built.for_size(size)
            kernel(x.ravel(), y.ravel(), out.ravel())
            return out

        def run_broadcast_into(x, y, out):
            kernel = small if size < config.PARALLEL_THRESHOLD else built.for_size(size)
            kernel(x.ravel(), y.ravel(), out.ravel(), loops)
            return out
        return run_into if loops is None else run_broadcast_into

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Elementwise {name} with broadcasting (CPU kernel)."
    run.kernels = flat
    if name == "pow":
        return _no_negative_int_powers(run)        # (no into form: it checks exponents per call)
    return offer(run, into)


def _binary_dtype_error(name, x_dtype, y_dtype, accepted):
    if x_dtype != y_dtype:
        raise TypeError(f"binary kernel {name!r} needs both inputs of one dtype, "
                        f"got {x_dtype} and {y_dtype}")
    catalog.check_dtype("binary", name, x_dtype, tuple(accepted))


def _no_negative_int_powers(run):
    """Wrap integer pow to reject negative exponents, as TensorFlow and numpy do."""
    def pow_(x, y):
        y = np.asarray(y)
        if y.dtype.kind == "i" and y.size and y.min() < 0:
            raise ValueError("Integers to negative integer powers are not allowed.")
        return run(x, y)

    pow_.__name__ = pow_.__qualname__ = "pow"
    pow_.__doc__ = run.__doc__
    pow_.kernels = run.kernels
    return pow_


@cache
def reduce(name: str):
    """The kernel ``f(x, axes, keepdims) -> y`` reducing ``x`` over ``axes`` (a tuple)."""
    fn, finish, accepted = catalog.lookup(catalog.REDUCE, "reduce", name)
    built = Built(cpu_factories.reduce, fn, finish, name)

    plans = {}      # (shape, dtype, axes, keepdims) -> layout plan and start value

    def plan_for(x, axes, keepdims):
        catalog.check_dtype("reduce", name, x.dtype, accepted)
        plan = layout.reduce_plan(x.shape, tuple(axes), bool(keepdims))
        return plan + (catalog.reduce_start(name, x.dtype),)

    def run(x, axes, keepdims: bool = False):
        x = _contiguous(x)
        key = (x.shape, x.dtype, axes if type(axes) is tuple else tuple(axes), keepdims)
        plan = plans.get(key)
        if plan is None:                 # the same few shapes recur at every training step
            plan = plans[key] = plan_for(x, axes, keepdims)
        axes, perm, (a, r, b), out_shape, start = plan
        if not axes:
            return x.copy()
        if perm is not None:
            x = np.ascontiguousarray(x.transpose(perm))
        out = np.empty((a, b), x.dtype)
        out.fill(start)                     # (cheaper than np.full for the small common case)
        built.for_size(x.size)(x.reshape(a, r, b), out)
        return out.reshape(out_shape)

    def into_over(x, axes: tuple, keepdims: bool, out, skipped: int = 0):
        """``f(x, out)`` reducing Spec ``x`` over ``axes`` into Spec ``out`` (see ``into.py``).

        Only reductions that are a reshape of ``x`` (no transposing copy).
        ``skipped=1``: ``f(x, axes, out)``, for an op whose axes are an input the plan knows.
        """
        if x.dtype not in accepted or out.dtype != x.dtype:
            return None
        axes, perm, (a, r, b), out_shape, start = plan_for(x, axes, keepdims)
        if not axes or perm is not None or out_shape != out.shape:
            return None
        size = math.prod(x.shape)

        def run_into(x, out):
            if not x.flags.c_contiguous:       # (a slice, a transpose: the kernel reads C arrays)
                x = np.ascontiguousarray(x)
            folded = out.reshape(a, b)         # a view: `out` is a fresh C array
            folded.fill(start)
            built.for_size(size)(x.reshape(a, r, b), folded)
            return out

        def run_into_skipping(x, axes_known, out):
            return run_into(x, out)
        return run_into_skipping if skipped else run_into

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"reduce_{name} over the given axes (CPU kernel)."
    run.kernels = built
    # Not an ``into`` form itself (the axes and keepdims are the op's attrs): the ops' kernels
    # (Sum, Mean..., BiasAddGrad) build theirs with it.
    run.into_over = into_over
    return run


@cache
def argreduce(name: str):
    """The kernel ``f(x, axis) -> int64 indices`` of the max/min along ``axis`` (first on ties)."""
    accepted = catalog.lookup(catalog.ARGREDUCE, "argreduce", name)
    line_fn = rows.argmax_line if name == "argmax" else rows.argmin_line
    built = Built(cpu_factories.argreduce, line_fn, name)

    def run(x, axis: int):
        x = _contiguous(x)
        catalog.check_dtype("argreduce", name, x.dtype, accepted)
        if x.ndim == 0 or not -x.ndim <= axis < x.ndim:
            raise ValueError(f"{name}: axis {axis} is out of range for input of rank {x.ndim}")
        axis %= x.ndim
        (a, r, b), out_shape = layout.argreduce_plan(x.shape, axis)
        if r == 0:
            raise ValueError(f"Reduction axis {axis} is empty in shape {list(x.shape)}")
        out = np.empty((a, b), np.int64)
        built.for_size(x.size)(x.reshape(a, r, b), out)
        return out.reshape(out_shape)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"{name} along one axis (CPU kernel)."
    run.kernels = built
    return run


# --------------------------------------------------------------------------
# Softmax and cross-entropy: one row of logits at a time (rows.py).
# --------------------------------------------------------------------------

_rows_kernels: dict = {}


def _rows_kernel(factory, row_fn, name: str, size: int):
    """The serial or parallel build of a row kernel, made on first use."""
    if name not in _rows_kernels:
        _rows_kernels[name] = Built(factory, row_fn, name)
    return _rows_kernels[name].for_size(size)


def _logits_2d(name: str, logits) -> np.ndarray:
    """``logits`` as a C-contiguous float [rows, classes] array (checked)."""
    logits = _contiguous(logits)
    catalog.check_dtype(name, name, logits.dtype, catalog.FLOAT)
    if logits.ndim == 0:
        raise ValueError(f"{name}: logits must have rank >= 1, got a scalar")
    return logits.reshape(-1, logits.shape[-1]) if logits.size else logits


def softmax(logits) -> np.ndarray:
    """exp(logits) / sum(exp(logits)) over the last axis, stable for huge logits."""
    x = _logits_2d("softmax", logits)
    out = np.empty_like(x)
    if x.size:
        _rows_kernel(cpu_factories.map_rows, rows.softmax_row, "softmax", x.size)(x, out)
    return out.reshape(np.shape(logits))


def log_softmax(logits) -> np.ndarray:
    """logits - log(sum(exp(logits))) over the last axis."""
    x = _logits_2d("log_softmax", logits)
    out = np.empty_like(x)
    if x.size:
        _rows_kernel(cpu_factories.map_rows, rows.log_softmax_row, "log_softmax", x.size)(x, out)
    return out.reshape(np.shape(logits))


def _row_into(row_fn, name: str):
    """The into form of ``softmax``/``log_softmax``: ``f(x, out)`` for Specs of one float shape."""
    def into(ins, outs):
        (x,), (out,) = ins, outs
        if x.dtype not in catalog.FLOAT or out.dtype != x.dtype or out.shape != x.shape \
                or len(x.shape) == 0 or 0 in x.shape:
            return None
        size, rows_shape = math.prod(x.shape), (-1, x.shape[-1])

        def run_into(x, out):
            if not x.flags.c_contiguous:        # (as the plain kernel: C rows)
                x = np.ascontiguousarray(x)
            _rows_kernel(cpu_factories.map_rows, row_fn, name, size)(x.reshape(rows_shape),
                                                                     out.reshape(rows_shape))
            return out
        return run_into
    return into


offer(softmax, _row_into(rows.softmax_row, "softmax"))
offer(log_softmax, _row_into(rows.log_softmax_row, "log_softmax"))


def softmax_cross_entropy(logits, labels):
    """TF's SoftmaxCrossEntropyWithLogits: ``(loss[...], backprop[..., classes])``."""
    x = _logits_2d("softmax_cross_entropy", logits)
    labels = _contiguous(labels)
    if labels.dtype != x.dtype or labels.shape != np.shape(logits):
        raise ValueError(
            f"softmax_cross_entropy: labels must match logits in shape and dtype; got "
            f"logits {list(np.shape(logits))} {x.dtype}, "
            f"labels {list(labels.shape)} {labels.dtype}")
    loss, backprop = _loss_outputs(x, np.shape(logits))
    if x.size:
        kernel = _rows_kernel(cpu_factories.loss_rows, rows.xent_row, "xent", x.size)
        kernel(x, labels.reshape(x.shape), loss.reshape(-1), backprop.reshape(x.shape))
    return loss, backprop


def softmax_cross_entropy_into(logits, labels, loss, backprop):
    """``f(logits, labels, loss, backprop)`` for 2-D Specs of one shape (see ``into.py``)."""
    if (logits.dtype not in catalog.FLOAT or len(logits.shape) != 2 or labels.shape != logits.shape
            or labels.dtype != logits.dtype or backprop.shape != logits.shape
            or loss.shape != logits.shape[:1] or 0 in logits.shape):
        return None
    size = math.prod(logits.shape)

    def run_into(logits, labels, loss, backprop):
        if not logits.flags.c_contiguous:       # (as the plain kernel: C rows)
            logits = np.ascontiguousarray(logits)
        if not labels.flags.c_contiguous:
            labels = np.ascontiguousarray(labels)
        _rows_kernel(cpu_factories.loss_rows, rows.xent_row, "xent", size)(logits, labels, loss, backprop)
        return loss, backprop
    return run_into


def sparse_softmax_cross_entropy(logits, labels):
    """Cross-entropy against class indices: ``(loss[...], backprop[..., classes])``."""
    x = _logits_2d("sparse_softmax_cross_entropy", logits)
    labels = _contiguous(labels)
    classes = np.shape(logits)[-1]
    if labels.dtype.kind != "i" or labels.shape != np.shape(logits)[:-1]:
        raise ValueError(
            f"sparse_softmax_cross_entropy: labels must be int32/int64 of shape "
            f"{list(np.shape(logits)[:-1])}; got {list(labels.shape)} {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)].flat[0]
        raise ValueError(f"Received a label value of {bad} which is outside the valid "
                         f"range of [0, {classes}).")
    loss, backprop = _loss_outputs(x, np.shape(logits))
    if x.size:
        kernel = _rows_kernel(cpu_factories.loss_rows, rows.sparse_xent_row, "sparse_xent",
                              x.size)
        kernel(x, labels.reshape(-1).astype(np.int64, copy=False), loss.reshape(-1),
               backprop.reshape(x.shape))
    return loss, backprop


def _loss_outputs(x: np.ndarray, logits_shape: tuple):
    """Fresh (loss, backprop) arrays; zero-filled so that empty rows give 0, not garbage."""
    loss = np.zeros(logits_shape[:-1], x.dtype)
    backprop = np.zeros(logits_shape, x.dtype)
    return loss, backprop
