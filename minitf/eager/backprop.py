"""The reverse sweep over a tape: eager mode's ``tf.gradients``.

The tape's records are already in execution order, which is a topological
order, so walking them backwards visits every op after all of its consumers.
That walk is the same loop ``tf.gradients`` runs (``autodiff/sweep.py``), with
``EagerOp`` records in place of Operations; the registry's gradient functions
then run eagerly, so gradients are plain values.

Gradients arriving at one tensor from several consumers are added (``AddN``),
as the chain rule says; a variable's gradient is the sum over its reads.
"""

from __future__ import annotations

import logging

from ..autodiff.sweep import add_grad, reverse_sweep, sum_of, summed_grad
from ..ops.array_ops import ones_like, zeros_like
from ..ops.constant_op import convert_to_tensor
from ..framework import nest
from .eager_variable import EagerVariable

_log = logging.getLogger("minitf")


def _key(t):
    return t._id           # EagerTensors compare elementwise; their ids are unique while taped


def _taped(t) -> bool:
    return getattr(t, "_is_eager_tensor", False)     # not a variable reference


def imperative_grad(tape, targets: list, sources: list, output_gradients, unconnected: str) -> list:
    """Gradients of sum(targets) with respect to each of ``sources`` (None when unconnected)."""
    grads: dict = {}                            # tensor id -> [partial gradients]
    seeds = nest.flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
    for target, seed in zip(targets, seeds):
        add_grad(grads, target, _seed(target, seed), _key)
    reverse_sweep(reversed(tape._records), grads, wanted=_taped, key=_key)
    result = []
    for source in sources:
        if isinstance(source, EagerVariable):
            reads = tape._var_reads.get(source, ())
            g = sum_of([g for t in reads for g in grads.get(t._id, ())])
        else:
            g = summed_grad(grads, source, _key)
        result.append(_zeros_if_asked(g, source, unconnected))
    return result


def _seed(target, seed):
    """The starting gradient: ones shaped like the target unless ``output_gradients`` says."""
    if not target.dtype.is_floating:
        _log.warning("The dtype of the target tensor must be floating (e.g. tf.float32) when "
                     "calling GradientTape.gradient, got %r", target.dtype)
    if seed is None:
        return ones_like(target)
    return convert_to_tensor(seed, dtype=target.dtype)


def _zeros_if_asked(g, source, unconnected: str):
    if g is not None or unconnected.lower() not in ("zero", "unconnectedgradients.zero"):
        return g
    return zeros_like(source)
