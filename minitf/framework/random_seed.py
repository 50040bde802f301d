"""Random seeds with TF 1.x's rules (``tf.set_random_seed`` and op-level ``seed``).

``get_seed(op_seed)`` gives the (seed, seed2) pair a new random op carries:

* neither graph nor op seed set → (None, None); the op's attrs become (0, 0),
  which means a fresh, nondeterministic stream (as in TF);
* only the op seed → (87654321, op seed);
* only the graph seed → (graph seed, a number derived from the op count);
* both → (graph seed, op seed).

The stream itself lives in the Session, so a new Session replays the sequence.
"""

from __future__ import annotations

from . import context
from .graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed) -> None:
    """Set the graph-level seed of the default graph (in eager mode: restart every sequence)."""
    executor = context.executor()
    if executor is not None:
        executor.restart_random_sequences()
    get_default_graph().seed = seed


def get_seed(op_seed):
    """The (seed, seed2) pair a new random op should carry ((None, None): unseeded)."""
    graph = get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        seed2 = graph._last_id if op_seed is None else op_seed   # TF1 derives it from the op count
        seeds = (graph_seed, seed2)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed)
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        seeds = (0, _MAXINT32)
    return seeds
