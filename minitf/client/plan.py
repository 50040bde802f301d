"""Building an execution plan: prune → order → fold constants → bind kernels.

``Session.run`` asks for some fetches given some feeds.  The plan answers once
(and is cached): which ops must run, in what order, with which kernel, reading
and writing which value slots.  The plan is then written out as one
straight-line Python function (``codegen.py``), so a cached run does no graph
walking and no interpreting at all (see ``Plan.run``).

Because the fed shapes are part of the cache key, every shape in the plan is
concrete, so ``Shape`` ops and everything computed only from constants are
evaluated here, once, instead of at every step ("constant folding").

With a GPU, the plan also knows where each value lives (host or GPU memory,
see ``memory.py``).  Where an edge crosses devices it inserts a copy step
(``CopyHostToDevice`` / ``CopyDeviceToHost``), once per value and device, so
values stay on the GPU between GPU ops; folded constants are copied once,
here, not at every run; fetches always come back as numpy arrays.
"""

from __future__ import annotations

import numpy as np

from ..framework import errors
from ..framework.op_builder import infer_outputs, run_time_shape_message
from ..framework.registry import shape_stand_in
from ..framework.tensor_shape import TensorShape
from ..kernels import devices
from ..ops.array_ops import node_suffix
from ..ops.state_ops import variable_op_of
from . import buffers, fusion, memory
from .codegen import compile_plan

CPU = devices.CPU

_FOLD_LIMIT = 1 << 16            # fold constant results up to this many elements


class Step:
    """One kernel call: ``values[outs] = kernel(*values[ins])``.

    A specialized step (``buffers.py``) calls ``kernel(*values[ins], *outputs)``
    instead: ``out_specs`` are its outputs' shapes and dtypes, ``buffers`` the
    arrays it writes into (None: a fresh array at every run).
    """
    __slots__ = ("op", "kernel", "ins", "outs", "device", "out_specs", "buffers")

    def __init__(self, op, kernel, ins, outs, device):
        self.op, self.kernel, self.ins, self.outs, self.device = op, kernel, ins, outs, device
        self.out_specs = self.buffers = None


