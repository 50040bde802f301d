"""``tf.scan``, ``tf.foldl``, ``tf.foldr``: carry an accumulator along the first dimension.

All three are one ``tf.while_loop`` over the element index.  ``foldl``/``foldr``
return the final accumulator; ``scan`` also keeps every intermediate one,
written row by row into a ``[n, ...]`` tensor (``loop_rows.write_row``).
Without an ``initializer`` the first element (the last, reversed) starts the
accumulator, as in TF.
"""

from __future__ import annotations

from ..framework import context, nest
from ..framework.scopes import name_scope
from .array_ops import shape, zeros
from .concat_split_ops import concat
from .constant_op import constant, convert_to_tensor
from .gather_ops import gather
from .loop_rows import write_row
from .math_ops import greater_equal, less
from .while_loop import while_loop


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """``acc = fn(acc, x)`` for each ``x`` of ``elems`` from the first; the final ``acc``."""
    return _fold(fn, elems, initializer, False, back_prop, name or "foldl")


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """``acc = fn(acc, x)`` for each ``x`` of ``elems`` from the last; the final ``acc``."""
    return _fold(fn, elems, initializer, True, back_prop, name or "foldr")


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """Every ``acc`` of a fold, stacked: ``out[i] = fn(out[i-1], elems[i])``."""
    with _scope(name, "scan", elems):
        flat, n, start, step, done, acc = _setup(elems, initializer, reverse)
        acc_flat = [convert_to_tensor(a) for a in nest.flatten(acc)]
        empty = [zeros(concat([[n], shape(a)], 0), dtype=a.dtype.base_dtype) for a in acc_flat]
        for e, a in zip(empty, acc_flat):
            e.set_shape([flat[0].shape[0]] + a.shape.as_list() if a.shape.ndims is not None else None)
        if initializer is None:                      # the first element is the first output
            empty = [write_row(e, start - step, a) for e, a in zip(empty, acc_flat)]

        def body(i, acc, outs):
            acc = _call(fn, acc, elems, flat, i)
            return i + step, acc, [write_row(o, i, a) for o, a in zip(outs, nest.flatten(acc))]

        _, _, outs = while_loop(lambda i, *_: done(i), body, (start, acc, empty), back_prop=back_prop,
                                parallel_iterations=parallel_iterations, name="while")
        return nest.pack_sequence_as(acc, outs)


def _fold(fn, elems, initializer, reverse, back_prop, name):
    with _scope(name, name, elems):
        flat, _, start, step, done, acc = _setup(elems, initializer, reverse)
        _, acc = while_loop(lambda i, _: done(i), lambda i, a: (i + step, _call(fn, a, elems, flat, i)),
                            (start, acc), back_prop=back_prop, name="while")
        return acc


def _scope(name, default, elems):
    return name_scope(name, default, nest.flatten(elems)) if not context.executing_eagerly() else \
        name_scope(None, default)


def _setup(elems, initializer, reverse):
    """Flat elements, their count, the first index, the step, the loop condition, the first accumulator."""
    flat = [convert_to_tensor(e, name="elems") for e in nest.flatten(elems)]
    n = shape(flat[0])[0]
    step = -1 if reverse else 1
    start = n - 1 if reverse else constant(0)
    if initializer is None:
        acc = nest.pack_sequence_as(elems, [gather(e, start) for e in flat])
        start = start + step
    else:
        acc = nest.map_structure(convert_to_tensor, initializer)
    done = (lambda i: greater_equal(i, 0)) if reverse else (lambda i: less(i, n))
    return flat, n, start, step, done, acc


def _call(fn, acc, elems, flat, i):
    item = nest.pack_sequence_as(elems, [gather(e, i) for e in flat])
    result = fn(acc, item)
    return nest.map_structure(convert_to_tensor, result)


