"""Shape bookkeeping done on the host before a kernel runs (broadcasting, reductions).

Kernels only ever see flat or low-rank C-contiguous arrays. The planning that
maps an n-d problem onto them happens here, in plain Python, once per pair of
shapes: the plans are memoized because a training loop repeats the same shapes
every step.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

MAX_RANK = 8   # GPU kernels take shapes as fixed-length tuples padded to this


def _frozen(values) -> np.ndarray:
    """An int64 array that nobody may modify: plans are shared between calls."""
    array = np.array(values, dtype=np.int64)
    array.flags.writeable = False
    return array


def broadcast_shape(x_shape: tuple, y_shape: tuple) -> tuple:
    """The numpy broadcast of two shapes, or ValueError with TensorFlow's wording."""
    rank = max(len(x_shape), len(y_shape))
    xs = (1,) * (rank - len(x_shape)) + tuple(x_shape)
    ys = (1,) * (rank - len(y_shape)) + tuple(y_shape)
    out = []
    for a, b in zip(xs, ys):
        if a != b and a != 1 and b != 1:
            raise ValueError(
                f"Incompatible shapes: {list(x_shape)} vs. {list(y_shape)}")
        out.append(b if a == 1 else a)
    return tuple(out)


def contiguous_strides(shape: tuple) -> list:
    """Element strides of a C-contiguous array of ``shape``."""
    strides, step = [], 1
    for dim in reversed(shape):
        strides.append(step)
        step *= dim
    return strides[::-1]


def _broadcast_strides(shape: tuple, out_shape: tuple) -> list:
    """Strides that read a C-contiguous ``shape`` as if it had ``out_shape`` (0 = repeat)."""
    padded = (1,) * (len(out_shape) - len(shape)) + tuple(shape)
    return [0 if dim == 1 else stride
            for dim, stride in zip(padded, contiguous_strides(padded))]


def _coalesce(shape: list, *strides: list):
    """Merge neighbouring dimensions that every operand walks as one (fewer loop levels)."""
    keep = [d for d, n in enumerate(shape) if n != 1] or [0]   # size-1 dims never move
    shape = [shape[d] if shape else 1 for d in keep]
    strides = [[s[d] if s else 0 for d in keep] for s in strides]
    merged_shape, merged = [shape[0]], [[s[0]] for s in strides]
    for d in range(1, len(shape)):
        if all(m[-1] == s[d] * shape[d] for m, s in zip(merged, strides)):
            merged_shape[-1] *= shape[d]
            for m, s in zip(merged, strides):
                m[-1] = s[d]
        else:
            merged_shape.append(shape[d])
            for m, s in zip(merged, strides):
                m.append(s[d])
    return merged_shape, merged


LOOP_LEVELS = 4   # the CPU broadcast kernel is four nested loops


@lru_cache(maxsize=4096)
def broadcast_plan(x_shape: tuple, y_shape: tuple):
    """How the CPU binary kernel walks two broadcast operands.

    Returns ``(out_shape, loops)``. ``loops`` is a 3 x LOOP_LEVELS int64 array:
    the loop shape, then x's and y's element strides along it (0 where that
    operand repeats). It is None when the problem needs more loop levels even
    after merging dimensions (rare: the caller then materializes the broadcast).
    """
    out_shape = broadcast_shape(x_shape, y_shape)
    shape, (xs, ys) = _coalesce(list(out_shape),
                                _broadcast_strides(x_shape, out_shape),
                                _broadcast_strides(y_shape, out_shape))
    if len(shape) > LOOP_LEVELS:
        return out_shape, None
    pad = [1] * (LOOP_LEVELS - len(shape))   # leading size-1 loops: the real ones stay innermost
    zeros = [0] * len(pad)
    return out_shape, _frozen([pad + shape, zeros + xs, zeros + ys])