class Plan:
    """The cached answer to "how do I compute these fetches from these feeds"."""

    def __init__(self):
        self.steps: list[Step] = []
        self.slots: dict = {}              # Tensor -> slot index
        self.initial: list = [None]        # slot 0 is a scratch slot for ops with no output
        self.feed_slots: list[int] = []
        self.fetch_slots: list = []        # slot per fetch element, None for operations
        self.copy_on_fetch: list = []      # fetches that share memory with constants/variables
        self.folded: list = []             # ops evaluated while planning
        self.aliased: list = []            # ops that became a renamed slot (Identity, ...)
        self.placement: dict = {}
        self.where: dict = {0: CPU}        # slot -> device whose memory holds it (planning only)
        self.copies: dict = {}             # (slot, device) -> slot of the copy (planning only)
        self.copy_names: dict = {}         # slot of a copy -> its name, for explain()
        self.var_reads: dict = {}          # slot -> variable op whose value it holds (planning only)
        self.updates_before: dict = {}     # op -> variables updated on a path into it (planning only)
        self.fresh_reads: dict = {}        # variable op -> (slot, updates planned) (planning only)
        self.updates_planned: dict = {}    # variable op -> update steps planned so far (planning only)
        self.run = None                    # run(*feed_values) -> fetched values (see codegen.py)
        self.source = ""                   # its Python source
        self.slot_shapes: dict = {}        # slot -> concrete shape, where known (for fusion)
        self.runs = 0                      # runs so far, counted by the Session until it optimizes
        self.seconds = 0.0                 # time spent in those runs
        self.optimized = False             # optimize() has run
        self.buffers: list = []            # the arrays pooled outputs are written into (buffers.py)

    def optimize(self) -> None:
        """Fuse elementwise chains, specialize kernels, give outputs buffers; recompile ``run``.

        The Session does this once a plan has run ``fusion.FUSE_AFTER_RUNS`` times
        and ``fusion.FUSE_AFTER_SECONDS`` in all: a fused kernel costs a compile
        the first time its pattern is seen, which only a plan that runs on and on
        (a long training loop) earns back.  Fusion comes first (it changes the
        steps), then specialization and buffers for the final steps
        (``buffers.py``); ``MINITF_FUSION=0`` and ``MINITF_BUFFERS=0`` turn each off.
        """
        if self.optimized:
            return                      # once: its steps are final now
        self.optimized = True
        changed = False
        if fusion.enabled():
            fusion.fuse(self, self.slot_shapes)
            changed = True
        if buffers.enabled():
            buffers.specialize(self)
            self.buffers = buffers.assign(self)
            changed = True
        if changed:
            self.compile()

    def compile(self) -> None:
        """Write the steps out as one Python function, ``run`` (``codegen.py``)."""
        steps = list(self.steps)        # the function's own steps: fusing later swaps self.steps
        error = lambda index, e: self.step_error(index, e, steps)   # noqa: E731
        self.run, self.source = compile_plan(self, error)
        if self.buffers:                # the function above is the fallback of the pooled one
            self.run, self.source = compile_plan(self, error, unpooled=self.run)

    def step_error(self, index: int, e: BaseException, steps=None) -> BaseException:
        """What ``run`` raises when step ``index`` failed with ``e``: TF's error naming the op."""
        if isinstance(e, errors.OpError):
            return _without_context(e, cause=None)
        step = (steps or self.steps)[index]
        op = step.op
        gpu = step.device != CPU       # a CUDA driver trace never reaches the user
        return _without_context(_kernel_error(op, e, gpu), cause=None if gpu else e)

    def explain(self) -> str:
        """A readable listing of what this plan runs (for notebooks and debugging).

        A pooled output (``buffers.py``) shows its buffer: ``MatMul:0 [b0]``.
        """
        lines = [f"{len(self.steps)} kernel calls, {len(self.folded)} ops folded to constants, "
                 f"{len(self.aliased)} ops aliased, {len(self.feed_slots)} feeds"]
        if any(s.out_specs is not None for s in self.steps):
            lines.append(_buffers_line(self))
        number = {id(b): n for n, b in enumerate(self.buffers)}
        for i, s in enumerate(self.steps):
            args = ", ".join(_slot_name(self, j) for j in s.ins)
            outs = ", ".join(_slot_name(self, j) + ("" if b is None else f" [b{number[id(b)]}]")
                             for j, b in zip(s.outs, s.buffers or (None,) * len(s.outs)))
            lines.append(f"  {i:3d}  {s.op.type:<22} {s.op.name:<40} ({args}) -> {outs or '-'}"
                         f"  [{s.device.rsplit('/device:', 1)[-1]}]")
        if self.folded:
            lines.append("  folded: " + ", ".join(op.name for op in self.folded))
        for s in self.steps:
            if isinstance(s.op, fusion.FusedOp):
                lines.append(f"  fused into one kernel: {', '.join(op.name for op in s.op.ops)}")
        return "\n".join(lines)


def _buffers_line(plan) -> str:
    """How many steps were specialized and how many values share how many buffers."""
    specialized = [s for s in plan.steps if s.out_specs is not None]
    pooled = sum(b is not None for s in specialized for b in s.buffers)
    size = sum(b.nbytes for b in plan.buffers)
    return (f"  buffers: {len(specialized)} kernel calls specialized, {pooled} outputs pooled in "
            f"{len(plan.buffers)} buffers ({size / 1024:.1f} KiB)")


def _without_context(error: BaseException, cause) -> BaseException:
    """``error`` set up as ``raise error from cause`` would."""
    error.__cause__ = cause
    error.__suppress_context__ = True
    return error


def _slot_name(plan, slot) -> str:
    if slot == 0:
        return "None"
    if slot in plan.copy_names:
        return plan.copy_names[slot]
    for t, s in plan.slots.items():
        if s == slot:
            return t.name
    return f"#{slot}"


