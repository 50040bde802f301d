"""V2 checkpoints: TF's byte layout, TF's own files, every dtype, and the checks on reading."""

from __future__ import annotations

import json
import os
import pathlib
import struct

import numpy as np
import pytest

from minitf.framework import dtypes, errors
from minitf.io import crc32c, table
from minitf.io.protos import tensor_bundle_pb2
from minitf.io.tensor_bundle import BundleReader, BundleWriter, data_filename, index_bytes
from minitf.io.tensor_proto import shape_to_proto

CKPT = pathlib.Path(__file__).parents[1] / "fixtures" / "tf" / "linreg_ckpt"


def _masked_crc(data: bytes) -> bytes:
    return struct.pack("<I", crc32c.mask(crc32c.crc32c(data)))


def _block(entries: bytes, restarts: list) -> bytes:
    """A block with its restart array and its trailer (type 0 + masked CRC)."""
    body = entries + b"".join(struct.pack("<I", r) for r in restarts) + struct.pack("<I", len(restarts))
    return body + b"\x00" + _masked_crc(body + b"\x00")


def test_the_169_byte_worked_example(tmp_path):
    """W float32[3,1], b float32 scalar, global_step int64: the .index from the reference, by hand."""
    W = np.array([[1.0], [2.0], [3.0]], np.float32)
    b = np.float32(0.5)
    step = np.int64(300)
    writer = BundleWriter(str(tmp_path / "model"))
    for name, value in [("global_step", step), ("W", W), ("b", b)]:  # added out of order on purpose
        writer.add(name, value)
    writer.finish()

    crc_W, crc_b, crc_step = (_masked_crc(np.asarray(v).tobytes()) for v in (W, b, step))
    # BundleEntryProto fields: 08 dtype, 12 shape (12 02 08 n: one dim of size n),
    # 20 offset (absent when 0), 28 size, 35 masked crc32c (fixed32).
    header = bytes.fromhex("0801" "1a020801")  # num_shards 1, version {producer 1}
    entry_W = bytes.fromhex("0801" "1208" "12020803" "12020801" "280c" "35") + crc_W
    entry_b = bytes.fromhex("0801" "1200" "200c" "2804" "35") + crc_b
    entry_step = bytes.fromhex("0809" "1200" "2010" "2808" "35") + crc_step
    entries = (  # shared prefix length, unshared length, value length, key suffix, value
        bytes([0, 0, 6]) + header
        + bytes([0, 1, 19]) + b"W" + entry_W
        + bytes([0, 1, 13]) + b"b" + entry_b
        + bytes([0, 11, 13]) + b"global_step" + entry_step
    )
    data_block = _block(entries, [0])
    assert len(data_block) == 84 + 5
    metaindex = _block(b"", [0])
    index = _block(bytes([0, 1, 2]) + b"h" + bytes([0, 84]), [0])            # "h" -> (0, 84)
    footer = bytes([89, 8, 102, 14]).ljust(40, b"\0") + bytes.fromhex("57fb808b247547db")
    expected = data_block + metaindex + index + footer
    assert len(expected) == 169
    assert (tmp_path / "model.index").read_bytes() == expected
    data = (tmp_path / "model.data-00000-of-00001").read_bytes()
    assert data == W.tobytes() + b.tobytes() + step.tobytes()  # key order, no padding


def test_reads_tensorflows_checkpoint():
    case = json.loads((CKPT / "case.json").read_text())
    expected = np.load(CKPT / "expected.npz")
    reader = BundleReader(str(CKPT / "model.ckpt-300"))
    assert reader.keys() == sorted(case["variables"])
    for name, key in case["variables"].items():
        value = reader.get(name)
        assert value.dtype == expected[key].dtype and value.shape == expected[key].shape
        np.testing.assert_array_equal(value, expected[key])
    assert reader.dtype_and_shape("weight") == (dtypes.float32, (4, 1))
    assert reader.variable_to_shape_map() == {"bias": (1,), "global_step": (), "weight": (4, 1)}
    older = BundleReader(str(CKPT / "model.ckpt-200"))
    assert older.get("global_step") == 200


