"""What ``enable_eager_execution`` installs on the context (``framework/context.py``).

framework/ is the ground floor and cannot import this package, so graph vs
eager dispatch goes through this object: ``apply_op`` calls ``execute``,
``tf.device`` calls ``device``, ``tf.set_random_seed`` calls
``restart_random_sequences``, ``tf.Variable(...)`` builds a
``variable_class`` once eager mode is on, and a binary op turns a Python
number into a tensor with ``scalar_operand`` (converted once, then reused).
"""

from __future__ import annotations

from . import device_scope, eager_random, eager_variable, execute, scalar_constants


class EagerExecutor:
    """Runs ops now, on EagerTensors."""

    def __init__(self):
        # Bound once here, so each eager op costs one attribute lookup, no extra call.
        self.execute = execute.execute
        self.device = device_scope.eager_device
        self.restart_random_sequences = eager_random.restart_sequences
        self.variable_class = eager_variable.EagerVariable     # what tf.Variable(...) builds
        self.scalar_operand = scalar_constants.cached_scalar
