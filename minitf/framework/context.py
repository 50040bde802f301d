"""Execution mode: graph (build now, run in a Session) or eager (run now).

TF 1.x starts in graph mode; ``tf.enable_eager_execution()`` switches the
whole program to eager mode once, at startup.  It does so by installing an
*executor* here (``eager/executor.py``): from then on ``apply_op`` hands every
op to ``executor.execute`` instead of adding it to a graph, and ``tf.device``
and ``tf.set_random_seed`` ask the executor too.  That keeps framework/ (the
ground floor) free of any import of the eager package above it.

Even in an eager program, ``with tf.Graph().as_default():`` builds a graph: as
in TF, every ``as_default()`` block is graph mode inside (``graph_mode``), so
ops there make symbolic tensors that a Session runs, and the program is eager
again after the block.
"""

from __future__ import annotations

import contextlib
import threading

_executor = None


class _GraphBlocks(threading.local):
    depth = 0               # how many ``graph.as_default()`` blocks this thread is inside


_graph_blocks = _GraphBlocks()


def executing_eagerly() -> bool:
    """True when ops run immediately instead of adding nodes to a graph."""
    return _executor is not None and _graph_blocks.depth == 0


@contextlib.contextmanager
def graph_mode():
    """Build ops into graphs inside this block, even in an eager program (``Graph.as_default``)."""
    _graph_blocks.depth += 1
    try:
        yield
    finally:
        _graph_blocks.depth -= 1


def executor():
    """The eager executor, or None in graph mode.

    It has ``execute(op_def, inputs, attrs, name)``, ``device(device_name)`` (a
    context manager) and ``restart_random_sequences()``.
    """
    return _executor if _graph_blocks.depth == 0 else None


def install_executor(eager_executor) -> None:
    """Switch to eager mode (called once, by ``tf.enable_eager_execution``)."""
    global _executor
    _executor = eager_executor
