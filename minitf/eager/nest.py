"""Flatten nested lists, tuples and dicts, and rebuild the same shape (TF's ``nest``, small).

``tape.gradient(loss, {"w": w, "b": [b1, b2]})`` answers with the same
structure.  Like TF, dicts are walked in sorted key order.
"""

from __future__ import annotations


def _is_sequence(x) -> bool:
    return isinstance(x, (list, tuple, dict))


def flatten(structure) -> list:
    """The leaves of ``structure``, left to right (a single leaf gives a one-item list)."""
    if not _is_sequence(structure):
        return [structure]
    out: list = []
    items = [structure[k] for k in sorted(structure)] if isinstance(structure, dict) else structure
    for item in items:
        out.extend(flatten(item))
    return out


def pack_sequence_as(structure, flat: list):
    """Put ``flat`` (as made by ``flatten``) back into ``structure``'s shape."""
    leaves = iter(flat)
    result = _pack(structure, leaves)
    return result


def _pack(structure, leaves):
    if not _is_sequence(structure):
        return next(leaves)
    if isinstance(structure, dict):
        packed = {k: _pack(structure[k], leaves) for k in sorted(structure)}
        return type(structure)((k, packed[k]) for k in structure)
    items = [_pack(item, leaves) for item in structure]
    if hasattr(structure, "_fields"):            # a namedtuple
        return type(structure)(*items)
    return type(structure)(items)
