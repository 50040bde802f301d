"""The placer: which device runs each op, and which kernel it uses there.

Rules (as TF 1.x): an explicit ``tf.device`` request wins; a device that does
not exist is an error unless ``allow_soft_placement`` lets the op fall back to
the CPU; an op without a kernel for the chosen device runs on the CPU.
"""

from __future__ import annotations

from ..framework import device_spec, errors


def available_devices() -> list:
    """Full names of the devices this process has (the CPU, plus GPUs numba.cuda sees)."""
    names = [device_spec.full_device_name("CPU", 0)]
    if gpu_count():
        names += [device_spec.full_device_name("GPU", i) for i in range(gpu_count())]
    return names


def gpu_count() -> int:
    from ..kernels import gpu
    if not gpu.available():
        return 0
    return gpu.device_count() if hasattr(gpu, "device_count") else 1


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
        requested = device_spec.parse_device(op.device) if op.device else {}
        dev_type = requested.get("type")
        if dev_type in (None, "CPU"):
            index = requested.get("index") or 0
            if index != 0:
                return self._unsatisfiable(op, dev_type)
            return device_spec.full_device_name("CPU", 0) if dev_type or not self._gpu_default(op) \
                else device_spec.full_device_name("GPU", 0)
        if dev_type == "GPU":
            index = requested.get("index") or 0
            if index < gpu_count():
                if op.op_def.gpu_kernel is None:
                    return self._no_gpu_kernel(op)
                return device_spec.full_device_name("GPU", index)
            return self._unsatisfiable(op, dev_type)
        return self._unsatisfiable(op, dev_type)

    def _gpu_default(self, op) -> bool:
        """With a GPU present, TF puts ops that have a GPU kernel on GPU:0."""
        return gpu_count() > 0 and op.op_def.gpu_kernel is not None

    def _no_gpu_kernel(self, op) -> str:
        if self.config.allow_soft_placement:
            return device_spec.full_device_name("CPU", 0)
        raise errors.InvalidArgumentError(None, op, (
            f"Cannot assign a device for operation '{op.name}': Could not satisfy explicit device "
            f"specification '{op.device}' because no supported kernel for GPU devices is available."))

    def _unsatisfiable(self, op, dev_type) -> str:
        if self.config.allow_soft_placement:
            return device_spec.full_device_name("CPU", 0)
        raise device_spec.unsatisfiable(op.name, op.device, available_devices())

    def kernel_for(self, op, device: str, runtime):
        op_def = op.op_def
        if "GPU" in device and op_def.gpu_kernel is not None:
            return op_def.gpu_kernel(op, runtime)
        if op_def.kernel is None:
            raise errors.UnimplementedError(None, op, f"No kernel registered for op '{op.type}'")
        return op_def.kernel(op, runtime)

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


def _device_mapping() -> str:
    gpus = [d for d in available_devices() if "GPU" in d]
    if not gpus:
        return "Device mapping: no known devices."
    from ..kernels import gpu
    lines = ["Device mapping:"]
    for i, d in enumerate(gpus):
        name = gpu.device_name(i) if hasattr(gpu, "device_name") else gpu.backend()
        lines.append(f"{d} -> device: {i}, name: {name}")
    return "\n".join(lines)
