"""``tf.linalg``: the linear-algebra names minitf has (``qr``, ``diag_part``, ``matmul``, ``eye``)."""

from .ops.linalg_ops import diag_part, qr  # noqa: F401
from .ops.matmul_op import matmul  # noqa: F401
from .ops.sequence_ops import eye  # noqa: F401