def padded(values, fill: int) -> tuple:
    """``values`` as a tuple of MAX_RANK ints, padded in front (GPU kernels take fixed tuples)."""
    values = [int(v) for v in values]
    if len(values) > MAX_RANK:
        raise ValueError(f"the GPU kernels support rank <= {MAX_RANK}, got {len(values)}")
    return (fill,) * (MAX_RANK - len(values)) + tuple(values)


@lru_cache(maxsize=4096)
def broadcast_index_plan(x_shape: tuple, y_shape: tuple):
    """For the GPU binary kernel: the out shape, then the loop shape and both
    operands' broadcast strides as MAX_RANK tuples (one signature for every rank)."""
    out_shape = broadcast_shape(x_shape, y_shape)
    return (out_shape, padded(out_shape, 1),
            padded(_broadcast_strides(x_shape, out_shape), 0),
            padded(_broadcast_strides(y_shape, out_shape), 0))


def normalize_axes(axes, rank: int) -> tuple:
    """Sorted, unique, non-negative axes, or ValueError naming the bad one."""
    result = set()
    for axis in axes:
        axis = int(axis)
        if not -rank <= axis < max(rank, 1):
            raise ValueError(
                f"Invalid reduction dimension {axis} for input with {rank} dimensions.")
        result.add(axis % rank if rank else 0)
    return tuple(sorted(result))


@lru_cache(maxsize=4096)
def reduce_plan(shape: tuple, axes: tuple, keepdims: bool):
    """How the CPU reduce kernel sees a reduction over ``axes``.

    The kernel reduces the middle axis of a C-contiguous ``(A, R, B)`` array.
    When the reduced axes sit next to each other (ignoring size-1 axes) that is
    just a reshape; otherwise ``perm`` moves them last and the caller copies.
    Returns ``(axes, perm or None, (A, R, B), out_shape)`` with ``axes``
    normalized (sorted, non-negative; empty means "nothing to reduce").
    """
    axes = normalize_axes(axes, len(shape))
    reduced = set(axes)
    out_shape = tuple(1 if d in reduced else n for d, n in enumerate(shape)
                      if keepdims or d not in reduced)
    moving = [d for d, n in enumerate(shape) if n != 1]
    marks = [d in reduced for d in moving]
    if True in marks:
        first, last = marks.index(True), len(marks) - 1 - marks[::-1].index(True)
    else:
        first, last = 0, -1
    if all(marks[first:last + 1]):     # one contiguous block: a reshape is enough
        a = math.prod(shape[d] for d in moving[:first])
        r = math.prod(shape[d] for d in moving[first:last + 1])
        b = math.prod(shape[d] for d in moving[last + 1:])
        return axes, None, (a, r, b), out_shape
    kept = [d for d in range(len(shape)) if d not in reduced]
    perm = tuple(kept + sorted(reduced))
    a = math.prod(shape[d] for d in kept)
    r = math.prod(shape[d] for d in reduced)
    return axes, perm, (a, r, 1), out_shape


@lru_cache(maxsize=4096)
def argreduce_plan(shape: tuple, axis: int):
    """``(A, R, B)`` for an arg-reduction over ``axis`` of a C array, and the out shape."""
    a = math.prod(shape[:axis])
    b = math.prod(shape[axis + 1:])
    return (a, shape[axis], b), shape[:axis] + shape[axis + 1:]


@lru_cache(maxsize=4096)
def reduce_index_plan(shape: tuple, axes: tuple):
    """For the GPU reduce kernel: kept and reduced shapes with their element strides.

    Output element ``o`` starts at ``position(o, kept_shape, kept_strides)``,
    and its ``r``-th input is ``position(r, reduced_shape, reduced_strides)``
    further on. Everything is padded to MAX_RANK tuples.
    """
    strides = contiguous_strides(shape)
    reduced = set(axes)
    kept = [d for d in range(len(shape)) if d not in reduced]
    red = sorted(reduced)
    return (padded([shape[d] for d in kept], 1), padded([strides[d] for d in kept], 0),
            padded([shape[d] for d in red], 1), padded([strides[d] for d in red], 0),
            math.prod(shape[d] for d in red))
