"""The convolution and pooling CUDA kernels compile for a real GPU (PTX through NVVM), without one.

Like ``test_gpu_ops_ptx.py`` (whose NVVM/NVRTC lookup this reuses): needs the
NVIDIA pip packages in the environment or in $MINITF_CUDA_PACKAGES; skipped otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from test_gpu_ops_ptx import HERE, ROOT, _nvidia_folder


@pytest.mark.slow
def test_conv_kernels_compile_to_ptx():
    folder = _nvidia_folder()
    if folder is None:
        pytest.skip("no NVVM/NVRTC: pip install nvidia-cuda-nvcc-cu12 nvidia-cuda-nvrtc-cu12")
    libs = [folder / "nvidia/cuda_nvrtc/lib", folder / "nvidia/cuda_nvcc/nvvm/lib64"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
           "LD_LIBRARY_PATH": os.pathsep.join(map(str, libs + [os.environ.get("LD_LIBRARY_PATH", "")]))}
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    result = subprocess.run([sys.executable, str(HERE / "ptx_check_conv.py")], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " 0 failed" in result.stdout
