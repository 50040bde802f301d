"""The placer: which device runs each op, and which kernel it uses there.

Rules (as TF 1.x):

* an op that updates a variable (``Assign``, ``ApplyAdam``...) runs where the
  variable lives: it writes the variable's memory;
* an explicit ``tf.device`` request wins; a device this process lacks is TF's
  error, or the CPU with ``allow_soft_placement``;
* an explicit GPU request for an op with no GPU kernel is TF's error too
  ("no supported kernel for GPU devices"), or the CPU with soft placement;
* with no request, an op that has a GPU kernel goes to ``/GPU:0`` when a real
  GPU exists (never to the CUDA simulator), everything else to the CPU.  A
  variable goes to the GPU only if every op that updates it can run there too.

Ops that only touch host memory (int32 math, ``NoOp``, shape bookkeeping; see
``memory.py``) may be *placed* on a GPU and run their CPU kernel, as TF's
HostMemory kernels do.
"""

from __future__ import annotations

from ..framework import device_spec, errors
from ..kernels import devices
from ..ops.state_ops import variable_op_of
from . import memory

CPU = devices.CPU

# True makes the CUDA simulator a default device like a real GPU (the GPU placement
# tests use it to stand in for one); programs leave it False: see _gpu_by_default.
SIMULATOR_AS_DEFAULT = False


def available_devices() -> list:
    """Full names of the devices this process has (the CPU, plus GPUs numba.cuda sees)."""
    return devices.available_devices()


def gpu_count() -> int:
    return devices.gpu_count()


def runs_on_host(op) -> bool:
    """True when ``op``, even placed on a GPU, computes with its CPU kernel (see memory.py)."""
    return memory.runs_on_host(op.op_def, [t.dtype for t in op._inputs], [t.dtype for t in op._outputs])


def supported_on_gpu(op) -> bool:
    """Whether ``op`` can be placed on a GPU: a GPU kernel, or only host outputs (int32, none)."""
    if op.op_def.gpu_kernel is not None:
        return True
    return op.op_def.kernel is not None and all(
        memory.output_location(op.op_def, t.dtype) == memory.HOST for t in op._outputs)


class Placer:
    """Decides devices for one Session (remembers what it decided and logged)."""

    def __init__(self, config):
        self.config = config
        self.logged: set = set()
        self._decided: dict = {}

    def device_for(self, op) -> str:
        device = self._decided.get(op)
        if device is None:
            device = self._decide(op)
            self._decided[op] = device
        return device

    def _decide(self, op) -> str:
        var_op = _updated_variable(op)
        if var_op is not None:
            return self.device_for(var_op)            # colocated with the variable it writes
        requested = device_spec.parse_device(op.device) if op.device else {}
        dev_type = requested.get("type")
        index = requested.get("index") or 0
        if dev_type is None:
            return devices.gpu_device(0) if self._gpu_by_default(op) else CPU
        if dev_type == "CPU":
            return CPU if index == 0 else self._unsatisfiable(op)
        if dev_type == "GPU" and index < gpu_count():
            return devices.gpu_device(index) if supported_on_gpu(op) else self._no_gpu_kernel(op)
        return self._unsatisfiable(op)

    def _gpu_by_default(self, op) -> bool:
        """With a real GPU present, TF puts ops that have a GPU kernel on GPU:0.

        The CUDA simulator runs every GPU thread in Python (a regression step
        takes seconds), so a simulated GPU is used only where a program asks
        for it with ``tf.device``.
        """
        if gpu_count() == 0 or op.op_def.gpu_kernel is None:
            return False
        if devices.gpu_backend() == "cudasim" and not SIMULATOR_AS_DEFAULT:
            return False
        if op.op_def.variable:
            return all(supported_on_gpu(user) for user in _updaters(op))
        return True

    def _no_gpu_kernel(self, op) -> str:
        if self.config.allow_soft_placement:
            return CPU
        raise errors.InvalidArgumentError(None, op, (
            f"Cannot assign a device for operation '{op.name}': Could not satisfy explicit device "
            f"specification '{op.device}' because no supported kernel for GPU devices is available."))

    def _unsatisfiable(self, op) -> str:
        if self.config.allow_soft_placement:
            return CPU
        error = device_spec.unsatisfiable(op.name, op.device, available_devices())
        if "GPU" in op.device.upper() and gpu_count() == 0:
            error.message += f" (no GPU: {devices.why_no_gpu()})"
            error.args = (error.message,)
        raise error

    # --- kernels -------------------------------------------------------------------
    def kernel_for(self, op, device: str, runtime):
        """``op``'s kernel on ``device``: the GPU one, or the CPU one for CPU and host ops."""
        op_def = op.op_def
        if device != CPU and not runs_on_host(op):
            if op_def.gpu_kernel is None:
                raise errors.InvalidArgumentError(None, op, (
                    f"Cannot assign a device for operation '{op.name}': no supported kernel for "
                    f"GPU devices is available (it updates a variable placed on {device})."))
            return op_def.gpu_kernel(op, runtime)
        if op_def.kernel is None:
            raise errors.UnimplementedError(None, op, f"No kernel registered for op '{op.type}'")
        return op_def.kernel(op, runtime)

    # --- log_device_placement --------------------------------------------------------
    def log_placement(self, graph) -> None:
        """Print ``name: (Type): device`` once per node, as TF does with log_device_placement."""
        ops = [op for op in graph.get_operations() if op not in self.logged]
        if not ops:
            return
        if not self.logged:
            print(_device_mapping())
        for op in reversed(ops):          # TF 1.x lists the newest nodes first
            self.logged.add(op)
            print(f"{op.name}: ({op.type}): {self.device_for(op)}")


def _updated_variable(op):
    """The VariableV2 op whose value ``op`` takes by reference (Assign, Apply*...), or None."""
    refs = op.op_def.ref_inputs
    if not refs or refs[0] >= len(op._inputs):
        return None
    try:
        return variable_op_of(op._inputs[refs[0]])
    except errors.OpError:
        return None


def _updaters(var_op) -> list:
    """The ops that take ``var_op``'s output by reference."""
    users = []
    for t in var_op._outputs:
        for user in t._consumers:
            if any(user._inputs[i] is t for i in user.op_def.ref_inputs if i < len(user._inputs)):
                users.append(user)
    return users


def _device_mapping() -> str:
    """TF's header line(s): ``Device mapping:`` and one line per GPU."""
    gpus = [d for d in available_devices() if "GPU" in d]
    if not gpus:
        return "Device mapping: no known devices."
    lines = ["Device mapping:"]
    for i, d in enumerate(gpus):
        lines.append(f"{d} -> device: {i}, name: {devices.gpu_name(i)}")
    return "\n".join(lines)
