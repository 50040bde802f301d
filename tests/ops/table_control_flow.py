"""Op table rows for functional control flow: ``If``/``StatelessIf``, ``While``/``StatelessWhile``.

Each row builds ``tf.cond`` / ``tf.while_loop`` / ``tf.map_fn`` around its
inputs, so the table's forward, float64 numerical gradient and unknown-dimension
checks run through the control flow ops and their gradients.  The stateful
variants (a branch or body that assigns a variable) need a Session's
variables, so they are tested in test_control_flow.py.
"""

from __future__ import annotations

import numpy as np

import minitf as tf

from ops_helpers import Case, uniform


def _cond_sum_sign(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: x * x, lambda: tf.sin(x) - x)


def _np_cond_sum_sign(x):
    return x * x if x.sum() > 0 else np.sin(x) - x


def _cond_two_inputs(x, y):
    return tf.cond(tf.reduce_mean(x) < tf.reduce_mean(y), lambda: (x * y, x + 1.0), lambda: (x - y, y * 3.0))


def _np_cond_two_inputs(x, y):
    return [x * y, x + 1.0] if x.mean() < y.mean() else [x - y, y * 3.0]


def _loop_power(x):
    """x ** 4 by a loop of three multiplications, with a counter."""
    return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [tf.constant(0), x])[1]


def _loop_until_large(x):
    """Doubles a vector until its sum of squares exceeds 50 (data-dependent trip count)."""
    return tf.while_loop(lambda a: tf.reduce_sum(a * a) < 50.0, lambda a: a * 2.0 + 0.5, [x])


def _np_loop_until_large(x):
    while (x * x).sum() < 50.0:
        x = x * 2.0 + 0.5
    return x


def _map_rows(x, w):
    return tf.map_fn(lambda row: tf.reduce_sum(tf.tanh(row * w)), x)


def _scan_decay(x):
    return tf.scan(lambda acc, row: acc * 0.5 + tf.sin(row), x)


def _np_scan_decay(x):
    out, acc = [], None
    for row in x:
        acc = row if acc is None else acc * 0.5 + np.sin(row)   # TF: the first element starts it
        out.append(acc)
    return np.stack(out)


CASES = [
    Case("StatelessIf", _cond_sum_sign, _np_cond_sum_sign, (uniform(3, 4),), tag="sum_sign"),
    Case("StatelessIf", _cond_two_inputs, _np_cond_two_inputs, (uniform(2, 3), uniform(2, 3)), tag="tuple"),
    Case("StatelessWhile", _loop_power, lambda x: x ** 4, (uniform(3, 2),), tag="power"),
    Case("StatelessWhile", _loop_until_large, _np_loop_until_large, (uniform(4, lo=0.1, hi=1.0),),
         tag="until_large"),
    Case("StatelessWhile", _map_rows, lambda x, w: np.tanh(x * w).sum(1), (uniform(4, 3), uniform(3)),
         tag="map_fn"),
    Case("StatelessWhile", _scan_decay, _np_scan_decay, (uniform(4, 3),), tag="scan"),
]

ELSEWHERE = {
    "If": "test_control_flow.py::test_only_the_taken_branch_assigns",
    "While": "test_control_flow.py::test_loop_body_assigns_every_iteration",
    "Assert": "test_control_flow.py::test_assert_reports_its_data_in_tfs_words",
}
