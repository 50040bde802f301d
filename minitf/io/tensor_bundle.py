"""TF's V2 checkpoint format, the "tensor bundle": ``P.index`` + ``P.data-00000-of-00001``.

* ``P.data-00000-of-00001`` holds the tensors' raw bytes one after another
  (row-major, little-endian, no padding), in key order.
* ``P.index`` is a sorted table (see ``table.py``).  Key ``""`` holds a
  ``BundleHeaderProto`` (number of data shards, endianness, format version);
  each other key is a variable name holding a ``BundleEntryProto``: dtype,
  shape, which shard, the byte offset and size there, and a masked CRC32C.
* A string tensor is stored as the varint64 length of each element, a masked
  CRC32C of those lengths, then the elements' bytes (see ``_string_bytes``).

The reader treats both files as untrusted: every size is checked against the
dtype, the shape and the data file's length *before* anything is allocated,
and problems raise ``DataLossError`` (``NotFoundError`` for missing keys or
files).  Reading ``P.data`` checks each tensor's CRC.

Crash safety.  ``finish`` writes the data file and then the index, each
atomically (``atomic.py``).  If ``P`` already holds a bundle, the new data
file keeps the old index's bytes at their old offsets and places the new
tensors beside them (see ``_place_new_bytes``), so that between the two
renames the old index still reads correct data: a crash leaves the old bundle
or the new one, never a mix.
"""

from __future__ import annotations

import os
import struct
from typing import Optional

import numpy as np
from google.protobuf.message import DecodeError

from minitf.framework import dtypes, errors
from minitf.io import crc32c, table
from minitf.io.atomic import atomic_write_bytes, atomic_writer
from minitf.io.protos import tensor_bundle_pb2, versions_pb2
from minitf.io.tensor_proto import checked_shape, proto_dtype, shape_to_proto
from minitf.io.varint import decode_varint, encode_varint

HEADER_KEY = ""
FORMAT_VERSION = 1  # kTensorBundleVersion: the version TF writes and can read
_COPY_CHUNK = 1 << 20


def data_filename(prefix: str, shard_id: int = 0, num_shards: int = 1) -> str:
    return f"{prefix}.data-{shard_id:05d}-of-{num_shards:05d}"


def index_filename(prefix: str) -> str:
    return f"{prefix}.index"


# --- writing ---------------------------------------------------------------

class BundleWriter:
    """Collects named arrays with ``add``; ``finish`` writes the bundle at ``prefix``."""

    def __init__(self, prefix: str):
        self.prefix = os.fspath(prefix)
        self._arrays: dict[str, np.ndarray] = {}

    def add(self, name: str, value) -> None:
        if name == HEADER_KEY:
            raise errors.InvalidArgumentError(None, None, "The empty key is reserved for the header")
        if name in self._arrays:
            raise errors.InvalidArgumentError(None, None, f"Adding duplicate key: {name}")
        array = np.array(value)  # a copy: later changes by the caller must not leak in
        if array.dtype.kind in "USO":
            array = array.astype(object)
        dtypes.as_dtype(array.dtype)  # TypeError now, for a dtype TF cannot store
        self._arrays[name] = array

    def finish(self) -> None:
        """Write the data file, then the index, each atomically."""
        os.makedirs(os.path.dirname(self.prefix) or ".", exist_ok=True)  # as TF's BundleWriter
        names = sorted(self._arrays)
        chunks, entries = [], {}
        size = 0
        for name in names:
            data, checksum = tensor_bytes(self._arrays[name])
            entries[name] = _entry(self._arrays[name], size, len(data), checksum)
            chunks.append(data)
            size += len(data)
        base = _write_data(self.prefix, chunks, size)
        for entry in entries.values():
            entry.offset += base
        atomic_write_bytes(index_filename(self.prefix), index_bytes(entries))


def _entry(array: np.ndarray, offset: int, size: int, checksum: int):
    return tensor_bundle_pb2.BundleEntryProto(
        dtype=dtypes.as_dtype(array.dtype).enum, shape=shape_to_proto(array.shape),
        shard_id=0, offset=offset, size=size, crc32c=crc32c.mask(checksum))


def index_bytes(entries: dict) -> bytes:
    """The ``.index`` table for ``{name: BundleEntryProto}`` of a one-shard bundle."""
    header = tensor_bundle_pb2.BundleHeaderProto(
        num_shards=1, endianness=tensor_bundle_pb2.BundleHeaderProto.LITTLE,
        version=versions_pb2.VersionDef(producer=FORMAT_VERSION))
    items = [(b"", header.SerializeToString(deterministic=True))]
    for name in sorted(entries):
        items.append((name.encode("utf-8"), entries[name].SerializeToString(deterministic=True)))
    return table.build_table(items)


