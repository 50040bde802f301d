"""The numba.cuda convolution and pooling kernels (kernels/conv_cuda.py) give the CPU's answers.

The op table already runs every conv row on the GPU in float32 (test_gpu_ops.py);
here: float64, more strides/dilations/paddings, equal maxima, and a whole
conv -> pool -> loss gradient placed on the GPU.  Tiny shapes: under
``NUMBA_ENABLE_CUDASIM=1`` every GPU thread is a Python thread.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu

SOFT = tf.ConfigProto(allow_soft_placement=True)


def _run_on(device, build, arrays):
    """Values of ``build(*placeholders)`` with every op pinned to ``device``, and the plan listing."""
    with tf.Graph().as_default():
        with tf.device(device):
            holders = [tf.placeholder(tf.as_dtype(a.dtype), a.shape) for a in arrays]
            outputs = build(*holders)
        with tf.Session(config=SOFT) as sess:
            feed = dict(zip(holders, arrays))
            return sess.run(outputs, feed), sess.explain(outputs, feed)


def _same_on_gpu(build, arrays, op_types):
    cpu, _ = _run_on("/cpu:0", build, arrays)
    gpu, listing = _run_on("/gpu:0", build, arrays)
    for op_type in op_types:
        lines = [line for line in listing.splitlines() if f" {op_type} " in line]
        assert lines and all(line.endswith("[GPU:0]") for line in lines), listing
    for got, want in zip(gpu, cpu):
        rtol = 1e-5 if np.asarray(want).dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


def _weights(y, dtype):
    """Fixed weights for the loss sum(y**2 * weights), the same on both devices.

    (y**2, not y: the gradient must depend on x, or the planner folds it to a constant on the CPU.)
    """
    return np.random.default_rng(7).normal(size=y.shape.as_list()).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("s, d, padding", [(1, 1, "SAME"), (2, 1, "SAME"), (2, 1, "VALID"),
                                           (1, 2, "SAME"), (1, 2, "VALID")])
def test_conv2d_and_both_gradients(dtype, s, d, padding):
    rng = np.random.default_rng(s * 10 + d)
    x = rng.normal(size=(2, 5, 6, 2)).astype(dtype)
    f = rng.normal(size=(2, 3, 2, 3)).astype(dtype)

    def build(xh, fh):
        y = tf.nn.conv2d(xh, fh, [1, s, s, 1], padding, dilations=[1, d, d, 1])
        weights = tf.constant(_weights(y, dtype))
        return [y] + tf.gradients(tf.reduce_sum(tf.square(y) * weights), [xh, fh])
    _same_on_gpu(build, [x, f], ["Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("pool", [tf.nn.max_pool, tf.nn.avg_pool])
@pytest.mark.parametrize("k, s, padding", [(2, 2, "SAME"), (3, 2, "SAME"), (3, 1, "VALID")])
def test_pooling_and_its_gradient(dtype, pool, k, s, padding):
    rng = np.random.default_rng(k * 10 + s)
    x = rng.normal(size=(2, 5, 4, 2)).astype(dtype)

    def build(xh):
        y = pool(xh, [1, k, k, 1], [1, s, s, 1], padding)
        weights = tf.constant(_weights(y, dtype))
        return [y] + tf.gradients(tf.reduce_sum(tf.square(y) * weights), [xh])
    name = "MaxPool" if pool is tf.nn.max_pool else "AvgPool"
    _same_on_gpu(build, [x], [name, name + "Grad"])


def test_max_pool_gradient_goes_to_the_first_max_on_the_gpu_too():
    x = np.array([[[[1.0], [3.0], [3.0]], [[3.0], [0.0], [3.0]]]], np.float32)

    def build(xh):
        y = tf.nn.max_pool(xh, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
        return [y, tf.gradients(y, [xh])[0]]
    _same_on_gpu(build, [x], ["MaxPool", "MaxPoolGrad"])
    (_, grad), _ = _run_on("/gpu:0", build, [x])
    np.testing.assert_array_equal(grad.ravel(), [0, 2, 0, 0, 0, 0])


def test_conv2d_transpose_on_the_gpu():
    rng = np.random.default_rng(3)
    value = rng.normal(size=(1, 3, 3, 2)).astype(np.float32)
    f = rng.normal(size=(3, 3, 1, 2)).astype(np.float32)
    _same_on_gpu(lambda v, fh: [tf.nn.conv2d_transpose(v, fh, [1, 6, 6, 1], [1, 2, 2, 1], "SAME")],
                 [value, f], ["Conv2DBackpropInput"])
