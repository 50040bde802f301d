"""Turning a plan into one straight-line Python function.

Interpreting a plan step by step costs a loop, a list lookup per input and a
length test per output, at every ``Session.run``.  Since the plan is fixed, we
write it out once as Python source instead, e.g. for ``c = a + b``::

    def run_plan(v1, v2, k0=k0):
        s = -1
        try:
            s = 0; v3 = k0(v1, v2)
            return [v3]
        except Exception as e:
            raise step_error(s, e)

Slots become local variables, kernels and constants are bound as default
arguments (the fastest names Python has), and ``s`` records which step is
running so that ``step_error`` (``Plan.step_error``) can name the op that
failed.  A value is dropped (``del vN``) right after its last reader, and a
result nothing reads is not kept at all: then a variable's array is held by
nobody but the runtime when an update op comes to it, and the update can
write in place (``train/copy_on_write.py``); big temporaries are also freed
as early as possible.  ``Session.run`` calls this function directly; ``Session.explain(...,
source=True)`` prints it, and so does ``MINITF_DEBUG=3``.

An optimized plan's specialized steps (``buffers.py``) take their outputs as
arguments: a buffer bound once (``b3``), or a fresh ``empty(sh3, dt3)``::

        s = 1; v5 = k1(v1, v4, b5); del v4

A plan with buffers holds a lock while it runs; a second thread arriving
meanwhile runs ``unpooled``, the same steps with fresh outputs.
"""

from __future__ import annotations

import threading

import numpy as np


def plan_source(plan, pooled: bool = False) -> tuple[str, dict]:
    """The source of ``run_plan`` and the names it binds (kernels ``kN``, constants ``cN``).

    ``pooled``: specialized steps write into their buffers (else into fresh arrays).
    """
    bound, lines = {}, []
    last_read = _last_reads(plan)
    for i, step in enumerate(plan.steps):
        bound[f"k{i}"] = step.kernel
        args = ", ".join([_arg(plan, slot, bound) for slot in step.ins] + _outputs(step, pooled, bound))
        call = f"k{i}({args})"
        if not step.outs or (len(step.outs) == 1 and step.outs[0] not in last_read):
            line = f"        s = {i}; {call}"
        elif len(step.outs) == 1:
            line = f"        s = {i}; v{step.outs[0]} = {call}"
        else:
            line = f"        s = {i}; {', '.join(f'v{o}' for o in step.outs)} = {call}"
        dead = [f"v{slot}" for slot in dict.fromkeys(step.ins) if last_read.get(slot) == i]
        dead += [f"v{o}" for o in step.outs if o not in last_read and len(step.outs) > 1]
        lines.append(line + (f"; del {', '.join(dead)}" if dead else ""))
    fetched = ", ".join("None" if slot is None else _arg(plan, slot, bound) for slot in plan.fetch_slots)
    feeds = ", ".join(f"v{slot}" for slot in plan.feed_slots)
    locked = pooled and any(name[0] == "b" and name[1:].isdigit() for name in bound)
    if locked:
        bound.update(acquire=None, release=None, unpooled=None)     # (bound by compile_plan)
    defaults = ", ".join(f"{name}={name}" for name in bound)
    header = f"def run_plan({', '.join(p for p in (feeds, defaults) if p)}):"
    start = ["    if not acquire(False):",
             f"        return unpooled({feeds})        # another thread is in this plan"] if locked else []
    end = ["    finally:", "        release()"] if locked else []
    body = "\n".join(start + ["    s = -1", "    try:"] + lines + [
        f"        return [{fetched}]",
        "    except Exception as e:",
        "        raise step_error(s, e)"] + end)
    return header + "\n" + body + "\n", bound


def _outputs(step, pooled: bool, bound: dict) -> list:
    """The output arguments of a specialized step: its buffers, or fresh arrays."""
    if step.out_specs is None:
        return []
    args = []
    for slot, spec, buffer in zip(step.outs, step.out_specs, step.buffers):
        if pooled and buffer is not None:
            bound[f"b{slot}"] = buffer
            args.append(f"b{slot}")
        else:
            bound["empty"] = np.empty
            bound[f"sh{slot}"], bound[f"dt{slot}"] = spec.shape, spec.dtype
            args.append(f"empty(sh{slot}, dt{slot})")
    return args


def _last_reads(plan) -> dict:
    """slot -> index of the last step reading it, for computed values that are not fetched.

    Fetched slots are read by the return statement (never dropped); feeds are
    the caller's, and constants are bound to the function: neither is listed.
    """
    fetched = set(plan.fetch_slots)
    fed = set(plan.feed_slots)
    last = {}
    for i, step in enumerate(plan.steps):
        for slot in step.ins:
            if slot and slot not in fetched and slot not in fed and plan.initial[slot] is None:
                last[slot] = i
    for slot in fetched:                # kept to the end: never "unused"
        if slot is not None:
            last[slot] = len(plan.steps)
    return last


def _arg(plan, slot: int, bound: dict) -> str:
    """A step input: a constant (bound once), a fed or computed value, or None."""
    if slot == 0:
        return "None"
    if plan.initial[slot] is not None:
        bound[f"c{slot}"] = plan.initial[slot]
        return f"c{slot}"
    return f"v{slot}"


def compile_plan(plan, step_error, unpooled=None):
    """Build ``run_plan`` for ``plan``; on a failure it raises ``step_error(step index, error)``.

    With ``unpooled`` (the same plan compiled without buffers), specialized
    steps write into their buffers, and a run that finds the plan busy in
    another thread calls ``unpooled`` instead.
    """
    source, bound = plan_source(plan, pooled=unpooled is not None)
    if "unpooled" in bound:
        lock = threading.Lock()
        bound.update(acquire=lock.acquire, release=lock.release, unpooled=unpooled)
    namespace = dict(bound, step_error=step_error)
    exec(compile(source, f"<minitf plan: {len(plan.steps)} steps>", "exec"), namespace)
    return namespace["run_plan"], source
