"""``tf.Assert``: fail the run with TF's "assertion failed" error when a condition is false.

The op has no outputs; it runs when something depends on it (a control
dependency, or ``tf.case(..., exclusive=True)``), and then prints its ``data``
tensors into the error, at most ``summarize`` elements each, as TF does.
"""

from __future__ import annotations

import numpy as np

from ..framework import context, errors
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from .array_ops import node_suffix
from .constant_op import convert_to_tensor


def assertion_text(data, summarize: int) -> str:
    """TF's message: ``assertion failed: [first tensor] [second tensor]``."""
    return "assertion failed: " + " ".join(f"[{_summary(np.asarray(d), summarize)}]" for d in data)


def _summary(value, summarize: int) -> str:
    flat = value.reshape(-1)
    items = [v.decode() if isinstance(v, bytes) else str(v) if isinstance(v, str) else
             f"{int(v)}" if value.dtype == bool else f"{v:g}" if value.dtype.kind == "f" else str(v)
             for v in flat[:summarize]]
    return " ".join(items) + ("..." if flat.size > summarize else "")


def _assert_kernel(op, runtime):
    summarize = op.get_attr("summarize")

    def check(condition, *data):
        if not bool(np.all(condition)):
            raise errors.InvalidArgumentError(None, op, assertion_text(data, summarize) + node_suffix(op))
    return check


register_op("Assert", lambda ctx: [], kernel=_assert_kernel, attrs=("T", "summarize"), stateful=True,
            differentiable=False, required_attrs=("T",))


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """An op that fails the run with ``data`` in the message when ``condition`` is false."""
    summarize = 3 if summarize is None else int(summarize)
    condition = convert_to_tensor(condition, name="Condition")
    data = [convert_to_tensor(d) for d in data]
    if context.executing_eagerly():
        if not bool(np.all(condition.numpy())):
            raise errors.InvalidArgumentError(None, None, assertion_text([d.numpy() for d in data], summarize))
        return None
    return apply_op("Assert", [condition] + data, {"T": [d.dtype.base_dtype for d in data],
                                                  "summarize": summarize}, name=name or "Assert")
