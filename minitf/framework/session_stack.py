"""The default-session stack: what ``Tensor.eval()`` and ``Operation.run()`` use.

As in TF (``ops.py``), the stack is per thread: ``with sess.as_default():`` in
one thread does not change the default session of another.  Sessions live in
client/; this file only needs that a session has ``graph`` and ``run``.
"""

from __future__ import annotations

import contextlib
import threading


class _ThreadStack(threading.local):
    def __init__(self):
        self.sessions: list = []


_stack = _ThreadStack()


def get_default_session():
    """The innermost session made default by ``with sess:`` / ``as_default()``, or None."""
    sessions = _stack.sessions
    return sessions[-1] if sessions else None


@contextlib.contextmanager
def default_session(session):
    """Make ``session`` the default in this thread inside a ``with`` block."""
    sessions = _stack.sessions
    sessions.append(session)
    try:
        yield session
    finally:
        if session in sessions:
            sessions.remove(session)


def run_with_default_session(element, feed_dict, session, what: str):
    """``Tensor.eval`` / ``Operation.run`` (``what``): run ``element`` in ``session`` or the default."""
    is_tensor = what == "Tensor.eval"
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. "
                         "Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
                         if is_tensor else
                         "Cannot execute operation using `run()`: No default session is registered. "
                         "Use `with sess.as_default():` or pass an explicit session to `run(session=sess)`")
    if element.graph is not session.graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph." if is_tensor else
                         "Cannot use the given session to execute operation: the operation's graph "
                         "is different from the session's graph.")
    result = session.run(element, feed_dict)
    return result if is_tensor else None
