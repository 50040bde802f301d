"""The eager runtime: the state stateful kernels read and write, for the whole program.

Graph mode keeps variable values and random generators in each Session
(``client/runtime.py``).  Eager mode has no Session, so one global object plays
that part, with the same two members the registry's kernels use:
``variables`` (name -> value) and ``random_generator(op)``.
"""

from __future__ import annotations

from . import eager_random


class EagerRuntime:
    """What stateful kernels see in eager mode."""

    def __init__(self):
        self.variables: dict = {}        # variable key -> numpy or device array

    def random_generator(self, op):
        return eager_random.generator(op.get_attr("seed"), op.get_attr("seed2"))

    def set_variable(self, var_op, value) -> None:
        self.variables[var_op.name] = value


runtime = EagerRuntime()
