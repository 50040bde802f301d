"""Kernel factories: from one scalar function to a whole CPU array kernel.

This is MiniTorch's idea. Three higher-order functions build every
elementwise and reduction kernel of minitf:

    map(fn)     out[i]    = fn(x[i])                     unary ops: exp, relu, ...
    zip(fn)     out[i]    = fn(x[i], y[i])               binary ops: add, less, ...
    reduce(fn)  out[a, b] = fn(...fn(fn(start, x[a, 0, b]), x[a, 1, b])...)   sum, max, ...

``cuda_factories.py`` has the same three for the GPU, fed with the same
scalar functions. Each factory returns a numba dispatcher: nothing is compiled
until the kernel's first call with a given dtype.

Every kernel writes into an ``out`` array that the caller allocated with numpy
(numpy's allocator is far cheaper for big arrays than allocating inside njit,
perf-anchors §2). ``prange`` runs the loop on several threads when the kernel
is built with ``parallel=True`` and is a plain ``range`` otherwise, so one
source gives both the serial and the parallel kernel.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from minitf.kernels.cpu_jit import device, kernel


def map(fn, name: str, parallel: bool = False):
    """Kernel ``(x, out)`` over flat arrays: ``out[i] = fn(x[i])``."""
    f = device(fn)

    def map_kernel(x, out):
        for i in prange(out.size):
            out[i] = f(x[i])

    return kernel(map_kernel, f"map_{name}", parallel)


def zip(fn, name: str, parallel: bool = False):
    """Kernel ``(x, y, out)`` over flat arrays of one shape: ``out[i] = fn(x[i], y[i])``."""
    f = device(fn)

    def zip_kernel(x, y, out):
        for i in prange(out.size):
            out[i] = f(x[i], y[i])

    return kernel(zip_kernel, f"zip_{name}", parallel)


def zip_broadcast(fn, name: str, parallel: bool = False):
    """Kernel ``(x, y, out, loops)``: ``zip`` with numpy broadcasting.

    ``loops`` (see ``layout.broadcast_plan``) holds a 4-d loop shape, then x's
    and y's element strides along it: 0 along the loops where that input
    repeats (so the innermost stride is 1 or 0). ``x``, ``y`` and ``out`` are flat. Four loop levels cover every
    broadcast once neighbouring dimensions are merged (leading loops of size 1
    pad the rest), and nested loops find positions with multiplications only,
    where an index helper per element would divide. Threads split the third
    loop, the long one in practice: ``(N, M) + (M,)`` runs as loops ``(1, 1, N, M)``.
    """
    f = device(fn)

    def zip_broadcast_kernel(x, y, out, loops):
        n0, n1, n2, n3 = loops[0, 0], loops[0, 1], loops[0, 2], loops[0, 3]
        xs0, xs1, xs2, xs3 = loops[1, 0], loops[1, 1], loops[1, 2], loops[1, 3]
        ys0, ys1, ys2, ys3 = loops[2, 0], loops[2, 1], loops[2, 2], loops[2, 3]
        for i0 in range(n0):
            for i1 in range(n1):
                for i2 in prange(n2):
                    o = ((i0 * n1 + i1) * n2 + i2) * n3
                    xo = i0 * xs0 + i1 * xs1 + i2 * xs2
                    yo = i0 * ys0 + i1 * ys1 + i2 * ys2
                    out_row = out[o:o + n3]
                    # The innermost loop in its three shapes: both inputs walk
                    # along the row, or one of them stays on a single value.
                    # Slices and lone values (not strided indexing) tell LLVM
                    # the access pattern, so it can vectorize each loop.
                    if xs3 == 0:
                        x_value, y_row = x[xo], y[yo:yo + n3]
                        for i3 in range(n3):
                            out_row[i3] = f(x_value, y_row[i3])
                    elif ys3 == 0:
                        x_row, y_value = x[xo:xo + n3], y[yo]
                        for i3 in range(n3):
                            out_row[i3] = f(x_row[i3], y_value)
                    else:
                        x_row, y_row = x[xo:xo + n3], y[yo:yo + n3]
                        for i3 in range(n3):
                            out_row[i3] = f(x_row[i3], y_row[i3])

    return kernel(zip_broadcast_kernel, f"zip_broadcast_{name}", parallel)


# Pairwise summation (numpy's accuracy): values are folded in blocks of BLOCK,
# and the block totals are combined like a binary counter, so every value
# takes part in about log2(n / BLOCK) additions instead of up to n.  Summing
# 1e6 x 0.1 in float32 sequentially gives 99985.0; pairwise gives 100000.0.
# Inside a block LLVM keeps several partial sums in SIMD lanes (reassoc), so a
# block of 1024 costs each value only ~1024/lanes sequential additions.
BLOCK = 1024


def reduce(fn, finish, name: str, parallel: bool = False):
    """Kernel ``(x, out)``: fold the middle axis of ``x[A, R, B]`` into ``out[A, B]`` with ``fn``.

    ``out`` comes in holding the start value (0 for sum, -inf for max, ...);
    at the end ``finish(total, R)`` turns each folded value into the result.
    The fold is pairwise over blocks of ``BLOCK`` values (see above).
    """
    f = device(fn)
    done = device(finish)

    def reduce_kernel(x, out):
        n_rows, n_reduce, width = x.shape
        if n_reduce <= BLOCK:
            # One block: fold straight into ``out`` (no partial totals needed).
            for a in prange(n_rows):
                if width == 1:
                    acc = out[a, 0]             # a running value in a register
                    for r in range(n_reduce):
                        acc = f(acc, x[a, r, 0])
                    out[a, 0] = acc
                else:
                    for r in range(n_reduce):   # whole rows of `width` values: unit stride
                        for b in range(width):
                            out[a, b] = f(out[a, b], x[a, r, b])
                for b in range(width):
                    out[a, b] = done(out[a, b], n_reduce)
            return
        n_blocks = (n_reduce + BLOCK - 1) // BLOCK
        n_levels = 1
        while (1 << n_levels) <= n_blocks:
            n_levels += 1
        # Partial totals, allocated once (not per row): level k holds 2**k blocks;
        # the extra last level is the scratch row of the block being folded.
        levels = np.empty((n_rows, n_levels + 1, width), dtype=out.dtype)
        flat = x.reshape(n_rows * n_reduce * width)    # 1-d, unit stride: the loops vectorize
        for a in prange(n_rows):
            start = out[a, 0]
            count = 0
            for lo in range(0, n_reduce, BLOCK):
                first, stop = a * n_reduce + lo, a * n_reduce + min(lo + BLOCK, n_reduce)
                part = flat[first * width:stop * width]
                block = levels[a, n_levels]
                if width == 1:
                    # Reducing the innermost axes: a running value in a register.
                    acc = start
                    for r in range(part.shape[0]):
                        acc = f(acc, part[r])
                    block[0] = acc
                else:
                    # Fold whole rows of `width` values: unit stride, vectorizes.
                    block[:] = start
                    for r in range(part.shape[0] // width):
                        row = part[r * width:(r + 1) * width]
                        for b in range(width):
                            block[b] = f(block[b], row[b])
                k, c = 0, count
                while c & 1:                          # carry: merge equal-sized partial totals
                    for b in range(width):
                        block[b] = f(levels[a, k, b], block[b])
                    c >>= 1
                    k += 1
                levels[a, k, :] = block
                count += 1
            for k in range(n_levels - 1, -1, -1):
                if (count >> k) & 1:
                    for b in range(width):
                        out[a, b] = f(out[a, b], levels[a, k, b])
            for b in range(width):
                out[a, b] = done(out[a, b], n_reduce)

    # reassoc lets LLVM reorder the additions inside a block into SIMD lanes.
    return kernel(reduce_kernel, f"reduce_{name}", parallel, fastmath={"reassoc"})


def argreduce(line_fn, name: str, parallel: bool = False):
    """Kernel ``(x, out)``: ``out[a, b] = line_fn(x[a, :, b])`` (an index along the middle axis)."""
    f = device(line_fn)

    def argreduce_kernel(x, out):
        n_rows, _, width = x.shape
        for a in prange(n_rows):
            for b in range(width):
                out[a, b] = f(x[a, :, b])

    return kernel(argreduce_kernel, f"arg_{name}", parallel)


def map_rows(row_fn, name: str, parallel: bool = False):
    """Kernel ``(x, out)`` over 2-d arrays: ``row_fn(x[r], out[r])`` for every row (softmax)."""
    f = device(row_fn)

    def map_rows_kernel(x, out):
        for r in prange(x.shape[0]):
            f(x[r], out[r])

    return kernel(map_rows_kernel, f"rows_{name}", parallel)


def loss_rows(row_fn, name: str, parallel: bool = False):
    """Kernel ``(logits, labels, loss, backprop)``, one row at a time:
    ``loss[r] = row_fn(logits[r], labels[r], backprop[r])``.

    ``labels[r]`` is a row of probabilities (dense labels) or one class index
    (sparse labels): the same loop serves both cross-entropies.
    """
    f = device(row_fn)

    def loss_rows_kernel(logits, labels, loss, backprop):
        for r in prange(logits.shape[0]):
            loss[r] = f(logits[r], labels[r], backprop[r])

    return kernel(loss_rows_kernel, f"rows_{name}", parallel)
