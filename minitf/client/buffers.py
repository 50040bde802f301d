"""Buffer reuse: a plan's outputs written into arrays allocated once, at plan time.

Every kernel call used to return a fresh numpy array: an MLP training step
allocates (and frees) a few MB per step, and the lecture's linear regression
spends a good part of each tiny kernel call in checks and ``np.empty``.  Once
a plan has run long enough to be optimized (``Plan.optimize``), every shape
and dtype in it is known, so two things can be decided once:

1. *Specialization.*  Each CPU step whose kernel offers an "into" form
   (``kernels/into.py``: MatMul, BiasAdd, the elementwise and fused kernels,
   Sum/Mean, softmax and the softmax cross-entropy) gets ``f(*inputs, *outputs)``,
   which skips the per-call checks and writes into the arrays it is given.
   Like fusion, it trusts the plan's shapes and dtypes (the shape functions'
   answers for the fed shapes); a value whose shape the plan does not know
   keeps the plain kernel.

2. *Buffers.*  A specialized step's output that nothing outside the run can
   see is "pooled": it is written into a buffer that the plan owns and
   reuses at every run.  Two pooled values whose lifetimes (from the step
   that writes one to the last step that reads it) do not overlap share one
   buffer when their shape and dtype match, like registers.

A value is pooled only when overwriting it next run (or later in this run)
cannot change anything a user or the runtime holds.  So never:

* a fetched value (the user keeps it), a fed value or a constant (not
  outputs of a step at all);
* a value read by a step that might keep it.  We are conservative: every
  reader must be a specialized step (it writes its own buffers and never
  returns an input) or a CPU update op (``Apply*``, ``AssignAdd``,
  ``Scatter*``: they compute the variable's new value from the old one and
  the input, and keep no input).  ``Assign`` (its input becomes the
  variable's value: ``OpDef.stores_input``), ``py_func``, ``Print``,
  summaries, queues, control flow, copies to a GPU and every other kernel
  refuse pooling: their input gets a fresh array as before.
* A view (``OpDef.aliases_input``: Reshape, ExpandDims, Squeeze, Slice...)
  may hand on the value's memory itself, so the view is the same value: its
  readers must follow the same rules, it must not be fetched, and the buffer
  stays busy until the view's last reader has run.  (Identity-like ops the
  planner turned into a shared slot read the same slot: nothing to follow.)

A plan keeps its buffers across runs.  If a second thread runs the same plan
while the first is inside it, that run takes the unpooled function (fresh
arrays), so two runs never write one buffer.  ``MINITF_BUFFERS=0`` turns
specialization and buffers off (to compare, or to debug a kernel);
``Session.explain`` shows each pooled output's buffer as ``[bN]``.
"""

from __future__ import annotations

import os

import numpy as np

from ..kernels import devices
from ..kernels.into import Spec

CPU = devices.CPU


def enabled() -> bool:
    """Buffer reuse is on unless ``MINITF_BUFFERS=0``."""
    return os.environ.get("MINITF_BUFFERS", "1") != "0"


def specialize(plan) -> None:
    """Give each CPU step whose kernel has an into form that form (``step.out_specs`` set)."""
    specs = _slot_specs(plan)
    for step in plan.steps:
        offer = getattr(step.kernel, "into", None)
        if offer is None or step.device != CPU or not step.outs:
            continue
        ins = [specs.get(slot) for slot in step.ins]
        outs = [specs.get(slot) for slot in step.outs]
        if None in ins or None in outs:
            continue
        into = offer(ins, outs)
        if into is not None:
            step.kernel, step.out_specs = into, tuple(outs)
            step.buffers = (None,) * len(outs)


