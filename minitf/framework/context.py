"""Execution mode: graph (build now, run in a Session) or eager (run now).

TF 1.x starts in graph mode; ``tf.enable_eager_execution()`` switches the
whole program to eager mode once, at startup.  It does so by installing an
*executor* here (``eager/executor.py``): from then on ``apply_op`` hands every
op to ``executor.execute`` instead of adding it to a graph, and ``tf.device``
and ``tf.set_random_seed`` ask the executor too.  That keeps framework/ (the
ground floor) free of any import of the eager package above it.
"""

from __future__ import annotations

_executor = None


def executing_eagerly() -> bool:
    """True when ops run immediately instead of adding nodes to a graph."""
    return _executor is not None


def executor():
    """The eager executor, or None in graph mode.

    It has ``execute(op_def, inputs, attrs, name)``, ``device(device_name)`` (a
    context manager) and ``restart_random_sequences()``.
    """
    return _executor


def install_executor(eager_executor) -> None:
    """Switch to eager mode (called once, by ``tf.enable_eager_execution``)."""
    global _executor
    _executor = eager_executor
