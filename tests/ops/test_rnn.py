"""RNN cells and unrolling functions against TensorFlow: variable names, outputs, states, gradients.

Every model runs on ``X`` [batch 3, time 4, input 2] with lengths ``LENGTHS``; each weight is
loaded with uniform values drawn from a generator seeded by the CRC32 of its name, so minitf
and TF see the same weights.  ``loss`` is the sum of squares of every output and state.
EXPECTED holds, per model, TF's trainable variable names and, for each output, state, the
loss and each variable's gradient, the (sum, sum of squares) of its value.  Recorded with
TensorFlow 2.21's compat.v1 graph mode (/tmp/tfvenv), whose v1 cells live in
``tensorflow.python.keras.layers.legacy_rnn.rnn_cell_impl`` and unrolling in
``tensorflow.python.ops.rnn``; the same script printed minitf's values, which agree to 1e-6.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import minitf as tf

X = np.random.RandomState(0).randn(3, 4, 2).astype(np.float32)
LENGTHS = np.array([4, 2, 3], np.int32)
cells = tf.nn.rnn_cell

MODELS = {
    "basic_rnn": lambda x, l: tf.nn.dynamic_rnn(cells.BasicRNNCell(3), x, dtype=tf.float32),
    "basic_lstm_len": lambda x, l: tf.nn.dynamic_rnn(cells.BasicLSTMCell(3), x, sequence_length=l,
                                                     dtype=tf.float32),
    "lstm_peep_proj": lambda x, l: tf.nn.dynamic_rnn(
        cells.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.5), x, dtype=tf.float32),
    "gru_time_major": lambda x, l: tf.nn.dynamic_rnn(cells.GRUCell(3), x, dtype=tf.float32, time_major=True),
    "multi": lambda x, l: tf.nn.dynamic_rnn(cells.MultiRNNCell([cells.BasicLSTMCell(3), cells.GRUCell(2)]), x,
                                            dtype=tf.float32),
    "static": lambda x, l: tf.nn.static_rnn(cells.BasicLSTMCell(3), tf.unstack(x, axis=1), dtype=tf.float32,
                                            sequence_length=l),
    "static_bi": lambda x, l: tf.nn.static_bidirectional_rnn(cells.BasicLSTMCell(3), cells.GRUCell(2),
                                                             tf.unstack(x, axis=1), dtype=tf.float32,
                                                             sequence_length=l),
    "bi_dynamic": lambda x, l: tf.nn.bidirectional_dynamic_rnn(cells.BasicLSTMCell(3), cells.BasicRNNCell(2), x,
                                                               sequence_length=l, dtype=tf.float32),
    "dropout1": lambda x, l: tf.nn.dynamic_rnn(cells.DropoutWrapper(cells.BasicLSTMCell(3), output_keep_prob=1.0),
                                               x, dtype=tf.float32),
}

EXPECTED = {
    'basic_rnn': (['rnn/basic_rnn_cell/kernel', 'rnn/basic_rnn_cell/bias'],
        [(1.60698, 7.49575), (0.85192, 1.77976), (9.27551, 86.03512), (-1.52327, 210.10836), (-5.6178, 237.47866)]),
    'basic_lstm_len': (['rnn/basic_lstm_cell/kernel', 'rnn/basic_lstm_cell/bias'],
        [(0.45296, 0.78296), (0.14418, 1.07452), (-0.11839, 0.30145), (2.15892, 4.66095), (17.3018, 42.45373), (7.02054, 28.94402)]),
    'lstm_peep_proj': (['rnn/lstm_cell/kernel', 'rnn/lstm_cell/bias', 'rnn/lstm_cell/w_f_diag', 'rnn/lstm_cell/w_i_diag', 'rnn/lstm_cell/w_o_diag', 'rnn/lstm_cell/projection/kernel'],
        [(-0.67387, 0.08413), (-0.32177, 1.14264), (-0.17863, 0.02176), (1.24853, 1.55884), (0.88436, 4.72094), (0.63132, 9.00044), (0.02542, 0.01163), (-0.00819, 0.00707), (-0.02471, 0.00137), (-0.04054, 0.27569)]),
    'gru_time_major': (['rnn/gru_cell/gates/kernel', 'rnn/gru_cell/gates/bias', 'rnn/gru_cell/candidate/kernel', 'rnn/gru_cell/candidate/bias'],
        [(1.25616, 3.26954), (-0.07164, 1.40074), (4.67028, 21.81149), (-3.1806, 10.61111), (-3.06865, 3.48146), (3.49328, 19.82897), (1.63148, 41.86901)]),
    'multi': (['rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel', 'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias', 'rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel', 'rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias', 'rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel', 'rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias'],
        [(1.65916, 0.18049), (-0.23948, 1.19726), (0.01063, 0.28562), (0.53312, 0.06893), (1.7323, 3.00087), (-2.77523, 18.17972), (0.88866, 13.77697), (-0.00086, 0.0003), (-0.07055, 0.0073), (0.15044, 0.23472), (3.85097, 11.73071)]),
    'static': (['rnn/basic_lstm_cell/kernel', 'rnn/basic_lstm_cell/bias'],
        [(0.04502, 0.09041), (0.07127, 0.26307), (0.09254, 0.25239), (0.24412, 0.17709), (0.14418, 1.07452), (-0.11839, 0.30145), (2.15892, 4.66095), (17.3018, 42.45373), (7.02054, 28.94403)]),
    'static_bi': (['bidirectional_rnn/fw/basic_lstm_cell/kernel', 'bidirectional_rnn/fw/basic_lstm_cell/bias', 'bidirectional_rnn/bw/gru_cell/gates/kernel', 'bidirectional_rnn/bw/gru_cell/gates/bias', 'bidirectional_rnn/bw/gru_cell/candidate/kernel', 'bidirectional_rnn/bw/gru_cell/candidate/bias'],
        [(-2.21162, 1.28123), (-1.6574, 0.98621), (-0.43018, 0.48187), (-0.40145, 0.25328), (-0.30416, 1.38453), (-0.12493, 0.23803), (-2.30502, 1.19151), (5.81666, 33.83355), (3.35428, 10.56615), (3.21853, 10.13726), (-2.75313, 5.83499), (-2.51969, 4.04962), (-5.2181, 11.80632), (-4.97842, 12.65914)]),
    'bi_dynamic': (['bidirectional_rnn/fw/basic_lstm_cell/kernel', 'bidirectional_rnn/fw/basic_lstm_cell/bias', 'bidirectional_rnn/bw/basic_rnn_cell/kernel', 'bidirectional_rnn/bw/basic_rnn_cell/bias'],
        [(-0.00123, 0.54388), (-2.56751, 2.85088), (-0.30416, 1.38453), (-0.12493, 0.23803), (-1.15161, 0.9171), (5.93442, 35.21734), (3.35428, 10.56615), (3.21853, 10.13726), (-0.68001, 130.82127), (-2.4667, 32.45242)]),
    'dropout1': (['rnn/basic_lstm_cell/kernel', 'rnn/basic_lstm_cell/bias'],
        [(0.21789, 1.05449), (0.17343, 1.41293), (0.00484, 0.34824), (2.81566, 7.92795), (19.71683, 61.24989), (9.86932, 55.41138)]),
}


def _flatten(o) -> list:
    if isinstance(o, (list, tuple)):
        return [leaf for item in o for leaf in _flatten(item)]
    return [o]


@pytest.mark.parametrize("name, shape", [(name, [3, 4, 2]) for name in MODELS] + [
    (name, [None, None, 2]) for name in ("basic_lstm_len", "bi_dynamic", "gru_time_major")])
def test_rnn_matches_tensorflow(name, shape):
    """Also with the batch and time dimensions unknown when the graph is built."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape, name="x")
        lengths = tf.placeholder(tf.int32, shape[:1], name="lens")
        outs = _flatten(MODELS[name](x, lengths))
        loss = tf.add_n([tf.reduce_sum(tf.square(o)) for o in outs])
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, variables)
        with tf.Session() as sess:
            for v in variables:
                rng = np.random.RandomState(zlib.crc32(v.op.name.encode()) % 1000)
                v.load(rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32), sess)
            values = sess.run(outs + [loss] + grads, {x: X, lengths: LENGTHS})
    names, summaries = EXPECTED[name]
    assert [v.op.name for v in variables] == names
    got = [(float(np.sum(v)), float(np.sum(np.square(v)))) for v in values]
    np.testing.assert_allclose(got, summaries, rtol=2e-5, atol=2e-5)


