"""``tensorflow.python.framework`` paths."""
