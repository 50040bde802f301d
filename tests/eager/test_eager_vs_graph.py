"""Eager and graph mode compute the same values: the whole op table, both ways.

A child interpreter runs every row of ``tests/ops/ops_table.py`` eagerly (the
forward value in each dtype, and for differentiable rows the float64
``GradientTape`` gradient of a random weighting of the outputs) and saves the
arrays.  Here, in graph mode, the same rows run through placeholders and
``tf.gradients``.  The two must agree: the registry's kernels and gradient
functions are shared, so any difference is a bug in one of the two paths.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import minitf as tf

from eager_harness import run_ok
from ops_helpers import F64, as_list, assert_close, build, evaluate, sample
from ops_table import CASES

OPS_DIR = Path(__file__).resolve().parents[1] / "ops"

EAGER_CHILD = """
import json, sys
import numpy as np
import minitf as tf
tf.enable_eager_execution()
sys.path.insert(0, OPS_DIR)
from ops_helpers import as_list, sample
from ops_table import CASES

arrays, errors = {}, {}
for case in CASES:
    for dtype in case.dtypes:
        key = f"{case.id}|{np.dtype(dtype).name}"
        try:
            inputs = [tf.constant(a) for a in sample(case, dtype)]
            for i, out in enumerate(as_list(case.fn(*inputs))):
                arrays[f"{key}|out{i}"] = np.asarray(out.numpy())
        except Exception as e:
            errors[key] = f"{type(e).__name__}: {e}"
    if not case.grad:
        continue
    key = f"{case.id}|grad"
    try:
        values = sample(case, np.float64)
        inputs = [tf.constant(a) for a in values]
        rng = np.random.default_rng(1)
        with tf.GradientTape() as tape:
            for t in inputs:
                if t.dtype.is_floating:
                    tape.watch(t)
            outs = as_list(case.fn(*inputs))
            terms = [tf.reduce_sum(o * rng.uniform(-1, 1, size=o.shape.as_list()))
                     for o in outs if o.dtype.is_floating]
            loss = tf.add_n(terms) if len(terms) > 1 else terms[0]
        wrt = [t for t in inputs if t.dtype.is_floating]
        for i, g in enumerate(tape.gradient(loss, wrt)):
            arrays[f"{key}{i}"] = np.zeros(wrt[i].shape.as_list()) if g is None else g.numpy()
    except Exception as e:
        errors[key] = f"{type(e).__name__}: {e}"
np.savez(OUT, **arrays)
print(json.dumps(errors))
"""

FORWARD = [pytest.param(c, np.dtype(d), id=f"{c.id}-{np.dtype(d).name}") for c in CASES for d in c.dtypes]
GRADIENT = [pytest.param(c, id=c.id) for c in CASES if c.grad]


@pytest.fixture(scope="module")
def eager(tmp_path_factory):
    """{key: array} computed eagerly, and {key: error} for what failed there."""
    out = tmp_path_factory.mktemp("eager") / "values.npz"
    code = EAGER_CHILD.replace("OPS_DIR", repr(str(OPS_DIR))).replace("OUT", repr(str(out)))
    errors = json.loads(run_ok(code).strip().splitlines()[-1])
    with np.load(out) as data:
        return dict(data), errors


@pytest.mark.parametrize("case, dtype", FORWARD)
def test_eager_forward_equals_graph(eager, case, dtype):
    values, errors = eager
    key = f"{case.id}|{dtype.name}"
    assert key not in errors, f"eager {case.id} failed: {errors[key]}"
    _, graph_values, _ = evaluate(case, sample(case, dtype))
    for i, want in enumerate(graph_values):
        got = values[f"{key}|out{i}"]
        assert got.dtype == np.asarray(want).dtype, f"output {i} dtype"
        assert_close(got, want, dtype, what=f"{case.id} output {i}")


@pytest.mark.parametrize("case", GRADIENT)
def test_tape_gradient_equals_tf_gradients(eager, case):
    values, errors = eager
    key = f"{case.id}|grad"
    assert key not in errors, f"eager gradient of {case.id} failed: {errors[key]}"
    arrays = sample(case, F64)
    rng = np.random.default_rng(1)
    with tf.Graph().as_default():
        holders, outputs = build(case, arrays)
        feed = dict(zip(holders, arrays))
        with tf.Session() as sess:
            shapes = [np.shape(v) for v in sess.run(outputs, feed)]
            terms = [tf.reduce_sum(o * rng.uniform(-1, 1, size=s))
                     for o, s in zip(outputs, shapes) if o.dtype.is_floating]
            loss = tf.add_n(terms) if len(terms) > 1 else terms[0]
            wrt = [h for h, a in zip(holders, arrays) if a.dtype.kind == "f"]
            for i, g in enumerate(tf.gradients(loss, wrt)):
                if isinstance(g, tf.IndexedSlices):             # graph mode: gather's sparse gradient
                    g = tf.convert_to_tensor(g)
                want = np.zeros(np.shape(feed[wrt[i]])) if g is None else sess.run(g, feed)
                np.testing.assert_allclose(values[f"{key}{i}"], want, rtol=1e-12, atol=1e-12,
                                           err_msg=f"d loss / d input {i} of {case.id}")
