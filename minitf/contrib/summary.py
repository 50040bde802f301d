"""``tf.contrib.summary``: TensorBoard summaries in eager mode, as TF 1.x offered them.

Eager mode has no graph to merge summary ops from, so TF 1.x wrote each
summary straight to a default writer::

    writer = tf.contrib.summary.create_file_writer("runs/eager")
    with writer.as_default(), tf.contrib.summary.always_record_summaries():
        tf.contrib.summary.scalar("loss", loss, step=step)

Nothing is written unless recording is switched on (``always_record_summaries``
or ``record_summaries_every_n_global_steps``), as in TF.  The step defaults to
the global step.  minitf supports this API in eager mode only; in graph mode use
``tf.summary.*`` with ``tf.summary.merge_all`` and ``tf.summary.FileWriter``.
"""

from __future__ import annotations

import contextlib
import threading
import time

import numpy as np

from ..framework import context
from ..io.event_file_writer import EventFileWriter
from ..io.protos.event_pb2 import Event
from ..io.protos.summary_pb2 import Summary, SummaryMetadata
from ..ops import summary_ops
from ..summary.summary import clean_tag

_state = threading.local()      # TF keeps the default writer and the recording switch per thread


def _default_writer():
    return getattr(_state, "writer", None)


def _recording():
    return getattr(_state, "recording", False)


class SummaryWriter:
    """Writes summaries to one event file; make it the default with ``as_default()``."""

    def __init__(self, logdir: str, max_queue: int = 10, flush_millis: float = 120000,
                 filename_suffix: str = ".v2"):
        self._writer = EventFileWriter(logdir, max_queue, flush_millis / 1000.0, filename_suffix)

    @contextlib.contextmanager
    def as_default(self):
        previous, _state.writer = _default_writer(), self
        try:
            yield self
        finally:
            self.flush()
            _state.writer = previous

    def set_as_default(self) -> None:
        _state.writer = self

    def init(self) -> None:
        """Nothing to do: the file is created with the writer (kept for TF's API)."""

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()

    def write(self, summary: Summary, step: int) -> None:
        self._writer.add_event(Event(wall_time=time.time(), step=int(step), summary=summary))


def create_file_writer(logdir: str, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None) -> SummaryWriter:
    """A SummaryWriter for ``logdir`` (TF's defaults: 10 queued events, flush every 2 minutes)."""
    _check_eager("create_file_writer")
    return SummaryWriter(logdir, 10 if max_queue is None else max_queue,
                         120000 if flush_millis is None else flush_millis,
                         ".v2" if filename_suffix is None else filename_suffix)


# --- when to record -----------------------------------------------------------------------------
@contextlib.contextmanager
def _recording_as(condition):
    previous, _state.recording = _recording(), condition
    try:
        yield
    finally:
        _state.recording = previous


def always_record_summaries():
    """Record every summary written inside this context."""
    return _recording_as(True)


def never_record_summaries():
    return _recording_as(False)


def record_summaries_every_n_global_steps(n: int, global_step=None):
    """Record only when the global step is a multiple of ``n``."""
    def every_n():
        step = _step_value(global_step)
        return step % n == 0
    return _recording_as(every_n)


def should_record_summaries() -> bool:
    condition = _recording()
    return bool(condition() if callable(condition) else condition)


# --- the summaries -----------------------------------------------------------------------------
def _check_eager(what: str) -> None:
    if not context.executing_eagerly():
        raise NotImplementedError(
            f"tf.contrib.summary.{what} works in eager mode only in minitf; in graph mode use "
            "tf.summary.* with tf.summary.merge_all() and tf.summary.FileWriter.")


def _step_value(step) -> int:
    if step is None:
        from ..train.training_util import get_or_create_global_step
        step = get_or_create_global_step()
    return int(np.asarray(step.numpy() if hasattr(step, "numpy") else step))


def _write(what: str, name: str, family, step, make_summary) -> bool:
    """Write the summary ``make_summary(tag)`` returns, if recording and a writer is set."""
    _check_eager(what)
    writer = _default_writer()
    if writer is None or not should_record_summaries():
        return False
    tag = clean_tag(name) if family is None else f"{clean_tag(family)}/{clean_tag(name)}"
    serialized = np.asarray(make_summary(tag).numpy(), dtype=object).item()    # the Summary's bytes
    writer.write(Summary.FromString(serialized), _step_value(step))
    return True


def scalar(name: str, tensor, family=None, step=None) -> bool:
    return _write("scalar", name, family, step,
                  lambda tag: summary_ops.scalar_summary(tag, tensor))


def histogram(name: str, tensor, family=None, step=None) -> bool:
    return _write("histogram", name, family, step,
                  lambda tag: summary_ops.histogram_summary(tag, tensor))


def image(name: str, tensor, bad_color=None, max_images: int = 3, family=None, step=None) -> bool:
    color = summary_ops.BAD_COLOR if bad_color is None else bad_color
    return _write("image", name, family, step,
                  lambda tag: summary_ops.image_summary(tag, tensor, max_images, color))


def audio(name: str, tensor, sample_rate, max_outputs: int, family=None, step=None) -> bool:
    return _write("audio", name, family, step,
                  lambda tag: summary_ops.audio_summary_v2(tag, tensor, sample_rate, max_outputs))


def generic(name: str, tensor, metadata=None, family=None, step=None) -> bool:
    """Any tensor, with ``metadata`` (a SummaryMetadata or its bytes) naming the plugin."""
    if metadata is None:
        metadata = SummaryMetadata()
    if isinstance(metadata, SummaryMetadata):
        metadata = metadata.SerializeToString()
    return _write("generic", name, family, step,
                  lambda tag: summary_ops.tensor_summary_v2(tag, tensor, metadata))


def flush(writer=None, name=None) -> None:
    """Flush ``writer`` (default: the default writer)."""
    writer = writer or _default_writer()
    if writer is not None:
        writer.flush()
