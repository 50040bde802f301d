"""CPU matmul: the BLAS path, the tiled teaching kernel and the switch between them."""

from __future__ import annotations

import numpy as np
import pytest

from kernel_cases import F32, F64, I32, I64
from minitf.kernels import config, cpu, cpu_matmul


@pytest.fixture
def tiled_matmul():
    """Route cpu.matmul to the tiled kernel for one test."""
    config.set_matmul_kernel("tiled")
    yield
    config.set_matmul_kernel("blas")


def _operands(dtype, a_shape, b_shape, seed=0):
    rng = np.random.default_rng(seed)
    if dtype.kind == "i":
        return (rng.integers(-5, 6, a_shape).astype(dtype),
                rng.integers(-5, 6, b_shape).astype(dtype))
    return (rng.uniform(-1, 1, a_shape).astype(dtype),
            rng.uniform(-1, 1, b_shape).astype(dtype))


def _close(actual, expected):
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    k = 300
    tol = dict(rtol=1e-4, atol=1e-4 * k ** 0.5) if actual.dtype == F32 else dict(rtol=1e-10)
    np.testing.assert_allclose(actual, expected, **tol)


SHAPES = [
    ((3, 4), (4, 5)),
    ((1, 1), (1, 1)),
    ((65, 257), (257, 3)),                     # not a multiple of any tile size
    ((130, 300), (300, 270)),                  # several tiles in every direction
    ((2, 5, 7), (2, 7, 3)),                    # batched
    ((2, 1, 5, 7), (3, 7, 4)),                 # batch dims broadcast like tf.matmul
    ((0, 4), (4, 3)), ((3, 0), (0, 2)),        # empty
]


CASES = [(d, a, b) for d in (F32, F64, I32, I64) for a, b in SHAPES
         if d.kind == "f" or a[-1] <= 10]          # ints: the small shapes are enough


@pytest.mark.parametrize("dtype, a_shape, b_shape", CASES,
                         ids=lambda v: str(v) if isinstance(v, np.dtype) else None)
def test_tiled_and_blas_match_numpy(dtype, a_shape, b_shape):
    a, b = _operands(dtype, a_shape, b_shape)
    expected = np.matmul(a, b)
    _close(cpu.matmul(a, b), expected)
    _close(cpu.matmul_tiled(a, b), expected)


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_transposes(transpose_a, transpose_b):
    a, b = _operands(F32, (70, 30), (30, 20))
    a_in = np.ascontiguousarray(a.T) if transpose_a else a
    b_in = np.ascontiguousarray(b.T) if transpose_b else b
    for kernel in (cpu.matmul, cpu.matmul_tiled):
        _close(kernel(a_in, b_in, transpose_a, transpose_b), a @ b)


def test_set_matmul_kernel_switches_cpu_matmul(tiled_matmul, monkeypatch):
    calls = []
    real = cpu_matmul.matmul_tiled
    monkeypatch.setattr(cpu_matmul, "matmul_tiled", lambda *args: calls.append(1) or real(*args))
    a, b = _operands(F64, (3, 4), (4, 2))
    _close(cpu.matmul(a, b), a @ b)
    assert calls == [1]


def test_non_contiguous_inputs():
    a, b = _operands(F64, (40, 60), (60, 30))
    _close(cpu.matmul_tiled(a[::2, ::3], b[::3]), a[::2, ::3] @ b[::3])


def test_set_matmul_kernel_rejects_unknown_names():
    with pytest.raises(ValueError, match="'blas' or 'tiled'"):
        config.set_matmul_kernel("fast")


def test_matmul_errors():
    with pytest.raises(ValueError, match=r"Matrix size-incompatible: In\[0\]: \[2, 3\], "
                                         r"In\[1\]: \[4, 5\]"):
        cpu.matmul(np.ones((2, 3)), np.ones((4, 5)))
    with pytest.raises(ValueError, match="rank >= 2"):
        cpu.matmul_tiled(np.ones(3), np.ones((3, 2)))
    with pytest.raises(TypeError, match="one dtype"):
        cpu.matmul(np.ones((2, 2), np.float32), np.ones((2, 2)))
    with pytest.raises(TypeError, match="does not support dtype bool"):
        cpu.matmul(np.ones((2, 2), bool), np.ones((2, 2), bool))
