"""Every optimizer and option against numpy written here from TF's formulas.

The other optimizer suites compare minitf with minitf (eager against graph),
which share the ``Apply*`` kernels, so a wrong formula passes both.  Here the
expected trajectory comes from TF1's ``training_ops.cc`` written out in numpy:

* ApplyGradientDescent: var -= lr·g
* ApplyMomentum:        accum = momentum·accum + g;
                        var -= lr·accum, or with use_nesterov
                        var -= lr·g + lr·momentum·accum
* ApplyAdagrad:         accum += g²; var -= lr·g / sqrt(accum)
* ApplyRMSProp:         ms = rho·ms + (1-rho)·g²; mom = momentum·mom + lr·g / sqrt(ms + eps);
                        var -= mom   (the rms slot starts at 1, the momentum slot at 0)
* ApplyCenteredRMSProp: as RMSProp, plus mg = rho·mg + (1-rho)·g (starts at 0), and the
                        denominator sqrt(ms - mg² + eps): the variance, not the second moment
* ApplyAdam:            t-th step: lr_t = lr·sqrt(1-β2^t) / (1-β1^t);
                        m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; var -= lr_t·m / (sqrt(v) + eps)

The loss is ½·Σ(w - target)², so the gradient at each step is w - target and
the reference needs no autodiff.  Options that change nothing at the defaults
(a non-default epsilon, Nesterov) get a configuration where they matter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import minitf as tf

ROOT = Path(__file__).resolve().parents[2]
W0 = [0.5, -1.0, 2.0]
TARGET = [1.0, 0.25, -0.5]
STEPS = 4

# name -> (constructor expression, its hyperparameters for the reference)
CASES = {
    "sgd": ("tf.train.GradientDescentOptimizer(0.1)", dict(kind="sgd", lr=0.1)),
    "momentum": ("tf.train.MomentumOptimizer(0.1, 0.9)",
                 dict(kind="momentum", lr=0.1, momentum=0.9, nesterov=False)),
    "nesterov": ("tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)",
                 dict(kind="momentum", lr=0.1, momentum=0.9, nesterov=True)),
    "adagrad": ("tf.train.AdagradOptimizer(0.3)", dict(kind="adagrad", lr=0.3, init=0.1)),
    "adagrad_init": ("tf.train.AdagradOptimizer(0.3, initial_accumulator_value=2.0)",
                     dict(kind="adagrad", lr=0.3, init=2.0)),
    "rmsprop": ("tf.train.RMSPropOptimizer(0.05)",
                dict(kind="rmsprop", lr=0.05, rho=0.9, momentum=0.0, eps=1e-10)),
    "rmsprop_eps_momentum": ("tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5, epsilon=0.5)",
                             dict(kind="rmsprop", lr=0.05, rho=0.8, momentum=0.5, eps=0.5)),
    "rmsprop_centered": ("tf.train.RMSPropOptimizer(0.05, decay=0.8, momentum=0.5, epsilon=0.5, centered=True)",
                         dict(kind="rmsprop", lr=0.05, rho=0.8, momentum=0.5, eps=0.5, centered=True)),
    "adam": ("tf.train.AdamOptimizer(0.1)",
             dict(kind="adam", lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)),
    "adam_defaults": ("tf.train.AdamOptimizer()",
                      dict(kind="adam", lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)),
    "adam_options": ("tf.train.AdamOptimizer(0.1, beta1=0.5, beta2=0.8, epsilon=0.3)",
                     dict(kind="adam", lr=0.1, beta1=0.5, beta2=0.8, eps=0.3)),
}


def _as_tf_sees_it(hp: dict) -> dict:
    """TF1 converts Python hyperparameters to float32 tensors, then casts them to the variable's dtype.

    So even a float64 variable is updated with float32-rounded rates; the reference does the same.
    (Adagrad's initial accumulator is made in the variable's dtype: it stays exact.)
    """
    return {k: float(np.float32(v)) if isinstance(v, float) and k != "init" else v for k, v in hp.items()}


def reference(hp: dict, steps: int = STEPS) -> list[np.ndarray]:
    """The variable after each step, in float64, from TF's update formulas."""
    w, target = np.array(W0), np.array(TARGET)
    hp = _as_tf_sees_it(hp)
    kind = hp["kind"]
    beta1_power, beta2_power = np.float32(hp.get("beta1", 0)), np.float32(hp.get("beta2", 0))
    accum = np.full_like(w, hp.get("init", 0.0))
    ms, mom, m, v = np.ones_like(w), np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    mg = np.zeros_like(w)
    out = []
    for _ in range(steps):
        g = w - target
        if kind == "sgd":
            w = w - hp["lr"] * g
        elif kind == "momentum":
            accum = hp["momentum"] * accum + g
            if hp["nesterov"]:
                w = w - (hp["lr"] * g + hp["lr"] * hp["momentum"] * accum)
            else:
                w = w - hp["lr"] * accum
        elif kind == "adagrad":
            accum = accum + g * g
            w = w - hp["lr"] * g / np.sqrt(accum)
        elif kind == "rmsprop":
            ms = hp["rho"] * ms + (1 - hp["rho"]) * g * g
            mg = hp["rho"] * mg + (1 - hp["rho"]) * g
            variance = ms - mg * mg if hp.get("centered") else ms
            mom = hp["momentum"] * mom + hp["lr"] * g / np.sqrt(variance + hp["eps"])
            w = w - mom
        elif kind == "adam":
            # TF1 keeps beta1^t and beta2^t in float32 variables whatever the variable's dtype.
            b1, b2 = hp["beta1"], hp["beta2"]
            lr_t = hp["lr"] * np.sqrt(1 - float(beta2_power)) / (1 - float(beta1_power))
            beta1_power, beta2_power = beta1_power * np.float32(b1), beta2_power * np.float32(b2)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            w = w - lr_t * m / (np.sqrt(v) + hp["eps"])
        out.append(w.copy())
    return out


