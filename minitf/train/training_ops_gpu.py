"""GPU kernels for the optimizers' ``Apply*`` ops (variables kept in GPU memory).

Like the CPU kernels in ``training_ops.py``, one fused pass of TF's formula
(the numba.cuda kernels of ``training_kernels_cuda.py``) updates the variable
and its slots; the gradient and the hyperparameters stay on the GPU too.  The
pass writes into the variable's own device arrays when nothing else shares
them (``copy_on_write.device_sole_owner``), into fresh ones otherwise.
"""

from __future__ import annotations

from ..framework import errors
from ..ops.array_ops import node_suffix
from ..ops.gpu_support import empty, flat, launch
from ..ops.state_ops import variable_op_of
from ..ops.state_ops_gpu import device_value
from .copy_on_write import device_sole_owner


def _kernels():
    from . import training_kernels_cuda     # imports numba.cuda: only when a kernel launches
    return training_kernels_cuda


def _apply_on_gpu(n_refs: int, kernel_name: str, extra_args=lambda op: ()):
    """Kernel factory: the first ``n_refs`` inputs are variables, updated by ``kernel_name``."""
    def factory(op, runtime):
        var_ops = [variable_op_of(t) for t in op.inputs[:n_refs]]
        extra = tuple(extra_args(op))

        def apply_on_gpu(*args):
            inputs = args[n_refs:]
            olds = [device_value(runtime, v, op) for v in var_ops]     # (moved to the GPU once)
            _check_sizes(op, olds[0], inputs)
            del olds                        # our own references would look like sharing
            olds, news = [], []
            for var_op in var_ops:
                value = runtime.variables[var_op.name]
                sole = device_sole_owner(value, empty)
                olds.append(value)
                news.append(value if sole else empty(value.shape, value.dtype))   # in place if unshared
            if olds[0].size:
                launch(getattr(_kernels(), kernel_name), olds[0].size)(
                    *map(flat, olds), *map(flat, inputs), *extra, *map(flat, news))
            for var_op, new in zip(var_ops, news):
                runtime.variables[var_op.name] = new
            return news[0]
        return apply_on_gpu
    return factory


def _check_sizes(op, var, inputs) -> None:
    """Every input is a scalar hyperparameter or has the variable's shape (the gradient)."""
    for x in inputs:
        if x.size != 1 and tuple(x.shape) != tuple(var.shape):
            raise errors.InvalidArgumentError(None, op, (
                f"var and grad do not have the same shape{list(var.shape)} {list(x.shape)}"
                + node_suffix(op)))


apply_gradient_descent = _apply_on_gpu(1, "gradient_descent")
apply_momentum = _apply_on_gpu(2, "momentum", lambda op: (bool(op.get_attr("use_nesterov")),))
apply_adam = _apply_on_gpu(3, "adam")
apply_adagrad = _apply_on_gpu(2, "adagrad")
apply_rms_prop = _apply_on_gpu(3, "rmsprop")
apply_centered_rms_prop = _apply_on_gpu(4, "centered_rmsprop")