def _kernel_error(op, e, gpu: bool = False) -> errors.OpError:
    text = f"{op.type} '{op.name}' failed: {e}" + node_suffix(op)
    if gpu and not isinstance(e, (ValueError, TypeError, IndexError)):
        return errors.InternalError(None, op, text)
    return errors.InvalidArgumentError(None, op, text)


# --- building -------------------------------------------------------------------------
def build_plan(targets, fetch_tensors, feeds: dict, runtime, placer) -> Plan:
    """Plan the ops needed for ``targets`` given ``feeds`` {Tensor: ndarray}."""
    order = _topological_order(targets, feeds)
    plan = Plan()
    plan.updates_before = _updates_before(order, feeds)
    shapes, consts, shared = {}, {}, set()
    for t, value in feeds.items():
        _new_slot(plan, t)
        plan.feed_slots.append(plan.slots[t])
        shapes[t] = TensorShape(np.shape(value))
        shared.add(t)
    for op in order:
        _plan_op(plan, op, feeds, shapes, consts, shared, runtime, placer)
    for t in fetch_tensors:
        if t is None:
            plan.fetch_slots.append(None)
            plan.copy_on_fetch.append(False)
        else:
            slot = _slot_on(plan, t, CPU, consts)          # fetches come back as numpy arrays
            plan.fetch_slots.append(slot)
            plan.copy_on_fetch.append(t in shared and slot == plan.slots[t])
    _drop_dead_steps(plan)
    plan.slot_shapes = _slot_shapes(plan, shapes)
    plan.compile()
    return plan


def _slot_shapes(plan, shapes) -> dict:
    """slot -> concrete shape tuple, where the plan knows it (for fusion)."""
    known = {}
    for t, slot in plan.slots.items():
        shape = shapes.get(t)
        if shape is not None and shape.is_fully_defined():
            known[slot] = tuple(shape.as_list())
    for slot, value in enumerate(plan.initial):
        if value is not None and hasattr(value, "shape"):
            known[slot] = tuple(value.shape)
    return known


def _drop_dead_steps(plan) -> None:
    """Remove pure steps whose results nothing reads any more.

    Folding can orphan work: ``tf.gradients`` reads the loss only through
    ``Shape(loss)``, so once that Shape is a constant the forward loss is not
    needed by a training step.  Stateful steps (assignments, random draws,
    placeholders) always stay.
    """
    needed = {s for s in plan.fetch_slots if s is not None}
    ordered_before = set()              # control inputs of kept steps (tf.check_numerics under a group)
    kept = []
    for step in reversed(plan.steps):
        op_def = getattr(step.op, "op_def", None)
        if ((op_def is not None and op_def.stateful) or any(o in needed for o in step.outs)
                or step.op in ordered_before):
            kept.append(step)
            needed.update(step.ins)
            ordered_before.update(getattr(step.op, "_control_inputs", ()))
    plan.steps = kept[::-1]


def _topological_order(targets, feeds) -> list:
    """Ops needed for ``targets``, inputs first (iterative DFS, deterministic)."""
    order, done, on_stack = [], set(), set()
    stack = [(op, False) for op in reversed(targets)]
    while stack:
        op, expanded = stack.pop()
        if op in done:
            continue
        if expanded:
            on_stack.discard(op)
            done.add(op)
            order.append(op)
            continue
        on_stack.add(op)
        stack.append((op, True))
        for dep in reversed(_dependencies(op, feeds)):
            if dep not in done:
                if dep in on_stack:
                    raise errors.InvalidArgumentError(None, op, f"Graph has a cycle through '{op.name}'")
                stack.append((dep, False))
    return order


def _dependencies(op, feeds) -> list:
    refs = op.op_def.ref_inputs
    deps = [t.op for i, t in enumerate(op._inputs) if i not in refs and t not in feeds]
    return deps + list(op._control_inputs)


# --- variable reads after updates -----------------------------------------------------
def _updated_variables(op) -> tuple:
    """The variable ops that ``op`` writes (Assign, AssignAdd, Apply*, Scatter*...)."""
    refs = op.op_def.ref_inputs
    if not refs or not op.op_def.stateful or op.op_def.ref_read_only:
        return ()
    found = []
    for i in refs:
        try:
            found.append(variable_op_of(op._inputs[i]))
        except (errors.OpError, IndexError):
            pass
    return tuple(found)


