"""Damaged checkpoints: every truncation, every single-bit flip, garbage.

Reading must end in DataLossError, NotFoundError or InvalidArgumentError, or
(when the damage hit bytes nothing reads, such as footer padding) return the
original values; never another exception, wrong values, or a large allocation.
"""

from __future__ import annotations

import collections
import os
import random

import pytest

from io_corruption_helpers import ALLOWED, bounded_memory, check_damaged, load_all, make_bundle
from minitf.framework import errors
from minitf.io import checkpoint_state, table
from minitf.io.tensor_bundle import BundleReader


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bundle")
    index, data = make_bundle(directory)
    return directory, index, data


def test_undamaged_bundle_loads(bundle):
    directory, index, data = bundle
    assert check_damaged(directory, index, data) == "ok"


def test_every_truncation_of_the_index_is_data_loss(bundle):
    directory, index, data = bundle
    with bounded_memory():
        for length in range(len(index)):
            with pytest.raises(errors.DataLossError):
                load_all(directory, index[:length], data)


def test_every_truncation_of_the_data_fails_or_reads_what_is_there(bundle):
    directory, index, data = bundle
    outcomes = collections.Counter()
    with bounded_memory():
        for length in range(len(data)):
            outcomes[check_damaged(directory, index, data[:length])] += 1
    assert outcomes == {"DataLossError": len(data)}  # the last tensor always loses its tail


def test_every_bit_flip_in_the_index(bundle):
    directory, index, data = bundle
    outcomes = collections.Counter()
    with bounded_memory():
        for i in range(len(index)):
            for bit in range(8):
                damaged = bytearray(index)
                damaged[i] ^= 1 << bit
                outcomes[check_damaged(directory, bytes(damaged), data)] += 1
    assert outcomes["DataLossError"] > 0.7 * 8 * len(index)
    assert outcomes["ok"] > 0  # the footer's zero padding and metaindex handle are never read


def test_every_bit_flip_in_the_data(bundle):
    directory, index, data = bundle
    with bounded_memory():
        for i in range(len(data)):
            for bit in range(8):
                damaged = bytearray(data)
                damaged[i] ^= 1 << bit
                assert check_damaged(directory, index, bytes(damaged)) == "DataLossError"


def test_random_garbage_files(bundle):
    directory, index, data = bundle
    rng = random.Random(1234)
    with bounded_memory():
        for size in list(range(0, 100)) + [rng.randrange(100, 5000) for _ in range(100)]:
            garbage = rng.randbytes(size)
            with pytest.raises(errors.DataLossError):
                list(table.Table(garbage, "garbage").items())
            assert check_damaged(directory, garbage, data) == "DataLossError"
            assert check_damaged(directory, index, garbage) == "DataLossError"


def test_missing_data_file_is_not_found(bundle):
    directory, index, data = bundle
    prefix = directory / "nodata"
    (directory / "nodata.index").write_bytes(index)
    with pytest.raises(errors.NotFoundError):
        BundleReader(str(prefix)).get("weight")


def test_every_truncation_and_flip_of_a_state_file(tmp_path):
    save_dir = str(tmp_path)
    checkpoint_state.update_checkpoint_state(save_dir, os.path.join(save_dir, "model.ckpt-2"),
                                             [os.path.join(save_dir, "model.ckpt-1")])
    path = tmp_path / "checkpoint"
    original = path.read_bytes()
    variants = [original[:n] for n in range(len(original))]
    for i in range(len(original)):
        for bit in range(8):
            damaged = bytearray(original)
            damaged[i] ^= 1 << bit
            variants.append(bytes(damaged))
    outcomes = collections.Counter()
    for variant in variants:
        path.write_bytes(variant)
        try:
            checkpoint_state.read_checkpoint_state(str(path))
            outcomes["parsed"] += 1
        except ALLOWED as e:
            outcomes[type(e).__name__] += 1
    assert outcomes["DataLossError"] > 0 and outcomes["parsed"] > 0
