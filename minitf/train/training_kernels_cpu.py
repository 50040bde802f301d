"""CPU kernels for the update ops: one rule of ``update_rules.py``, one pass, in place.

``dense(rule, n_refs)`` runs the rule over every element of the variable and
its slots, writing the results back into their buffers; ``sparse`` runs it
over the listed rows only.  A kernel reads each element once and writes it
once, where the numpy formulas made about ten passes and as many new arrays
(Adam on 270k parameters: ~550 µs of numpy against ~60 µs here).

The loops are written once per number of variables updated (1 to 4: var and
up to three slots) because a numba loop cannot unpack a variable number of
arrays.  ``prange`` makes the parallel build; ``for_size`` picks it only for
variables of at least ``PARALLEL_THRESHOLD`` elements.  That is ten times the
elementwise kernels' threshold: an update is one memory-bound pass that two
threads speed up little, while on a shared machine a thread pool waiting for
a descheduled worker costs milliseconds (perf-anchors §6; measured here: the
784-256-256-10 Adam step went from 1.8 ms to 66 ms with parallel updates at
200k parameters while BLAS's own threads and another process shared 2 cores).
"""

from __future__ import annotations

from numba import prange

from ..kernels.cpu import Built
from ..kernels.cpu_jit import device, kernel


def _dense_1(rule, name, parallel=False):
    f = device(rule)

    def dense_update_1(h, g, a):
        for i in prange(a.size):
            a[i] = f(h, g[i], a[i])
    return kernel(dense_update_1, f"update_{name}", parallel)


def _dense_2(rule, name, parallel=False):
    f = device(rule)

    def dense_update_2(h, g, a, b):
        for i in prange(a.size):
            a[i], b[i] = f(h, g[i], a[i], b[i])
    return kernel(dense_update_2, f"update_{name}", parallel)


def _dense_3(rule, name, parallel=False):
    f = device(rule)

    def dense_update_3(h, g, a, b, c):
        for i in prange(a.size):
            a[i], b[i], c[i] = f(h, g[i], a[i], b[i], c[i])
    return kernel(dense_update_3, f"update_{name}", parallel)


def _dense_4(rule, name, parallel=False):
    f = device(rule)

    def dense_update_4(h, g, a, b, c, d):
        for i in prange(a.size):
            a[i], b[i], c[i], d[i] = f(h, g[i], a[i], b[i], c[i], d[i])
    return kernel(dense_update_4, f"update_{name}", parallel)


def _dense_1_shaped(rule, name):
    """``_dense_1`` for a one-scalar rule, called as it comes: ``(alpha, g, a)`` with
    ``alpha`` a 0-d array and ``g``, ``a`` in their own shape (``a`` C-contiguous).

    The caller makes no ``h`` tuple and no flat views, and ``.flat[i]`` indexes
    without making any here: 0.29 us a call on 4 elements, where the flat
    kernel with its tuple and views cost 0.75 us (measured; on 490k elements
    both take the same time).
    """
    f = device(rule)

    def dense_update_shaped(alpha, g, a):
        h = (alpha[()],)
        gs, values = g.flat, a.flat          # g may be any layout; a is the variable's buffer
        for i in range(a.size):
            values[i] = f(h, gs[i], values[i])
    return kernel(dense_update_shaped, f"update_{name}_shaped")


def _sparse_2(rule, name, parallel=False):
    """``g`` holds one row of ``width`` elements per entry of ``rows`` (distinct rows)."""
    f = device(rule)

    def sparse_update_2(h, g, rows, width, a, b):
        for k in prange(rows.size):
            for j in range(width):
                i = rows[k] * width + j
                a[i], b[i] = f(h, g[k * width + j], a[i], b[i])
    return kernel(sparse_update_2, f"sparse_update_{name}", parallel)


def _sparse_3(rule, name, parallel=False):
    f = device(rule)

    def sparse_update_3(h, g, rows, width, a, b, c):
        for k in prange(rows.size):
            for j in range(width):
                i = rows[k] * width + j
                a[i], b[i], c[i] = f(h, g[k * width + j], a[i], b[i], c[i])
    return kernel(sparse_update_3, f"sparse_update_{name}", parallel)


_DENSE = {1: _dense_1, 2: _dense_2, 3: _dense_3, 4: _dense_4}
_SPARSE = {2: _sparse_2, 3: _sparse_3}


PARALLEL_THRESHOLD = 1_000_000


class Update(Built):
    """A serial and (built on first use) parallel update kernel; parallel only for big variables."""

    def for_size(self, n: int):
        return self.serial if n < PARALLEL_THRESHOLD else super().for_size(n)


def dense(rule, n_refs: int) -> Update:
    """The in-place dense kernel ``(h, grad, var, *slots)`` for ``rule`` (all arrays flat)."""
    return Update(_DENSE[n_refs], rule, rule.__name__)


def dense_shaped(rule):
    """The serial in-place kernel ``(alpha, grad, var)`` for a rule with one scalar ``h``.

    ``alpha`` is a 0-d array of the variable's dtype, ``grad`` has the variable's
    shape and ``var`` is C-contiguous: the caller checks (no bounds checks here).
    """
    return _dense_1_shaped(rule, rule.__name__)


def sparse(rule, n_refs: int) -> Update:
    """The in-place row kernel ``(h, grad_rows, rows, width, var, *slots)`` for ``rule``."""
    return Update(_SPARSE[n_refs], rule, rule.__name__)
