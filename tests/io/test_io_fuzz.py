"""Hypothesis fuzzing of everything that reads files: thousands of damaged inputs.

Each test feeds damaged or made-up bytes to a reader and accepts only a result,
or DataLossError / NotFoundError / InvalidArgumentError, within a memory bound.
"""

from __future__ import annotations

import pathlib
from unittest import mock

import numpy as np
import pytest
from google.protobuf.message import DecodeError
from hypothesis import HealthCheck, given, settings, strategies as st

from io_corruption_helpers import ALLOWED, bounded_memory, check_damaged, make_bundle
from minitf.framework import errors
from minitf.io import checkpoint_state, table, tensor_proto
from minitf.io.protos import tensor_bundle_pb2, tensor_pb2
from minitf.io.tensor_bundle import BundleReader, data_filename

def fuzz(examples: int) -> settings:
    """Settings for one fuzz test; the counts add up to 3,000 cases per run."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    index, data = make_bundle(directory)
    return directory, index, data


OPS = st.lists(st.tuples(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "append"]),
                         st.integers(0, 2**16), st.integers(0, 255)), min_size=1, max_size=5)


def mutate(data: bytes, ops) -> bytes:
    out = bytearray(data)
    for op, position, value in ops:
        i = position % (len(out) + 1)
        if op == "flip" and i < len(out):
            out[i] ^= 1 << (value % 8)
        elif op == "set" and i < len(out):
            out[i] = value
        elif op == "insert":
            out.insert(i, value)
        elif op == "delete" and i < len(out):
            del out[i]
        elif op == "truncate":
            del out[i:]
        elif op == "append":
            out += bytes([value]) * (position % 64)
    return bytes(out)


@fuzz(600)
@given(ops=OPS)
def test_fuzz_index_bytes(bundle, ops):
    directory, index, data = bundle
    with bounded_memory():
        check_damaged(directory, mutate(index, ops), data)


@fuzz(350)
@given(ops=OPS)
def test_fuzz_data_bytes(bundle, ops):
    directory, index, data = bundle
    damaged = mutate(data, ops)
    with bounded_memory():
        outcome = check_damaged(directory, index, damaged)
    assert outcome == "ok" or damaged != data


DTYPE_ENUMS = st.sampled_from([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 17, 19, 20, 23, 101, 107, 999])
DIM = st.integers(-2, 6) | st.sampled_from([2**31 + 1, 2**40, 2**62, 2**63 - 1])
OFFSETS = st.integers(0, 80) | st.sampled_from([-1, 2**31, 2**62, 2**63 - 1])
SHAPES = st.builds(lambda dims, unknown: tensor_proto.shape_to_proto(None if unknown else dims),
                   st.lists(DIM, max_size=4), st.booleans())


@st.composite
def bundle_entries(draw):
    """A BundleEntryProto with arbitrary, mostly inconsistent, fields."""
    entry = tensor_bundle_pb2.BundleEntryProto(
        dtype=draw(DTYPE_ENUMS), shape=draw(SHAPES), shard_id=draw(st.sampled_from([0, 0, 0, 1, -1])),
        offset=draw(OFFSETS), size=draw(OFFSETS), crc32c=draw(st.integers(0, 2**32 - 1)))
    if draw(st.integers(0, 9)) == 0:
        entry.slices.add().extent.add(start=0, length=1)
    return entry


@st.composite
def headers(draw):
    header = tensor_bundle_pb2.BundleHeaderProto(
        num_shards=draw(st.sampled_from([1, 1, 1, 0, -1, 2])),
        endianness=draw(st.sampled_from([0, 0, 1, 2])))
    header.version.producer = draw(st.sampled_from([1, 1, 0, -1, 5]))
    header.version.min_consumer = draw(st.sampled_from([0, 0, 1, 2]))
    return header.SerializeToString()


@fuzz(600)
@given(header=headers() | st.binary(max_size=12),
       entries=st.dictionaries(st.text("abcW_/", min_size=1, max_size=4),
                               bundle_entries().map(lambda e: e.SerializeToString()) | st.binary(max_size=30),
                               max_size=4),
       data=st.binary(max_size=96))
def test_fuzz_made_up_entries(bundle, header, entries, data):
    """Well-formed tables (so CRCs pass) holding arbitrary entries: the entry checks must hold."""
    directory = bundle[0]
    prefix = str(directory / "made_up")
    items = [(b"", header)] + sorted((k.encode(), v) for k, v in entries.items())
    pathlib.Path(prefix + ".index").write_bytes(table.build_table(items))
    pathlib.Path(data_filename(prefix)).write_bytes(data)
    with bounded_memory():
        try:
            reader = BundleReader(prefix)
            for name in reader.keys():
                try:
                    value = reader.get(name)
                except ALLOWED:
                    continue
                assert isinstance(value, np.ndarray)
                assert value.nbytes <= max(len(data), 1) * 8  # only ever what the data file backs
        except ALLOWED:
            pass


@fuzz(250)
@given(items=st.dictionaries(st.binary(max_size=8), st.binary(max_size=30), max_size=60),
       block_size=st.integers(16, 300), ops=OPS)
def test_fuzz_multi_block_tables(items, block_size, ops):
    original = sorted(items.items())
    damaged = mutate(table.build_table(original, block_size), ops)
    with bounded_memory():
        try:
            read = list(table.Table(damaged, "t").items())
        except errors.DataLossError:
            return
    # Damage can still leave a well-formed table: a footer shifted onto the
    # (valid, empty) metaindex block reads as an empty table.  Keys stay sorted.
    keys = [k for k, _ in read]
    assert keys == sorted(set(keys))


STATE_FIELDS = st.sampled_from(["model_checkpoint_path", "all_model_checkpoint_paths",
                                "all_model_checkpoint_timestamps", "last_preserved_timestamp", "bogus"])
STATE_VALUES = st.sampled_from(['"model.ckpt-1"', '"a\\"b"', '"\\xff"', '"unterminated', "1.5", "-inf",
                                "nan", "{", "}", "", '"\\u00e9"', "1e999", "0x10", ":"])


@fuzz(400)
@given(lines=st.lists(st.tuples(STATE_FIELDS, st.sampled_from([": ", " ", ":"]), STATE_VALUES), max_size=6),
       noise=st.text(max_size=8))
def test_fuzz_checkpoint_state_text(tmp_path_factory, lines, noise):
    path = tmp_path_factory.getbasetemp() / "state_fuzz"
    path.write_text("\n".join(f + sep + v for f, sep, v in lines) + noise, encoding="utf-8")
    try:
        checkpoint_state.read_checkpoint_state(str(path))
    except errors.DataLossError as e:
        assert str(path) in str(e)


@fuzz(200)
@given(raw=st.binary(max_size=200))
def test_fuzz_checkpoint_state_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.getbasetemp() / "state_fuzz_bytes"
    path.write_bytes(raw)
    try:
        checkpoint_state.read_checkpoint_state(str(path))
    except errors.DataLossError:
        pass


@st.composite
def tensor_protos(draw):
    proto = tensor_pb2.TensorProto(dtype=draw(DTYPE_ENUMS), tensor_shape=draw(SHAPES))
    kind = draw(st.sampled_from(["content", "float", "int", "int64", "bool", "string", "half", "none"]))
    if kind == "content":
        proto.tensor_content = draw(st.binary(max_size=64))
    elif kind == "float":
        proto.float_val.extend(draw(st.lists(st.floats(width=32), max_size=5)))
    elif kind == "int":
        proto.int_val.extend(draw(st.lists(st.integers(-2**31, 2**31 - 1), max_size=5)))
    elif kind == "int64":
        proto.int64_val.extend(draw(st.lists(st.integers(-2**63, 2**63 - 1), max_size=5)))
    elif kind == "bool":
        proto.bool_val.extend(draw(st.lists(st.booleans(), max_size=5)))
    elif kind == "string":
        proto.string_val.extend(draw(st.lists(st.binary(max_size=5), max_size=5)))
    elif kind == "half":
        proto.half_val.extend(draw(st.lists(st.integers(-2**31, 2**31 - 1), max_size=5)))
    return proto


@fuzz(300)
@given(proto=tensor_protos())
def test_fuzz_tensor_protos(proto):
    with bounded_memory():
        try:
            value = tensor_proto.make_ndarray(proto)
        except errors.InvalidArgumentError:
            return
    assert value.shape == tensor_proto.shape_from_proto(proto.tensor_shape)


@fuzz(300)
@given(raw=st.binary(max_size=80))
def test_fuzz_tensor_proto_bytes(raw):
    try:
        proto = tensor_pb2.TensorProto.FromString(raw)
    except DecodeError:
        return  # not a protobuf at all: protobuf's own error, before our code runs
    # A random shape may be legal yet large; a low limit keeps this test's memory small.
    with mock.patch.object(tensor_proto, "MAX_ELEMENTS", 10**5), bounded_memory():
        try:
            tensor_proto.make_ndarray(proto)
        except errors.InvalidArgumentError:
            pass
