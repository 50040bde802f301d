"""Reading event files back: ``tf.train.summary_iterator`` (TF 1.x's name for it).

    for event in tf.train.summary_iterator(path):
        for value in event.summary.value:
            print(event.step, value.tag, value.simple_value)
"""

from __future__ import annotations

import glob
import os
from typing import Iterator

from ..io.protos.event_pb2 import Event
from ..io.tfrecord import tf_record_iterator


def summary_iterator(path: str) -> Iterator[Event]:
    """Yield the ``Event`` protos of one event file, in order (``DataLossError`` at a bad record)."""
    for record in tf_record_iterator(path):
        yield Event.FromString(record)


def event_files(logdir: str) -> list[str]:
    """The event files directly in ``logdir``, oldest first (their names start with the time)."""
    return sorted(glob.glob(os.path.join(glob.escape(os.fspath(logdir)), "*tfevents*")))
