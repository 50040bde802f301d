"""TF's summary histogram: fixed, exponentially growing buckets (core/lib/histogram/histogram.cc).

The bucket limits do not depend on the data: ``0``, then ``±1e-12`` growing by
10% per bucket up to ``±1e20``, then ``±DBL_MAX``.  With fixed limits, the
histograms of different steps can be compared (TensorBoard's distribution
plots stack them), and a histogram is just one count per bucket.  Bucket ``i``
counts the values ``v`` with ``limit[i-1] <= v < limit[i]``.

A ``HistogramProto`` stores only the non-empty buckets; a run of empty buckets
becomes one entry, the run's last limit with count 0.
"""

from __future__ import annotations

import functools
import sys

import numpy as np

from minitf.io.protos.summary_pb2 import HistogramProto

DBL_MAX = sys.float_info.max


@functools.cache
def default_bucket_limits() -> np.ndarray:
    """The 1551 right edges of TF's default buckets, ascending (the same doubles as TF's C++)."""
    positive = []
    v = 1.0e-12
    while v < 1.0e20:           # repeated multiplication, exactly as histogram.cc computes it
        positive.append(v)
        v *= 1.1
    positive.append(DBL_MAX)
    limits = [-x for x in reversed(positive)] + [0.0] + positive
    limits = np.array(limits, dtype=np.float64)
    limits.flags.writeable = False
    return limits


def histogram_proto(values) -> HistogramProto:
    """The HistogramProto of ``values`` (any shape; finite numbers), as TF's summary op makes it."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    limits = default_bucket_limits()
    proto = HistogramProto(min=DBL_MAX, max=-DBL_MAX, num=float(values.size))   # TF's empty state
    if values.size:
        proto.min = float(values.min())
        proto.max = float(values.max())
        # Summed one value after another in double, as TF does (cumsum is sequential).
        proto.sum = float(np.cumsum(values)[-1])
        proto.sum_squares = float(np.cumsum(values * values)[-1])
    index = np.minimum(np.searchsorted(limits, values, side="right"), len(limits) - 1)
    counts = np.bincount(index, minlength=len(limits)).astype(np.float64)
    # Keep every non-empty bucket, and the last bucket of every run of empty ones.
    keep = (counts > 0) | np.append(counts[1:] > 0, True)
    proto.bucket_limit.extend(limits[keep].tolist())
    proto.bucket.extend(counts[keep].tolist())
    return proto