def _updates_before(order, feeds) -> dict:
    """For each op, the variables some update ordered before it (by data or control edges) writes.

    TF 1.x reads a reference variable when the consuming op runs, so an op ordered
    after an update must see the updated value, not a read made earlier in the run.
    """
    none = frozenset()
    before = {}
    for op in order:
        seen = none
        for dep in _dependencies(op, feeds):
            written = _updated_variables(dep)
            if before.get(dep, none) or written:
                seen = seen | before.get(dep, none) | frozenset(written)
        before[op] = seen
    return before


def _current_read(plan, op, slot: int, runtime, placer) -> int:
    """``slot``, or a fresh read of its variable when ``op`` is ordered after an update of it."""
    var_op = plan.var_reads.get(slot)
    if var_op is None or var_op not in plan.updates_before.get(op, ()):
        return slot
    updates = plan.updates_planned.get(var_op, 0)
    fresh = plan.fresh_reads.get(var_op)
    if fresh is not None and fresh[1] == updates:
        return fresh[0]
    device = placer.device_for(var_op)
    new = len(plan.initial)
    plan.initial.append(None)
    plan.where[new] = _memory_plan(var_op, device)[1][0]
    plan.var_reads[new] = var_op
    plan.copy_names[new] = f"{var_op.name}:0 (read again)"
    plan.steps.append(Step(var_op, placer.kernel_for(var_op, device, runtime), (), (new,), device))
    plan.fresh_reads[var_op] = (new, updates)
    return new


def _new_slot(plan, tensor, device: str = CPU) -> int:
    plan.slots[tensor] = len(plan.initial)
    plan.initial.append(None)
    plan.where[plan.slots[tensor]] = device
    return plan.slots[tensor]


# --- device copies --------------------------------------------------------------------
class CopyOp:
    """The op-like a copy step carries (for explain() and error messages)."""
    __slots__ = ("type", "name")

    def __init__(self, op_type: str, name: str):
        self.type, self.name = op_type, name


def _slot_on(plan, tensor, device: str, consts, slot=None) -> int:
    """The slot holding ``tensor``'s value in ``device``'s memory, adding a copy if needed."""
    slot = plan.slots[tensor] if slot is None else slot
    if device is None or device == memory.ANY or plan.where[slot] == device:
        return slot
    copy = plan.copies.get((slot, device))
    if copy is not None:
        return copy
    copy = len(plan.initial)
    plan.where[copy] = device
    short = device.rsplit("/device:", 1)[-1]
    plan.copy_names[copy] = f"{tensor.name}@{short}"
    if tensor in consts:                   # a constant: copy it once, now
        plan.initial.append(devices.copy_to(consts[tensor], device))
    else:
        plan.initial.append(None)
        to_gpu = device != CPU
        kind = "CopyHostToDevice" if to_gpu else "CopyDeviceToHost"
        kernel = devices.to_device if to_gpu else devices.to_host
        plan.steps.append(Step(CopyOp(kind, f"{tensor.name}/{kind}"), kernel, (slot,), (copy,),
                               device if to_gpu else plan.where[slot]))
    plan.copies[(slot, device)] = copy
    return copy


def _memory_plan(op, device: str):
    """Where ``op`` on ``device`` needs each input, and where it leaves each output."""
    n_in, n_out = len(op._inputs), len(op._outputs)
    refs = op.op_def.ref_inputs
    if device == CPU:
        return tuple(None if i in refs else CPU for i in range(n_in)), (CPU,) * n_out
    _, ins, outs = memory.gpu_memory_plan(op.op_def, [t.dtype for t in op._inputs],
                                          [t.dtype for t in op._outputs])
    where = {memory.HOST: CPU, memory.DEVICE: device, memory.ANY: memory.ANY, None: None}
    return tuple(where[i] for i in ins), tuple(where[o] for o in outs)


