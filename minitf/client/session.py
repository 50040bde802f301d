"""``Session`` (会话): runs a graph.

``sess.run(fetches, feed_dict)`` resolves what to fetch and what is fed, gets
the cached execution plan for that request (building it the first time, see
``plan.py``) and executes it.  The Session owns the runtime state (variable
values, random generators), so the graph stays a pure description.
"""

from __future__ import annotations

import collections
import contextlib
import time

import numpy as np

from ..framework import context, debug
from ..framework.graph import get_default_graph
from ..framework.operation import Operation
from ..framework.session_stack import default_session, get_default_session  # noqa: F401 (tf.get_default_session)
from ..framework.tensor import Tensor
from ..kernels import config as kernel_config
from . import fetches as F, fusion
from .config import ConfigProto
from .placer import Placer, available_devices
from .plan import build_plan
from .runtime import Runtime

# Plans kept per Session, least recently used dropped first.  A plan is cached per
# (fetches, fed shapes and dtypes): a program feeding thousands of batch sizes
# must not keep thousands of plans (and their folded constants) alive.
PLAN_CACHE_SIZE = 64

_ELEMENTS = (Tensor, Operation)
_NUMBERS = (int, float, bool)
_FLAT = (list, tuple)                   # (exactly these types: a namedtuple is rebuilt by fetches.py)
_NO_FEEDS: tuple = ({}, ())              # (feeds, signature) of a run without a feed_dict

