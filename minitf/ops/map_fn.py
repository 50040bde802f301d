"""``tf.map_fn``: apply ``fn`` to each slice along the first dimension, inside a ``While``.

The loop body reads element ``i`` (``gather``), calls ``fn`` on it and writes the
result into row ``i`` of each output (``loop_rows.write_row``).  To size those
outputs before the loop, ``fn`` is first traced once on its own (a throwaway
function graph) to learn its output structure, dtypes and shapes.
"""

from __future__ import annotations

from ..framework import context, dtypes, nest
from ..framework.scopes import name_scope
from .array_ops import shape, zeros
from .concat_split_ops import stack, unstack
from .constant_op import constant, convert_to_tensor
from .function_builder import trace
from .gather_ops import gather
from .loop_rows import write_row
from .math_ops import less
from .while_loop import while_loop


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None):
    """``stack([fn(x) for x in unstack(elems)])`` for any nesting of ``elems`` and of fn's result."""
    if not callable(fn):
        raise TypeError(f"fn must be callable. Got: {fn}")
    if context.executing_eagerly():
        return _eager_map(fn, elems)
    with name_scope(name, "map", nest.flatten(elems)):
        flat = [convert_to_tensor(e, name="elem") for e in nest.flatten(elems)]
        n = flat[0].shape[0].value if flat[0].shape.ndims else None
        count = constant(n, dtype=dtypes.int32) if n is not None else shape(flat[0])[0]
        structure, specs = _output_specs(fn, elems, flat, dtype)
        initial = [zeros(_stacked_shape(count, s, n), dtype=d) for d, s in specs]

        def body(i, *accs):
            item = nest.pack_sequence_as(elems, [gather(e, i) for e in flat])
            out = [convert_to_tensor(o) for o in nest.flatten(fn(item))]
            return [i + 1] + [write_row(a, i, o) for a, o in zip(accs, out)]

        result = while_loop(lambda i, *_: less(i, count), body, [constant(0)] + initial,
                            parallel_iterations=parallel_iterations or 10, back_prop=back_prop,
                            return_same_structure=True)
    return nest.pack_sequence_as(structure, result[1:])


def _output_specs(fn, elems, flat, dtype):
    """fn's output structure and (dtype, shape) per leaf, from one trace on placeholders."""
    specs = [(e.dtype.base_dtype, e.shape[1:] if e.shape.ndims else e.shape) for e in flat]
    graph, result = trace("map_fn_probe", lambda *xs: fn(nest.pack_sequence_as(elems, list(xs))), specs)
    structure = dtype if dtype is not None else result
    leaves = graph.outputs
    if dtype is not None and len(nest.flatten(dtype)) != len(leaves):
        raise ValueError("The two structures don't have the same nested structure: fn returned "
                         f"{len(leaves)} values but dtype names {len(nest.flatten(dtype))}.")
    for t in leaves:
        if not t.shape.is_fully_defined():
            raise ValueError(f"map_fn: the result of fn must have a fully known shape when the graph is "
                             f"built (minitf sizes the output before the loop), got {t.shape}")
    return structure, [(t.dtype.base_dtype, t.shape.as_list()) for t in leaves]


def _stacked_shape(count, dims, n):
    return [n] + dims if n is not None else stack([count] + [constant(d) for d in dims])


def _eager_map(fn, elems):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    rows = zip(*[unstack(e) for e in flat])
    results = [fn(nest.pack_sequence_as(elems, list(r))) for r in rows]
    columns = zip(*[nest.flatten(r) for r in results])
    return nest.pack_sequence_as(results[0], [stack(list(c)) for c in columns])
