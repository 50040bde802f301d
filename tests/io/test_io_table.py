"""LevelDB-format tables: layout details TF relies on, round trips, and error reports."""

from __future__ import annotations

import pathlib
import struct

import pytest
from hypothesis import given, settings, strategies as st

from minitf.framework import errors
from minitf.io import crc32c, table
from minitf.io.varint import encode_varint

FIXTURE_INDEX = (pathlib.Path(__file__).parents[1] / "fixtures" / "tf" / "linreg_ckpt"
                 / "model.ckpt-300.index")


def test_rebuilds_tensorflows_index_byte_for_byte():
    original = FIXTURE_INDEX.read_bytes()
    items = list(table.Table(original, "fixture").items())
    assert [k for k, _ in items] == [b"", b"bias", b"global_step", b"weight"]
    assert table.build_table(items) == original


def test_separators_are_shortened_like_leveldb():
    assert table.shortest_separator(b"global_step", b"weight") == b"h"
    assert table.shortest_separator(b"abcx", b"abzz") == b"abd"
    assert table.shortest_separator(b"abc", b"abd") == b"abc"  # 'c'+1 is not < 'd'
    assert table.shortest_separator(b"abc", b"abcd") == b"abc"  # a prefix: unchanged
    assert table.short_successor(b"global_step") == b"h"
    assert table.short_successor(b"\xff\xffa") == b"\xff\xffb"
    assert table.short_successor(b"\xff\xff") == b"\xff\xff"


def test_block_restarts_every_16_entries():
    block = table.BlockBuilder()
    keys = [b"key%02d" % i for i in range(17)]
    for k in keys:
        block.add(k, b"v")
    contents = block.finish()
    num_restarts = struct.unpack_from("<I", contents, len(contents) - 4)[0]
    assert num_restarts == 2
    second = struct.unpack_from("<I", contents, len(contents) - 8)[0]
    assert contents[second:second + 3] == bytes([0, 5, 1])  # whole key again: shared = 0
    assert table._decode_block(contents) == [(k, b"v") for k in keys]


def test_empty_metaindex_block_and_footer_layout():
    data = table.build_table([(b"a", b"1")])
    assert data[-8:] == bytes.fromhex("57fb808b247547db")
    # The single data block: entry (3 header bytes + key + value) + restart + count = 13 bytes.
    metaindex = data[13 + 5:13 + 5 + 8]
    assert metaindex == bytes.fromhex("0000000001000000")


def test_blocks_are_cut_at_block_size():
    value = b"x" * 1000
    items = [(b"k%05d" % i, value) for i in range(600)]
    data = table.build_table(items, block_size=262144)
    t = table.Table(data)
    assert len(t.block_handles) == 3
    first_size = t.block_handles[0][1]
    assert 262144 <= first_size < 262144 + 1020
    assert list(t.items()) == items


def test_multi_block_get_finds_every_key_and_misses_others():
    items = [(b"key%04d" % i, b"value%d" % i) for i in range(0, 400, 2)]
    t = table.Table(table.build_table(items, block_size=256))
    assert len(t.block_handles) >= 5
    for k, v in items:
        assert t.get(k) == v
    for missing in (b"", b"a", b"key0001", b"key0399", b"zzz"):
        assert t.get(missing) is None


def test_empty_table_round_trips():
    assert list(table.Table(table.build_table([])).items()) == []


def test_keys_must_increase():
    builder = table.TableBuilder()
    builder.add(b"b", b"")
    with pytest.raises(ValueError):
        builder.add(b"a", b"")


@settings(max_examples=200)
@given(st.dictionaries(st.binary(max_size=12), st.binary(max_size=40), max_size=120),
       st.integers(min_value=1, max_value=600))
def test_round_trip_any_keys(mapping, block_size):
    items = sorted(mapping.items())
    t = table.Table(table.build_table(items, block_size=block_size))
    assert list(t.items()) == items
    for k, v in items:
        assert t.get(k) == v


def _reason(data: bytes) -> str:
    with pytest.raises(errors.DataLossError) as info:
        list(table.Table(data, "x.index").items())
    assert "x.index" in str(info.value)
    return str(info.value)


def test_errors_name_the_problem_and_the_file():
    good = table.build_table([(b"a", b"1"), (b"b", b"2")])
    assert "not an sstable (bad magic number)" in _reason(good[:-1] + b"\0")
    assert "too short" in _reason(good[:20])
    flipped = bytearray(good)
    flipped[5] ^= 1
    assert "block checksum mismatch" in _reason(bytes(flipped))
    # An index handle pointing past the end of the file.
    footer = encode_varint(0) + encode_varint(0) + encode_varint(5000)
    footer += encode_varint(10)
    bad = good[:-48] + footer.ljust(40, b"\0") + good[-8:]
    assert "truncated block read" in _reason(bad)


def test_compressed_blocks_are_refused():
    contents = table.BlockBuilder().finish()
    trailer = bytes([1]) + struct.pack("<I", crc32c.mask(crc32c.crc32c(contents + b"\x01")))
    handle = encode_varint(0) + encode_varint(len(contents))
    data = contents + trailer + (handle + handle).ljust(40, b"\0") + struct.pack("<Q", table.MAGIC)
    assert "bad block type" in _reason(data)


def test_missing_file_is_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError):
        table.Table.open(str(tmp_path / "nope.index"))
