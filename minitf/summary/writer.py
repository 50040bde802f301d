"""``tf.summary.FileWriter``: turns summaries, graphs and session logs into events on disk.

    writer = tf.summary.FileWriter("runs/train", sess.graph)   # writes the graph too
    summary, _ = sess.run([merged, train_op], feed_dict)
    writer.add_summary(summary, step)                           # a serialized Summary
    writer.close()

Each ``add_*`` wraps its argument in an ``Event`` (wall time, step) and queues
it; a background thread writes it (minitf/io/event_file_writer.py).
TensorBoard shows a logdir's subfolders as runs: one writer per run folder.
"""

from __future__ import annotations

import time
import warnings

from ..framework import context
from ..framework.graph import Graph
from ..io.event_file_writer import EventFileWriter
from ..io.meta_graph import export_meta_graph
from ..io.protos.event_pb2 import Event, SessionLog, TaggedRunMetadata
from ..io.protos.graph_pb2 import GraphDef
from ..io.protos.meta_graph_pb2 import MetaGraphDef
from ..io.protos.summary_pb2 import Summary


class FileWriter:
    """Writes ``Summary`` protos and graphs to an event file in ``logdir`` for TensorBoard."""

    def __init__(self, logdir: str, graph=None, max_queue: int = 10, flush_secs: float = 120,
                 graph_def=None, filename_suffix: str | None = None, session=None):
        if context.executing_eagerly():
            raise RuntimeError("tf.summary.FileWriter is not compatible with eager execution. "
                               "Use tf.contrib.summary instead.")
        if session is not None:
            raise NotImplementedError("FileWriter(session=...) (writing through graph ops) is not "
                                      "supported by minitf; pass a logdir only.")
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._closed = False
        self._seen_summary_tags: set = set()
        self._seen_run_metadata_tags: set = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            # The meta graph too (with collections), as TF's FileWriter does.
            if isinstance(graph, Graph):
                self.add_meta_graph(export_meta_graph(graph))
            else:
                meta = MetaGraphDef()
                meta.graph_def.CopyFrom(graph_def if graph_def is not None else graph)
                self.add_meta_graph(meta)

    # --- what can be logged -------------------------------------------------------------
    def add_summary(self, summary, global_step=None) -> None:
        """Log a ``Summary`` (or its serialized bytes, what ``sess.run`` of a summary op returns)."""
        if isinstance(summary, bytes):
            summary = Summary.FromString(summary)
        elif hasattr(summary, "tobytes") or hasattr(summary, "numpy"):    # a 0-d object array, eager
            summary = Summary.FromString(_as_bytes(summary))
        elif not isinstance(summary, Summary):
            raise TypeError(f"add_summary expects a Summary proto or its serialized bytes, "
                            f"got {type(summary).__name__}")
        else:
            summary = Summary.FromString(summary.SerializeToString())    # we edit it below
        # Metadata (which plugin shows a tag) is written only with a tag's first value.
        for value in summary.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            else:
                self._seen_summary_tags.add(value.tag)
        self.add_event(Event(summary=summary), global_step)

    def add_graph(self, graph=None, global_step=None, graph_def=None) -> None:
        """Log a graph (TensorBoard's Graphs tab)."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        given = graph if graph is not None else graph_def
        if isinstance(given, Graph):
            graph_def = given.as_graph_def(add_shapes=True)
        elif isinstance(given, GraphDef):
            graph_def = given
        else:
            raise TypeError("The passed graph must be an instance of `Graph` or the deprecated "
                            "`GraphDef`")
        self.add_event(Event(graph_def=graph_def.SerializeToString()), global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None) -> None:
        if not isinstance(meta_graph_def, MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: {type(meta_graph_def)}")
        self.add_event(Event(meta_graph_def=meta_graph_def.SerializeToString()), global_step)

    def add_session_log(self, session_log: SessionLog, global_step=None) -> None:
        """Log a session start/stop/checkpoint (TensorBoard drops later points after a START)."""
        self.add_event(Event(session_log=session_log), global_step)

    def add_run_metadata(self, run_metadata, tag: str, global_step=None) -> None:
        """Log a run's metadata under ``tag`` (minitf records no step stats: it stays empty)."""
        if tag in self._seen_run_metadata_tags:
            raise ValueError("The provided run metadata tag is already in use.")
        self._seen_run_metadata_tags.add(tag)
        serialize = getattr(run_metadata, "SerializeToString", None)
        tagged = TaggedRunMetadata(tag=tag, run_metadata=serialize() if serialize else b"")
        self.add_event(Event(tagged_run_metadata=tagged), global_step)

    def add_event(self, event: Event, step=None) -> None:
        """Stamp ``event`` with the wall time (and ``step``) and queue it."""
        if self._closed:
            warnings.warn("Attempting to use a closed FileWriter. The operation will be a noop "
                          "unless the FileWriter is explicitly reopened.")
            return
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    # --- lifetime ---------------------------------------------------------------------------
    def get_logdir(self) -> str:
        return self.event_writer.get_logdir()

    def flush(self) -> None:
        """Write everything queued so far to disk."""
        self.event_writer.flush()

    def close(self) -> None:
        """Flush and close the file; ``reopen`` starts a new one."""
        self.event_writer.close()
        self._closed = True

    def reopen(self) -> None:
        self.event_writer.reopen()
        self._closed = False

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _as_bytes(value) -> bytes:
    value = value.numpy() if hasattr(value, "numpy") else value
    value = value.item() if hasattr(value, "item") else value
    if not isinstance(value, bytes):
        raise TypeError(f"add_summary expects a serialized Summary, got {value!r}")
    return value
