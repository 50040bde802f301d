"""Kernel factories for the GPU: the same scalar functions, compiled with numba.cuda.

The CPU factories (``cpu_factories.py``) give each CPU thread a big slice of
the work. A GPU runs thousands of threads, so here each thread handles single
elements, in a *grid-stride loop*: thread ``t`` of ``T`` takes elements
``t, t + T, t + 2T, ...``, so any grid size covers any array size.

    map(fn)       out[i] = fn(x[i])
    zip(fn)       out[i] = fn(x[i], y[i])            (broadcasting: zip_broadcast)
    reduce(fn)    one block per output; its threads fold a share each, then
                  combine the partial results in shared memory, halving the
                  number of busy threads each step (a tree reduction)
    map_rows / loss_rows / argreduce: one thread per row (softmax, argmax, ...)

This module imports ``numba.cuda``; ``gpu.py`` only imports it once a GPU (or
the simulator) is known to be there. ``cuda`` is imported once and used as
``cuda.*`` everywhere: the CUDA simulator replaces exactly that name.
"""

from __future__ import annotations

from numba import cuda

from minitf.kernels import indexing

_device_functions: dict = {}


def device(fn):
    """``fn`` compiled as a CUDA device function (made once per function)."""
    if fn not in _device_functions:
        _device_functions[fn] = cuda.jit(device=True)(fn)
    return _device_functions[fn]


def map(fn):
    """Kernel ``(x, out)`` over flat device arrays: ``out[i] = fn(x[i])``."""
    f = device(fn)

    @cuda.jit
    def map_kernel(x, out):
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = f(x[i])

    return map_kernel


def zip(fn):
    """Kernel ``(x, y, out)`` over flat device arrays of one size: ``out[i] = fn(x[i], y[i])``."""
    f = device(fn)

    @cuda.jit
    def zip_kernel(x, y, out):
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = f(x[i], y[i])

    return zip_kernel


def zip_broadcast(fn):
    """Kernel ``(x, y, out, shape, x_strides, y_strides)``: ``zip`` with broadcasting.

    ``shape`` and the strides are tuples of ``layout.MAX_RANK`` ints; each
    thread finds where its output element reads x and y with ``position``
    (divisions are cheap next to a GPU's memory latency).
    """
    f = device(fn)
    position = device(indexing.position)

    @cuda.jit
    def zip_broadcast_kernel(x, y, out, shape, x_strides, y_strides):
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = f(x[position(i, shape, x_strides)], y[position(i, shape, y_strides)])

    return zip_broadcast_kernel


def reduce(fn, finish, dtype, max_threads: int):
    """Kernel ``(x, out, start, kept_shape, kept_strides, red_shape, red_strides, count)``.

    Output ``o`` folds the ``count`` inputs at ``position(o, kept...) +
    position(r, red...)``. Launch it with a power-of-two number of threads per
    block, at most ``max_threads`` (the size of the shared buffer, whose numba
    type is ``dtype``).
    """
    f = device(fn)
    done = device(finish)
    position = device(indexing.position)

    @cuda.jit
    def reduce_kernel(x, out, start, kept_shape, kept_strides, red_shape, red_strides, count):
        partial = cuda.shared.array(max_threads, dtype)
        t = cuda.threadIdx.x
        threads = cuda.blockDim.x
        for o in range(cuda.blockIdx.x, out.size, cuda.gridDim.x):   # same trip count per block
            base = position(o, kept_shape, kept_strides)
            acc = start
            for r in range(t, count, threads):         # each thread folds every threads-th input
                acc = f(acc, x[base + position(r, red_shape, red_strides)])
            partial[t] = acc
            cuda.syncthreads()
            half = threads // 2
            while half > 0:                             # the tree: halve the busy threads
                if t < half:
                    partial[t] = f(partial[t], partial[t + half])
                cuda.syncthreads()
                half //= 2
            if t == 0:
                out[o] = done(partial[0], count)
            cuda.syncthreads()       # partial[0] is read before the next output overwrites it

    return reduce_kernel


def argreduce(line_fn):
    """Kernel ``(x, out)``: ``out[a, b] = line_fn(x[a, :, b])``, one thread per output."""
    f = device(line_fn)

    @cuda.jit
    def argreduce_kernel(x, out):
        width = x.shape[2]
        for o in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            a, b = o // width, o % width
            out[a, b] = f(x[a, :, b])

    return argreduce_kernel


def map_rows(row_fn):
    """Kernel ``(x, out)`` over 2-d arrays: ``row_fn(x[r], out[r])``, one thread per row."""
    f = device(row_fn)

    @cuda.jit
    def map_rows_kernel(x, out):
        for r in range(cuda.grid(1), x.shape[0], cuda.gridsize(1)):
            f(x[r], out[r])

    return map_rows_kernel


def loss_rows(row_fn):
    """Kernel ``(logits, labels, loss, backprop)``, one thread per row:
    ``loss[r] = row_fn(logits[r], labels[r], backprop[r])``."""
    f = device(row_fn)

    @cuda.jit
    def loss_rows_kernel(logits, labels, loss, backprop):
        for r in range(cuda.grid(1), logits.shape[0], cuda.gridsize(1)):
            loss[r] = f(logits[r], labels[r], backprop[r])

    return loss_rows_kernel
