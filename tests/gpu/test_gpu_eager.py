"""Eager mode with a GPU: ``.gpu()``/``.cpu()``, device scopes, policies, variables on the GPU.

The scenarios run in child interpreters that inherit this process's
environment (``NUMBA_ENABLE_CUDASIM=1`` in the gpu test layer).
"""

from __future__ import annotations

import textwrap

import pytest

from eager_harness import outcome, run_ok, run_scenarios

pytestmark = pytest.mark.gpu

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU = "/job:localhost/replica:0/task:0/device:GPU:0"

SCENARIOS = {
    "lecture_block": """
        a = tf.constant([[1.0, 2.0]])
        a = a.gpu() # copies tensor to default GPU (GPU0)
        print(a.device)
        a = a.gpu(0) # copies tensor to GPU0
        print(a.device)
        try:
            a = a.gpu(1) # copies tensor to GPU1
        except tf.errors.InvalidArgumentError as e:
            print("InvalidArgumentError", "GPU:1 unknown device" in str(e))
        a = a.cpu() # copies tensor back to CPU
        print(a.device, a)
    """,
    "ops_follow_their_inputs": """
        x = tf.random_normal([3, 3], seed=1)
        x_gpu0, x_cpu = x.gpu(), x.cpu()
        a, b = tf.matmul(x_cpu, x_cpu), tf.matmul(x_gpu0, x_gpu0)
        print(a.device == CPU, b.device == GPU, np.allclose(a.numpy(), b.numpy(), atol=1e-5))
        print(type(b.numpy()).__name__, repr(b).startswith("<tf.Tensor: id="))
    """,
    "conflicting_devices": """
        x_gpu, x_cpu = tf.constant([1.0, 2.0]).gpu(), tf.constant([3.0, 4.0])
        try:
            x_gpu + x_cpu
        except tf.errors.InvalidArgumentError as e:
            print(e)
    """,
    "scalars_and_int32_copy_quietly": """
        x = tf.constant([1.0, 2.0]).gpu()
        print((x * 2).device == GPU, (x * 2).numpy().tolist())
        i = tf.constant([1, 2]).gpu()
        print((i + i).numpy().tolist())
    """,
    "device_scope": """
        with tf.device("/gpu:0"):
            c = tf.constant([[1., 2.], [3., 4.]])
            d = c * c + 1
            s = tf.reduce_sum(d)
            m = tf.argmax(d, axis=1)
            sm = tf.nn.softmax(d)
            t = tf.tile(c, [1, 2])                      # no GPU kernel: computed on the CPU, lands here
        print(all(v.device == GPU for v in (c, d, s, m, sm, t)))
        print(s.numpy(), m.numpy().tolist(), t.numpy().tolist())
        print(np.allclose(sm.numpy(), tf.nn.softmax(d.cpu()).numpy()))
    """,
    "gpu_variables_tape_and_optimizers": """
        with tf.device("/gpu:0"):
            vg = tf.Variable([1.0, 2.0])
        vc = tf.Variable([1.0, 2.0])
        print(vg.device == GPU, vc.device == CPU)
        for v in (vg, vc):
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(v * v * 3.0)
            g = tape.gradient(y, v)
            print(g.device == v.device, g.numpy().tolist())
        for make in ("tf.train.GradientDescentOptimizer(0.1)", "tf.train.MomentumOptimizer(0.1, 0.9)",
                     "tf.train.AdamOptimizer(0.1)", "tf.train.AdagradOptimizer(0.1)",
                     "tf.train.RMSPropOptimizer(0.1)"):
            vg.assign([1.0, 2.0]); vc.assign([1.0, 2.0])
            og, oc = eval(make), eval(make)
            for _ in range(3):
                og.minimize(lambda: tf.reduce_sum(vg * vg))
                oc.minimize(lambda: tf.reduce_sum(vc * vc))
            print(np.allclose(vg.numpy(), vc.numpy(), rtol=1e-5), vg.device == GPU)
        vg.assign_add([1.0, 1.0]); vg.assign_sub([0.5, 0.5])
        print(np.allclose(vg.numpy(), vc.numpy() + 0.5), vg.device == GPU)
    """,
}

