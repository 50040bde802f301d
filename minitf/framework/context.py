"""Execution mode: graph (build now, run in a Session) or eager (run now).

TF 1.x starts in graph mode; ``tf.enable_eager_execution()`` switches the
whole program to eager mode once, at startup.
"""

from __future__ import annotations

_eager = False


def executing_eagerly() -> bool:
    """True when ops run immediately instead of adding nodes to a graph."""
    return _eager


def _set_eager(flag: bool) -> None:
    global _eager
    _eager = flag
