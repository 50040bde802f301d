"""gpu.py imports and answers "is there a GPU?" everywhere, with or without numba-cuda."""

from __future__ import annotations

import textwrap

from kernel_cases import run_python

# A meta-path finder that makes `numba.cuda` unimportable, as on an install without numba-cuda.
WITHOUT_NUMBA_CUDA = textwrap.dedent("""
    import sys
    class NoCuda:
        def find_spec(self, name, path=None, target=None):
            if name.startswith(("numba.cuda", "numba_cuda")):
                raise ImportError("numba.cuda is not installed")
    sys.meta_path.insert(0, NoCuda())
""")


def test_without_numba_cuda_the_gpu_is_simply_unavailable():
    report = run_python(WITHOUT_NUMBA_CUDA + textwrap.dedent("""
        import json
        from minitf.kernels import gpu
        try:
            gpu.to_device([1.0])
            error = None
        except RuntimeError as exc:
            error = str(exc)
        print(json.dumps([gpu.available(), gpu.backend(), error]))
    """), NUMBA_ENABLE_CUDASIM="0")
    assert report[:2] == [False, None]
    assert "no GPU" in report[2] and "NUMBA_ENABLE_CUDASIM=1" in report[2]


def test_the_simulator_is_detected_first():
    report = run_python("""
        import json
        from minitf.kernels import gpu
        print(json.dumps([gpu.available(), gpu.backend(), gpu.threads_per_block()]))
    """, NUMBA_ENABLE_CUDASIM="1")
    assert report == [True, "cudasim", 16]
