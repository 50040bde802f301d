"""Queue runners and ``Coordinator`` are left out: a clear error points to ``tf.data``."""

from __future__ import annotations

import pytest

import minitf as tf


@pytest.mark.parametrize("call", [
    lambda: tf.train.Coordinator(),
    lambda: tf.train.QueueRunner(None, []),
    lambda: tf.train.start_queue_runners(sess=None, coord=None),
    lambda: tf.train.string_input_producer(["a.csv"]),
    lambda: tf.train.shuffle_batch([1], batch_size=2, capacity=10, min_after_dequeue=5),
    lambda: tf.train.batch([1], batch_size=2),
], ids=["Coordinator", "QueueRunner", "start_queue_runners", "string_input_producer", "shuffle_batch",
        "batch"])
def test_queue_input_says_to_use_tf_data(call):
    with pytest.raises(NotImplementedError) as err:
        call()
    message = str(err.value)
    assert "not supported by minitf" in message and "tf.data.Dataset" in message
