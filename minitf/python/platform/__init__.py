"""``tensorflow.python.platform`` paths."""
