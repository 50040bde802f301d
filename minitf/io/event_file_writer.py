"""Event files: the TFRecord files TensorBoard reads, written in the background.

A file is named ``events.out.tfevents.<seconds since the epoch>.<host>`` and
holds serialized ``Event`` protos, one per TFRecord (minitf/io/tfrecord.py).
The first record says which format follows: ``file_version: "brain.Event:2"``.

Training must not wait for the disk, so ``EventFileWriter`` works like TF's
(python/summary/writer/event_file_writer.py): ``add_event`` puts the event on a
bounded queue (``max_queue``; a full queue makes the caller wait, so memory
stays bounded) and a daemon thread writes it.  Written records sit in a buffer
until a *flush* hands them to the OS and syncs the file: every ``flush_secs``
seconds, on ``flush()`` and on ``close()``.  A process killed at any moment
leaves a file whose records, up to the last flush, all read back.
"""

from __future__ import annotations

import os
import queue
import socket
import threading
import time

from minitf.framework import errors
from minitf.io.gfile import _translate, isdir, makedirs
from minitf.io.protos import event_pb2
from minitf.io.tfrecord import encode_record

FILE_VERSION = "brain.Event:2"
_FLUSH_BYTES = 1 << 20        # also flush when this much is buffered, so memory stays small


def event_file_name(logdir: str, wall_time: float, suffix: str = "") -> str:
    """``<logdir>/events.out.tfevents.<%010d seconds>.<host><suffix>`` (TF's EventsWriter)."""
    return os.path.join(logdir, "events.out.tfevents.%010d.%s%s"
                        % (int(wall_time), socket.gethostname(), suffix or ""))


class EventsFile:
    """One new event file: appends records to a buffer, ``flush`` puts them on disk."""

    def __init__(self, path: str):
        self.path, self._fd = _create_new(path)
        self._buffer = bytearray()
        self._lock = threading.Lock()         # the logger thread and flush() may meet here
        self.write_event(event_pb2.Event(wall_time=time.time(), file_version=FILE_VERSION))
        self.flush()                          # the file is valid (and visible) from the start

    def write_event(self, event: event_pb2.Event) -> None:
        with self._lock:
            self._buffer += encode_record(event.SerializeToString())
            full = len(self._buffer) >= _FLUSH_BYTES
        if full:
            self.flush()

    def flush(self) -> None:
        """Write the buffered records with one ``os.write``, then fsync."""
        with self._lock:
            if self._fd is None or not self._buffer:     # nothing new since the last sync
                return
            data, self._buffer = bytes(self._buffer), bytearray()
            try:
                while data:                   # os.write may write less than asked
                    data = data[os.write(self._fd, data):]
                os.fsync(self._fd)
            except OSError as e:
                raise _translate(e, self.path) from None

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _create_new(path: str) -> tuple[str, int]:
    """Create ``path``, or ``path.1``, ``path.2``... when another writer made it in the same second.

    TF would overwrite the other file; a numeric suffix keeps both, and TensorBoard
    still reads them in name order.
    """
    candidate, n = path, 0
    while True:
        try:
            return candidate, os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o666)
        except FileExistsError:
            n += 1
            candidate = f"{path}.{n}"
        except OSError as e:
            raise _translate(e, candidate) from None


_SENTINEL = object()                           # tells the logger thread to stop


class _EventLoggerThread(threading.Thread):
    """Takes events off the queue and writes them; flushes every ``flush_secs``."""

    def __init__(self, events: queue.Queue, file: EventsFile, flush_secs: float):
        super().__init__(name="minitf-EventLoggerThread", daemon=True)
        self._queue = events
        self._file = file
        self._flush_secs = flush_secs
        self._next_flush = time.time() + flush_secs
        self.error: BaseException | None = None   # re-raised in the user's thread

    def run(self) -> None:
        while True:
            try:
                event = self._queue.get(timeout=max(0.0, self._next_flush - time.time()))
            except queue.Empty:                # nothing new for a while: flush what is buffered
                self._timed_flush()
                continue
            try:
                if event is _SENTINEL:
                    return
                if self.error is None:
                    self._file.write_event(event)
                    if time.time() >= self._next_flush:
                        self._timed_flush()
            except Exception as e:  # noqa: BLE001 - kept and raised by flush()/close()
                self.error = e
            finally:
                self._queue.task_done()

    def _timed_flush(self) -> None:
        try:
            self._file.flush()
        except Exception as e:  # noqa: BLE001
            self.error = e
        self._next_flush = time.time() + self._flush_secs


class EventFileWriter:
    """Writes ``Event`` protos to a new event file in ``logdir`` from a background thread."""

    def __init__(self, logdir: str, max_queue: int = 10, flush_secs: float = 120,
                 filename_suffix: str | None = None):
        self._logdir = str(logdir)
        if not isdir(self._logdir):
            makedirs(self._logdir)            # PermissionDeniedError when we may not create it
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._closed = True
        self._start()

    def _start(self) -> None:
        self._file = EventsFile(event_file_name(self._logdir, time.time(), self._suffix))
        self._queue: queue.Queue = queue.Queue(self._max_queue)
        self._worker = _EventLoggerThread(self._queue, self._file, self._flush_secs)
        self._worker.start()
        self._closed = False

    def get_logdir(self) -> str:
        return self._logdir

    @property
    def path(self) -> str:
        """The file being written (a new one after each ``reopen``)."""
        return self._file.path

    def add_event(self, event: event_pb2.Event) -> None:
        """Queue ``event`` for writing (ignored once closed, as in TF)."""
        if not self._closed:
            self._queue.put(event)

    def flush(self) -> None:
        """Wait until every queued event is written, then put them on disk."""
        if self._closed:
            return
        self._queue.join()
        self._raise_worker_error()
        self._file.flush()

    def close(self) -> None:
        """Flush, stop the thread and close the file.  ``reopen`` starts a new file."""
        if self._closed:
            return
        self._queue.put(_SENTINEL)
        self._queue.join()
        self._worker.join()
        self._closed = True
        self._file.close()
        self._raise_worker_error()

    def reopen(self) -> None:
        """After ``close``: write the next events to a new file in the same logdir."""
        if self._closed:
            self._start()

    def _raise_worker_error(self) -> None:
        error, self._worker.error = self._worker.error, None
        if error is not None:
            if isinstance(error, errors.OpError):
                raise error
            raise errors.UnknownError(None, None, f"Could not write events to {self.path}: {error}")
