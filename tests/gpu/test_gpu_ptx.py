"""Every GPU kernel compiles for a real GPU (PTX through NVVM), even on a machine without one.

Skipped unless NVIDIA's NVVM and NVRTC pip packages can be found: installed
in the environment, or in a folder named by $MINITF_CUDA_PACKAGES (a
``pip install --target`` folder holding ``nvidia/cuda_nvcc`` and ``nvidia/cuda_nvrtc``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _nvidia_folder() -> Path | None:
    """The folder that holds nvidia/cuda_nvcc and nvidia/cuda_nvrtc, if any."""
    custom = os.environ.get("MINITF_CUDA_PACKAGES")
    candidates = [Path(custom)] if custom else []
    spec = importlib.util.find_spec("nvidia")
    if spec and spec.submodule_search_locations:
        candidates += [Path(p).parent for p in spec.submodule_search_locations]
    for folder in candidates:
        if (folder / "nvidia/cuda_nvcc/nvvm/lib64").is_dir() and \
                (folder / "nvidia/cuda_nvrtc/lib").is_dir():
            return folder
    return None


@pytest.mark.slow
def test_every_gpu_kernel_compiles_to_ptx():
    folder = _nvidia_folder()
    if folder is None:
        pytest.skip("no NVVM/NVRTC: pip install nvidia-cuda-nvcc-cu12 nvidia-cuda-nvrtc-cu12")
    libs = [folder / "nvidia/cuda_nvrtc/lib", folder / "nvidia/cuda_nvcc/nvvm/lib64"]
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
           "LD_LIBRARY_PATH": os.pathsep.join(map(str, libs + [os.environ.get(
               "LD_LIBRARY_PATH", "")]))}
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    result = subprocess.run([sys.executable, str(HERE / "ptx_check.py")], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " 0 failed" in result.stdout
