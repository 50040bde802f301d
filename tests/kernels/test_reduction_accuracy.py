"""float32 reductions add pairwise (numpy's accuracy), not one value after another (issue 10).

Sequentially, 1e6 x 0.1 in float32 sums to 99985.0; TF gives 100000.23 and numpy 100000.01.
"""

import numpy as np
import pytest

import minitf as tf
from minitf.kernels import cpu


def test_sum_of_a_million_tenths():
    x = np.full(1_000_000, 0.1, np.float32)
    assert abs(float(cpu.reduce("sum")(x, (0,))) - 100000.0) < 0.5


def test_mean_of_many_equal_values_is_that_value():
    x = np.full(10_000_000, 0.37, np.float32)
    assert abs(float(cpu.reduce("mean")(x, (0,))) - 0.37) < 1e-6


def test_column_sums_are_pairwise_too():
    """Reducing a leading axis (numpy itself adds those sequentially: 29920.4 here)."""
    x = np.full((300_000, 3), 0.1, np.float32)
    np.testing.assert_allclose(cpu.reduce("sum")(x, (0,)), [30000.0] * 3, rtol=1e-5)


@pytest.mark.parametrize("n", [0, 1, 255, 1023, 1024, 1025, 3000, 5121])
@pytest.mark.parametrize("width", [1, 3])
def test_block_edges_match_numpy(n, width):
    x = np.random.default_rng(n).standard_normal((2, n, width)).astype(np.float64)
    for name, ref in [("sum", np.sum), ("max", np.max), ("min", np.min), ("prod", np.prod)]:
        if n == 0 and name in ("max", "min"):
            continue
        np.testing.assert_allclose(cpu.reduce(name)(x, (1,)), ref(x, 1), rtol=1e-12)


def test_mean_cross_entropy_over_many_rows():
    rows = 2_000_000
    logits = np.zeros((rows, 2), np.float32)
    labels = np.zeros(rows, np.int32)
    with tf.Graph().as_default():
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=labels))
        with tf.Session() as sess:
            got = sess.run(loss)
    assert abs(float(got) - np.log(2.0)) < 1e-6
