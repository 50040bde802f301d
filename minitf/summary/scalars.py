"""Scalar curves from a logdir, read with minitf's own event reader (no TensorBoard needed).

As in TensorBoard, every folder under ``logdir`` that holds event files is a
*run*, named by its path relative to ``logdir`` (``"."`` for ``logdir``
itself); a run's event files are read in name order (oldest first).
"""

from __future__ import annotations

import os

from ..framework import errors
from .summary_iterator import event_files, summary_iterator


def run_dirs(logdir: str) -> dict[str, str]:
    """``{run name: folder}`` for every folder under ``logdir`` with event files, sorted by name."""
    logdir = os.fspath(logdir)
    if not os.path.isdir(logdir):
        raise errors.NotFoundError(None, None, f"{logdir}; No such file or directory")
    runs = {}
    for folder, _, _ in os.walk(logdir):
        if event_files(folder):
            runs[os.path.relpath(folder, logdir)] = folder
    return dict(sorted(runs.items()))


def read_scalars(logdir: str) -> dict[str, dict[str, tuple[list, list]]]:
    """``{run: {tag: (steps, values)}}`` for every scalar summary under ``logdir``.

    A file still being written may end in a record cut short; reading stops
    there quietly, so a notebook can plot a run while it trains.
    """
    out = {}
    for run, folder in run_dirs(logdir).items():
        curves: dict[str, tuple[list, list]] = {}
        for path in event_files(folder):
            for event in _complete_events(path):
                for value in event.summary.value:
                    if value.WhichOneof("value") == "simple_value":
                        steps, values = curves.setdefault(value.tag, ([], []))
                        steps.append(event.step)
                        values.append(value.simple_value)
        out[run] = curves
    return out


def _complete_events(path: str):
    try:
        yield from summary_iterator(path)
    except errors.DataLossError as e:
        if "truncated record" not in str(e):
            raise
