"""CRC32C: known values, incremental use, masking, and the fast paths agreeing with the loop."""

from __future__ import annotations

import os
import time

from hypothesis import given, settings, strategies as st

from minitf.io import crc32c

# Test vectors from RFC 3720 (iSCSI) B.4 and LevelDB's crc32c_test.
KNOWN = [
    (b"123456789", 0xE3069283),
    (bytes(32), 0x8A9136AA),
    (b"\xff" * 32, 0x62A8AB43),
    (bytes(range(32)), 0x46DD794E),
    (bytes(range(31, -1, -1)), 0x113FDB5C),
    (b"", 0),
]


def test_known_values():
    for data, expected in KNOWN:
        assert crc32c.crc32c(data) == expected, data


def test_extend_equals_whole():
    assert crc32c.extend(crc32c.crc32c(b"hello "), b"world") == crc32c.crc32c(b"hello world")


def test_mask_round_trips_and_changes_value():
    for data, value in KNOWN[:5]:
        assert crc32c.mask(value) != value
        assert crc32c.unmask(crc32c.mask(value)) == value
    # LevelDB's example: masking twice is not the identity either.
    assert crc32c.mask(crc32c.mask(0xE3069283)) != 0xE3069283


@settings(max_examples=60)
@given(st.binary(min_size=0, max_size=20000), st.integers(0, 2**32 - 1))
def test_numpy_lanes_equal_byte_loop(data, state):
    assert crc32c._raw_numpy(state, data) == crc32c._raw_bytes(state, data)


def test_large_inputs_use_the_fast_path_and_agree():
    data = os.urandom(3 * 4096 + 17)
    expected = crc32c._raw_bytes(0xFFFFFFFF, data) ^ 0xFFFFFFFF
    assert crc32c.crc32c(data) == expected


def test_megabytes_are_fast():
    data = os.urandom(4 << 20)
    start = time.perf_counter()
    crc32c.crc32c(data)
    assert time.perf_counter() - start < 3.0  # the byte loop alone would take ~0.5 s per MB
