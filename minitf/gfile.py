"""``tf.gfile``: file access with TensorFlow's names (``GFile``, ``FastGFile``, ``Exists``...)."""

from .io.gfile import *  # noqa: F401,F403
from .io.gfile import FastGFile, GFile, Open  # noqa: F401
