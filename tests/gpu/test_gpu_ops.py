"""The op table on the GPU: every row placed on ``/gpu:0`` gives the CPU's answer.

Runs under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``) or on a real GPU;
skipped otherwise (see tests/conftest.py).  Each row is built twice from the
same sampled float32 inputs: once pinned to ``/cpu:0`` and once inside
``tf.device('/gpu:0')`` with soft placement (ops with no GPU kernel fall back
to the CPU, and the plan copies values across).  The simulator runs GPU
threads in Python, so shapes stay tiny and each row runs in one dtype.
"""

from __future__ import annotations


import numpy as np
import pytest

import minitf as tf
from minitf.client.placer import supported_on_gpu
from minitf.framework.registry import get_op_def

from ops_helpers import F32, I32, as_list, assert_close, build, sample
from ops_table import CASES

pytestmark = pytest.mark.gpu

SOFT = tf.ConfigProto(allow_soft_placement=True)
GPU = "/job:localhost/replica:0/task:0/device:GPU:0"


def run_on(device: str, case, arrays):
    """(values, plan listing) of ``case`` built under ``tf.device(device)``."""
    with tf.Graph().as_default():
        with tf.device(device):
            holders, outputs = build(case, arrays)
        with tf.Session(config=SOFT) as sess:
            feed = dict(zip(holders, arrays))
            return sess.run(outputs, feed), sess.explain(outputs, feed)


def _dtype(case):
    return F32 if F32 in case.dtypes else case.dtypes[0]


ROWS = [pytest.param(c, id=c.id) for c in CASES]


@pytest.mark.parametrize("case", ROWS)
def test_gpu_forward_matches_cpu(case):
    dtype = _dtype(case)
    arrays = sample(case, dtype)
    cpu, _ = run_on("/cpu:0", case, arrays)
    gpu, listing = run_on("/gpu:0", case, arrays)
    for i, (got, want) in enumerate(zip(gpu, cpu)):
        assert isinstance(got, (np.ndarray, np.generic)), f"output {i} came back as {type(got)}"
        assert np.asarray(got).dtype == np.asarray(want).dtype
        assert_close(got, want, dtype, 1e-5, what=f"{case.id} output {i} on GPU")
    op_def = get_op_def(case.op)
    if op_def.gpu_kernel is not None and f" {case.op} " in listing:
        ran_on = [line for line in listing.splitlines() if f" {case.op} " in line]
        assert all(line.endswith("[GPU:0]") for line in ran_on), listing


def test_the_table_covers_the_gpu_kernels():
    """Every op type with a GPU kernel has a row above (or runs in the stateful tests below)."""
    stateful = {"VariableV2", "Assign", "AssignAdd", "AssignSub", "ApplyGradientDescent",
                "ApplyMomentum", "ApplyAdam", "ApplyAdagrad", "ApplyRMSProp", "RandomStandardNormal",
                "ApplyCenteredRMSProp",   # test_gpu_placement_of_gradients.py: the rmsprop_centered case
                "RandomUniform", "TruncatedNormal", "RandomUniformInt", "Placeholder", "NoOp"}
    from minitf.framework.registry import registered_ops
    with_gpu = {op for op in registered_ops() if get_op_def(op).gpu_kernel is not None}
    assert with_gpu - {c.op for c in CASES} - stateful == set()


GRADIENT_ROWS = [pytest.param(c, id=c.id) for c in CASES
                 if c.id in {"MatMul", "Add", "Mul", "Mean", "Sigmoid", "Softmax", "Max",
                             "SoftmaxCrossEntropyWithLogits", "BiasAdd", "Transpose", "Select"}]


@pytest.mark.parametrize("case", GRADIENT_ROWS)
def test_gpu_gradients_match_cpu(case):
    arrays = sample(case, F32)

    def grads(device):
        with tf.Graph().as_default():
            with tf.device(device):
                holders, outputs = build(case, arrays)
                loss = tf.add_n([tf.reduce_sum(o * o) for o in outputs if o.dtype.is_floating])
                wrt = [h for h, a in zip(holders, arrays) if a.dtype.kind == "f"]
                gs = [g for g in tf.gradients(loss, wrt) if g is not None]
            with tf.Session(config=SOFT) as sess:
                return sess.run(gs, dict(zip(holders, arrays)))
    for got, want in zip(grads("/gpu:0"), grads("/cpu:0")):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_int32_math_placed_on_the_gpu_runs_on_the_host():
    with tf.Graph().as_default():
        a, b = tf.constant([1, 2]), tf.constant([3, 4])
        c = a * b + a
        x = tf.placeholder(tf.int32, [2])
        with tf.Session() as sess:
            assert sess.run(c).tolist() == [4, 10]
            assert sess.run(x + c, {x: [1, 1]}).tolist() == [5, 11]
            assert "Copy" not in sess.explain(x + c, {x: [1, 1]})      # int32 never travels
    assert supported_on_gpu(c.op)