def assign(plan) -> list:
    """Give pooled outputs buffers by liveness (``step.buffers``); returns the plan's buffers."""
    last = _lifetimes(plan)            # pooled slot -> the last step that may read its memory
    pooled = set(last)
    free: dict = {}                    # (shape, dtype) -> buffers free at this step
    owners: dict = {}                  # slot -> its buffer, while the value lives
    buffers = []
    for i, step in enumerate(plan.steps):
        if step.out_specs is None:
            continue
        chosen = []
        for slot, spec in zip(step.outs, step.out_specs):
            if slot not in pooled:
                chosen.append(None)
                continue
            key = (spec.shape, spec.dtype)
            if free.get(key):
                buffer = free[key].pop()
            else:
                buffer = np.empty(spec.shape, spec.dtype)
                buffers.append(buffer)
            owners[slot] = buffer
            chosen.append(buffer)
        step.buffers = tuple(chosen)
        # Values whose last reader is this step (or that nothing reads) free their buffers
        # after it: a step never writes an output into a buffer it is still reading.
        for slot in list(owners):
            if last.get(slot, -1) <= i:
                buffer = owners.pop(slot)
                free.setdefault((buffer.shape, buffer.dtype), []).append(buffer)
    return buffers


def _slot_specs(plan) -> dict:
    """slot -> Spec for every value whose shape and dtype the plan knows (constants with value)."""
    specs = {}
    for tensor, slot in plan.slots.items():
        shape = plan.slot_shapes.get(slot)
        if shape is not None and slot not in specs:
            specs[slot] = Spec(shape, np.dtype(tensor.dtype.base_dtype.np_dtype))
    for (source, _), copy in plan.copies.items():          # a value copied between devices
        if source in specs:
            specs[copy] = specs[source]._replace(value=None)
    for slot, value in enumerate(plan.initial):
        if isinstance(value, np.ndarray):
            specs[slot] = Spec(value.shape, value.dtype, value)
    return specs


def _lifetimes(plan) -> dict:
    """For each output that may be pooled, the index of the last step that may read its memory.

    Candidates are the outputs of specialized steps.  A view step (``_is_view``:
    Reshape, ExpandDims, Squeeze...) may return its input's memory, so its
    output counts as the same value: its readers extend the lifetime, and it
    must not be fetched either.  Any other reader that may keep what it reads
    (``_only_reads``) takes the value out of the pool.
    """
    root = {}                          # value -> the candidate whose memory it may be
    for step in plan.steps:
        if step.out_specs is not None:
            root.update((slot, slot) for slot in step.outs)
        elif _is_view(step) and step.ins[0] in root:
            root[step.outs[0]] = root[step.ins[0]]
    seen_outside = {slot for slot in plan.fetch_slots if slot is not None} | set(plan.feed_slots)
    refused = {root[slot] for slot in seen_outside if slot in root}
    last = dict.fromkeys(root.values(), -1)     # -1: nothing reads it
    for i, step in enumerate(plan.steps):
        for k, slot in enumerate(step.ins):
            if slot in root:
                if _only_reads(step) or (k == 0 and _is_view(step)):
                    last[root[slot]] = i
                else:
                    refused.add(root[slot])
    return {slot: i for slot, i in last.items() if slot not in refused}


def _is_view(step) -> bool:
    """A CPU step whose output may be its input 0's memory (``OpDef.aliases_input``), nothing else."""
    op_def = getattr(step.op, "op_def", None)
    return (op_def is not None and op_def.aliases_input and not op_def.stateful
            and step.device == CPU and step.out_specs is None and len(step.outs) == 1
            and bool(step.ins))


def _only_reads(step) -> bool:
    """True when ``step`` reads its inputs during the call and keeps none of them."""
    if step.device != CPU:
        return False
    if step.out_specs is not None:
        return True                   # a specialized kernel: its results are its own buffers
    op_def = getattr(step.op, "op_def", None)       # (copies and fused steps have none)
    updates_variables = (op_def is not None and op_def.stateful and bool(op_def.ref_inputs)
                         and not op_def.ref_read_only)
    return updates_variables and not op_def.stores_input
