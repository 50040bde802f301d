"""Elementwise fusion: a chain of elementwise steps becomes one generated numba kernel.

The lecture's linear regression step runs ``add → sub → mul → mul → neg``:
five kernel calls, five fresh arrays, five passes over 800 numbers, where the
arithmetic itself is a few nanoseconds per element.  The cost is the calls.
Once the plan is built (every shape is known, since fed shapes are part of
the plan's key), neighbouring elementwise steps where each result is read
only by the next step are merged into one step whose kernel computes the
whole chain per element, in registers::

    for r in prange(out.size // width):      # rows of `width` elements
        for j in range(width):
            i = r * width + j
            t0 = add(in0[i], in1[j])          # in1: a bias row, repeated
            t1 = sub(in2[i], t0)
            t2 = mul(in3[0], t1)              # in3: a scalar
            out[i] = neg(mul(in4[i], t2))

The scalar functions are the kernel library's own (``kernels/catalog.py``),
so a fused chain computes exactly what the separate kernels computed.
Inputs are either the full output shape, or repeat along leading axes (a
scalar, a bias row): broadcasting in any other pattern is left unfused.

The generated source is written to a file named by a hash of the pattern (and
of the scalar functions' code) and compiled with numba's on-disk cache, so a
second process loads the kernel instead of compiling it.  A plan is fused
only once it has run ``FUSE_AFTER_RUNS`` times and for ``FUSE_AFTER_SECONDS``
in all (``Plan.fuse``), so a graph run a few times never waits for a compile.  ``Session.explain`` lists a fused
step as ``Fused[Add+Sub+...]`` with the ops it covers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile

import numpy as np

from ..kernels import catalog, config
from ..kernels.cpu_jit import _hash_code
from ..kernels import devices
from ..kernels.into import offer

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))

# A plan is fused on its 10th run at the earliest: one-off runs (a notebook cell,
# most tests) never pay a compile for a pattern they would use once.
FUSE_AFTER_RUNS = 10
# ... and only once it has spent this long running unfused.  Compiling one fused
# pattern costs about 0.5 s (measured: the lecture's linear regression, empty
# cache, loaded 2-core machine) and saves a few microseconds per run: a
# notebook's training loop of a few thousand steps never earns that back, a
# loop that has already run for seconds probably runs on and will.  Benchmarks
# set it to 0 to time the fused steady state.
FUSE_AFTER_SECONDS = 2.0
_TABLES = {"unary": catalog.UNARY, "binary": catalog.BINARY}
# The generated code's layout, part of each file's name: whoever changes ``_source`` bumps it, so
# that a cached file written by the old template is never loaded by the new code.
_TEMPLATE = 2


class FusedOp:
    """What a fused step shows in explain() and error messages: the ops it runs."""
    __slots__ = ("type", "name", "ops")

    def __init__(self, ops):
        self.ops = ops
        self.type = "Fused[" + "+".join(op.type for op in ops) + "]"
        self.name = ops[-1].name


def enabled() -> bool:
    """Fusion is on unless ``MINITF_FUSION=0`` (to compare, or to debug a kernel step by step)."""
    return os.environ.get("MINITF_FUSION", "1") != "0"


def fuse(plan, slot_shapes: dict) -> None:
    """Merge runs of neighbouring fusible steps of ``plan`` (in place); ``slot_shapes``: slot -> shape."""
    readers = _reader_counts(plan)
    fetched = {s for s in plan.fetch_slots if s is not None}
    steps, run = [], []
    for step in plan.steps:
        info = _fusible(plan, step, slot_shapes)
        if info is not None and run and _continues(run[-1], step, info, readers, fetched):
            run.append((step, info))
            continue
        _flush(run, steps, slot_shapes)
        run = [(step, info)] if info is not None else []
        if info is None:
            steps.append(step)
    _flush(run, steps, slot_shapes)
    plan.steps = steps


def _reader_counts(plan) -> dict:
    counts: dict = {}
    for step in plan.steps:
        for slot in step.ins:
            counts[slot] = counts.get(slot, 0) + 1
    return counts


def _fusible(plan, step, slot_shapes):
    """(kind, name, out shape, dtype) for a CPU float elementwise step with a simple broadcast."""
    op = step.op
    tag = getattr(getattr(getattr(op, "op_def", None), "kernel", None), "elementwise", None)
    if tag is None or step.device != devices.CPU or len(step.outs) != 1 or not step.ins:
        return None
    kind, name = tag
    if kind == "binary" and name in catalog.BOOL_OUTPUT:
        return None
    dtypes = {t.dtype.base_dtype.np_dtype for t in op._inputs} | {op._outputs[0].dtype.base_dtype.np_dtype}
    if len(dtypes) != 1 or next(iter(dtypes)) not in _FLOATS:
        return None
    out_shape = slot_shapes.get(step.outs[0])
    if out_shape is None or 0 in out_shape:
        return None
    for slot in step.ins:
        shape = slot_shapes.get(slot)
        if shape is None or not _repeats_along_leading_axes(shape, out_shape):
            return None
    return kind, name, out_shape, next(iter(dtypes))


def _repeats_along_leading_axes(shape, out_shape) -> bool:
    """True when ``shape`` is ``out_shape``, a scalar, or a trailing block of it (a bias row)."""
    if len(shape) > len(out_shape):
        return False
    dims = list(shape)
    while dims and dims[0] == 1:
        dims.pop(0)
    return not dims or tuple(dims) == tuple(out_shape[len(out_shape) - len(dims):])


def _continues(prev, step, info, readers, fetched) -> bool:
    """``step`` extends the run: it reads the previous result, its only reader, at the same shape."""
    prev_step, prev_info = prev
    out = prev_step.outs[0]
    return (out in step.ins and readers.get(out, 0) == step.ins.count(out) and out not in fetched
            and prev_info[2] == info[2] and prev_info[3] == info[3])


def _flush(run, steps, slot_shapes) -> None:
    if len(run) == 1:
        steps.append(run[0][0])
    elif run:
        steps.append(_fused_step(run, slot_shapes))


def _fused_step(run, slot_shapes):
    """One Step computing the whole run: external inputs in, the last result out."""
    from .plan import Step               # (plan imports this module)
    inputs, pattern, produced = [], [], {}
    for k, (step, (kind, name, _, _)) in enumerate(run):
        args = []
        for slot in step.ins:
            if slot in produced:
                args.append(("t", produced[slot]))
            else:
                if slot not in inputs:
                    inputs.append(slot)
                args.append(("in", inputs.index(slot)))
        pattern.append((kind, name, tuple(args)))
        produced[step.outs[0]] = k
    out_shape, dtype = run[-1][1][2], run[-1][1][3]
    sizes = [int(np.prod(slot_shapes[slot])) for slot in inputs]
    size = int(np.prod(out_shape))
    width = max([n for n in sizes if 1 < n < size], default=0) or _chunk(size)   # the widest repeated row
    access = tuple(_access(n, size, width) for n in sizes)
    kernel = _runner(tuple(pattern), access, out_shape, dtype, width)
    return Step(FusedOp([s.op for s, _ in run]), kernel, tuple(inputs), (run[-1][0].outs[0],), devices.CPU)


def _chunk(size: int) -> int:
    """Without repeated rows: rows as long as possible up to 4096 (threads split the rows)."""
    if size < config.PARALLEL_THRESHOLD:
        return size
    return next(w for w in range(4096, 0, -1) if size % w == 0)


def _access(n: int, size: int, width: int) -> str:
    """How the kernel reads an input of ``n`` elements: whole, scalar, the row, or a shorter row."""
    if n == size:
        return "full"
    if n == 1:
        return "scalar"
    return "row" if n == width else "part"


# --- the generated kernel ---------------------------------------------------------------------
def _runner(pattern, access, out_shape, dtype, width):
    """``run(*inputs) -> out`` for the fused ``pattern`` (kernel built and cached on first use)."""
    module = _kernel_module(pattern, access)
    serial = module.serial
    size = int(np.prod(out_shape))

    def fused(*arrays):
        out = np.empty(out_shape, dtype)
        kernel = serial
        if size >= config.PARALLEL_THRESHOLD and config.num_threads > 1:
            config.apply_num_threads()
            kernel = module.parallel
        kernel(*[a.ravel() for a in arrays], out.ravel(), width)
        return out

    def fused_into(*arrays):                   # the inputs, then the output
        kernel = serial
        if size >= config.PARALLEL_THRESHOLD and config.num_threads > 1:
            config.apply_num_threads()
            kernel = module.parallel
        kernel(*[a.ravel() for a in arrays], width)
        return arrays[-1]

    def into(ins, outs):                       # a Session plan's specialized form (kernels/into.py)
        (out,) = outs
        return fused_into if out.shape == tuple(out_shape) and out.dtype == dtype else None
    return offer(fused, into)


_modules: dict = {}


def _kernel_module(pattern, access):
    key = (pattern, access)
    module = _modules.get(key)
    if module is None:
        module = _modules[key] = _load(*_source(pattern, access))
    return module


def _source(pattern, access):
    """The kernel's Python source and its file name (a hash of the pattern and the scalar code).

    The output is walked as rows of ``width`` elements (the widest repeated input
    row), so a bias row is read at ``[j]`` and never needs a division per element.
    """
    digest = hashlib.sha256(repr((pattern, access, _TEMPLATE)).encode())
    functions = sorted({(kind, name) for kind, name, _ in pattern})
    for kind, name in functions:
        _hash_code(digest, _TABLES[kind][name][0].__code__)
    tag = digest.hexdigest()[:16]
    lines = ['"""Generated by minitf.client.fusion (do not edit): one fused elementwise kernel."""',
             "from numba import njit, prange",
             "from minitf.kernels import catalog",
             "from minitf.kernels.cpu_jit import OPTIONS, device", ""]
    names = {}
    for i, (kind, name) in enumerate(functions):
        names[(kind, name)] = f"f{i}"
        table = "UNARY" if kind == "unary" else "BINARY"
        lines.append(f"f{i} = device(catalog.{table}[{name!r}][0])")
    index = {"full": "in{k}[i]", "scalar": "in{k}[0]", "row": "in{k}[j]", "part": "in{k}[j % in{k}.size]"}
    params = ", ".join([f"in{k}" for k in range(len(access))] + ["out", "width"])
    lines += ["", "", f"def fused_{tag}({params}):",
              "    for r in prange(out.size // width):",
              "        for j in range(width):",
              "            i = r * width + j"]
    for n, (kind, name, args) in enumerate(pattern):
        refs = ", ".join(f"t{a}" if src == "t" else index[access[a]].format(k=a) for src, a in args)
        lines.append(f"            t{n} = {names[(kind, name)]}({refs})")
    lines.append(f"            out[i] = t{len(pattern) - 1}")
    lines += ["", "", f"serial = njit(**OPTIONS)(fused_{tag})",
              f"parallel = njit(parallel=True, **OPTIONS)(fused_{tag})", ""]
    return "\n".join(lines), f"minitf_fused_{tag}"


def _cache_dir() -> str:
    folder = os.environ.get("MINITF_FUSION_CACHE") or os.path.join(
        tempfile.gettempdir(), f"minitf-fused-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def _load(source: str, module_name: str):
    """Write ``source`` once to the cache folder and import it (numba caches next to it)."""
    path = os.path.join(_cache_dir(), module_name + ".py")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            f.write(source)
        os.replace(tmp, path)               # atomic: another process never reads half a file
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[module_name] = module
    return module
