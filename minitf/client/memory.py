"""Host memory: which tensors of a GPU op stay in CPU memory.

TensorFlow's GPU kernels keep small bookkeeping tensors on the host
("HostMemory"): shapes, axes, sizes, and ``int32`` tensors, which is why the
target of a ``Reshape`` never travels to the GPU.  minitf uses one rule for
the planner (graph mode) and the eager executor alike:

* a *parameter* input (``PARAM_INPUTS``: shapes, axes, permutations, the fill
  value) is read on the host;
* a *data* input lives in GPU memory, unless it is ``int32`` (TF's int32
  rule); ``DEVICE_INPUTS`` are int data the GPU kernel reads on the device;
* ``ANY_INPUTS`` are only looked at for their shape, wherever they are;
* outputs live in GPU memory, except ``int32`` ones and the bookkeeping
  answers of ``HOST_OUTPUTS``.

A GPU-placed op with int32 *data*, or with only host outputs, runs its CPU
kernel on the host (TF does the same: an int32 ``Add`` "on the GPU" computes
on the host).  Its inputs then come to the host too.
"""

from __future__ import annotations

from ..framework import dtypes

HOST, DEVICE, ANY = "host", "device", "any"

_REDUCTIONS = ("Sum", "Mean", "Max", "Min", "Prod", "Any", "All", "ArgMax", "ArgMin")
_RANDOM = ("RandomStandardNormal", "RandomUniform", "TruncatedNormal")

# Op type -> parameter inputs, read on the host.
PARAM_INPUTS = {
    "Reshape": (1,), "ExpandDims": (1,), "BroadcastTo": (1,), "Transpose": (1,), "Fill": (0, 1),
    "RandomUniformInt": (0, 1, 2),
    **{op: (1,) for op in _REDUCTIONS}, **{op: (0,) for op in _RANDOM},
}
# Op type -> int data inputs a GPU kernel reads in device memory (class labels, ...).
DEVICE_INPUTS = {
    "SparseSoftmaxCrossEntropyWithLogits": (1,),
}
# Op type -> inputs whose shape is all that is read: no copy, wherever they are.
ANY_INPUTS = {
    "Shape": (0,), "Size": (0,), "Rank": (0,), "ZerosLike": (0,), "OnesLike": (0,),
}
# Ops whose outputs are bookkeeping answers kept on the host.
HOST_OUTPUTS = {"Shape", "Size", "Rank", "BroadcastGradientArgs", "IsVariableInitialized"}

_HOST_DTYPES = (dtypes.int32, dtypes.string)


def host_dtype(dtype) -> bool:
    """Tensors of this dtype always live on the host (TF's int32 rule)."""
    return dtype.base_dtype in _HOST_DTYPES


def input_location(op_type: str, index: int, dtype) -> str:
    """HOST, DEVICE or ANY: where input ``index`` of a GPU-placed ``op_type`` must be."""
    if index in ANY_INPUTS.get(op_type, ()):
        return ANY
    if index in PARAM_INPUTS.get(op_type, ()):
        return HOST
    if index in DEVICE_INPUTS.get(op_type, ()):
        return DEVICE
    return HOST if host_dtype(dtype) else DEVICE


def output_location(op_type: str, dtype) -> str:
    """HOST or DEVICE: where an output of a GPU-placed ``op_type`` is made."""
    return HOST if host_dtype(dtype) or op_type in HOST_OUTPUTS else DEVICE


def runs_on_host(op_type: str, in_dtypes, out_dtypes, ref_inputs=()) -> bool:
    """True when a GPU-placed op computes with its CPU kernel: int32 data, or host outputs only."""
    if all(output_location(op_type, d) == HOST for d in out_dtypes):
        return True
    special = set(PARAM_INPUTS.get(op_type, ())) | set(DEVICE_INPUTS.get(op_type, ())) | \
        set(ANY_INPUTS.get(op_type, ())) | set(ref_inputs)
    return any(host_dtype(d) for i, d in enumerate(in_dtypes) if i not in special)


def gpu_memory_plan(op_type: str, in_dtypes, out_dtypes, ref_inputs=()):
    """For a GPU-placed op: (runs its CPU kernel?, input locations, output locations).

    Input locations are HOST, DEVICE, ANY, or None for a variable reference
    (which is no value at all: the kernel finds the variable's storage itself).
    """
    on_host = runs_on_host(op_type, in_dtypes, out_dtypes, ref_inputs)
    ins = []
    for i, d in enumerate(in_dtypes):
        if i in ref_inputs:
            ins.append(None)
            continue
        where = input_location(op_type, i, d)
        ins.append(HOST if on_host and where == DEVICE else where)
    outs = [HOST if on_host else output_location(op_type, d) for d in out_dtypes]
    return on_host, tuple(ins), tuple(outs)