def tensor_bytes(array: np.ndarray) -> tuple[bytes, int]:
    """The bytes a tensor occupies in ``.data`` and the (unmasked) CRC TF records for it."""
    if array.dtype == object:
        return _string_bytes(array.reshape(-1))
    data = array.astype(array.dtype.newbyteorder("<")).tobytes(order="C")
    return data, crc32c.crc32c(data)


def _string_bytes(strings) -> tuple[bytes, int]:
    """TF's layout for a string tensor: varint lengths, their masked CRC, the bytes.

    The CRC TF records is not the CRC of these bytes: it covers each length as
    a 4-byte integer, then the masked length CRC, then the string bytes.
    """
    items = [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in strings]
    checksum = 0
    for s in items:
        checksum = crc32c.extend(checksum, _length_bytes(len(s), "<"))
    length_checksum = struct.pack("<I", crc32c.mask(checksum))
    checksum = crc32c.extend(checksum, length_checksum)
    for s in items:
        checksum = crc32c.extend(checksum, s)
    data = b"".join(encode_varint(len(s)) for s in items) + length_checksum + b"".join(items)
    return data, checksum


def _length_bytes(length: int, byteorder: str) -> bytes:
    # TF checksums lengths as uint32 (as older TF stored them), or uint64 past 4 GiB.
    return struct.pack(byteorder + ("I" if length <= 0xFFFFFFFF else "Q"), length)


def _write_data(prefix: str, chunks: list, size: int) -> int:
    """Write the new data file atomically; return the offset of the new bytes in it."""
    path = data_filename(prefix)
    live = _live_byte_range(prefix)
    base = _place_new_bytes(live, size)
    with atomic_writer(path) as out:
        if live is not None:
            _copy_prefix(path, out, live[1])
            out.seek(base)
        for chunk in chunks:
            out.write(chunk)
    return base


def _place_new_bytes(live: Optional[tuple[int, int]], size: int) -> int:
    """Where new bytes go so that they miss the live range [start, end) of the old data.

    At the front if they fit before it, else after it; so a file that is
    rewritten over and over alternates and stays about twice the bundle size.
    """
    if live is None:
        return 0
    start, end = live
    return 0 if size <= start else end


def _live_byte_range(prefix: str) -> Optional[tuple[int, int]]:
    """The bytes [start, end) of the existing data file that the existing index points at."""
    try:
        reader = BundleReader(prefix)
        entries = [reader.entry(name) for name in reader.keys()]
        data_size = os.path.getsize(data_filename(prefix))
    except (errors.OpError, OSError):
        return None  # no readable old bundle: nothing to keep
    spans = [(e.offset, e.offset + e.size) for e in entries if e.size > 0]
    if reader.num_shards != 1 or not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return (start, end) if 0 <= start and end <= data_size else None


def _copy_prefix(path: str, out, nbytes: int) -> None:
    with open(path, "rb") as f:
        while nbytes > 0:
            chunk = f.read(min(nbytes, _COPY_CHUNK))
            if not chunk:
                raise errors.DataLossError(None, None, f"{path} shrank while being copied")
            out.write(chunk)
            nbytes -= len(chunk)


# --- reading ---------------------------------------------------------------

