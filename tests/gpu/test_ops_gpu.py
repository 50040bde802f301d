"""The op table again, placed on the GPU (real, or numba's CUDA simulator).

Only rows whose op has a GPU kernel run here, in float32 and on the table's
small shapes: the simulator runs every GPU thread in Python.  Ops without a GPU
kernel in the same graph fall back to the CPU (``allow_soft_placement``), so
the plan's host/device copies are exercised too.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.framework.registry import get_op_def

from ops_helpers import F32, as_list, assert_close, build, sample
from ops_table import CASES

pytestmark = pytest.mark.gpu

GPU_CASES = [pytest.param(c, id=c.id) for c in CASES
             if get_op_def(c.op).gpu_kernel is not None and F32 in c.dtypes]


@pytest.mark.parametrize("case", GPU_CASES)
def test_forward_on_the_gpu_matches_numpy(case):
    arrays = sample(case, F32)
    config = tf.ConfigProto(allow_soft_placement=True)
    with tf.Graph().as_default():
        with tf.device("/GPU:0"):
            holders, outputs = build(case, arrays)
        with tf.Session(config=config) as sess:
            values = sess.run(outputs, dict(zip(holders, arrays)))
            plan = sess.explain(outputs, dict(zip(holders, arrays)))
    for i, (got, want) in enumerate(zip(values, as_list(case.ref(*arrays)))):
        assert isinstance(got, (np.ndarray, np.generic)), "fetches come back to the host"
        assert_close(got, want, F32, case.rtol32, what=f"{case.id} output {i}")
    steps = [line.split() for line in plan.splitlines()[1:]]
    steps = [s for s in steps if s[0].isdigit() and s[1] == case.op]       # its kernel calls
    assert all(s[-1] == "[GPU:0]" for s in steps), plan       # (none when folded to a constant)
