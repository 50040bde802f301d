"""Crash safety: SIGKILL a process that keeps logging, then read what it left behind.

The child logs step 0, 1, 2, ... through a FileWriter (background thread,
small queue) and flushes every few steps; only after a flush returns does it
report the step.  After each kill, the event file must read back cleanly with
minitf's reader and with TensorBoard's, and hold every reported step in order.
At most the last record may be cut short (a kill during a write), never corrupt.
"""

from __future__ import annotations

import glob
import os
import random
import signal
import time

import pytest

import minitf as tf

KILLS = 12
FLUSH_EVERY = 7

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"), pytest.mark.slow]


def _log_forever(logdir: str, report_fd: int) -> None:
    writer = tf.summary.FileWriter(logdir, max_queue=4, flush_secs=3600)
    step = 0
    while True:
        value = tf.summary.Summary.Value(tag="loss", simple_value=float(step))
        writer.add_summary(tf.summary.Summary(value=[value]), step)
        if step % FLUSH_EVERY == FLUSH_EVERY - 1:
            writer.flush()
            os.write(report_fd, f"{step}\n".encode())
        step += 1


def _run_until_killed(logdir: str, delay: float) -> list:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_fd)
            _log_forever(logdir, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as pipe:
        return [int(line) for line in pipe.read().split()]


def _steps_read_back(path: str) -> list:
    """Steps of the complete records; a DataLossError is allowed only for a cut-short last record."""
    steps = []
    try:
        for event in tf.train.summary_iterator(path):
            if event.HasField("summary"):
                steps.append(event.step)
    except tf.errors.DataLossError as e:
        assert "truncated record" in str(e), e
    return steps


def _tensorboard_steps(logdir: str) -> list:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    accumulator = EventAccumulator(logdir, size_guidance={"scalars": 0})
    accumulator.Reload()
    return [e.step for e in accumulator.Scalars("loss")] if "loss" in accumulator.Tags()["scalars"] else []


def test_sigkill_leaves_every_flushed_event_readable(tmp_path):
    rng = random.Random(20261201)
    kills_after_a_flush = 0
    for run in range(KILLS):
        logdir = str(tmp_path / f"run{run}")
        reported = _run_until_killed(logdir, rng.uniform(0.2, 0.7))
        (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
        steps = _steps_read_back(path)
        assert steps == list(range(len(steps)))                  # in order, nothing lost in between
        if reported:
            kills_after_a_flush += 1
            assert len(steps) > reported[-1]                     # everything up to the last flush
        assert _tensorboard_steps(logdir) == steps               # TensorBoard reads the same
    assert kills_after_a_flush > KILLS // 2
