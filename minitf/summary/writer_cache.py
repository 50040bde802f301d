"""``tf.summary.FileWriterCache``: one shared FileWriter per logdir.

Two FileWriters on one logdir make two event files that TensorBoard reads as
one run with interleaved points; code that logs from several places (hooks,
estimators) shares one writer through this cache instead.
"""

from __future__ import annotations

import threading

from ..framework.graph import get_default_graph
from .writer import FileWriter


class FileWriterCache:
    """A process-wide map ``logdir -> FileWriter``."""

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir: str) -> FileWriter:
        """The writer for ``logdir``, created (with the default graph) on first use."""
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear() -> None:
        """Close and forget every cached writer."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}
