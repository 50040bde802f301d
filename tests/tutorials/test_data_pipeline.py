"""A TF 1.x tutorial-style training loop fed by ``tf.data`` (shuffle/batch/repeat), on minitf.

The programs are in data_pipeline_program.py, written once for either engine.  The expected
numbers below were recorded from real TensorFlow 2.21 (``tensorflow.compat.v1``,
``disable_v2_behavior()``) with ``cd tests/tutorials && /tmp/tfvenv/bin/python
data_pipeline_program.py``, which prints both results as JSON.  The shuffle buffer is 1,
so the data order is deterministic in both engines.
"""

import numpy as np
import pytest

import data_pipeline_program as program
import minitf as tf

# Recorded from TensorFlow (see above): run(tf).
TF_TRAINING = (
    {'losses': [1.0986123085021973, 1.017697811126709, 0.9592983722686768, 0.904289186000824,
                0.841327428817749, 0.7748473882675171, 0.7489521503448486, 0.703151524066925,
                0.6770730018615723, 0.6191639304161072, 0.6155921220779419, 0.5800574421882629,
                0.5676957368850708, 0.5151085257530212, 0.5261675119400024, 0.4996875524520874,
                0.4906921982765198, 0.4419880509376526, 0.4626483619213104, 0.443742036819458],
     'batch_sizes': [32, 32, 32, 24, 32, 32, 32, 24, 32, 32, 32, 24, 32, 32, 32, 24, 32, 32, 32, 24],
     'correct': {'first_half': 59, 'all': 116},
     'W': [[0.29549774527549744, 0.25378426909446716, -0.5492820143699646],
           [0.1749131679534912, -0.39232337474823, 0.2174101620912552],
           [0.1879727840423584, 0.13984990119934082, -0.3278226852416992],
           [0.44398772716522217, -0.4699503481388092, 0.02596266008913517]],
     'b': [0.025586389005184174, -0.0599091611802578, 0.03432277962565422]}
)

# Recorded from TensorFlow (see above): run_reinitializable(tf).
TF_REINITIALIZABLE = (
    {'train': [[12, 13.5, 162.0], [21, 27.0, 729.0], [30, 40.5, 1944.0], [33, 16.5, 2488.5],
               [12, 13.5, 2733.5], [21, 27.0, 3300.5], [30, 40.5, 4515.5], [33, 16.5, 5060.0]],
     'valid': [[3, 3.0, 2497.5], [0, 1.0, 2497.5], [6, 4.0, 2521.5], [0, 1.0, 2521.5],
               [10, 5.0, 2571.5]],
     'padded': [[[[0, 1, 2], [0, -1, -1]], [3.0, 1.0]], [[[0, 1, 2, 3], [0, -1, -1, -1]], [4.0, 1.0]],
                [[[0, 1, 2, 3, 4]], [5.0]]]}
)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def test_training_loop_reads_batches_until_out_of_range():
    result = program.run(tf)
    assert result["batch_sizes"] == TF_TRAINING["batch_sizes"]     # 120 rows: 32, 32, 32, 24 per epoch
    np.testing.assert_allclose(result["losses"], TF_TRAINING["losses"], rtol=1e-5)
    assert result["correct"] == TF_TRAINING["correct"]
    np.testing.assert_allclose(result["W"], TF_TRAINING["W"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result["b"], TF_TRAINING["b"], rtol=1e-5, atol=1e-6)


def test_training_graph_has_tf_iterator_ops():
    program.run(tf)
    types = [op.type for op in tf.get_default_graph().get_operations()]
    for op_type in ("OneShotIterator", "IteratorV2", "MakeIterator", "IteratorGetNext"):
        assert op_type in types
    assert not any(t.endswith("Dataset") for t in types)     # minitf keeps the pipeline in Python


def test_reinitializable_iterator_switches_datasets():
    assert program.run_reinitializable(tf) == TF_REINITIALIZABLE