class Session:
    """A TF 1.x Session: ``with tf.Session() as sess: sess.run(...)``."""

    def __init__(self, target: str = "", graph=None, config: ConfigProto | None = None):
        if graph is None and context.executing_eagerly():     # a Session of a given graph is fine
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run(). (tf.Session is not available when eager execution "
                               "is enabled.)")
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config or ConfigProto()
        self._runtime = Runtime()
        self._placer = Placer(self._config)
        self._plans: collections.OrderedDict = collections.OrderedDict()
        self._last = (None, None)              # (key, plan) most recently used (already at the LRU's end);
                                               # one attribute, so another thread never sees a mixed pair
        self._known: set = set()               # fetched tensors/ops checked to belong to this graph
        self._fed_before: dict = {}            # fed tensor -> its entry for an array accepted as is
        self._fed_numbers: dict = {}           # fed tensor -> (Python number, array, entry) fed last
        self._closed = False
        self._context_stack: list = []
        if self._config.intra_op_parallelism_threads:
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
        feeds, signature = self._resolve_feeds(feed_dict) if feed_dict else _NO_FEEDS
        if type(fetches) in _ELEMENTS and (fetches in self._known or self._owns(fetches)):
            # The common case, one tensor or op: no nesting to flatten.
            plan = self._cached_plan((fetches,), feeds, signature)
            value = (plan.run(*feeds.values()) if plan.optimized else _timed_run(plan, feeds))[0]
            if value is None:
                return None
            if value.ndim == 0:
                return value[()]
            return np.array(value) if plan.copy_on_fetch[0] else value
        if type(fetches) in _FLAT and self._all_owned(fetches):
            # A flat list or tuple of tensors/ops (``_, l = sess.run([train, loss], ...)``):
            # no nesting to walk and rebuild (1.7 us of a step, measured).
            values = self._run_elements(fetches, feeds, signature)
            return values if type(fetches) is list else tuple(values)
        elements, template = F.flatten(fetches, self._graph)
        return F.rebuild(template, self._run_elements(elements, feeds, signature))

    def _all_owned(self, items) -> bool:
        """Whether every item is a Tensor or Operation of this session's graph."""
        known = self._known
        for x in items:
            if type(x) not in _ELEMENTS or (x not in known and not self._owns(x)):
                return False
        return True

    def _owns(self, element) -> bool:
        """Whether a Tensor/Operation belongs to this session's graph (remembered when it does)."""
        if element.graph is self._graph:
            self._known.add(element)
            return True
        return False

    def _cached_plan(self, elements: tuple, feeds: dict, signature: tuple):
        """The plan for these fetches and fed shapes/dtypes: from the LRU cache, or built now.

        ``signature`` is ((tensor, shape, dtype), ...) of the feeds.
        """
        key = (elements, signature)
        last_key, plan = self._last
        if key != last_key:
            # Not the same request as the last run (a training loop repeats it).  That test
            # compares identities: the signature holds the very tuples of the last run
            # (see _resolve_feeds), where the dict lookup hashes every shape and dtype again.
            plan = self._plans.get(key)
            if plan is None:
                plan = self._new_plan(key, list(elements), feeds)
            else:
                self._plans.move_to_end(key)                 # most recently used (the cache is LRU)
            self._last = (key, plan)
        if not plan.optimized:
            plan.runs += 1
            if plan.runs >= fusion.FUSE_AFTER_RUNS and plan.seconds >= fusion.FUSE_AFTER_SECONDS:
                plan.optimize()                              # a long training loop: fuse, specialize, reuse buffers
        return plan

    def _run_elements(self, elements, feeds: dict, signature: tuple) -> list:
        plan = self._cached_plan(tuple(elements), feeds, signature)
        results = plan.run(*feeds.values()) if plan.optimized else _timed_run(plan, feeds)
        return [_fetched(v, copy) for v, copy in zip(results, plan.copy_on_fetch)]

    def _new_plan(self, key, elements, feeds):
        """Build, cache and (with MINITF_DEBUG) show the plan for a new (fetches, feeds) request.

        The least recently used plan is dropped beyond ``PLAN_CACHE_SIZE``.
        """
        start = time.perf_counter()
        plan = self._plans[key] = self._build_plan(elements, feeds)
        if len(self._plans) > PLAN_CACHE_SIZE:
            self._plans.popitem(last=False)
        if debug.level() >= 1:
            names = ", ".join(e.name for e in elements)
            fed = ", ".join(f"{t.name}{list(v.shape)}" for t, v in feeds.items()) or "none"
            debug.log(1, f"new plan for [{names}] fed [{fed}]: {len(plan.steps)} kernel calls, "
                         f"built in {debug.ms(time.perf_counter() - start)}")
            debug.log(2, plan.explain())
            debug.log(3, plan.source)
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

    def _resolve_feeds(self, feed_dict) -> tuple:
        """The fed values by tensor (converted, checked), and their signature for the plan cache.

        The signature is ((tensor, shape, dtype), ...).  What a run accepted is
        remembered per tensor, so that a training loop feeding the same kinds of
        values again skips the conversion and checks, and the same entry objects
        go into the signature (``_cached_plan`` compares identities):

        - an ndarray fed as is (``_fed_before``): the next array of that dtype and
          shape is fed as is too;
        - a Python number (``_fed_numbers``, e.g. ``keep_prob: 0.5``): the very same
          number object gets the same read-only array again.
        """
        graph = self._graph
        unfeedable = graph._unfeedable
        fed_before = self._fed_before
        signature = []
        for key, value in feed_dict.items():             # a training loop feeding its batches:
            entry = fed_before.get(key)
            if (entry is None or type(value) is not np.ndarray or value.dtype is not entry[2]
                    or value.shape != entry[1] or key in unfeedable):
                break
            signature.append(entry)
        else:                                            # every value as accepted before, so the
            if type(feed_dict) is dict:                  # user's dict serves as the feeds (0.1 us)
                return feed_dict, tuple(signature)
        fed_numbers = self._fed_numbers
        feeds, signature = {}, []
        for key, value in feed_dict.items():
            number = fed_numbers.get(key)
            if number is not None and value is number[0] and key not in unfeedable:
                tensor, array, entry = key, number[1], number[2]    # 0.4 us less a number
            else:
                tensor, array, entry = self._new_feed(key, value)
            feeds[tensor] = array
            signature.append(entry)
        return feeds, tuple(signature)

    def _new_feed(self, key, value) -> tuple:
        """(tensor, array, signature entry) for one feed_dict item, every check made (TF's errors)."""
        graph = self._graph
        if type(key) is Tensor and key.graph is graph and key not in graph._unfeedable:
            tensor = key
        else:
            tensor = F.resolve_feed_key(key, graph)
        array = F.feed_value(tensor, value)
        entry = (tensor, array.shape, array.dtype)
        if type(value) is np.ndarray and array is value:
            self._fed_before[tensor] = entry
        elif type(value) in _NUMBERS and not array.flags.writeable:     # (a number's shared array)
            self._fed_numbers[tensor] = (value, array, entry)
        return tensor, array, entry

    def _check_usable(self) -> None:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph.get_operations():
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")

    def explain(self, fetches, feed_dict=None, source: bool = False) -> str:
        """Describe the plan this session runs for ``fetches`` (builds it if needed).

        ``source=True`` adds the Python function the plan was compiled to (``codegen.py``).
        """
        self._check_usable()
        elements, _ = F.flatten(fetches, self._graph)
        feeds, signature = self._resolve_feeds(feed_dict) if feed_dict else _NO_FEEDS
        plan = self._cached_plan(tuple(elements), feeds, signature)
        return plan.explain() + ("\n\n" + plan.source if source else "")

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function ``f(*feed_values)`` that runs ``fetches`` with the plan already chosen."""
        self._check_usable()
        elements, template = F.flatten(fetches, self._graph)
        feed_tensors = [F.resolve_feed_key(k, self._graph) for k in (feed_list or [])]

        def call(*args, **kwargs):
            if len(args) != len(feed_tensors):
                raise ValueError(f"Expected {len(feed_tensors)} positional feed values, got {len(args)}")
            feeds = {t: F.feed_value(t, v) for t, v in zip(feed_tensors, args)}
            signature = tuple([(t, v.shape, v.dtype) for t, v in feeds.items()])
            return F.rebuild(template, self._run_elements(elements, feeds, signature))
        return call

    # --- lifetime ----------------------------------------------------------
    def close(self) -> None:
        self._closed = True
        self._plans.clear()
        self._last = (None, None)
        self._runtime.variables.clear()
        self._runtime.iterators.clear()

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

    def as_default(self):
        """Make this the session ``Tensor.eval()`` and ``Operation.run()`` use (in this thread)."""
        return default_session(self)

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


def _timed_run(plan, feeds: dict) -> list:
    """Run a plan that is not optimized yet, adding the time to ``plan.seconds`` (when to optimize)."""
    start = time.perf_counter()
    results = plan.run(*feeds.values())
    plan.seconds += time.perf_counter() - start
    return results


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

