"""BLAS threads during minitf's matmul: config.num_threads inside, the user's setting after."""

from __future__ import annotations

import numpy as np
import pytest

from minitf.kernels import blas_threads, config, cpu

threadpoolctl = pytest.importorskip("threadpoolctl")
if not blas_threads.blas_libraries():
    pytest.skip("numpy's BLAS is not visible to threadpoolctl", allow_module_level=True)


def _blas_threads() -> int:
    return blas_threads.blas_libraries()[0].get_num_threads()


@pytest.fixture
def user_blas_threads():
    """BLAS at 3 threads (the user's choice), minitf at its default of 1; both put back after."""
    saved, minitf_threads = _blas_threads(), config.num_threads
    for lib in blas_threads.blas_libraries():
        lib.set_num_threads(3)
    config.num_threads = 1
    yield 3
    config.num_threads = minitf_threads
    for lib in blas_threads.blas_libraries():
        lib.set_num_threads(saved)


def _spy(monkeypatch):
    """Record the BLAS thread count seen while numpy's matmul runs inside cpu.matmul."""
    seen = []
    real = np.matmul

    def matmul(a, b, *args, **kw):
        seen.append(_blas_threads())
        return real(a, b, *args, **kw)

    monkeypatch.setattr(cpu.np, "matmul", matmul)
    return seen


def test_large_matmul_uses_minitfs_threads_and_restores_the_users(user_blas_threads, monkeypatch):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 128, 784)), rng.standard_normal((784, 256))   # batched path
    seen = _spy(monkeypatch)
    out = cpu.matmul(a, b)
    assert seen == [1]                       # config.num_threads, not the user's 3
    assert _blas_threads() == user_blas_threads
    np.testing.assert_array_equal(out, np.stack([a[0] @ b, a[1] @ b]))


def test_2d_matmul_numbers_unchanged_and_limit_restored(user_blas_threads):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((128, 784)), rng.standard_normal((256, 784))
    out = cpu.matmul(a, b, transpose_b=True)
    assert _blas_threads() == user_blas_threads
    np.testing.assert_array_equal(out, a @ b.T)


def test_limit_restored_when_the_product_raises(user_blas_threads):
    a = np.ones((2, 300, 400))
    with pytest.raises(ValueError, match="Matrix size-incompatible"):
        cpu.matmul(a, np.ones((2, 300, 400)))
    with blas_threads.BlasThreads(1), pytest.raises(RuntimeError):
        assert _blas_threads() == 1
        raise RuntimeError("inside")
    assert _blas_threads() == user_blas_threads


def test_tiny_matmul_leaves_blas_alone(user_blas_threads, monkeypatch):
    """The lecture's 800x4 @ 4x1: too small for BLAS to split, so no switch is paid for."""
    calls = []
    monkeypatch.setattr(blas_threads.BlasThreads, "__enter__", lambda self: calls.append(self))
    a, b = np.ones((800, 4)), np.ones((4, 1))
    np.testing.assert_array_equal(cpu.matmul(a, b), np.full((800, 1), 4.0))
    assert calls == []


def test_threads_follow_config(user_blas_threads, monkeypatch):
    config.num_threads = 2
    seen = _spy(monkeypatch)
    cpu.matmul(np.ones((2, 200, 300)), np.ones((300, 200)))
    assert seen == [2] and _blas_threads() == user_blas_threads
