"""The CPU convolutions give the same numbers however the batch is sliced and threaded.

``kernels/batch_chunks.py`` cuts the batch into slices and shares them over
``config.num_threads`` threads; the values are checked here against one
whole-batch im2col product, for one and two threads and for slices of a single
image (a tiny SLICE_BYTES), so that a slice boundary or a reused buffer that
leaks one slice into the next shows up; with 3 channels (patches copied tap by
tap) and with 6 (copied window by window).
"""

from __future__ import annotations

import numpy as np
import pytest

from minitf.kernels import batch_chunks, config, conv_cpu

# stride (2, 1), dilation (1, 2), pads (1, 0): windows that cross the border on one side only
GEOMETRY = dict(strides=(2, 1), dilations=(1, 2), pads=(1, 0))
OUT_HW = (5, 4)          # for a 9x11 image and a 3x2 filter with the geometry above


def _numpy_patches(x, kh, kw):
    """im2col by numpy indexing on a zero-padded copy (independent of the kernel under test)."""
    (sh, sw), (dh, dw), (ph, pw) = GEOMETRY["strides"], GEOMETRY["dilations"], GEOMETRY["pads"]
    xp = np.pad(x, [(0, 0), (ph, kh * dh), (pw, kw * dw), (0, 0)])
    rows = (np.arange(OUT_HW[0]) * sh)[:, None] + np.arange(kh) * dh          # (oh, kh)
    cols = (np.arange(OUT_HW[1]) * sw)[:, None] + np.arange(kw) * dw          # (ow, kw)
    patches = xp[:, rows[:, None, :, None], cols[None, :, None, :], :]      # (n, oh, ow, kh, kw, c)
    return patches.reshape(-1, kh * kw * x.shape[3])


def _whole_batch_reference(x, f, dy):
    """y and d filter from one im2col of the whole batch."""
    kh, kw, c, o = f.shape
    cols = _numpy_patches(x, kh, kw)
    y = cols @ f.reshape(-1, o)
    df = cols.T @ dy.reshape(-1, o)
    return y.reshape(dy.shape), df.reshape(f.shape)


@pytest.mark.parametrize("channels", [3, 6])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("slice_bytes", [1, batch_chunks.SLICE_BYTES])
def test_slices_and_threads_change_no_number(monkeypatch, threads, slice_bytes, channels):
    assert (channels <= conv_cpu.FEW_CHANNELS) == (channels == 3)     # both patch layouts are tested
    monkeypatch.setattr(config, "num_threads", threads)
    monkeypatch.setattr(batch_chunks, "SLICE_BYTES", slice_bytes)
    rng = np.random.default_rng(0)
    x, f = rng.normal(size=(13, 9, 11, channels)), rng.normal(size=(3, 2, channels, 4))
    dy = rng.normal(size=(13, *OUT_HW, 4))
    want_y, want_df = _whole_batch_reference(x, f, dy)

    y = conv_cpu.conv2d(x, f, GEOMETRY["strides"], GEOMETRY["dilations"], GEOMETRY["pads"], OUT_HW)
    df = conv_cpu.conv2d_backprop_filter(x, f.shape, dy, **GEOMETRY)
    dx = conv_cpu.conv2d_backprop_input(x.shape, f, dy, **GEOMETRY)
    np.testing.assert_allclose(y, want_y, rtol=1e-12)
    np.testing.assert_allclose(df, want_df, rtol=1e-10)
    # d input is the adjoint of the forward map: <conv(x), dy> == <x, d input>
    np.testing.assert_allclose((want_y * dy).sum(), (x * dx).sum(), rtol=1e-10)
    # A second call reuses the per-thread buffers: still the same numbers.
    np.testing.assert_allclose(conv_cpu.conv2d_backprop_filter(x, f.shape, dy, **GEOMETRY), want_df,
                               rtol=1e-10)


def test_an_empty_batch_gives_empty_outputs_and_a_zero_filter_gradient():
    x, f = np.zeros((0, 9, 11, 3), np.float32), np.ones((3, 2, 3, 4), np.float32)
    dy = np.zeros((0, *OUT_HW, 4), np.float32)
    assert conv_cpu.conv2d(x, f, GEOMETRY["strides"], GEOMETRY["dilations"], GEOMETRY["pads"],
                           OUT_HW).shape == (0, *OUT_HW, 4)
    assert conv_cpu.conv2d_backprop_input(x.shape, f, dy, **GEOMETRY).shape == x.shape
    df = conv_cpu.conv2d_backprop_filter(x, f.shape, dy, **GEOMETRY)
    assert df.shape == f.shape and not df.any()
