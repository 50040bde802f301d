"""The global step: a counter variable that ``minimize(global_step=...)`` increments."""

from __future__ import annotations

import numpy as np

from ..framework import context
from ..framework.graph import GraphKeys, get_default_graph
from ..ops.variables import Variable


def get_global_step(graph=None):
    """The graph's global step variable, or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        raise TypeError("There should be only one global step.")
    return found[0] if found else None


def create_global_step(graph=None):
    """Create the int64 ``global_step`` variable (an error if one exists)."""
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    if context.executing_eagerly():     # an eager variable: as_default() would mean graph mode
        return _new_global_step()
    with graph.as_default(), graph.name_scope(""):
        return _new_global_step()


def _new_global_step():
    return Variable(np.int64(0), trainable=False, name="global_step",
                    collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)


def global_step(sess, global_step_tensor) -> int:
    """The current value of the global step as a Python int."""
    return int(sess.run(global_step_tensor))
