"""``tf.GradientTape``: remember the eager ops that ran, to differentiate them later.

Graph mode differentiates a graph that already exists.  Eager mode has none,
so a tape writes one down while the forward pass runs: every op that reads a
*watched* tensor is recorded, and its outputs become watched too.  Trainable
variables read inside the ``with`` block are watched automatically.

``tape.gradient(target, sources)`` then walks the records backwards (see
``backprop.py``), calling the same registry gradient functions as
``tf.gradients``.
"""

from __future__ import annotations

import contextlib
import logging

from ..framework import nest
from . import backprop, eager_variable

_log = logging.getLogger("minitf")

# The tapes recording right now (innermost last).  ``recording`` says "keep an op record
# on every result": true while a tape records, and while gradients are computed (gradient
# functions may look at ``grad.op.type``, as they can in graph mode).  One global lookup
# per op when neither happens.
_active: list = []
_backprops = 0
recording = False


def _update_recording() -> None:
    global recording
    recording = bool(_active) or _backprops > 0


@contextlib.contextmanager
def keeping_records():
    """Results of the ops run inside remember their op (``t.op``), as graph tensors do."""
    global _backprops
    _backprops += 1
    _update_recording()
    try:
        yield
    finally:
        _backprops -= 1
        _update_recording()


def record_operation(record) -> None:
    """Called by the executor after each op while some tape records."""
    for tape in _active:
        tape._maybe_record(record)


def variable_accessed(variable, tensor) -> None:
    """Called when a variable is read: its value tensor is watched where the variable is."""
    for tape in _active:
        tape._variable_read(variable, tensor)


class GradientTape:
    """Records operations for automatic differentiation (TF 1.x ``tf.GradientTape``)."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._records: list = []        # EagerOps in execution order
        self._watched: set = set()      # ids of tensors whose gradients we may need
        self._keep: list = []           # the watched tensors themselves (keeps their ids unique)
        self._watched_vars: list = []   # variables watched explicitly or by access
        self._var_reads: dict = {}      # variable -> [tensors read from it]
        self._used = False
        self._recording = False

    # --- the with block ------------------------------------------------------------------
    def __enter__(self) -> "GradientTape":
        self._push()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._recording:
            self._pop()
        return False

    def _push(self) -> None:
        if self._recording:
            raise ValueError("Tape is already recording.")
        _active.append(self)
        self._recording = True
        _update_recording()

    def _pop(self) -> None:
        _active.remove(self)
        self._recording = False
        _update_recording()

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops run inside this block are not recorded."""
        if not self._recording:
            raise ValueError("Tape must be recording in order to stop recording.")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self) -> None:
        """Forget everything recorded so far."""
        self.__init__(self._persistent, self._watch_accessed_variables)

    # --- what is watched -------------------------------------------------------------------
    def watch(self, tensor) -> None:
        """Make sure ``tensor`` (a tensor, a variable, or a nest of them) is traced."""
        for t in nest.flatten(tensor):
            if isinstance(t, eager_variable.EagerVariable):
                self._watch_variable(t)
                continue
            if not getattr(t, "_is_eager_tensor", False):
                raise ValueError(f"Passed in object of type {type(t)}, not tf.Tensor")
            if not t.dtype.is_floating:
                _log.warning("The dtype of the watched tensor must be floating (e.g. tf.float32), "
                             "got %r", t.dtype)
            self._watch_tensor(t)

    def watched_variables(self) -> tuple:
        """The variables this tape watched, in the order they were first watched."""
        return tuple(self._watched_vars)

    def _watch_tensor(self, t) -> None:
        if t._id not in self._watched:
            self._watched.add(t._id)
            self._keep.append(t)

    def _watch_variable(self, variable) -> None:
        if not any(v is variable for v in self._watched_vars):
            self._watched_vars.append(variable)
            self._var_reads.setdefault(variable, [])

    def _variable_read(self, variable, tensor) -> None:
        if self._watch_accessed_variables and variable.trainable:
            self._watch_variable(variable)
        if variable in self._var_reads:
            self._var_reads[variable].append(tensor)
            self._watch_tensor(tensor)

    def _maybe_record(self, record) -> None:
        watched = self._watched
        if any(getattr(t, "_id", None) in watched for t in record.inputs):
            self._records.append(record)
            for t in record.outputs:
                watched.add(t._id)

    # --- gradients -------------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """d(target)/d(sources), shaped like ``sources``; None where nothing connects them."""
        if self._used and not self._persistent:
            raise RuntimeError("GradientTape.gradient can only be called once on non-persistent "
                               "tapes.")
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        self._used = True
        pause = self.stop_recording() if self._recording else contextlib.nullcontext()
        with pause, keeping_records():
            flat_sources = nest.flatten(sources)
            grads = backprop.imperative_grad(self, nest.flatten(target), flat_sources,
                                             output_gradients, str(unconnected_gradients))
        if not self._persistent:
            self._records, self._keep, self._var_reads = [], [], {}
        return nest.pack_sequence_as(sources, grads)
