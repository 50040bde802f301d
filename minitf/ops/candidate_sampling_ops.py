"""Candidate sampling: ``LogUniformCandidateSampler`` and ``ComputeAccidentalHits``.

With 50,000 classes, a full softmax costs 50,000 dot products per example.
Sampled losses score the true class against a few dozen *sampled* classes
instead.  The log-uniform (Zipfian) sampler draws class ``k`` with probability

    P(k) = (log(k + 2) - log(k + 1)) / log(range_max + 1),

so small ids (frequent words, when the vocabulary is sorted by frequency)
come up more often.  Each sampler also reports the *expected count* of every
class it returned; the losses subtract its log to correct for the sampling.
With ``unique=True`` the sampler keeps drawing until it has ``num_sampled``
distinct classes and the expected count of a class after ``n`` tries is
``1 - (1 - P(k)) ** n`` (TF's formula).  The draws come from the Session's
generator seeded by ``seed``/``seed2``: reproducible, but not TF's Philox bits.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework.random_seed import get_seed
from ..framework.registry import register_op
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_helpers import runtime_error
from .constant_op import convert_to_tensor


# --- LogUniformCandidateSampler -----------------------------------------------------------------
def _sampler_infer(ctx):
    true = ctx.shape(0)
    num_true, num_sampled = ctx.attr("num_true"), ctx.attr("num_sampled")
    if true.ndims is not None and true.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {true.ndims}")
    batch = true.dims[0] if true.ndims == 2 else None
    return [(TensorShape([num_sampled]), dtypes.int64), (TensorShape([batch, num_true]), dtypes.float32),
            (TensorShape([num_sampled]), dtypes.float32)]


def log_uniform_probability(classes, range_max: int) -> np.ndarray:
    """P(k) of the log-uniform distribution over [0, range_max)."""
    k = np.asarray(classes, np.float64)
    return (np.log(k + 2.0) - np.log(k + 1.0)) / np.log(range_max + 1.0)


def _draw_log_uniform(rng, n: int, range_max: int) -> np.ndarray:
    """n classes: exp(u · log(range_max + 1)) - 1, rounded down (TF's LogUniformSampler)."""
    values = np.exp(rng.random(n) * np.log(range_max + 1.0)).astype(np.int64) - 1
    return values % range_max


def _draw_unique(rng, num_sampled: int, range_max: int):
    """Distinct classes, in the order first drawn, and how many draws that took."""
    chosen, seen, tries = [], set(), 0
    while len(chosen) < num_sampled:
        for k in _draw_log_uniform(rng, num_sampled, range_max).tolist():
            tries += 1
            if k not in seen:
                seen.add(k)
                chosen.append(k)
                if len(chosen) == num_sampled:
                    break
    return np.array(chosen, np.int64), tries


def _expected_count(p, num_sampled: int, tries: int, unique: bool):
    if not unique or tries == num_sampled:
        return p * num_sampled
    return -np.expm1(tries * np.log1p(-p))         # 1 - (1 - p) ** tries, accurate for small p


def _sampler_kernel(op, runtime):
    num_sampled, range_max = op.get_attr("num_sampled"), op.get_attr("range_max")
    unique = op.get_attr("unique")

    def sample(true_classes):
        if unique and num_sampled > range_max:
            raise runtime_error(op, f"Sampler's range is too small. range_max={range_max} "
                                    f"num_sampled={num_sampled}")
        rng = runtime.random_generator(op)
        if unique:
            sampled, tries = _draw_unique(rng, num_sampled, range_max)
        else:
            sampled, tries = _draw_log_uniform(rng, num_sampled, range_max), num_sampled
        true_p = log_uniform_probability(true_classes, range_max)
        return (sampled,
                _expected_count(true_p, num_sampled, tries, unique).astype(np.float32),
                _expected_count(log_uniform_probability(sampled, range_max), num_sampled, tries,
                                unique).astype(np.float32))
    return sample


register_op("LogUniformCandidateSampler", _sampler_infer, kernel=_sampler_kernel,
            attrs=("num_true", "num_sampled", "unique", "range_max", "seed", "seed2"), num_inputs=1,
            stateful=True, differentiable=False)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                                  name=None):
    """(sampled_candidates, true_expected_count, sampled_expected_count) from the log-uniform sampler."""
    true_classes = convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique),
             "range_max": int(range_max), "seed": seed1 or 0, "seed2": seed2 or 0}
    return tuple(apply_op("LogUniformCandidateSampler", [true_classes], attrs,
                          name=name or "LogUniformCandidateSampler"))


# --- ComputeAccidentalHits ------------------------------------------------------------------------
def _hits_infer(ctx):
    return [(unknown_shape(1), dtypes.int32), (unknown_shape(1), dtypes.int64),
            (unknown_shape(1), dtypes.float32)]


def _hits_kernel(op, runtime):
    def accidental_hits(true_classes, sampled):
        position = {int(c): i for i, c in enumerate(sampled)}      # the last position of each class
        rows, ids = [], []
        for i, row in enumerate(true_classes):
            for c in row:
                if int(c) in position:
                    rows.append(i)
                    ids.append(position[int(c)])
        weights = np.full(len(rows), -np.finfo(np.float32).max, np.float32)
        return np.array(rows, np.int32), np.array(ids, np.int64), weights
    return accidental_hits


register_op("ComputeAccidentalHits", _hits_infer, kernel=_hits_kernel,
            attrs=("num_true", "seed", "seed2"), num_inputs=2, differentiable=False)


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """(indices, ids, weights): where a sampled class is one of the row's true classes.

    The weight is -FLT_MAX: added to that sampled logit, it removes the class
    from the row's softmax, so a true class is never also counted as a negative.
    """
    true_classes = convert_to_tensor(true_classes, dtype=dtypes.int64, name="true_classes")
    sampled_candidates = convert_to_tensor(sampled_candidates, dtype=dtypes.int64, name="sampled_candidates")
    seed1, seed2 = get_seed(seed)
    return tuple(apply_op("ComputeAccidentalHits", [true_classes, sampled_candidates],
                          {"num_true": int(num_true), "seed": seed1 or 0, "seed2": seed2 or 0},
                          name=name or "ComputeAccidentalHits"))
