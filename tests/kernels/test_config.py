"""Thread count, parallel kernels and the other switches in minitf.kernels.config."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from minitf.kernels import config, cpu
from kernel_cases import run_python


@pytest.fixture
def two_threads():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba was started with one thread")
    before = config.num_threads
    config.set_num_threads(2)
    yield
    config.set_num_threads(before)


def test_parallel_kernels_agree_with_serial_ones(two_threads):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, 500)).astype(np.float32)     # 2e5 elements: parallel
    b = rng.standard_normal(500).astype(np.float32)
    np.testing.assert_allclose(cpu.unary("exp")(x), np.exp(x), rtol=1e-6)
    np.testing.assert_array_equal(cpu.binary("add")(x, x), x + x)
    np.testing.assert_array_equal(cpu.binary("add")(x, b), x + b)
    np.testing.assert_allclose(cpu.reduce("sum")(x, (1,), False), x.sum(1), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(cpu.argreduce("argmax")(x, 1), x.argmax(1))
    np.testing.assert_allclose(cpu.softmax(x).sum(-1), 1, rtol=1e-5)
    np.testing.assert_allclose(cpu.matmul_tiled(x[:100], x[:50].T), x[:100] @ x[:50].T,
                               rtol=1e-4, atol=1e-3)
    assert cpu.unary("exp").kernels._parallel is not None          # the parallel build ran


def test_one_thread_never_builds_parallel_kernels():
    before = config.num_threads
    config.set_num_threads(1)
    try:
        x = np.ones(300_000, np.float64)
        cpu.unary("sign")(x)
        assert cpu.unary("sign").kernels._parallel is None
    finally:
        config.set_num_threads(before)


@pytest.mark.parametrize("bad", [0, -1, 2.5, 10_000])
def test_set_num_threads_rejects_bad_values(bad):
    with pytest.raises(ValueError):
        config.set_num_threads(bad)


@pytest.mark.parametrize("bad", [0, 3, 100])
def test_set_threads_per_block_needs_a_power_of_two(bad):
    with pytest.raises(ValueError, match="power of two"):
        config.set_threads_per_block(bad)


@pytest.mark.parametrize("env, expected", [
    ({}, 1),
    ({"OMP_NUM_THREADS": "2"}, 2),
    ({"MINITF_NUM_THREADS": "3", "OMP_NUM_THREADS": "2"}, 3),
    ({"OMP_NUM_THREADS": "junk"}, 1),
])
def test_default_thread_count_comes_from_the_environment(env, expected, monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("MINITF_NUM_THREADS", raising=False)
    report = run_python("""
        import json
        from minitf.kernels import config
        print(json.dumps(config.num_threads))
    """, **env)
    assert report == expected


def test_more_threads_than_numba_has_just_means_all_of_them():
    report = run_python("""
        import json
        import numpy as np
        from minitf.kernels import config, cpu
        x = np.linspace(-1, 1, 200_000)
        ok = bool(np.allclose(cpu.unary("exp")(x), np.exp(x)))
        print(json.dumps([config.num_threads, ok]))
    """, MINITF_NUM_THREADS="64")
    assert report == [64, True]
