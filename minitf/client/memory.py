"""Host memory: which tensors of a GPU op stay in CPU memory.

TensorFlow's GPU kernels keep small bookkeeping tensors on the host
("HostMemory"): shapes, axes, sizes, and ``int32`` tensors, which is why the
target of a ``Reshape`` never travels to the GPU.  minitf uses one rule for
the planner (graph mode) and the eager executor alike:

* a *parameter* input (the op record's ``host_inputs``: shapes, axes,
  permutations, the fill value) is read on the host;
* a *data* input lives in GPU memory, unless it is ``int32`` (TF's int32
  rule); ``device_inputs`` are int data the GPU kernel reads on the device;
* ``shape_only_inputs`` are only looked at for their shape, wherever they are;
* outputs live in GPU memory, except ``int32`` ones and the bookkeeping
  answers of ops with ``host_outputs``.

A GPU-placed op with int32 *data*, or with only host outputs, runs its CPU
kernel on the host (TF does the same: an int32 ``Add`` "on the GPU" computes
on the host).  Its inputs then come to the host too.
"""

from __future__ import annotations

from ..framework import dtypes

HOST, DEVICE, ANY = "host", "device", "any"

_HOST_DTYPES = (dtypes.int32, dtypes.string)


def host_dtype(dtype) -> bool:
    """Tensors of this dtype always live on the host (TF's int32 rule)."""
    return dtype.base_dtype in _HOST_DTYPES


def input_location(op_def, index: int, dtype) -> str:
    """HOST, DEVICE or ANY: where input ``index`` of a GPU-placed op must be."""
    if index in op_def.shape_only_inputs:
        return ANY
    if index in op_def.host_inputs:
        return HOST
    if index in op_def.device_inputs:
        return DEVICE
    return HOST if host_dtype(dtype) else DEVICE


def output_location(op_def, dtype) -> str:
    """HOST or DEVICE: where an output of a GPU-placed op is made."""
    return HOST if op_def.host_outputs or host_dtype(dtype) else DEVICE


def runs_on_host(op_def, in_dtypes, out_dtypes) -> bool:
    """True when a GPU-placed op computes with its CPU kernel: int32 data, or host outputs only."""
    if all(output_location(op_def, d) == HOST for d in out_dtypes):
        return True
    special = {*op_def.host_inputs, *op_def.device_inputs, *op_def.shape_only_inputs,
               *op_def.ref_inputs}
    return any(host_dtype(d) for i, d in enumerate(in_dtypes) if i not in special)


def gpu_memory_plan(op_def, in_dtypes, out_dtypes):
    """For a GPU-placed op: (runs its CPU kernel?, input locations, output locations).

    Input locations are HOST, DEVICE, ANY, or None for a variable reference
    (which is no value at all: the kernel finds the variable's storage itself).
    """
    on_host = runs_on_host(op_def, in_dtypes, out_dtypes)
    ins = []
    for i, d in enumerate(in_dtypes):
        if i in op_def.ref_inputs:
            ins.append(None)
            continue
        where = input_location(op_def, i, d)
        ins.append(HOST if on_host and where == DEVICE else where)
    outs = [HOST if on_host else output_location(op_def, d) for d in out_dtypes]
    return on_host, tuple(ins), tuple(outs)
