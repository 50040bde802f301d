"""Which devices this process has, and how a value moves between them.

``/CPU:0`` always exists.  ``/GPU:0`` exists when ``minitf.kernels.gpu`` can
run kernels: on the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, checked first)
or on a real CUDA device.  Asking the driver takes 1-2 s, so every answer here
is computed once per process and cached.

A value on the CPU is a numpy array; a value on the GPU is a numba device
array.  ``to_device`` and ``to_host`` are the only two ways across.
"""

from __future__ import annotations

import functools

import numpy as np

from ..framework import device_spec, errors

CPU = device_spec.full_device_name("CPU", 0)


@functools.cache
def gpu_module():
    """``minitf.kernels.gpu`` when a GPU (real or simulated) can run its kernels, else None."""
    if not _simulator_on() and not _driver_installed():
        return None            # saves the driver probe (seconds) on machines with no NVIDIA driver
    try:
        from . import gpu   # imports numba (a second): only once a GPU may exist
        return gpu if gpu.available() else None
    except Exception:          # no numba-cuda, no driver, a broken toolkit: all mean "no GPU"
        return None


def _simulator_on() -> bool:
    import numba
    return bool(numba.config.ENABLE_CUDASIM)


def _driver_installed() -> bool:
    """A cheap look for the NVIDIA driver (its kernel module or libcuda) before asking numba."""
    import ctypes.util
    import os
    if os.path.exists("/proc/driver/nvidia") or os.environ.get("NUMBA_CUDA_DRIVER"):
        return True
    try:
        return ctypes.util.find_library("cuda") is not None
    except OSError:          # it may run a compiler in the temp folder: read-only there means "no"
        return False


def gpu_count() -> int:
    """How many GPUs minitf can use (0 or more)."""
    gpu = gpu_module()
    if gpu is None:
        return 0
    return gpu.device_count() if hasattr(gpu, "device_count") else 1


def gpu_backend() -> str | None:
    """``'cudasim'``, ``'cuda'`` or None."""
    gpu = gpu_module()
    return gpu.backend() if gpu is not None else None


@functools.cache
def gpu_name(index: int = 0) -> str:
    """What TF's ``Device mapping`` line says about GPU ``index``: its name and capability."""
    if gpu_backend() == "cudasim":
        return "numba CUDA simulator"
    try:
        from numba import cuda
        dev = cuda.list_devices()[index]
        name = dev.name.decode() if isinstance(dev.name, bytes) else str(dev.name)
        major, minor = dev.compute_capability
        return f"{name}, compute capability: {major}.{minor}"
    except Exception:
        return f"CUDA device {index}"


def gpu_device(index: int = 0) -> str:
    return device_spec.full_device_name("GPU", index)


def available_devices() -> list:
    """Full names of the devices this process has (the CPU first)."""
    return [CPU] + [gpu_device(i) for i in range(gpu_count())]


@functools.cache
def why_no_gpu() -> str:
    """One sentence naming what is missing for a GPU (for error messages)."""
    try:
        from numba import cuda  # noqa: F401
    except Exception:
        return "numba-cuda is not installed (pip install numba-cuda)"
    try:
        from . import gpu   # imports numba (a second): only once a GPU may exist
    except ImportError:
        return "minitf.kernels.gpu (the GPU kernel library) is not available"
    if not _simulator_on() and not _driver_installed():
        return ("no NVIDIA driver was found, so there is no CUDA GPU; set NUMBA_ENABLE_CUDASIM=1 "
                "to run the GPU kernels in numba's CUDA simulator")
    try:
        if not cuda.is_available():
            return ("no CUDA device was found; set NUMBA_ENABLE_CUDASIM=1 to run the GPU "
                    "kernels in numba's CUDA simulator")
    except Exception as e:
        return f"the CUDA driver could not be started ({type(e).__name__})"
    return "minitf.kernels.gpu reports no usable GPU" if not gpu.available() else ""


def check_device(name: str) -> None:
    """Raise TF's error when ``name`` (a full device name) is not a device of this process."""
    if name == CPU or name in available_devices():
        return
    extra = f" ({why_no_gpu()})" if "GPU" in name and not gpu_count() else ""
    raise errors.InvalidArgumentError(None, None, (
        f"Could not satisfy device specification '{name}': no such device is registered "
        f"in this process; available devices: {', '.join(available_devices())}{extra}"))


# --- where a value lives, and moving it -----------------------------------------------------
def on_host(value) -> bool:
    """True for numpy data (what CPU kernels take); False for a GPU device array."""
    return isinstance(value, (np.ndarray, np.generic))


def to_device(value):
    """Copy a host array to GPU memory (a device array stays as it is)."""
    if not on_host(value):
        return value
    value = np.asarray(value)
    if not value.flags.c_contiguous:
        value = value.copy(order="C")  # (np.ascontiguousarray would make a scalar 1-D)
    return _guarded(_cuda().to_device, value, "copying to the GPU")


@functools.cache
def _cuda():
    from numba import cuda
    return cuda


def to_host(value) -> np.ndarray:
    """Copy a device array back to a numpy array (host arrays stay as they are)."""
    if on_host(value):
        return value
    return _guarded(gpu_module().to_host, value, "copying from the GPU")


def _guarded(copy, value, what: str):
    """Run a copy; a CUDA failure becomes a one-line TF error, never a driver traceback."""
    try:
        return copy(value)
    except Exception as e:
        text = (str(e).strip().splitlines() or [type(e).__name__])[-1]
        cls = errors.ResourceExhaustedError if "MEMORY" in text.upper() else errors.InternalError
        raise cls(None, None, f"{what} {list(np.shape(value))} failed: {text}") from None


def copy_to(value, device: str):
    """``value`` in the memory of ``device`` (a full device name)."""
    return to_host(value) if device == CPU else to_device(value)