def graph_trajectory(make: str, dtype) -> list[np.ndarray]:
    with tf.Graph().as_default():
        w = tf.Variable(np.array(W0, dtype.as_numpy_dtype), name="w")
        loss = 0.5 * tf.reduce_sum(tf.square(w - tf.constant(TARGET, dtype=dtype)))
        train = eval(make).minimize(loss)
        out = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(STEPS):
                sess.run(train)
                value = sess.run(w)
                assert value.dtype == dtype.as_numpy_dtype
                out.append(value)
    return out


TOLERANCE = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-12, atol=1e-13)}


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_graph_mode_matches_tf_formula(case, dtype_name):
    make, hp = CASES[case]
    got = graph_trajectory(make, getattr(tf, dtype_name))
    for step, (g, want) in enumerate(zip(got, reference(hp)), start=1):
        np.testing.assert_allclose(g, want, err_msg=f"{case} step {step}", **TOLERANCE[dtype_name])


EAGER_CHILD = """
import json, sys
import numpy as np
import minitf as tf
tf.enable_eager_execution()
cases, w0, target, steps = json.loads(sys.stdin.read())
out = {}
for name, make in cases.items():
    for dtype in (tf.float32, tf.float64):
        w = tf.Variable(np.array(w0, dtype.as_numpy_dtype), name="w")
        t = tf.constant(target, dtype=dtype)
        opt = eval(make)
        values = []
        for _ in range(steps):
            opt.minimize(lambda: 0.5 * tf.reduce_sum(tf.square(w - t)))
            values.append([str(w.numpy().dtype), w.numpy().tolist()])
        out[name + "/" + dtype.name] = values
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def eager_trajectories():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    cases = {name: make for name, (make, _) in CASES.items()}
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(EAGER_CHILD)],
                           input=json.dumps([cases, W0, TARGET, STEPS]), capture_output=True,
                           text=True, cwd=ROOT, env=env, timeout=600)
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_eager_mode_matches_tf_formula(eager_trajectories, case, dtype_name):
    _, hp = CASES[case]
    got = eager_trajectories[f"{case}/{dtype_name}"]
    for step, ((dt, g), want) in enumerate(zip(got, reference(hp)), start=1):
        assert dt == dtype_name
        np.testing.assert_allclose(g, want, err_msg=f"{case} step {step}", **TOLERANCE[dtype_name])


def test_nesterov_by_hand():
    """loss = w, so g = 1 at every step; lr=0.1, momentum=0.9.

    Step 1: accum = 1,   var -= 0.1·1 + 0.1·0.9·1   = 0.19
    Step 2: accum = 1.9, var -= 0.1·1 + 0.1·0.9·1.9 = 0.271
    """
    with tf.Graph().as_default():
        w = tf.Variable(1.0)
        train = tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True).minimize(w)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            assert sess.run(w) == pytest.approx(1 - 0.19, rel=1e-6)
            sess.run(train)
            assert sess.run(w) == pytest.approx(1 - 0.19 - 0.271, rel=1e-6)


@pytest.mark.parametrize("bad", [0.0, -0.5])
def test_adagrad_initial_accumulator_must_be_positive(bad):
    """TF1: ValueError("initial_accumulator_value must be positive: ...") for zero too (sqrt(0) would divide by 0)."""
    with pytest.raises(ValueError, match=f"initial_accumulator_value must be positive: {bad}"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=bad)


@pytest.mark.parametrize("case", sorted(CASES))
def test_use_locking_defaults_to_false_and_reaches_the_update_op(case):
    """TF1's optimizers default to use_locking=False; the flag is an attr of each Apply* node."""
    make, _ = CASES[case]
    for locking in (False, True):
        with tf.Graph().as_default() as g:
            w = tf.Variable(np.array(W0, np.float32))
            source = make[:-1] + ("" if make.endswith("()") else ", ") + "use_locking=True)" if locking else make
            made = eval(source)
            made.minimize(tf.reduce_sum(w * w))
            applies = [op for op in g.get_operations() if op.type.startswith("Apply")]
            assert applies and all(op.get_attr("use_locking") is locking for op in applies), case
