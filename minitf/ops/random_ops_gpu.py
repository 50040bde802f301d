"""GPU kernels for random ops: draw on the host, then copy to the GPU.

The numbers come from the very same generator as on the CPU (the runtime's
per-op numpy generator), so a seeded program draws the same values whichever
device it runs on.  Drawing on the device would be faster for big tensors,
but would need a second random algorithm with its own state; for teaching
sizes the copy is cheap and the results agree.
"""

from __future__ import annotations

from ..kernels import devices


def drawn_on_host(op, runtime):
    """The op's CPU kernel, its result copied to the GPU."""
    draw = op.op_def.kernel(op, runtime)
    return lambda *args: devices.to_device(draw(*args))
