"""Random numbers in eager mode, with TF 1.x's seeding rules.

A graph-mode random op gets a fresh generator per Session.  An eager random op
is called over and over, so its generator must outlive the call: like TF's
cached eager kernels, one generator per ``(seed, seed2)`` pair keeps drawing
new numbers.  ``tf.set_random_seed(s)`` starts every sequence again, so a
program that sets the seed at its top repeats its numbers from run to run:

    tf.set_random_seed(1); a = tf.random_uniform([1], seed=1); b = tf.random_uniform([1], seed=1)
    # a != b, but a rerun of the program gives the same a and b.
"""

from __future__ import annotations

import numpy as np

_generators: dict = {}


def restart_sequences() -> None:
    """``tf.set_random_seed`` in eager mode: restart every random sequence.

    The seed itself reaches each op through its ``seed``/``seed2`` attrs
    (``framework/random_seed.py``), which key the generators here.
    """
    _generators.clear()


def generator(seed: int, seed2: int) -> np.random.Generator:
    """The generator of the op seeds ``(seed, seed2)``; (0, 0) means unseeded."""
    key = (seed, seed2)
    gen = _generators.get(key)
    if gen is None:
        gen = np.random.default_rng() if key == (0, 0) else np.random.default_rng([seed, seed2])
        _generators[key] = gen
    return gen
