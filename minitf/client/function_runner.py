"""Running a function body (a cond branch, a loop body) inside a Session run.

An ``If`` or ``While`` kernel calls ``run_function(body, runtime, args)``.  The
body is planned like any graph (``plan.py``): its input placeholders are the
feeds, its outputs the fetches, plus the stateful ops it holds (an ``Assign``
inside a branch runs when the branch is taken).  The plan is cached in the
Session's runtime per input shapes, so a loop of 1000 iterations plans its
body once.  Variables are shared: the body reads and writes the same runtime.
"""

from __future__ import annotations

import numpy as np

from ..framework import hooks
from .config import ConfigProto
from .placer import Placer
from .plan import build_plan

_PLACER = Placer(ConfigProto())     # bodies take the default placement (CPU unless a real GPU)


def run_function(func_graph, runtime, args) -> list:
    """The outputs of ``func_graph`` for input values ``args`` (numpy arrays)."""
    args = [np.asarray(a) for a in args]
    plans = runtime.__dict__.setdefault("function_plans", {})
    key = (func_graph, tuple((a.shape, a.dtype) for a in args))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _plan_body(func_graph, runtime, args)
    results = plan.run(*args)
    return [np.array(v) if copy else v for v, copy in zip(results, plan.copy_on_fetch)]


def _plan_body(func_graph, runtime, args):
    feeds = dict(zip(func_graph.inputs, args))
    inputs = {t.op for t in func_graph.inputs}
    effects = [op for op in func_graph.get_operations()      # an Assign, a random draw: they run
               if op.op_def.stateful and not op.op_def.variable and op not in inputs]
    targets = list(dict.fromkeys([t.op for t in func_graph.outputs] + effects))
    targets = [op for op in targets if not (op.outputs and all(t in feeds for t in op.outputs))]
    return build_plan(targets, list(func_graph.outputs), feeds, runtime, _PLACER)


hooks.install(run_function=run_function)
