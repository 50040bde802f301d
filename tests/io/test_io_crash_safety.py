"""Crash safety: SIGKILL a process that keeps saving, then check what it left behind.

The child saves steps 0, 1, 2, ... to four rotating prefixes (so it also
overwrites old bundles in place), updates the `checkpoint` file after each
save, and only then reports the step.  After each kill, the state file must
name a complete checkpoint from the last reported step or the one after it,
and every bundle on disk must load whole, holding a single step's values.
"""

from __future__ import annotations

import os
import random
import signal
import time

import numpy as np
import pytest

from minitf.io.checkpoint_state import get_checkpoint_state, update_checkpoint_state
from minitf.io.tensor_bundle import BundleReader, BundleWriter

KILLS = 30
PREFIXES = 4

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _values(step: int) -> dict:
    return {"global_step": np.int64(step),
            "weights": np.full((64, 64), step, np.float32),
            "names": np.array([f"step{step}".encode()] * 3, dtype=object)}


def _prefix(directory: str, step: int) -> str:
    return os.path.join(directory, f"model.ckpt-{step % PREFIXES}")


def _save_forever(directory: str, step: int, report_fd: int) -> None:
    while True:
        writer = BundleWriter(_prefix(directory, step))
        for name, value in _values(step).items():
            writer.add(name, value)
        writer.finish()
        kept = [_prefix(directory, s) for s in range(max(0, step - PREFIXES + 1), step)]
        update_checkpoint_state(directory, _prefix(directory, step), kept)
        os.write(report_fd, f"{step}\n".encode())
        step += 1


def _run_until_killed(directory: str, first_step: int, delay: float) -> list:
    """Fork a saver, SIGKILL it after ``delay`` seconds; return the steps it reported."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_fd)
            _save_forever(directory, first_step, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as pipe:
        return [int(line) for line in pipe.read().split()]


def _load_step(prefix: str) -> int:
    """Load a whole bundle and check its tensors all come from one step."""
    reader = BundleReader(prefix)
    step = int(reader.get("global_step"))
    for name, value in _values(step).items():
        np.testing.assert_array_equal(reader.get(name), value)
    return step


def _check(directory: str, last: int) -> None:
    state = get_checkpoint_state(directory)
    if last >= 0:
        assert state is not None
        assert _load_step(state.model_checkpoint_path) in (last, last + 1)
        assert _load_step(_prefix(directory, last)) == last  # the last reported save is intact
    for step in range(PREFIXES):
        prefix = _prefix(directory, step)
        if os.path.exists(prefix + ".index"):
            assert _load_step(prefix) % PREFIXES == step  # old or new, never a mix


def test_sigkill_at_random_points_leaves_complete_checkpoints(tmp_path):
    directory = str(tmp_path)
    rng = random.Random(20240601)
    last, kills_mid_run = -1, 0
    for _ in range(KILLS):
        reported = _run_until_killed(directory, last + 1, rng.uniform(0.0, 0.15))
        if reported:
            last = reported[-1]
            kills_mid_run += 1
        _check(directory, last)
    assert last > PREFIXES * 2  # the prefixes were overwritten several times
    assert kills_mid_run > KILLS // 3  # most kills landed after at least one save
