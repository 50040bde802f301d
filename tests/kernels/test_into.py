"""Into forms (kernels/into.py): the specialized kernel writes the plain kernel's result, bit for bit."""

import numpy as np
import pytest

from minitf.kernels import config, cpu
from minitf.kernels.into import Spec


def _spec(a):
    return Spec(a.shape, a.dtype)


def _same_into(plain, into_factory, *inputs):
    """Run the plain kernel and its into form (into a garbage-filled buffer): equal bits."""
    expected = plain(*inputs)
    outs = expected if isinstance(expected, tuple) else (expected,)
    run = into_factory([_spec(a) for a in inputs], [_spec(o) for o in outs])
    assert run is not None
    buffers = [np.full(o.shape, 7, o.dtype) for o in outs]
    got = run(*inputs, *buffers)
    got = got if isinstance(got, tuple) else (got,)
    for g, b, e in zip(got, buffers, outs):
        assert g is b
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_array_equal(g.view(np.uint8), e.view(np.uint8))


RNG = np.random.RandomState(0)


@pytest.mark.parametrize("name", ["neg", "exp", "relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary(name, dtype):
    x = RNG.randn(7, 5).astype(dtype)
    _same_into(cpu.unary(name), cpu.unary(name).into, x)


@pytest.mark.parametrize("shapes", [((6, 5), (6, 5)), ((6, 5), (5,)), ((6, 1), (1, 5)), ((), (3, 4)),
                                    ((2, 3, 4), (3, 1))])
@pytest.mark.parametrize("name", ["add", "mul", "sub", "relu_grad", "less"])
def test_binary(name, shapes):
    x, y = (np.asarray(RNG.randn(*s), np.float32) for s in shapes)
    _same_into(cpu.binary(name), cpu.binary(name).into, x, y)


def test_binary_refuses_what_it_cannot_specialize():
    f32 = np.dtype(np.float32)
    add = cpu.binary("add").into
    assert add([Spec((3,), f32), Spec((3,), np.dtype(np.float64))], [Spec((3,), f32)]) is None
    assert add([Spec((3,), f32), Spec((3,), f32)], [Spec((4,), f32)]) is None
    assert add([Spec((3,), np.dtype(np.int8)), Spec((3,), np.dtype(np.int8))],
               [Spec((3,), np.dtype(np.int8))]) is None
    assert not hasattr(cpu.binary("pow"), "into")     # checks its exponents at every call


@pytest.mark.parametrize("shape, axes, keepdims", [((100, 256), (0,), False), ((1500, 3), (0,), True),
                                                   ((4, 5, 6), (1, 2), False), ((7,), (0,), False)])
@pytest.mark.parametrize("name", ["sum", "mean", "max"])
def test_reduce(name, shape, axes, keepdims):
    x = RNG.randn(*shape).astype(np.float32)
    expected = cpu.reduce(name)(x, axes, keepdims)
    run = cpu.reduce(name).into_over(_spec(x), axes, keepdims, _spec(expected))
    out = np.full(expected.shape, 7, expected.dtype)
    assert run(x, out) is out
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("name", ["sum", "mean"])
def test_reduce_of_a_strided_view(name):
    x = RNG.randn(40, 3000).astype(np.float32)[:, ::2]        # not contiguous; more than one block
    expected = cpu.reduce(name)(x, (1,), False)
    out = np.full(expected.shape, 7, expected.dtype)
    assert cpu.reduce(name).into_over(_spec(x), (1,), False, _spec(expected))(x, out) is out
    np.testing.assert_array_equal(out, expected)


def test_reduce_with_a_transposing_copy_is_not_specialized():
    x = Spec((4, 5, 6), np.dtype(np.float32))
    assert cpu.reduce("sum").into_over(x, (0, 2), False, Spec((5,), x.dtype)) is None


@pytest.mark.parametrize("ta, tb", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("m, k, n", [(800, 4, 1), (64, 100, 64), (128, 784, 256)])
def test_matmul(m, k, n, ta, tb):
    a = RNG.randn(*((k, m) if ta else (m, k))).astype(np.float32)
    b = RNG.randn(*((n, k) if tb else (k, n))).astype(np.float32)
    _same_into(lambda a, b: cpu.matmul(a, b, ta, tb),
               lambda ins, outs: cpu.matmul_into(*ins, ta, tb, *outs), a, b)


def test_matmul_follows_the_tiled_kernel_switch(monkeypatch):
    a, b = RNG.randn(5, 6).astype(np.float32), RNG.randn(6, 3).astype(np.float32)
    monkeypatch.setattr(config, "matmul_kernel", "tiled")
    _same_into(lambda a, b: cpu.matmul(a, b), lambda ins, outs: cpu.matmul_into(*ins, False, False, *outs),
               a, b)


def test_softmax_cross_entropy():
    logits = RNG.randn(100, 10).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[RNG.randint(0, 10, 100)]
    _same_into(cpu.softmax_cross_entropy, lambda ins, outs: cpu.softmax_cross_entropy_into(*ins, *outs),
               logits, labels)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape", [(100, 10), (3, 4, 5), (7,)])
def test_softmax_rows(name, shape):
    x = RNG.randn(*shape).astype(np.float32)
    _same_into(getattr(cpu, name), getattr(cpu, name).into, x)
