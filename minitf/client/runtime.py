"""The Session's mutable state: variable values, random generators, tf.data iterators.

Keeping this out of the graph is what lets two Sessions on one graph hold
different variable values, and a new Session replay a seeded random sequence.
"""

from __future__ import annotations

import numpy as np
from ..framework import errors


class Runtime:
    """Per-session storage that stateful kernels read and write."""

    def __init__(self):
        self.variables: dict[str, np.ndarray] = {}
        self._generators: dict[str, np.random.Generator] = {}
        self.iterators: dict = {}        # iterator op name -> its running tf.data pipeline

    def random_generator(self, op) -> np.random.Generator:
        """This op's generator in this session, created on first use from its seeds."""
        gen = self._generators.get(op.name)
        if gen is None:
            seed, seed2 = op.get_attr("seed"), op.get_attr("seed2")
            if seed == 0 and seed2 == 0:
                gen = np.random.default_rng()            # unseeded: fresh entropy
            else:
                gen = np.random.default_rng([seed, seed2])
            self._generators[op.name] = gen
        return gen

    def set_variable(self, var_op, value) -> None:
        dtype = var_op.get_attr("dtype").np_dtype
        value = np.array(value, dtype=dtype)
        shape = var_op.get_attr("shape")
        if not shape.is_compatible_with(value.shape):
            raise errors.InvalidArgumentError(None, var_op, (
                f"Assign requires shapes of both tensors to match. lhs shape= {shape.as_list()} "
                f"rhs shape= {list(value.shape)}"))
        self.variables[var_op.name] = value
