"""Small datasets shipped with minitf (no network needed).

``load_stocks()`` is the lecture's task: predict tomorrow's closing price of a
stock from today's open, high, low and traded volume.  The numbers are
synthetic (a random walk with daily ranges and volumes of realistic size,
made once by ``make_stocks(seed=2019)`` and stored in ``data/stocks.csv``), so
they are free to share and every student sees the same values.

``load_digits()`` is the capstone's data: 1797 handwritten digits of 8x8 pixels
(UCI's optdigits test set, as scikit-learn ships it; ``sample_data/README.md``
says where it comes from), stored in ``sample_data/digits.npz``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

STOCKS_CSV = Path(__file__).parent / "data" / "stocks.csv"
STOCK_FEATURES = ("open", "high", "low", "volume")
STOCK_TARGET = "next_close"
DIGITS_NPZ = Path(__file__).parent / "sample_data" / "digits.npz"


def load_stocks(path=None) -> tuple:
    """``(X, y, feature_names)``: X is (1000, 4) float32, y is (1000, 1) float32 (next-day close)."""
    table = np.loadtxt(path or STOCKS_CSV, delimiter=",", skiprows=1, dtype=np.float64)
    X = table[:, :len(STOCK_FEATURES)].astype(np.float32)
    y = table[:, len(STOCK_FEATURES):].astype(np.float32)
    return X, y, list(STOCK_FEATURES)


def load_digits(path=None) -> tuple:
    """``(images, labels)``: images (1797, 8, 8) float32 with pixel values 0..16, labels (1797,) int32 in 0..9."""
    with np.load(path or DIGITS_NPZ) as arrays:
        return arrays["images"].astype(np.float32), arrays["labels"].astype(np.int32)


def train_test_split(X, y, test_size: float = 0.2, seed: int | None = 0) -> tuple:
    """``(X_train, X_test, y_train, y_test)``: a random split, reproducible with ``seed``."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y have different numbers of rows: {len(X)} and {len(y)}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    n_test = int(np.ceil(len(X) * test_size))
    order = np.random.default_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def make_stocks(n_days: int = 1000, seed: int = 2019) -> np.ndarray:
    """Generate the stock table: columns open, high, low, volume, next_close (one row per day).

    The close follows a geometric random walk (about 1.5% daily moves); each day
    opens near the previous close, high and low bracket open and close, and the
    volume (about a million shares) grows on days with large moves.
    """
    rng = np.random.default_rng(seed)
    close = 40.0 * np.exp(np.cumsum(rng.normal(0.0004, 0.015, n_days + 1)))
    prev_close = np.concatenate([[40.0], close[:-1]])
    open_ = prev_close * (1 + rng.normal(0, 0.004, n_days + 1))
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    high = top * (1 + np.abs(rng.normal(0, 0.006, n_days + 1)))
    low = bottom * (1 - np.abs(rng.normal(0, 0.006, n_days + 1)))
    move = np.abs(close - prev_close) / prev_close
    volume = np.round(rng.lognormal(np.log(8e5), 0.3, n_days + 1) * (1 + 20 * move), -2)
    return np.column_stack([open_[:-1], high[:-1], low[:-1], volume[:-1], close[1:]]).round(2)


def write_stocks_csv(path=STOCKS_CSV, n_days: int = 1000, seed: int = 2019) -> None:
    """Regenerate ``data/stocks.csv`` (done once; the file is committed)."""
    header = ",".join(STOCK_FEATURES + (STOCK_TARGET,))
    np.savetxt(path, make_stocks(n_days, seed), delimiter=",", header=header, comments="",
               fmt=["%.2f", "%.2f", "%.2f", "%.0f", "%.2f"])