class BundleReader:
    """Reads the tensors of the bundle at ``prefix``."""

    def __init__(self, prefix: str):
        self.prefix = os.fspath(prefix)
        self._index_path = index_filename(self.prefix)
        contents = table.Table.open(self._index_path)
        self._entries = {}
        for key, value in contents.items():
            try:
                self._entries[key.decode("utf-8")] = value
            except UnicodeDecodeError:
                raise self._corrupt(f"key {key!r} is not UTF-8") from None
        if HEADER_KEY not in self._entries:
            raise self._corrupt("failed to seek to header entry")
        header = self._parse(HEADER_KEY, tensor_bundle_pb2.BundleHeaderProto)
        del self._entries[HEADER_KEY]
        self.num_shards = header.num_shards
        if self.num_shards < 1:
            raise self._corrupt(f"bad number of shards {self.num_shards}")
        self._byteorder = ">" if header.endianness == header.BIG else "<"
        _check_version(header.version, self.prefix)

    def keys(self) -> list[str]:
        """The tensor names, sorted."""
        return sorted(self._entries)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def entry(self, name: str) -> tensor_bundle_pb2.BundleEntryProto:
        """The parsed ``BundleEntryProto`` for ``name``."""
        if name not in self._entries:
            raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return self._parse(name, tensor_bundle_pb2.BundleEntryProto)

    def dtype_and_shape(self, name: str) -> tuple:
        """(DType, shape tuple) of a tensor, without reading its data."""
        entry = self.entry(name)
        return self._dtype(name, entry), self._shape(name, entry)

    def variable_to_shape_map(self) -> dict:
        return {name: self.dtype_and_shape(name)[1] for name in self.keys()}

    def variable_to_dtype_map(self) -> dict:
        return {name: self.dtype_and_shape(name)[0] for name in self.keys()}

    def get(self, name: str) -> np.ndarray:
        """The tensor stored under ``name``, after checking its size and CRC."""
        entry = self.entry(name)
        dt, shape = self._dtype(name, entry), self._shape(name, entry)
        if entry.slices:
            raise errors.InvalidArgumentError(
                None, None, f"Key {name} is a partitioned (sliced) tensor, which minitf cannot read")
        numel = int(np.prod(shape, dtype=np.int64))
        if dt.name != "string" and entry.size != numel * dt.size:
            raise self._corrupt(f"Invalid size in bundle entry: key {name}; stored size "
                                f"{entry.size}; expected size {numel * dt.size}")
        data = self._read_data(name, entry)
        if dt.name == "string":
            array, actual = self._parse_strings(name, data, numel)
        else:
            actual = crc32c.crc32c(data)
            array = np.frombuffer(data, dtype=dt.np_dtype.newbyteorder(self._byteorder))
            array = array.astype(dt.np_dtype)
        stored = crc32c.unmask(entry.crc32c)
        if stored != actual:
            raise self._corrupt(
                f"TensorBundle at {self.prefix} shard {entry.shard_id} ({entry.size} bytes): "
                f"Checksum does not match: stored {stored:08d} vs. calculated on the restored "
                f"bytes {actual}")
        return array.reshape(shape)

    # --- helpers -----------------------------------------------------------

    def _parse(self, key: str, proto_class):
        try:
            return proto_class.FromString(self._entries[key])
        except DecodeError:
            raise self._corrupt(f"Entry for key {key} not parseable.") from None

    def _dtype(self, name: str, entry):
        try:
            return proto_dtype(entry.dtype, f"Key {name}")
        except errors.InvalidArgumentError as e:
            raise self._corrupt(e.message) from None

    def _shape(self, name: str, entry) -> tuple:
        try:
            return checked_shape(entry.shape, f"Key {name}")
        except errors.InvalidArgumentError as e:
            raise self._corrupt(f"Invalid tensor shape: {e.message}") from None

    def _read_data(self, name: str, entry) -> bytearray:
        """The entry's bytes, checked to lie inside its data file before reading."""
        if not 0 <= entry.shard_id < self.num_shards:
            raise self._corrupt(f"Key {name} has bad shard id {entry.shard_id}")
        path = data_filename(self.prefix, entry.shard_id, self.num_shards)
        try:
            with open(path, "rb") as f:
                file_size = os.fstat(f.fileno()).st_size
                if entry.offset < 0 or entry.size < 0 or entry.offset + entry.size > file_size:
                    raise self._corrupt(f"Key {name} claims bytes [{entry.offset}, "
                                        f"{entry.offset + entry.size}) of {path}, which has "
                                        f"only {file_size}")
                f.seek(entry.offset)
                data = bytearray(entry.size)
                f.readinto(data)
                return data
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None

    def _parse_strings(self, name: str, data: bytes, numel: int) -> tuple[np.ndarray, int]:
        """Decode TF's string tensor layout (see ``_string_bytes``), checking its length CRC."""
        lengths, pos, checksum = [], 0, 0
        try:
            for _ in range(numel):
                length, pos = decode_varint(data, pos, 64)
                lengths.append(length)
                checksum = crc32c.extend(checksum, _length_bytes(length, self._byteorder))
        except ValueError:
            raise self._corrupt(f"Key {name}: bad string lengths") from None
        if pos + 4 + sum(lengths) != len(data):
            raise self._corrupt(f"Key {name}: string lengths do not match the entry size")
        raw_checksum = bytes(data[pos:pos + 4])
        stored = crc32c.unmask(struct.unpack(self._byteorder + "I", raw_checksum)[0])
        if stored != checksum:
            raise self._corrupt(f"Key {name}: The length checksum does not match: expected "
                                f"{stored:08d} but actual is {checksum:08d}")
        checksum = crc32c.extend(checksum, raw_checksum)
        pos += 4
        array = np.empty(numel, dtype=object)
        for i, length in enumerate(lengths):
            array[i] = bytes(data[pos:pos + length])
            checksum = crc32c.extend(checksum, array[i])
            pos += length
        return array, checksum

    def _corrupt(self, reason: str) -> errors.DataLossError:
        return errors.DataLossError(None, None, f"{reason} (in {self._index_path})")


def _check_version(version: versions_pb2.VersionDef, prefix: str) -> None:
    """Refuse bundles written for newer readers, as TF's CheckVersions does."""
    if version.min_consumer > FORMAT_VERSION or FORMAT_VERSION in version.bad_consumers:
        raise errors.InvalidArgumentError(
            None, None, f"Checkpoint {prefix} needs a newer reader (min consumer "
                        f"{version.min_consumer} above current version {FORMAT_VERSION})")
    if version.producer < 0:
        raise errors.InvalidArgumentError(
            None, None, f"Checkpoint {prefix} has invalid producer version {version.producer}")
