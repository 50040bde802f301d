"""TFRecord framing: how TensorFlow stores a sequence of byte strings in one file.

Event files (TensorBoard) and ``.tfrecord`` data files use the same frame per
record (tensorflow/core/lib/io/record_writer.cc)::

    uint64  length                     little-endian
    uint32  masked_crc32c(length)      the 8 length bytes
    byte    data[length]
    uint32  masked_crc32c(data)

The length has its own checksum so that a reader never trusts a corrupt length
(and never tries to allocate gigabytes because one bit flipped).  A record is
only complete once all its bytes are there: a writer killed half way through
leaves a *truncated* last record, which the reader reports as such.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO, Iterator

from minitf.framework import errors
from minitf.io import crc32c
from minitf.io.gfile import _translate

_HEADER = struct.Struct("<QI")       # length, masked crc of the length
_FOOTER = struct.Struct("<I")        # masked crc of the data


def _masked_crc(data: bytes) -> int:
    return crc32c.mask(crc32c.crc32c(data))


def encode_record(data: bytes) -> bytes:
    """One record's bytes: header, ``data``, footer."""
    data = bytes(data)
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", _masked_crc(length)) + data + _FOOTER.pack(_masked_crc(data))


class TFRecordWriter:
    """Append records to a file (``tf.python_io.TFRecordWriter``); a context manager."""

    def __init__(self, path: str):
        self._path = os.fspath(path)
        try:
            self._file: BinaryIO | None = open(self._path, "wb")
        except OSError as e:
            raise _translate(e, self._path) from None

    def write(self, record: bytes) -> None:
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "TFRecordWriter is closed.")
        self._file.write(encode_record(record))

    def flush(self) -> None:
        """Hand the written records to the OS (a killed process then keeps them)."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> "TFRecordWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def tf_record_iterator(path: str) -> Iterator[bytes]:
    """Yield the records of the file at ``path`` in order (``tf.python_io.tf_record_iterator``).

    Raises ``DataLossError`` at a corrupt or truncated record, as TF does: the
    records before it have been yielded already.
    """
    path = os.fspath(path)
    try:
        f = open(path, "rb")
    except OSError as e:
        raise _translate(e, path) from None
    with f:
        yield from read_records(f, path)


def read_records(f: BinaryIO, name: str = "") -> Iterator[bytes]:
    """Yield records from an open binary file until its end."""
    offset = 0
    while True:
        header = f.read(_HEADER.size)
        if not header:
            return
        if len(header) < _HEADER.size:
            raise _truncated(name, offset)
        length, length_crc = _HEADER.unpack(header)
        if _masked_crc(header[:8]) != length_crc:
            raise errors.DataLossError(None, None, f"corrupted record at {offset} in {name}: "
                                                   "the length's checksum does not match")
        data = f.read(length)
        footer = f.read(_FOOTER.size)
        if len(data) < length or len(footer) < _FOOTER.size:
            raise _truncated(name, offset)
        if _masked_crc(data) != _FOOTER.unpack(footer)[0]:
            raise errors.DataLossError(None, None, f"corrupted record at {offset} in {name}: "
                                                   "the data's checksum does not match")
        yield data
        offset += _HEADER.size + length + _FOOTER.size


def _truncated(name: str, offset: int) -> errors.DataLossError:
    return errors.DataLossError(None, None, f"truncated record at {offset} in {name}")
