"""A small PNG encoder (zlib only, no imaging library): what an image summary stores.

A PNG file is a signature and a list of chunks, each ``length, type, data,
crc32(type + data)``: ``IHDR`` (size, bit depth, colour type), ``IDAT`` (the
zlib-compressed rows, each prefixed with a filter byte; 0 = stored as is) and
``IEND``.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# channels -> PNG colour type: grey, grey+alpha, RGB, RGBA
_COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(image: np.ndarray) -> bytes:
    """PNG bytes of a ``[height, width, channels]`` uint8 image (1 to 4 channels)."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] not in _COLOR_TYPE:
        raise ValueError(f"encode_png needs a [height, width, 1|2|3|4] uint8 array, got "
                         f"{image.dtype} {list(image.shape)}")
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPE[channels], 0, 0, 0)
    rows = np.zeros((height, 1 + width * channels), dtype=np.uint8)   # filter byte 0 per row
    rows[:, 1:] = image.reshape(height, width * channels)
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + _chunk(b"IEND", b""))