def test_cell_reuses_its_weights_and_a_second_rnn_needs_a_new_scope():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4, 2])
        cell = cells.BasicLSTMCell(3)
        tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        with pytest.raises(ValueError, match="Variable rnn/basic_lstm_cell/kernel already exists"):
            tf.nn.dynamic_rnn(cells.BasicLSTMCell(3), x, dtype=tf.float32)
        tf.nn.dynamic_rnn(cells.BasicLSTMCell(3), x, dtype=tf.float32, scope="second")
        assert [v.op.name for v in tf.global_variables()] == [
            "rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias",
            "second/basic_lstm_cell/kernel", "second/basic_lstm_cell/bias"]


def test_dynamic_rnn_shapes_with_an_unknown_batch_and_the_contrib_names():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5, 2])
        outputs, state = tf.nn.dynamic_rnn(tf.contrib.rnn.LSTMCell(4, num_proj=3), x, dtype=tf.float32)
        assert outputs.shape.as_list() == [None, 5, 3]
        assert isinstance(state, tf.contrib.rnn.LSTMStateTuple)
        assert state.c.shape.as_list() == [None, 4] and state.h.shape.as_list() == [None, 3]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(outputs, {x: np.zeros((7, 5, 2))}).shape == (7, 5, 3)


def test_dropout_wrapper_drops_outputs_with_keep_prob():
    with tf.Graph().as_default():
        x = tf.ones([200, 1, 2])
        cell = cells.DropoutWrapper(cells.BasicRNNCell(50), output_keep_prob=0.5, seed=1)
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            zero_fraction = float(np.mean(sess.run(outputs) == 0))
    assert 0.4 < zero_fraction < 0.6
