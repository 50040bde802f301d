"""Learning-rate schedules: graph ops over ``global_step`` with TF 1.x's formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minitf as tf

STEPS = [0, 1, 5, 9, 10, 11, 25, 100]


def values_at(make, steps=STEPS, dtype=tf.int64):
    """Build ``make(global_step)`` once and evaluate it at each step (fed into the step variable)."""
    with tf.Graph().as_default():
        step = tf.Variable(0, dtype=dtype, name="global_step", trainable=False)
        lr = make(step)
        with tf.Session() as sess:
            out = []
            for s in steps:
                step.load(s, sess)
                out.append(sess.run(lr))
    return np.array(out), lr


def test_exponential_decay_smooth_and_staircase():
    got, lr = values_at(lambda g: tf.train.exponential_decay(0.1, g, 10, 0.5))
    np.testing.assert_allclose(got, [0.1 * 0.5 ** (s / 10) for s in STEPS], rtol=1e-6)
    assert lr.name == "ExponentialDecay:0" and lr.dtype == tf.float32
    got, _ = values_at(lambda g: tf.train.exponential_decay(0.1, g, 10, 0.5, staircase=True))
    np.testing.assert_allclose(got, [0.1 * 0.5 ** (s // 10) for s in STEPS], rtol=1e-6)


def test_natural_exp_and_inverse_time_decay():
    got, _ = values_at(lambda g: tf.train.natural_exp_decay(0.2, g, 5, 0.3))
    np.testing.assert_allclose(got, [0.2 * math.exp(-0.3 * s / 5) for s in STEPS], rtol=1e-6)
    got, _ = values_at(lambda g: tf.train.natural_exp_decay(0.2, g, 5, 0.3, staircase=True))
    np.testing.assert_allclose(got, [0.2 * math.exp(-0.3 * (s // 5)) for s in STEPS], rtol=1e-6)
    got, _ = values_at(lambda g: tf.train.inverse_time_decay(0.2, g, 5, 0.3))
    np.testing.assert_allclose(got, [0.2 / (1 + 0.3 * s / 5) for s in STEPS], rtol=1e-6)
    got, lr = values_at(lambda g: tf.train.inverse_time_decay(0.2, g, 5, 0.3, staircase=True))
    np.testing.assert_allclose(got, [0.2 / (1 + 0.3 * (s // 5)) for s in STEPS], rtol=1e-6)
    assert lr.name == "InverseTimeDecay:0"


def np_polynomial(step, lr=1.0, decay_steps=10, end=0.01, power=2.0, cycle=False):
    if cycle:
        decay_steps = decay_steps * max(math.ceil(step / decay_steps), 1)
    else:
        step = min(step, decay_steps)
    return (lr - end) * (1 - step / decay_steps) ** power + end


@pytest.mark.parametrize("cycle", [False, True])
def test_polynomial_decay(cycle):
    got, lr = values_at(lambda g: tf.train.polynomial_decay(1.0, g, 10, 0.01, power=2.0, cycle=cycle))
    np.testing.assert_allclose(got, [np_polynomial(s, cycle=cycle) for s in STEPS], rtol=1e-5)
    assert lr.name == "PolynomialDecay:0"
    linear, _ = values_at(lambda g: tf.train.polynomial_decay(0.5, g, 4))
    np.testing.assert_allclose(linear, [np_polynomial(s, 0.5, 4, 0.0001, 1.0) for s in STEPS], rtol=1e-5)


def test_cosine_decay():
    got, _ = values_at(lambda g: tf.train.cosine_decay(0.1, g, 20, alpha=0.1))
    want = [0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(s, 20) / 20)) + 0.1) for s in STEPS]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_piecewise_constant():
    got, lr = values_at(lambda g: tf.train.piecewise_constant(g, [5, 10], [1.0, 0.5, 0.1]))
    np.testing.assert_allclose(got, [1.0 if s <= 5 else 0.5 if s <= 10 else 0.1 for s in STEPS])
    assert lr.name == "PiecewiseConstant:0"
    one, _ = values_at(lambda g: tf.train.piecewise_constant(g, [3], [0.3, 0.03]), dtype=tf.int32)
    np.testing.assert_allclose(one, [0.3 if s <= 3 else 0.03 for s in STEPS], rtol=1e-6)


def test_piecewise_constant_errors():
    with tf.Graph().as_default():
        step = tf.Variable(0, dtype=tf.int64)
        with pytest.raises(ValueError, match="The length of boundaries should be 1 less than the length "
                                             "of values"):
            tf.train.piecewise_constant(step, [1, 2], [1.0, 2.0])
        with pytest.raises(ValueError, match=r"Boundaries \(float32\) must have the same dtype as x "
                                             r"\(int64\)."):
            tf.train.piecewise_constant(step, [1.5], [1.0, 2.0])
        with pytest.raises(ValueError, match="Values must have elements all with the same dtype"):
            tf.train.piecewise_constant(step, [1], [1.0, 2])


def test_global_step_is_required():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="global_step is required for exponential_decay."):
            tf.train.exponential_decay(0.1, None, 10, 0.9)


def test_schedule_drives_an_optimizer_through_minimize():
    """The rate is read at every run: the steps a variable takes shrink as global_step grows."""
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable(0.0)
        lr = tf.train.exponential_decay(1.0, step, 1, 0.5)
        train = tf.train.GradientDescentOptimizer(lr).minimize(-w, global_step=step)   # d(-w)/dw = -1
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ws = []
            for _ in range(4):
                sess.run(train)
                ws.append(sess.run(w))
            assert sess.run(step) == 4
    np.testing.assert_allclose(ws, np.cumsum([1.0, 0.5, 0.25, 0.125]))
