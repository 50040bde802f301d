"""Sorted string tables (LevelDB's SSTable format), as TF's checkpoint ``.index``.

A table maps byte-string keys to byte-string values, sorted by key::

    [data block 0] ... [data block n] [metaindex block] [index block] [footer]

* A **block** is a run of entries followed by a "restart array".  Each entry
  stores only the part of its key that differs from the previous key
  (``shared`` prefix length, ``non_shared`` length, value length, key suffix,
  value).  Every ``restart_interval``-th entry stores its whole key, and the
  restart array lists their offsets so a reader could binary-search a block.
* Each block is followed by a 5-byte **trailer**: a compression-type byte (TF
  writes 0, none) and the masked CRC32C of the block plus that byte.
* The **index block** has one entry per data block: a key that is >= the
  block's last key and < the next block's first key, mapped to the block's
  (offset, size) "handle".  TF shortens these keys (``"global_step"`` -> ``"h"``).
* The **metaindex block** would point to filter blocks; TF has none, so it is empty.
* The 48-byte **footer** holds the metaindex and index handles, zero-padded to
  40 bytes, and a magic number that says "this is a table".

Every problem found while reading raises ``DataLossError`` naming the file.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Iterator, Optional

from minitf.framework import errors
from minitf.io import crc32c
from minitf.io.varint import (decode_fixed32, decode_fixed64, decode_varint, encode_fixed32,
                              encode_fixed64, encode_varint)

BLOCK_SIZE = 262144  # TF's table_options.h: a data block is cut once this big
RESTART_INTERVAL = 16
FOOTER_SIZE = 48
MAGIC = 0xDB4775248B80FB57
_TRAILER_SIZE = 5
_NO_COMPRESSION = 0


# --- writing ---------------------------------------------------------------

class BlockBuilder:
    """Accumulates sorted entries into one block."""

    def __init__(self, restart_interval: int = RESTART_INTERVAL):
        self.restart_interval = restart_interval
        self.buffer = bytearray()
        self.restarts = [0]
        self.counter = 0  # entries since the last restart
        self.last_key = b""

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.counter < self.restart_interval:
            shared = _common_prefix_length(self.last_key, key)
        else:  # a restart: store the whole key
            self.restarts.append(len(self.buffer))
            self.counter = 0
        self.buffer += encode_varint(shared) + encode_varint(len(key) - shared)
        self.buffer += encode_varint(len(value)) + key[shared:] + value
        self.last_key = key
        self.counter += 1

    def size_estimate(self) -> int:
        """The size ``finish`` would return now."""
        return len(self.buffer) + 4 * len(self.restarts) + 4

    def empty(self) -> bool:
        return not self.buffer

    def finish(self) -> bytes:
        tail = b"".join(encode_fixed32(r) for r in self.restarts)
        return bytes(self.buffer) + tail + encode_fixed32(len(self.restarts))


class TableBuilder:
    """Builds a whole table in memory: ``add`` keys in increasing order, then ``finish``."""

    def __init__(self, block_size: int = BLOCK_SIZE):
        self.block_size = block_size
        self.out = bytearray()
        self.data_block = BlockBuilder(RESTART_INTERVAL)
        self.index_block = BlockBuilder(restart_interval=1)
        self.last_key: Optional[bytes] = None
        self.pending_handle: Optional[bytes] = None  # a flushed block not yet indexed

    def add(self, key: bytes, value: bytes) -> None:
        if self.last_key is not None and key <= self.last_key:
            raise ValueError(f"table keys must be added in increasing order: {key!r} after "
                             f"{self.last_key!r}")
        if self.pending_handle is not None:
            # Index the previous block now that we know the next key: the
            # separator only has to fall between the two, so it can be short.
            self.index_block.add(shortest_separator(self.last_key, key), self.pending_handle)
            self.pending_handle = None
        self.data_block.add(key, value)
        self.last_key = key
        if self.data_block.size_estimate() >= self.block_size:
            self._flush()

    def finish(self) -> bytes:
        """The complete table file contents."""
        self._flush()
        metaindex_handle = self._write_block(BlockBuilder())
        if self.pending_handle is not None:
            self.index_block.add(short_successor(self.last_key), self.pending_handle)
        index_handle = self._write_block(self.index_block)
        footer = (metaindex_handle + index_handle).ljust(FOOTER_SIZE - 8, b"\0")
        return bytes(self.out + footer + encode_fixed64(MAGIC))

    def _flush(self) -> None:
        if not self.data_block.empty():
            self.pending_handle = self._write_block(self.data_block)
            self.data_block = BlockBuilder(RESTART_INTERVAL)

    def _write_block(self, block: BlockBuilder) -> bytes:
        """Append a block and its trailer; return its encoded handle."""
        contents = block.finish()
        handle = encode_varint(len(self.out)) + encode_varint(len(contents))
        checksum = crc32c.mask(crc32c.crc32c(contents + bytes([_NO_COMPRESSION])))
        self.out += contents + bytes([_NO_COMPRESSION]) + encode_fixed32(checksum)
        return handle


def build_table(items: Iterable[tuple[bytes, bytes]], block_size: int = BLOCK_SIZE) -> bytes:
    """The bytes of a table holding ``items`` (sorted by key)."""
    builder = TableBuilder(block_size)
    for key, value in items:
        builder.add(key, value)
    return builder.finish()


def shortest_separator(start: bytes, limit: bytes) -> bytes:
    """A short key k with start <= k < limit (LevelDB's FindShortestSeparator)."""
    n = _common_prefix_length(start, limit)
    if n < min(len(start), len(limit)):
        byte = start[n]
        if byte < 0xFF and byte + 1 < limit[n]:
            return start[:n] + bytes([byte + 1])
    return start


def short_successor(key: bytes) -> bytes:
    """A short key k >= key (LevelDB's FindShortSuccessor): bump the first non-0xff byte."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def _common_prefix_length(a: bytes, b: bytes) -> int:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    return n


# --- reading ---------------------------------------------------------------

class Table:
    """A table read into memory; ``get`` and ``items`` check every block they read."""

    def __init__(self, contents: bytes, name: str = "<table>"):
        self.contents = contents
        self.name = name
        if len(contents) < FOOTER_SIZE:
            raise self._corrupt("file is too short to be an sstable")
        footer = contents[-FOOTER_SIZE:]
        if decode_fixed64(footer, FOOTER_SIZE - 8) != MAGIC:
            raise self._corrupt("not an sstable (bad magic number)")
        try:
            _metaindex, pos = _decode_handle(footer, 0)
            index_handle, _ = _decode_handle(footer, pos)
        except ValueError:
            raise self._corrupt("bad block handle") from None
        index = self._read_block(index_handle)
        self.index_keys = [key for key, _ in index]
        self.block_handles = [self._handle(value) for _, value in index]

    @classmethod
    def open(cls, path: str) -> "Table":
        """Read the table file at ``path`` (``NotFoundError`` if it does not exist)."""
        try:
            with open(path, "rb") as f:
                return cls(f.read(), path)
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None

    def get(self, key: bytes) -> Optional[bytes]:
        """The value stored under ``key``, or None."""
        # The first block whose index key is >= key is the only one that can hold it.
        i = bisect.bisect_left(self.index_keys, key)
        if i == len(self.block_handles):
            return None
        for k, value in self._read_block(self.block_handles[i]):
            if k == key:
                return value
        return None

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every (key, value) pair, in key order."""
        last = None
        for handle in self.block_handles:
            for key, value in self._read_block(handle):
                if last is not None and key <= last:
                    raise self._corrupt("keys out of order")
                last = key
                yield key, value

    def _read_block(self, handle: tuple[int, int]) -> list[tuple[bytes, bytes]]:
        """Check a block's bounds and checksum, then decode its entries."""
        offset, size = handle
        end = offset + size
        if end + _TRAILER_SIZE > len(self.contents) - FOOTER_SIZE:
            raise self._corrupt("truncated block read")
        contents = self.contents[offset:end]
        block_type = self.contents[end]
        stored = crc32c.unmask(decode_fixed32(self.contents, end + 1))
        if crc32c.crc32c(self.contents[offset:end + 1]) != stored:
            raise self._corrupt("block checksum mismatch")
        if block_type != _NO_COMPRESSION:
            raise self._corrupt("bad block type")
        try:
            return _decode_block(contents)
        except ValueError as e:
            raise self._corrupt(str(e)) from None

    def _handle(self, value: bytes) -> tuple[int, int]:
        try:
            return _decode_handle(value, 0)[0]
        except ValueError:
            raise self._corrupt("bad block handle") from None

    def _corrupt(self, reason: str) -> Exception:
        return errors.DataLossError(None, None, f"{reason}: {self.name}")


def _decode_handle(buf, pos: int) -> tuple[tuple[int, int], int]:
    """Read a block handle (varint64 offset, varint64 size); return it and the next pos."""
    offset, pos = decode_varint(buf, pos, 64)
    size, pos = decode_varint(buf, pos, 64)
    return (offset, size), pos


def _decode_block(block: bytes) -> list[tuple[bytes, bytes]]:
    """All (key, value) entries of one block; ``ValueError`` if it is malformed."""
    if len(block) < 4:
        raise ValueError("bad block contents")
    num_restarts = decode_fixed32(block, len(block) - 4)
    if num_restarts > (len(block) - 4) // 4:
        raise ValueError("bad block contents")
    data = block[:len(block) - 4 * (num_restarts + 1)]  # the entries, before the restarts
    entries, key, pos = [], b"", 0
    while pos < len(data):
        shared, pos = decode_varint(data, pos, 32)
        non_shared, pos = decode_varint(data, pos, 32)
        value_length, pos = decode_varint(data, pos, 32)
        if shared > len(key) or pos + non_shared + value_length > len(data):
            raise ValueError("bad entry in block")
        key = key[:shared] + data[pos:pos + non_shared]
        pos += non_shared
        entries.append((key, data[pos:pos + value_length]))
        pos += value_length
    return entries