def _plan_op(plan, op, feeds, shapes, consts, shared, runtime, placer):
    outputs = op._outputs
    if outputs and all(t in feeds for t in outputs):
        return                                           # everything it makes is fed
    device = placer.device_for(op)                       # even folded ops: a bad device is an error
    in_shapes = [shapes.get(t, t.shape) for t in op._inputs]
    in_consts = [consts.get(t) for t in op._inputs]
    out_shapes = _concrete_shapes(op, in_shapes, in_consts)
    for t, s in zip(outputs, out_shapes):
        if t not in feeds:
            shapes[t] = s
    if _try_fold(plan, op, in_shapes, in_consts, consts, shared, feeds, out_shapes):
        return
    if _is_identity(op, in_shapes, in_consts, out_shapes):
        src = op._inputs[0]
        if src in plan.slots and op.op_def.ref_inputs == ():
            plan.slots[outputs[0]] = _current_read(plan, op, plan.slots[src], runtime, placer)
            if src in shared or plan.slots[outputs[0]] in plan.var_reads:
                shared.add(outputs[0])
            if src in consts:
                consts[outputs[0]] = consts[src]
            plan.aliased.append(op)
            return
    kernel = placer.kernel_for(op, device, runtime)
    in_where, out_where = _memory_plan(op, device)
    ins = tuple(0 if where is None else
                _slot_on(plan, t, where, consts, _current_read(plan, op, plan.slots[t], runtime, placer))
                for t, where in zip(op._inputs, in_where))
    outs = tuple(plan.slots[t] if t in feeds else _new_slot(plan, t, where)
                 for t, where in zip(outputs, out_where))
    if op.op_def.aliases_input and outputs:
        if op.op_def.variable or any(t in shared for t in op._inputs[:1]):
            shared.update(outputs)
    plan.steps.append(Step(op, kernel, ins, outs, device))
    if op.op_def.variable:
        plan.var_reads[outs[0]] = op
    for var_op in _updated_variables(op):
        plan.updates_planned[var_op] = plan.updates_planned.get(var_op, 0) + 1


def _is_identity(op, in_shapes, in_consts, out_shapes) -> bool:
    """Ops that return their input unchanged here: no kernel call, the slot is shared."""
    forwards = op.op_def.forwards_input
    return forwards is not None and forwards(in_shapes, in_consts, out_shapes)


def _concrete_shapes(op, in_shapes, in_consts) -> list:
    """Re-run the op's shape function with the shapes known at plan time."""
    try:
        return [s for s, _ in infer_outputs(op.op_def, op.name, op._inputs, op._attrs,
                                            shapes=in_shapes, consts=in_consts)]
    except (ValueError, TypeError) as e:      # the kernel's words when it checks this itself
        message = run_time_shape_message(op.op_def, in_shapes, op._attrs, e)
        raise errors.InvalidArgumentError(None, op, message + node_suffix(op)) from None


def _try_fold(plan, op, in_shapes, in_consts, consts, shared, feeds, out_shapes=()) -> bool:
    """Evaluate ``op`` now if its result cannot change between runs (and is small)."""
    op_def = op.op_def
    if op_def.stateful or not op._outputs or op_def.kernel is None:
        return False
    if any((s.num_elements() or 0) > _FOLD_LIMIT for s in out_shapes):
        return False                   # e.g. tf.zeros([2e8]): never computed just to be dropped
    if op_def.shape_function_of_input and in_shapes[0].is_fully_defined():
        args = [shape_stand_in(in_shapes[0].as_list())]     # only its shape is read
    elif op_def.constant or (op._inputs and all(c is not None for c in in_consts)):
        args = in_consts
    else:
        return False
    try:
        result = op_def.kernel(op, None)(*args)
    except Exception:
        return False                   # let the real run report the error with its context
    results = result if len(op._outputs) > 1 else (result,)
    if any(np.size(r) > _FOLD_LIMIT for r in results):
        return False
    for t, r in zip(op._outputs, results):
        if t in feeds:
            continue
        r = np.asarray(r)
        consts[t] = r
        slot = _new_slot(plan, t)
        plan.initial[slot] = r
        shared.add(t)
    plan.folded.append(op)
    return True
