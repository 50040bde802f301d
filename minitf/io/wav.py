"""WAV encoding of float audio, as TF's audio summary stores it (core/lib/wav/wav_io.cc).

Samples in [-1, 1] become 16-bit signed integers (``roundf(x * 32768)``, clipped),
interleaved by channel, after a 44-byte RIFF/WAVE header.
"""

from __future__ import annotations

import struct

import numpy as np


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """WAV bytes of ``samples`` shaped ``[frames, channels]`` (float, nominally in [-1, 1])."""
    samples = np.asarray(samples, dtype=np.float32)
    frames, channels = samples.shape
    scaled = samples * np.float32(32768.0)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))   # C's roundf: halves away from 0
    pcm = np.clip(rounded, -32768, 32767).astype("<i2").tobytes()
    header = struct.pack("<4sI4s4sIHHIIHH4sI",
                         b"RIFF", 36 + len(pcm), b"WAVE",
                         b"fmt ", 16, 1, channels, sample_rate,
                         sample_rate * channels * 2, channels * 2, 16,
                         b"data", len(pcm))
    return header + pcm