def test_writes_tensorflows_checkpoint_byte_for_byte(tmp_path):
    expected = np.load(CKPT / "expected.npz")
    writer = BundleWriter(str(tmp_path / "model.ckpt-300"))
    for name in ("weight", "bias", "global_step"):
        writer.add(name, expected[name])
    writer.finish()
    for suffix in (".index", ".data-00000-of-00001"):
        assert ((tmp_path / f"model.ckpt-300{suffix}").read_bytes()
                == (CKPT / f"model.ckpt-300{suffix}").read_bytes())


VALUES = {
    "f16": np.array([1.5, -2.0], np.float16),
    "f32": np.arange(12, dtype=np.float32).reshape(3, 4),
    "f64": np.float64(np.pi),
    "i8": np.array([-128, 127], np.int8),
    "i16": np.array([[-5]], np.int16),
    "i32": np.array([1, 2, 3], np.int32),
    "i64": np.array(2**40, np.int64),
    "u8": np.arange(256, dtype=np.uint8),
    "u16": np.array([65535], np.uint16),
    "bool": np.array([True, False, True]),
    "empty": np.zeros((0, 3), np.float32),
    "str": np.array([b"abc", b"", "h\u00e9".encode()], dtype=object),
    "str_scalar": np.array(b"x" * 300, dtype=object),
    "str_empty": np.zeros((0,), dtype=object),
    "scope/nested/name": np.ones((2, 2), np.float32),
}


def test_every_dtype_round_trips(tmp_path):
    writer = BundleWriter(str(tmp_path / "all"))
    for name, value in VALUES.items():
        writer.add(name, value)
    writer.finish()
    reader = BundleReader(str(tmp_path / "all"))
    assert reader.keys() == sorted(VALUES)
    for name, value in VALUES.items():
        got = reader.get(name)
        assert got.shape == value.shape and got.dtype == value.dtype, name
        np.testing.assert_array_equal(got, value)


def test_string_layout_is_lengths_crc_then_bytes(tmp_path):
    writer = BundleWriter(str(tmp_path / "s"))
    writer.add("s", np.array([b"ab", b"cde"], dtype=object))
    writer.finish()
    data = (tmp_path / "s.data-00000-of-00001").read_bytes()
    lengths_crc = crc32c.crc32c(struct.pack("<II", 2, 3))
    assert data == bytes([2, 3]) + struct.pack("<I", crc32c.mask(lengths_crc)) + b"abcde"
    entry = BundleReader(str(tmp_path / "s")).entry("s")
    recorded = crc32c.extend(crc32c.extend(lengths_crc, data[2:6]), b"abcde")
    assert crc32c.unmask(entry.crc32c) == recorded


def test_writer_refuses_duplicate_and_reserved_keys(tmp_path):
    writer = BundleWriter(str(tmp_path / "x"))
    writer.add("a", 1.0)
    with pytest.raises(errors.InvalidArgumentError, match="Adding duplicate key: a"):
        writer.add("a", 2.0)
    with pytest.raises(errors.InvalidArgumentError):
        writer.add("", 2.0)


def test_missing_key_and_missing_bundle(tmp_path):
    reader = BundleReader(str(CKPT / "model.ckpt-300"))
    with pytest.raises(errors.NotFoundError, match="^Key q not found in checkpoint$"):
        reader.get("q")
    with pytest.raises(errors.NotFoundError):
        BundleReader(str(tmp_path / "nothing"))


def _bundle(tmp_path, entries: dict, data: bytes, header=None) -> str:
    """Write a hand-made bundle: ``entries`` maps names to BundleEntryProto fields."""
    prefix = str(tmp_path / "hand")
    protos = {k: tensor_bundle_pb2.BundleEntryProto(**v) for k, v in entries.items()}
    contents = index_bytes(protos)
    if header is not None:
        items = list(table.Table(contents).items())
        items[0] = (b"", header.SerializeToString())
        contents = table.build_table(items)
    pathlib.Path(prefix + ".index").write_bytes(contents)
    pathlib.Path(data_filename(prefix)).write_bytes(data)
    return prefix


def _data_loss(prefix: str, name: str) -> str:
    with pytest.raises(errors.DataLossError) as info:
        BundleReader(prefix).get(name)
    return str(info.value)


