"""``tf.logging``: TensorFlow 1.x's logging, a thin layer over Python's ``logging``.

Messages go to the logger named "tensorflow", written to stderr as
``INFO:tensorflow:message`` (TF's format when absl logging is not set up).
Only warnings and worse show until ``tf.logging.set_verbosity(tf.logging.INFO)``,
as in TF 1.x; training scripts call that first so their progress lines appear.
"""

from __future__ import annotations

import logging as _logging
import sys

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL


class _CurrentStderr(_logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (a notebook or a test may have replaced it)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass            # StreamHandler.__init__ sets it; the property always answers sys.stderr


def get_logger() -> _logging.Logger:
    """The "tensorflow" logger (created with its stderr handler on first use)."""
    logger = _logging.getLogger("tensorflow")
    if not any(isinstance(h, _CurrentStderr) for h in logger.handlers):
        logger.addHandler(_CurrentStderr())
        logger.propagate = False           # one line per message, even when the root logger prints too
        if logger.level == _logging.NOTSET:
            logger.setLevel(WARN)
    return logger


def log(level: int, msg, *args, **kwargs) -> None:
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs) -> None:
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs) -> None:
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs) -> None:
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs) -> None:
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs) -> None:
    get_logger().fatal(msg, *args, **kwargs)


def log_if(level: int, msg, condition, *args) -> None:
    """Log ``msg`` only when ``condition`` holds."""
    if condition:
        log(level, msg, *args)


_COUNTS: dict = {}


def log_every_n(level: int, msg, n: int, *args) -> None:
    """Log on the 1st, (n+1)th, (2n+1)th... call from the same line of code."""
    caller = sys._getframe(1)
    key = (caller.f_code.co_filename, caller.f_lineno)
    count = _COUNTS.get(key, 0)
    _COUNTS[key] = count + 1
    log_if(level, msg, count % max(n, 1) == 0, *args)


def log_first_n(level: int, msg, n: int, *args) -> None:
    """Log only the first ``n`` calls from the same line of code."""
    caller = sys._getframe(1)
    key = (caller.f_code.co_filename, caller.f_lineno, "first")
    count = _COUNTS.get(key, 0)
    _COUNTS[key] = count + 1
    log_if(level, msg, count < n, *args)


def get_verbosity() -> int:
    return get_logger().getEffectiveLevel()


def set_verbosity(v: int) -> None:
    """Show messages at level ``v`` and above (``tf.logging.INFO``, ``DEBUG``, ...)."""
    get_logger().setLevel(v)


def flush() -> None:
    for handler in get_logger().handlers:
        handler.flush()
