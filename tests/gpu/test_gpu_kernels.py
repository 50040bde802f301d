"""The GPU kernels agree with the CPU kernels (run under NUMBA_ENABLE_CUDASIM=1 or on a GPU).

The same table of cases as the CPU tests, on small shapes (the simulator runs
every GPU thread as a Python thread).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel_cases import (F32, F64, I32, I64, arrays, assert_matches, awkward, binary_cases,
                          binary_elements, binary_shapes, per_case, shapes,
                          unary_cases, unary_elements)
from minitf.kernels import catalog, config, cpu, gpu

# The simulator runs scalar functions on numpy scalars, which warn on integer x // 0.
pytestmark = [pytest.mark.gpu,
              pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")]


def _id(case):
    return f"{case[0]}-{case[1]}"


def on_gpu(kernel, *arrays_, **kwargs):
    """Run a GPU kernel on host arrays; return host results."""
    result = kernel(*(gpu.to_device(a) for a in arrays_), **kwargs)
    if isinstance(result, tuple):
        return tuple(gpu.to_host(r) for r in result)
    return gpu.to_host(result)


@pytest.fixture
def threads_per_block():
    """Set config.threads_per_block for one test."""
    before = config.threads_per_block
    yield config.set_threads_per_block
    config.threads_per_block = before


def test_backend_is_reported():
    assert gpu.available()
    assert gpu.backend() in ("cudasim", "cuda")


@pytest.mark.parametrize("case", unary_cases(), ids=_id)
@per_case
@given(data=st.data())
def test_unary_agrees_with_cpu(case, data):
    name, dtype = case
    shape = data.draw(shapes(max_dims=3, max_side=3), label="shape")
    x = data.draw(awkward(data.draw(arrays(dtype, shape, unary_elements(name, dtype)))))
    assert_matches(on_gpu(gpu.unary(name), x), cpu.unary(name)(x))


@pytest.mark.parametrize("case", binary_cases(), ids=_id)
@per_case
@given(data=st.data())
def test_binary_agrees_with_cpu(case, data):
    name, dtype = case
    x_shape, y_shape = data.draw(binary_shapes(max_dims=3, max_side=3), label="shapes")
    x_elems, y_elems = binary_elements(name, dtype)
    x = data.draw(arrays(dtype, x_shape, x_elems), label="x")
    y = data.draw(arrays(dtype, y_shape, y_elems), label="y")
    assert_matches(on_gpu(gpu.binary(name), x, y), cpu.binary(name)(x, y))


def test_integer_division_by_zero_gives_zero():
    x, y = np.array([7, -7, 3], np.int64), np.array([0, 2, 0], np.int64)
    np.testing.assert_array_equal(on_gpu(gpu.binary("floordiv"), x, y), [0, -4, 0])
    np.testing.assert_array_equal(on_gpu(gpu.binary("floormod"), x, y), [0, 1, 0])


REDUCE_CASES = [(n, d) for n, (_, _, dts) in catalog.REDUCE.items() for d in dts]


def _sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind == "i":
        return rng.integers(-4, 5, shape).astype(dtype)
    return rng.uniform(-2, 2, shape).astype(dtype)


@pytest.mark.parametrize("name, dtype", REDUCE_CASES, ids=lambda v: str(v))
def test_reduce_agrees_with_cpu(name, dtype):
    x = _sample(dtype, (2, 3, 2))
    for axes, keepdims in [((0,), False), ((1,), True), ((2,), False), ((0, 2), True),
                           ((0, 1, 2), False), ((), False)]:
        assert_matches(on_gpu(gpu.reduce(name), x, axes=axes, keepdims=keepdims),
                       cpu.reduce(name)(x, axes, keepdims))


def test_sum_over_every_axis_combination_and_odd_block_sizes(threads_per_block):
    x = _sample(F32, (3, 2, 5))
    for tpb in (16, 4):
        threads_per_block(tpb)
        for axes in [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]:
            np.testing.assert_allclose(on_gpu(gpu.reduce("sum"), x, axes=axes),
                                       cpu.reduce("sum")(x, axes), rtol=1e-5, atol=1e-6)


def test_reduce_over_empty_axis_gives_identity():
    x = np.zeros((0, 3), np.float32)
    assert_matches(on_gpu(gpu.reduce("max"), x, axes=(0,)), cpu.reduce("max")(x, (0,)))
    assert_matches(on_gpu(gpu.reduce("sum"), x, axes=(0,)), np.zeros(3, np.float32))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dtype", [F32, I64], ids=str)
def test_argreduce_agrees_with_cpu_on_ties(name, dtype):
    x = np.random.default_rng(2).integers(0, 2, (3, 4, 2)).astype(dtype)
    for axis in (0, 1, 2, -1):
        assert_matches(on_gpu(gpu.argreduce(name), x, axis=axis), cpu.argreduce(name)(x, axis))
    assert_matches(on_gpu(gpu.argreduce(name), x[0, :, 0].copy(), axis=0),
                   cpu.argreduce(name)(x[0, :, 0], 0))


@pytest.mark.parametrize("dtype", [F32, F64], ids=str)
def test_softmax_family_agrees_with_cpu(dtype):
    rng = np.random.default_rng(3)
    logits = rng.uniform(-5, 5, (4, 5)).astype(dtype)
    logits[0] = [1e4, 0, -1e4, 5, 1e4]                # extreme logits stay finite
    tol = dict(rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(on_gpu(gpu.softmax, logits), cpu.softmax(logits), **tol)
    np.testing.assert_allclose(on_gpu(gpu.log_softmax, logits), cpu.log_softmax(logits), **tol)
    labels = rng.uniform(0, 1, (4, 5)).astype(dtype)
    labels /= labels.sum(-1, keepdims=True)
    for got, want in zip(on_gpu(gpu.softmax_cross_entropy, logits, labels),
                         cpu.softmax_cross_entropy(logits, labels)):
        np.testing.assert_allclose(got, want, **tol)
    sparse = np.array([0, 4, 2, 1], np.int32)
    for got, want in zip(on_gpu(gpu.sparse_softmax_cross_entropy, logits, sparse),
                         cpu.sparse_softmax_cross_entropy(logits, sparse)):
        np.testing.assert_allclose(got, want, **tol)


def test_sparse_label_out_of_range_gives_nan_like_tensorflow_on_gpu():
    loss, backprop = on_gpu(gpu.sparse_softmax_cross_entropy, np.zeros((2, 3), np.float32),
                            np.array([1, 3], np.int64))
    assert np.isfinite(loss[0]) and np.isnan(loss[1]) and np.isnan(backprop[1]).all()


@pytest.mark.parametrize("dtype", [F32, F64, I32], ids=str)
@pytest.mark.parametrize("a_shape, b_shape", [
    ((3, 4), (4, 5)), ((17, 5), (5, 18)), ((2, 3, 4), (2, 4, 2)), ((2, 3, 4), (4, 2)),
    ((1, 1), (1, 1)), ((2, 0), (0, 3)),
])
def test_matmul_agrees_with_numpy(dtype, a_shape, b_shape):
    a, b = _sample(dtype, a_shape, 4), _sample(dtype, b_shape, 5)
    assert_matches(on_gpu(gpu.matmul, a, b), np.asarray(np.matmul(a, b)))


def test_matmul_transposes_and_small_tiles(threads_per_block):
    a, b = _sample(F64, (5, 7), 6), _sample(F64, (9, 5), 7)
    threads_per_block(4)                                 # 2 x 2 tiles
    got = on_gpu(lambda d_a, d_b: gpu.matmul(d_a, d_b, transpose_a=True, transpose_b=True), a, b)
    np.testing.assert_allclose(got, a.T @ b.T)


def test_errors():
    d = gpu.to_device(np.ones(3, np.int32))
    with pytest.raises(TypeError, match="gpu unary kernel 'exp' does not support dtype int32"):
        gpu.unary("exp")(d)
    with pytest.raises(TypeError, match="takes device arrays"):
        gpu.unary("neg")(np.ones(3))
    with pytest.raises(ValueError, match="Incompatible shapes"):
        gpu.binary("add")(d, gpu.to_device(np.ones(2, np.int32)))
    with pytest.raises(ValueError, match="Matrix size-incompatible"):
        gpu.matmul(gpu.to_device(np.ones((2, 3))), gpu.to_device(np.ones((2, 3))))
    with pytest.raises(TypeError, match="unknown binary kernel"):
        gpu.binary("nope")


def test_results_stay_on_the_device():
    d = gpu.to_device(np.arange(4.0))
    out = gpu.binary("mul")(gpu.unary("exp")(d), d)
    assert hasattr(out, "copy_to_host") and not isinstance(out, np.ndarray)
    np.testing.assert_allclose(gpu.to_host(out), np.exp(np.arange(4.0)) * np.arange(4.0))
