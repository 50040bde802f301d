"""CRC32C checksums, as TensorFlow's checkpoint and table files store them.

CRC32C is the CRC with the Castagnoli polynomial (iSCSI, LevelDB, TF).  The
textbook algorithm eats one byte at a time with a 256-entry table.  Pure Python
does that at a few MB/s, so for large inputs we use, in order of preference:

1. the ``google_crc32c`` package (C, hardware instructions), if it is installed;
2. a numpy version that checksums many slices ("lanes") of the input at once
   and then joins the lane checksums (see ``_raw_numpy``);
3. the plain table loop, for small inputs where numpy's overhead would dominate.

Files store checksums *masked* (``mask``) because a CRC of data that itself
contains CRCs is weak; masking makes the stored value look unlike a CRC.
"""

from __future__ import annotations

import numpy as np

try:  # optional C implementation; the results are identical
    import google_crc32c as _google_crc32c
    if getattr(_google_crc32c, "implementation", "c") != "c":
        _google_crc32c = None
except ImportError:  # pragma: no cover - depends on the environment
    _google_crc32c = None

_POLY = 0x82F63B78  # the Castagnoli polynomial, bit-reversed
_MASK_DELTA = 0xA282EAD8
_NUMPY_MIN_BYTES = 4096  # below this the table loop is faster than numpy


def _make_table() -> list[int]:
    """The CRC of each single byte value, for byte-at-a-time updates."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ (_POLY if crc & 1 else 0)
        table.append(crc)
    return table


_TABLE = _make_table()
_NP_TABLE = np.array(_TABLE, dtype=np.uint32)


def crc32c(data: bytes) -> int:
    """The CRC32C of ``data`` (``crc32c(b"123456789") == 0xE3069283``)."""
    return extend(0, data)


def extend(crc: int, data: bytes) -> int:
    """The CRC32C of ``A + data``, given ``crc`` = the CRC32C of ``A``.

    Lets a caller checksum data that arrives in pieces without joining them.
    """
    if _google_crc32c is not None:
        return _google_crc32c.extend(crc, bytes(data))
    state = crc ^ 0xFFFFFFFF  # the standard CRC inverts the register before and after
    if len(data) >= _NUMPY_MIN_BYTES:
        state = _raw_numpy(state, data)
    else:
        state = _raw_bytes(state, data)
    return state ^ 0xFFFFFFFF


def mask(crc: int) -> int:
    """Rotate right by 15 bits and add a constant, as TF stores checksums."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Undo ``mask``."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


def _raw_bytes(state: int, data) -> int:
    """Run the CRC register over ``data``, one byte per step (the textbook loop)."""
    table = _TABLE
    for byte in bytes(data):
        state = table[(state ^ byte) & 0xFF] ^ (state >> 8)
    return state


def _raw_numpy(state: int, data) -> int:
    """Run the CRC register over ``data`` using numpy on many lanes at once.

    Without the inversions, a CRC is linear over GF(2): the register after
    ``A + B`` equals ``shift(register after A, len(B))`` XOR the register after
    ``B`` started from zero, where ``shift(x, n)`` runs ``n`` zero bytes through
    the register.  So we cut the input into ``lanes`` equal slices, run all
    slices together (one numpy step per byte column), and join the lane
    registers from left to right with ``shift``.
    """
    buf = np.frombuffer(memoryview(data).cast("B"), dtype=np.uint8)
    lanes = max(1, int(np.sqrt(len(buf))))  # balances numpy steps vs Python joins
    width = len(buf) // lanes
    columns = np.ascontiguousarray(buf[: lanes * width].reshape(lanes, width).T)

    registers = np.zeros(lanes, dtype=np.uint32)
    registers[0] = state  # the first lane carries the incoming register
    for column in columns:
        registers = _NP_TABLE[(registers ^ column) & 0xFF] ^ (registers >> 8)

    shift = _shift_tables(width)
    joined = 0
    for register in registers.tolist():
        joined = (shift[0][joined & 0xFF] ^ shift[1][(joined >> 8) & 0xFF]
                  ^ shift[2][(joined >> 16) & 0xFF] ^ shift[3][joined >> 24]) ^ register
    return _raw_bytes(joined, buf[lanes * width:].tobytes())


def _shift_tables(nbytes: int) -> list[list[int]]:
    """Four 256-entry tables giving ``shift(x, nbytes)`` one byte of ``x`` at a time.

    ``shift`` is linear, so ``shift(x)`` is the XOR of ``shift`` applied to each
    byte of ``x`` in its position; we tabulate all 4 x 256 cases at once.
    """
    values = np.arange(256, dtype=np.uint32)
    registers = np.concatenate([values << (8 * k) for k in range(4)]).astype(np.uint32)
    for _ in range(nbytes):
        registers = _NP_TABLE[registers & 0xFF] ^ (registers >> 8)
    return [chunk.tolist() for chunk in registers.reshape(4, 256)]
