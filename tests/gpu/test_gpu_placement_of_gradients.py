"""Where the ops ran: forward, gradient and update ops asked for ``/gpu:0`` ran on the GPU.

``test_gpu_gradients_match_cpu`` compares values only, and CPU and GPU share
the gradient functions, so a placer that quietly sent everything to the CPU
would pass it.  Here each plan listing (``Session.explain``) is read line by
line: every kernel call whose op has a GPU kernel for its dtype must end in
``[GPU:0]``, and the gradient ops must be among them.  The optimizer updates
also run on the GPU's own kernels (``training_kernels_cuda``), so they are
checked against numpy written from TF's formulas (tests/train).

Runs under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``) or on a real GPU.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import minitf as tf
from minitf.client.placer import supported_on_gpu

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "ops"))
sys.path.insert(0, str(TESTS / "train"))
from ops_helpers import F32, build, sample  # noqa: E402
from ops_table import CASES  # noqa: E402
from test_optimizer_references import CASES as OPTIMIZERS  # noqa: E402
from test_optimizer_references import STEPS, TARGET, W0, reference  # noqa: E402

pytestmark = pytest.mark.gpu

SOFT = tf.ConfigProto(allow_soft_placement=True)
COPIES = {"CopyHostToDevice", "CopyDeviceToHost"}


def kernel_calls(listing: str) -> list[tuple[str, str, str]]:
    """(op type, op name, device) of each numbered line of a plan listing."""
    calls = []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit() and parts[-1].startswith("["):
            calls.append((parts[1], parts[2], parts[-1].strip("[]")))
    return calls


def assert_gpu_capable_ops_ran_on_gpu(graph, listing: str) -> list[tuple[str, str, str]]:
    calls = [c for c in kernel_calls(listing) if c[0] not in COPIES]
    assert calls, listing
    for op_type, name, device in calls:
        if supported_on_gpu(graph.get_operation_by_name(name)):
            assert device == "GPU:0", f"{name} ({op_type}) ran on {device}:\n{listing}"
    return calls


GRADIENT_ROWS = [pytest.param(c, id=c.id) for c in CASES
                 if c.id in {"MatMul", "Add", "Mul", "Mean", "Sigmoid", "Softmax", "Max",
                             "SoftmaxCrossEntropyWithLogits", "BiasAdd", "Transpose", "Select"}]


@pytest.mark.parametrize("case", GRADIENT_ROWS)
def test_forward_and_gradient_ops_run_on_the_gpu(case):
    arrays = sample(case, F32)
    graph = tf.Graph()
    with graph.as_default():
        with tf.device("/gpu:0"):
            holders, outputs = build(case, arrays)
            loss = tf.add_n([tf.reduce_sum(o * o) for o in outputs if o.dtype.is_floating])
            wrt = [h for h, a in zip(holders, arrays) if a.dtype.kind == "f"]
            grads = [g for g in tf.gradients(loss, wrt) if g is not None]
        with tf.Session(config=SOFT) as sess:
            feed = dict(zip(holders, arrays))
            calls = assert_gpu_capable_ops_ran_on_gpu(graph, sess.explain(outputs + grads, feed))
    on_gpu = {(t, n) for t, n, d in calls if d == "GPU:0"}
    assert any(t == case.op and not n.startswith("gradients") for t, n in on_gpu), calls
    assert any(n.startswith("gradients/") for _, n in on_gpu), f"no gradient op on the GPU: {calls}"


def test_explicit_cpu_request_is_honoured_for_gradients_too():
    """The check above can fail: pinned to the CPU, the same gradient ops report CPU:0."""
    graph = tf.Graph()
    with graph.as_default():
        with tf.device("/cpu:0"):
            x = tf.placeholder(tf.float32, [2, 3])
            g = tf.gradients(tf.reduce_sum(tf.nn.sigmoid(x)), x)[0]
        with tf.Session() as sess:
            calls = kernel_calls(sess.explain(g, {x: np.ones((2, 3), np.float32)}))
    assert calls and all(d == "CPU:0" for _, _, d in calls), calls


@pytest.mark.parametrize("case", sorted(OPTIMIZERS))
def test_optimizer_updates_on_the_gpu_follow_tf_formula(case):
    make, hp = OPTIMIZERS[case]
    graph = tf.Graph()
    with graph.as_default():
        with tf.device("/gpu:0"):
            w = tf.Variable(np.array(W0, np.float32), name="w")
            loss = 0.5 * tf.reduce_sum(tf.square(w - tf.constant(TARGET)))
            train = eval(make).minimize(loss)
        with tf.Session(config=SOFT) as sess:
            sess.run(tf.global_variables_initializer())
            calls = assert_gpu_capable_ops_ran_on_gpu(graph, sess.explain(train))
            assert any(t.startswith("Apply") and d == "GPU:0" for t, _, d in calls), calls
            for step, want in enumerate(reference(hp), start=1):
                sess.run(train)
                np.testing.assert_allclose(sess.run(w), want, rtol=2e-5, atol=2e-6,
                                           err_msg=f"{case} step {step} on the GPU")
    assert step == STEPS
