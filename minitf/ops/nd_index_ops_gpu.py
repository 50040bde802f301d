"""GPU kernel of ReverseV2: a gather through negative strides.

Flipping axis ``d`` reads element ``j`` of that axis from ``n - 1 - j``: in
storage terms, start at the far end of the axis and walk its stride backwards.
So ``out[i] = x[offset + position(i, shape, strides)]`` with the stride of each
flipped axis negated and ``offset`` pointing at its last element.
"""

from __future__ import annotations

import numpy as np

from ..kernels import layout
from .array_helpers import runtime_error
from .gpu_support import empty, flat, launch
from .nd_index_ops import _canonical_axes


def _k():
    from . import nd_index_kernels_cuda     # imports numba.cuda: only when a kernel launches
    return nd_index_kernels_cuda


def reverse(op, runtime):
    def reverse_on_gpu(x, axis):
        dims = tuple(x.shape)
        axes = _canonical_axes([int(a) for a in np.asarray(axis).reshape(-1)], max(len(dims), 1),
                                 lambda message: runtime_error(op, message))
        strides = layout.contiguous_strides(dims)
        offset = sum((dims[a] - 1) * strides[a] for a in axes)
        read = [-s if a in axes else s for a, s in enumerate(strides)]
        out = empty(dims, x.dtype)
        if out.size:
            launch(_k().gather_strided, out.size)(flat(x), flat(out), layout.padded(dims, 1),
                                                  layout.padded(read, 0), offset)
        return out
    return reverse_on_gpu
