"""The public scope context managers: ``tf.name_scope``, ``tf.device``, ``tf.control_dependencies``.

They act on the default graph in graph mode.  In eager mode there is no graph:
names are ignored, devices choose where kernels run, control dependencies are
unnecessary because ops already run in program order.
"""

from __future__ import annotations

import contextlib

from . import context
from .graph import get_default_graph


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """Group ops under ``name/`` (or ``default_name/`` when name is None)."""
    if context.executing_eagerly():
        yield ""
        return
    scope_name = name if name is not None else default_name
    graph = _graph_of(values) or get_default_graph()
    with graph.name_scope(scope_name) as scope:
        yield scope


def _graph_of(values):
    for v in values or ():
        g = getattr(v, "graph", None)
        if g is not None:
            return g
    return None


def device(device_name):
    """Run the ops built inside on ``device_name`` ('/CPU:0', '/gpu:0', ...)."""
    executor = context.executor()
    if executor is not None:               # eager mode decides the device now
        if callable(device_name):          # ... so there is no op yet to ask a function about
            raise RuntimeError("tf.device does not support functions when eager execution is enabled.")
        return executor.device(device_name)
    return get_default_graph().device(device_name)


def control_dependencies(control_inputs):
    """Ops built inside run only after ``control_inputs``."""
    if context.executing_eagerly():
        return contextlib.nullcontext()
    return get_default_graph().control_dependencies(control_inputs)
