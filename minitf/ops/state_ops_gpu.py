"""GPU kernels for variables: ``VariableV2``, ``Assign``, ``AssignAdd``, ``AssignSub``.

A variable placed on the GPU keeps its value in GPU memory: the runtime's
``variables[name]`` holds a device array, and the update kernels replace it
with a new device array (never writing in place, as on the CPU, so a value
read earlier in the same run stays what it was).  A value that arrives in
host memory (``Variable.load``, a restored checkpoint) is moved to the GPU the
first time a GPU kernel reads it.
"""

from __future__ import annotations

import numpy as np

from ..framework import errors
from ..kernels import devices, gpu
from .array_ops import node_suffix
from .state_ops import read_variable, variable_op_of


def device_value(runtime, var_op, user_op=None):
    """The variable's current value in GPU memory (moved there once if it is on the host)."""
    value = read_variable(runtime, var_op, user_op)
    if devices.on_host(value):
        value = runtime.variables[var_op.name] = devices.to_device(np.asarray(value))
    return value


def variable(op, runtime):
    return lambda: device_value(runtime, op)


def assign(op, runtime):
    var_op = variable_op_of(op.inputs[0])
    validate = op.get_attr("validate_shape")
    static = var_op.get_attr("shape")

    def assign_on_gpu(ref_unused, value):
        if validate and static.ndims is not None and not static.is_compatible_with(tuple(value.shape)):
            raise errors.InvalidArgumentError(None, op, (
                "Assign requires shapes of both tensors to match. lhs shape= "
                f"{list(static.as_list())} rhs shape= {list(value.shape)}" + node_suffix(op)))
        runtime.variables[var_op.name] = value      # device arrays are never written in place
        return value
    return assign_on_gpu


def _update_kernel(kernel_name: str):
    def factory(op, runtime):
        combine = gpu.binary(kernel_name)
        var_op = variable_op_of(op.inputs[0])

        def update_on_gpu(ref_unused, delta):
            old = device_value(runtime, var_op, op)
            new = combine(old, delta)
            if tuple(new.shape) != tuple(old.shape):
                raise errors.InvalidArgumentError(None, op, (
                    f"Must have updates.shape = ref.shape: {list(delta.shape)} vs "
                    f"{list(old.shape)}" + node_suffix(op)))
            runtime.variables[var_op.name] = new
            return new
        return update_on_gpu
    return factory


assign_add = _update_kernel("add")
assign_sub = _update_kernel("sub")
