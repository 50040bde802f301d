"""Queue-based input (``QueueRunner``, ``Coordinator``, ``start_queue_runners``...) is left out.

TF 1.x's input queues needed background threads, a coordinator and careful
shutdown; TF itself deprecated them for ``tf.data``.  minitf keeps these names so
that old programs stop with a clear message that says what to use instead.
"""

from __future__ import annotations

_MESSAGE = ("{name} is not supported by minitf: queue-based input pipelines (QueueRunner, Coordinator, "
            "start_queue_runners) were replaced by tf.data in TensorFlow. Build the pipeline with "
            "tf.data.Dataset (from_tensor_slices, shuffle, batch, repeat) and an iterator's get_next(), "
            "or feed numpy batches through feed_dict.")


def _unsupported(name: str):
    def stop(*args, **kwargs):
        raise NotImplementedError(_MESSAGE.format(name=name))
    stop.__name__ = name.rsplit(".", 1)[-1]
    stop.__doc__ = f"Not supported: use tf.data instead of ``{name}``."
    return stop


class Coordinator:
    """Not supported (threads of queue runners); use ``tf.data``."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_MESSAGE.format(name="tf.train.Coordinator"))


class QueueRunner:
    """Not supported; use ``tf.data``."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_MESSAGE.format(name="tf.train.QueueRunner"))


start_queue_runners = _unsupported("tf.train.start_queue_runners")
add_queue_runner = _unsupported("tf.train.add_queue_runner")
string_input_producer = _unsupported("tf.train.string_input_producer")
input_producer = _unsupported("tf.train.input_producer")
slice_input_producer = _unsupported("tf.train.slice_input_producer")
range_input_producer = _unsupported("tf.train.range_input_producer")
batch = _unsupported("tf.train.batch")
shuffle_batch = _unsupported("tf.train.shuffle_batch")
batch_join = _unsupported("tf.train.batch_join")
shuffle_batch_join = _unsupported("tf.train.shuffle_batch_join")