EXPECTED = {
    "lecture_block": (f"{GPU}\n{GPU}\nInvalidArgumentError True\n"
                      f"{CPU} tf.Tensor([[1. 2.]], shape=(1, 2), dtype=float32)\n"),
    "ops_follow_their_inputs": "True True True\nndarray True\n",
    "conflicting_devices": (
        f"Tensors on conflicting devices: cannot compute Add as input #1 was expected to be on {GPU} "
        f"but is actually on {CPU} (operation running on {GPU}) Tensors can be copied explicitly "
        "using .gpu() or .cpu() methods, or transparently copied by using "
        "tf.enable_eager_execution(device_policy=tfe.DEVICE_PLACEMENT_SILENT). Copying tensors "
        "between devices may slow down your model [Op:Add]\n"),
    "scalars_and_int32_copy_quietly": "True [2.0, 4.0]\n[2, 4]\n",
    "device_scope": "True\n34.0 [1, 1] [[1.0, 2.0, 1.0, 2.0], [3.0, 4.0, 3.0, 4.0]]\nTrue\n",
    "gpu_variables_tape_and_optimizers": ("True True\nTrue [6.0, 12.0]\nTrue [6.0, 12.0]\n"
                                          + "True True\n" * 6),
}

SETUP = """
import numpy as np
import minitf as tf
import minitf.contrib.eager as tfe
tf.enable_eager_execution()
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU = "/job:localhost/replica:0/task:0/device:GPU:0"
"""


@pytest.fixture(scope="module")
def results():
    return run_scenarios(SCENARIOS, setup=SETUP)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_eager_gpu_scenario(results, name):
    assert outcome(results, name) == EXPECTED[name]


def test_silent_policy_copies_between_devices():
    out = run_ok("""
        import minitf as tf
        import minitf.contrib.eager as tfe
        tfe.enable_eager_execution(device_policy=tfe.DEVICE_PLACEMENT_SILENT)
        x_gpu, x_cpu = tf.constant([1.0, 2.0]).gpu(), tf.constant([3.0, 4.0])
        y = x_gpu + x_cpu
        print(y.device.endswith("GPU:0"), y.numpy().tolist())
    """)
    assert out == "True [4.0, 6.0]\n"


def test_explicit_policy_refuses_even_scalars():
    out = run_ok("""
        import minitf as tf
        import minitf.contrib.eager as tfe
        tfe.enable_eager_execution(device_policy=tfe.DEVICE_PLACEMENT_EXPLICIT)
        try:
            tf.constant([1.0]).gpu() * 2.0
        except tf.errors.InvalidArgumentError as e:
            print("InvalidArgumentError", "input #1" in str(e))
    """)
    assert out == "InvalidArgumentError True\n"


def test_eager_and_graph_gpu_results_agree_with_cpu():
    out = run_ok(textwrap.dedent("""
        import numpy as np
        import minitf as tf
        tf.enable_eager_execution()
        rng = np.random.RandomState(0)
        X = rng.rand(5, 4).astype(np.float32); W = rng.rand(4, 3).astype(np.float32)
        labels = np.eye(3, dtype=np.float32)[[0, 2, 1, 1, 0]]
        def model(x, w):
            logits = tf.matmul(x, w)
            return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
        cpu = model(tf.constant(X), tf.constant(W))
        with tf.device("/gpu:0"):
            gpu = model(tf.constant(X), tf.constant(W))
        print(gpu.device.endswith("GPU:0"), np.allclose(cpu.numpy(), gpu.numpy(), rtol=1e-5))
    """))
    assert out == "True True\n"
