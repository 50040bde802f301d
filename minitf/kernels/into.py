"""Kernels that write into a given array: the "into" forms the planner asks for.

A kernel such as ``cpu.binary("add")`` checks its inputs' dtypes, works out
how they broadcast, allocates its output and only then calls the numba loop,
at every call.  Inside a Session plan every shape and dtype is known before
the first run (fed shapes are part of the plan's key), so all of that can be
decided once.  A kernel that can do this offers an ``into`` attribute::

    f = kernel.into(ins, outs)      # ins, outs: one Spec per input / output
    f(x, y, out)                    # computes into ``out``; returns it (or a tuple)

``into`` returns None when it cannot specialize for these specs (an unusual
dtype, a broadcast its loops do not cover...): the planner then keeps the
plain kernel.  The specialized ``f`` makes exactly the calls the plain kernel
would make (same numba kernel, same BLAS call, same summation order), so its
results are bit for bit the same; it only skips the checks and the
allocation.  It never returns an input or a view of one: its results are
the ``out`` arrays it was given.  ``client/buffers.py`` uses this to give
each output an array allocated once, at plan time.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np


class Spec(NamedTuple):
    """What the plan knows about one input or output of a step."""
    shape: tuple
    dtype: np.dtype
    value: Optional[np.ndarray] = None     # the value itself, for a constant input (axes...)


def offer(kernel, into):
    """Attach the into-form factory ``into(ins, outs) -> f | None`` to ``kernel``; returns ``kernel``."""
    kernel.into = into
    return kernel
