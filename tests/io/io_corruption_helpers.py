"""Shared by the corruption and fuzz tests: a small bundle, and loading it under guard."""

from __future__ import annotations

import contextlib
import pathlib
import tracemalloc

import numpy as np

from minitf.framework import errors
from minitf.io.tensor_bundle import BundleReader, BundleWriter, data_filename

# What reading damaged files may raise; anything else (or a crash) is a bug.
ALLOWED = (errors.DataLossError, errors.NotFoundError, errors.InvalidArgumentError)
MEMORY_LIMIT = 64 << 20  # reading a tiny damaged bundle must never need more than this

VALUES = {
    "bias": np.array([0.5], np.float32),
    "flags": np.array([True, False]),
    "global_step": np.int64(300),
    "names": np.array([b"alpha", b"", b"gamma"], dtype=object),
    "weight": np.arange(6, dtype=np.float32).reshape(3, 2),
}


def make_bundle(directory: pathlib.Path) -> tuple[bytes, bytes]:
    """Write the small bundle; return its (.index, .data) bytes."""
    prefix = str(directory / "original")
    writer = BundleWriter(prefix)
    for name, value in VALUES.items():
        writer.add(name, value)
    writer.finish()
    return pathlib.Path(prefix + ".index").read_bytes(), pathlib.Path(data_filename(prefix)).read_bytes()


def load_all(directory: pathlib.Path, index: bytes, data: bytes) -> dict:
    """Write (possibly damaged) bundle files and read every tensor back."""
    prefix = str(directory / "damaged")
    pathlib.Path(prefix + ".index").write_bytes(index)
    pathlib.Path(data_filename(prefix)).write_bytes(data)
    reader = BundleReader(prefix)
    return {name: reader.get(name) for name in reader.keys()}


def check_damaged(directory: pathlib.Path, index: bytes, data: bytes) -> str:
    """Load a damaged bundle: it must fail with an allowed error or give the original values."""
    try:
        loaded = load_all(directory, index, data)
    except ALLOWED as e:
        return type(e).__name__
    assert loaded.keys() == VALUES.keys()
    for name, value in VALUES.items():
        assert loaded[name].dtype == value.dtype and loaded[name].shape == value.shape
        np.testing.assert_array_equal(loaded[name], value)
    return "ok"


@contextlib.contextmanager
def bounded_memory(limit: int = MEMORY_LIMIT):
    """Fail if the body's peak Python/numpy allocation exceeds ``limit`` bytes."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1] - base
        if started:
            tracemalloc.stop()
    assert peak < limit, f"peak allocation {peak} bytes"