def test_checksum_mismatch_is_data_loss(tmp_path):
    data = np.float32(1.0).tobytes()
    prefix = _bundle(tmp_path, {"v": dict(dtype=1, shape=shape_to_proto(()), size=4,
                                          crc32c=crc32c.mask(crc32c.crc32c(data) ^ 1))}, data)
    assert "Checksum does not match: stored" in _data_loss(prefix, "v")
    assert "vs. calculated on the restored bytes" in _data_loss(prefix, "v")


def test_sizes_are_checked_before_reading(tmp_path):
    shape = shape_to_proto((1000,))
    prefix = _bundle(tmp_path, {"big": dict(dtype=1, shape=shape, size=4000),
                                "wrong": dict(dtype=1, shape=shape, size=12),
                                "huge": dict(dtype=2, shape=shape_to_proto((2**40,)), size=2**43),
                                "far": dict(dtype=1, shape=shape_to_proto(()), offset=2**62, size=4),
                                "dtype": dict(dtype=77, shape=shape_to_proto(()), size=4),
                                "ref": dict(dtype=101, shape=shape_to_proto(()), size=4),
                                "shard": dict(dtype=1, shape=shape_to_proto(()), size=4, shard_id=3),
                                "neg": dict(dtype=1, shape=shape_to_proto((-1,)), size=4)},
                     bytes(28))
    assert "which has only 28" in _data_loss(prefix, "big")
    assert "Invalid size in bundle entry: key wrong" in _data_loss(prefix, "wrong")
    assert "Invalid tensor shape" in _data_loss(prefix, "huge")
    assert "which has only 28" in _data_loss(prefix, "far")
    assert "unsupported dtype enum 77" in _data_loss(prefix, "dtype")
    _data_loss(prefix, "ref")
    assert "bad shard id 3" in _data_loss(prefix, "shard")
    assert "Invalid tensor shape" in _data_loss(prefix, "neg")


def test_big_endian_bundles_are_byte_swapped(tmp_path):
    value = np.arange(3, dtype=">i4")
    header = tensor_bundle_pb2.BundleHeaderProto(
        num_shards=1, endianness=tensor_bundle_pb2.BundleHeaderProto.BIG, version={"producer": 1})
    prefix = _bundle(tmp_path, {"v": dict(dtype=3, shape=shape_to_proto((3,)), size=12,
                                          crc32c=crc32c.mask(crc32c.crc32c(value.tobytes())))},
                     value.tobytes(), header)
    got = BundleReader(prefix).get("v")
    assert got.dtype == np.int32 and got.tolist() == [0, 1, 2]


def test_newer_format_versions_are_refused(tmp_path):
    header = tensor_bundle_pb2.BundleHeaderProto(num_shards=1, version={"producer": 2, "min_consumer": 2})
    prefix = _bundle(tmp_path, {}, b"", header)
    with pytest.raises(errors.InvalidArgumentError, match="min consumer 2"):
        BundleReader(prefix)


def _write(prefix: str, scale: float) -> None:
    writer = BundleWriter(prefix)
    writer.add("w", np.full((50,), scale, np.float32))
    writer.add("step", np.int64(scale))
    writer.finish()


def test_overwriting_keeps_the_old_index_readable_until_the_new_one_lands(tmp_path):
    """The crash window between the data rename and the index rename, replayed."""
    prefix = str(tmp_path / "model.ckpt")
    _write(prefix, 1.0)
    old_index = pathlib.Path(prefix + ".index").read_bytes()
    _write(prefix, 2.0)
    assert BundleReader(prefix).get("step") == 2
    pathlib.Path(prefix + ".index").write_bytes(old_index)  # as if the last rename never happened
    reader = BundleReader(prefix)
    assert reader.get("step") == 1 and reader.get("w").tolist() == [1.0] * 50


def test_repeated_overwrites_keep_the_data_file_small(tmp_path):
    prefix = str(tmp_path / "model.ckpt")
    for i in range(20):
        _write(prefix, float(i))
        assert BundleReader(prefix).get("step") == i
    assert os.path.getsize(data_filename(prefix)) <= 2 * (50 * 4 + 8)
    assert sorted(os.listdir(tmp_path)) == ["model.ckpt.data-00000-of-00001", "model.ckpt.index"]
