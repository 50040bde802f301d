"""``Session`` (会话): runs a graph.

``sess.run(fetches, feed_dict)`` resolves what to fetch and what is fed, gets
the cached execution plan for that request (building it the first time, see
``plan.py``) and executes it.  The Session owns the runtime state (variable
values, random generators), so the graph stays a pure description.
"""

from __future__ import annotations

import collections
import contextlib

import numpy as np

from ..framework import context
from ..framework.graph import get_default_graph
from ..framework.operation import Operation
from ..framework.tensor import Tensor
from . import fetches as F
from .config import ConfigProto
from .placer import Placer, available_devices
from .plan import build_plan
from .runtime import Runtime

_default_session_stack: list = []

# Plans kept per Session, least recently used dropped first.  A plan is cached per
# (fetches, fed shapes and dtypes): a program feeding thousands of batch sizes
# must not keep thousands of plans (and their folded constants) alive.
PLAN_CACHE_SIZE = 64


class Session:
    """A TF 1.x Session: ``with tf.Session() as sess: sess.run(...)``."""

    def __init__(self, target: str = "", graph=None, config: ConfigProto | None = None):
        if context.executing_eagerly():
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run(). (tf.Session is not available when eager execution "
                               "is enabled.)")
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config or ConfigProto()
        self._runtime = Runtime()
        self._placer = Placer(self._config)
        self._plans: collections.OrderedDict = collections.OrderedDict()
        self._closed = False
        self._context_stack: list = []
        if self._config.intra_op_parallelism_threads:
            from ..kernels import config as kernel_config
            kernel_config.set_num_threads(self._config.intra_op_parallelism_threads)

    # --- properties -------------------------------------------------------
    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def(add_shapes=True)

    @property
    def sess_str(self) -> str:
        return ""

    def list_devices(self) -> list:
        return list(available_devices())

    # --- running ----------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` (any nesting of tensors/ops/names) given ``feed_dict``."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        feeds = self._resolve_feeds(feed_dict) if feed_dict else {}
        if type(fetches) in (Tensor, Operation) and fetches.graph is self._graph:
            return self._run_elements([fetches], feeds)[0]    # the common case, no nesting
        elements, template = F.flatten(fetches, self._graph)
        return F.rebuild(template, self._run_elements(elements, feeds))

    def _run_elements(self, elements, feeds: dict) -> list:
        key = (tuple(elements), tuple((t, v.shape, v.dtype) for t, v in feeds.items()))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan_for(key, elements, feeds)
        else:
            self._plans.move_to_end(key)                     # most recently used (the cache is LRU)
        results = plan.execute(list(feeds.values()))
        return [_fetched(v, copy) for v, copy in zip(results, plan.copy_on_fetch)]

    def _plan_for(self, key, elements, feeds):
        """The cached plan for ``key``, or a new one (the least recently used is dropped)."""
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
            return plan
        plan = self._build_plan(elements, feeds)
        self._plans[key] = plan
        if len(self._plans) > PLAN_CACHE_SIZE:
            self._plans.popitem(last=False)
        return plan

    def _build_plan(self, elements, feeds):
        self._check_usable()
        for e in elements:
            if not self._graph.is_fetchable(e):
                raise ValueError(f"Operation {e.op.name if isinstance(e, Tensor) else e.name!r} "
                                 "has been marked as not fetchable.")
        if self._config.log_device_placement:
            self._placer.log_placement(self._graph)
        targets = _unique(e.op if isinstance(e, Tensor) else e for e in elements)
        fetch_tensors = [e if isinstance(e, Tensor) else None for e in elements]
        return build_plan(targets, fetch_tensors, feeds, self._runtime, self._placer)

    def _resolve_feeds(self, feed_dict) -> dict:
        feeds = {}
        graph = self._graph
        for key, value in feed_dict.items():
            if type(key) is Tensor and key.graph is graph and key not in graph._unfeedable:
                tensor = key                                  # the common case, checked cheaply
            else:
                tensor = F.resolve_feed_key(key, graph)
            feeds[tensor] = F.feed_value(tensor, value)
        return feeds

    def _check_usable(self) -> None:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph.get_operations():
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")

    def explain(self, fetches, feed_dict=None) -> str:
        """Describe the plan this session runs for ``fetches`` (builds it if needed)."""
        self._check_usable()
        elements, _ = F.flatten(fetches, self._graph)
        feeds = self._resolve_feeds(feed_dict) if feed_dict else {}
        key = (tuple(elements), tuple((t, v.shape, v.dtype) for t, v in feeds.items()))
        return self._plan_for(key, elements, feeds).explain()

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function ``f(*feed_values)`` that runs ``fetches`` with the plan already chosen."""
        self._check_usable()
        elements, template = F.flatten(fetches, self._graph)
        feed_tensors = [F.resolve_feed_key(k, self._graph) for k in (feed_list or [])]

        def call(*args, **kwargs):
            if len(args) != len(feed_tensors):
                raise ValueError(f"Expected {len(feed_tensors)} positional feed values, got {len(args)}")
            feeds = {t: F.feed_value(t, v) for t, v in zip(feed_tensors, args)}
            return F.rebuild(template, self._run_elements(elements, feeds))
        return call

    # --- lifetime ----------------------------------------------------------
    def close(self) -> None:
        self._closed = True
        self._plans.clear()
        self._runtime.variables.clear()

    def __del__(self):
        pass

    def __enter__(self):
        stack = contextlib.ExitStack()
        stack.enter_context(self._graph.as_default())
        stack.enter_context(self.as_default())
        self._context_stack.append(stack)
        return self

    def __exit__(self, exc_type, exc, tb):
        self._context_stack.pop().close()
        self.close()
        return False

    @contextlib.contextmanager
    def as_default(self):
        """Make this the session ``Tensor.eval()`` and ``Operation.run()`` use."""
        _default_session_stack.append(self)
        try:
            yield self
        finally:
            if self in _default_session_stack:
                _default_session_stack.remove(self)

    @staticmethod
    def reset(target, containers=None, config=None) -> None:
        """Accepted for compatibility (minitf has no remote servers)."""


class InteractiveSession(Session):
    """A Session that makes itself the default at once (for notebooks and shells)."""

    def __init__(self, target: str = "", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_cm = self.as_default()
        self._default_cm.__enter__()

    def close(self) -> None:
        super().close()
        if self._default_cm is not None:
            self._default_cm.__exit__(None, None, None)
            self._default_cm = None


def _fetched(value, copy: bool):
    """What the user gets: a fresh array, or a numpy scalar for 0-d values (as TF 1.x)."""
    if value is None:
        return None
    if value.ndim == 0:
        return value[()]
    return np.array(value) if copy else value


def _unique(items) -> list:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def get_default_session():
    """The innermost session made default by ``with sess:`` / ``as_default()``, or None."""
    return _default_session_stack[-1] if _default_session_stack else None


def _run_with_default_session(element, feed_dict, session, what: str):
    session = session or get_default_session()
    if session is None:
        raise ValueError(f"Cannot evaluate tensor using `eval()`: No default session is registered. "
                         f"Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
                         if what == "Tensor.eval" else
                         "Cannot execute operation using `run()`: No default session is registered. "
                         "Use `with sess.as_default():` or pass an explicit session to `run(session=sess)`")
    if element.graph is not session.graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph." if isinstance(element, Tensor) else
                         "Cannot use the given session to execute operation: the operation's graph "
                         "is different from the session's graph.")
    result = session.run(element, feed_dict)
    return None if isinstance(element, Operation) else result
