"""minitf.datasets: the shipped stock table and the train/test split."""

import numpy as np
import pytest

from minitf import datasets


def test_load_stocks_shapes_and_types():
    X, y, names = datasets.load_stocks()
    assert X.shape == (1000, 4) and y.shape == (1000, 1)
    assert X.dtype == np.float32 and y.dtype == np.float32
    assert names == ["open", "high", "low", "volume"]


def test_stock_values_are_plausible():
    X, y, _ = datasets.load_stocks()
    open_, high, low, volume = X.T
    assert np.all(low <= open_) and np.all(open_ <= high)
    assert 1 < y.min() and y.max() < 1000                     # prices in dollars
    assert 1e5 < volume.mean() < 1e7                           # about a million shares a day
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(y))


def test_next_close_is_predictable_from_today():
    X, y, _ = datasets.load_stocks()
    A = np.column_stack([X.astype(np.float64), np.ones(len(X))])
    coef, *_ = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)
    r2 = 1 - np.sum((A @ coef - y) ** 2) / np.sum((y - y.mean()) ** 2)
    assert 0.95 < r2 < 0.9999                                  # learnable, but not trivially exact


def test_shipped_csv_matches_its_generator():
    X, y, _ = datasets.load_stocks()
    table = datasets.make_stocks()
    np.testing.assert_allclose(X, table[:, :4], rtol=1e-6)
    np.testing.assert_allclose(y[:, 0], table[:, 4], rtol=1e-6)


def test_write_and_reload_roundtrip(tmp_path):
    path = tmp_path / "small.csv"
    datasets.write_stocks_csv(path, n_days=20, seed=1)
    X, y, _ = datasets.load_stocks(path)
    assert X.shape == (20, 4) and y.shape == (20, 1)
    assert path.read_text().splitlines()[0] == "open,high,low,volume,next_close"


def test_train_test_split_sizes_and_disjointness():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10, dtype=np.float32).reshape(10, 1)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_size=0.2, seed=0)
    assert X_train.shape == (8, 2) and X_test.shape == (2, 2)
    assert y_train.shape == (8, 1) and y_test.shape == (2, 1)
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train[:, 0])   # rows stay paired
    assert sorted(np.concatenate([y_train, y_test])[:, 0]) == list(range(10))


def test_train_test_split_is_reproducible_and_seed_dependent():
    X, y, _ = datasets.load_stocks()
    a = datasets.train_test_split(X, y, seed=0)
    b = datasets.train_test_split(X, y, seed=0)
    c = datasets.train_test_split(X, y, seed=1)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_train_test_split_rejects_bad_input():
    with pytest.raises(ValueError, match="different numbers of rows"):
        datasets.train_test_split(np.zeros((3, 1)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="test_size"):
        datasets.train_test_split(np.zeros((3, 1)), np.zeros((3, 1)), test_size=1.5)


def test_load_digits_shapes_types_and_classes():
    images, labels = datasets.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype == np.float32 and labels.dtype == np.int32
    assert images.min() == 0 and images.max() == 16                    # inked pixels per 4x4 block
    np.testing.assert_array_equal(images, np.round(images))            # whole counts
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_look_like_their_labels():
    images, labels = datasets.load_digits()
    means = np.stack([images[labels == d].mean(axis=0) for d in range(10)])
    assert means[0][3:5, 3:5].mean() < 4 < means[0][[1, 6], 3:5].mean()  # a zero: ink round a hole
    assert means[1][:, 3:5].sum() > means[1][:, [0, 7]].sum() * 5       # a one: ink down the middle
    nearest = np.argmin(((images[:, None] - means[None]) ** 2).sum(axis=(2, 3)), axis=1)
    assert 0.85 < np.mean(nearest == labels) < 0.95                     # learnable, not trivial


def test_shipped_digits_are_scikit_learns():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    reference = sklearn_datasets.load_digits()
    images, labels = datasets.load_digits()
    np.testing.assert_array_equal(images, reference.images)
    np.testing.assert_array_equal(labels, reference.target)
