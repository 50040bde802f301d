"""Varints and fixed-width little-endian integers, as LevelDB and TF write them.

A varint stores 7 bits per byte, low bits first; the top bit of a byte says
"more bytes follow".  Small numbers (most lengths) then take one byte.
"""

from __future__ import annotations

import struct


def encode_varint(value: int) -> bytes:
    """The varint bytes of a non-negative integer."""
    if value < 0:
        raise ValueError(f"varint must be non-negative, got {value}")
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf, pos: int, bits: int = 64) -> tuple[int, int]:
    """Read a varint of at most ``bits`` bits at ``buf[pos]``; return (value, next pos).

    Raises ``ValueError`` when the bytes run out, or the number is too long or
    too large for ``bits`` (32 or 64): corrupt input must not yield huge values.
    """
    value = 0
    max_bytes = (bits + 6) // 7
    for i in range(max_bytes):
        if pos + i >= len(buf):
            raise ValueError("truncated varint")
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            if value >> bits:
                raise ValueError(f"varint too large for {bits} bits")
            return value, pos + i + 1
    raise ValueError("varint too long")


def encode_fixed32(value: int) -> bytes:
    return struct.pack("<I", value)


def decode_fixed32(buf, pos: int) -> int:
    """The uint32 stored little-endian at ``buf[pos:pos+4]`` (caller checks bounds)."""
    return struct.unpack_from("<I", buf, pos)[0]


def encode_fixed64(value: int) -> bytes:
    return struct.pack("<Q", value)


def decode_fixed64(buf, pos: int) -> int:
    return struct.unpack_from("<Q", buf, pos)[0]
