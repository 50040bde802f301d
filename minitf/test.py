"""``tf.test``: the helpers TF 1.x programs use to ask about GPUs.

    if tf.test.is_gpu_available():
        print("GPU:", tf.test.gpu_device_name())      # '/device:GPU:0'

A GPU here is numba.cuda's: a real CUDA device, or the CUDA simulator when
``NUMBA_ENABLE_CUDASIM=1`` (see ``minitf/kernels/devices.py``).
"""

from __future__ import annotations

from .kernels import devices


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """True when minitf can run GPU kernels (a CUDA device or the CUDA simulator)."""
    return devices.gpu_count() > 0


def gpu_device_name() -> str:
    """``'/device:GPU:0'`` when there is a GPU, else ``''`` (as TF)."""
    return "/device:GPU:0" if devices.gpu_count() else ""


def is_built_with_cuda() -> bool:
    """True when numba's CUDA support (numba-cuda) is installed."""
    try:
        from numba import cuda  # noqa: F401
        return True
    except Exception:
        return False
