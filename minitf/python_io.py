"""``tf.python_io``: TFRecord files (the framing TensorBoard's event files use too)."""

from .io.tfrecord import TFRecordWriter, tf_record_iterator  # noqa: F401
