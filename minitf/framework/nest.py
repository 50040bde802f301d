"""Nested structures of tensors (TF's ``nest``): flatten, rebuild, compare.

``tf.cond`` branches, ``tf.while_loop`` loop variables, RNN states and the sources of
``GradientTape.gradient`` are any nesting of lists, tuples (namedtuples too, like ``LSTMStateTuple``) and dicts.
The control flow ops work on the flat list of leaves; ``pack_sequence_as``
puts results back in the caller's shape.  Dicts are walked in sorted key order.
"""

from __future__ import annotations


def is_sequence(x) -> bool:
    return isinstance(x, (list, tuple, dict))


def flatten(structure) -> list:
    """The leaves of ``structure``, left to right (a single leaf gives a one-item list)."""
    if not is_sequence(structure):
        return [structure]
    out: list = []
    for item in _children(structure):
        out.extend(flatten(item))
    return out


def _children(structure) -> list:
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def pack_sequence_as(structure, flat):
    """Put ``flat`` (as made by ``flatten``) back into ``structure``'s shape."""
    flat = list(flat)
    count = len(flatten(structure))
    if count != len(flat):
        raise ValueError(f"Could not pack sequence. Structure had {count} elements, but "
                         f"flat_sequence had {len(flat)} elements.")
    return _pack(structure, iter(flat))


def _pack(structure, leaves):
    if not is_sequence(structure):
        return next(leaves)
    if isinstance(structure, dict):
        packed = {k: _pack(structure[k], leaves) for k in sorted(structure)}
        return type(structure)((k, packed[k]) for k in structure)
    items = [_pack(item, leaves) for item in structure]
    if hasattr(structure, "_fields"):            # a namedtuple
        return type(structure)(*items)
    return type(structure)(items)


def map_structure(fn, *structures):
    """``fn`` applied leaf by leaf, in the first structure's shape."""
    for s in structures[1:]:
        assert_same_structure(structures[0], s)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])


def assert_same_structure(a, b) -> None:
    """TF's ValueError when ``a`` and ``b`` nest differently."""
    if not _same(a, b):
        raise ValueError("The two structures don't have the same nested structure.\n\n"
                         f"First structure: {_describe(a)}\n\nSecond structure: {_describe(b)}")


def _same(a, b) -> bool:
    if is_sequence(a) != is_sequence(b):
        return False
    if not is_sequence(a):
        return True
    if isinstance(a, dict) != isinstance(b, dict) or len(a) != len(b):
        return False
    if isinstance(a, dict) and sorted(a) != sorted(b):
        return False
    return all(_same(x, y) for x, y in zip(_children(a), _children(b)))


def _describe(x) -> str:
    return f"type={type(x).__name__} str={x}"
