"""Kernels compile lazily, and a second process loads them from numba's disk cache."""

from __future__ import annotations

import numpy as np

from kernel_cases import run_python
from minitf.kernels import cpu, cpu_factories, cpu_jit, scalar


def test_importing_the_kernels_compiles_nothing_and_leaves_numba_cuda_alone():
    report = run_python("""
        import gc, json, sys
        from numba.core.dispatcher import Dispatcher
        import minitf.kernels
        from minitf.kernels import cpu, gpu, cpu_matmul, catalog, layout
        compiled = [d.py_func.__name__ for d in gc.get_objects()
                    if isinstance(d, Dispatcher) and d.overloads]
        print(json.dumps({"compiled": compiled, "cuda": "numba.cuda" in sys.modules}))
    """)
    assert report == {"compiled": [], "cuda": False}


def test_a_fresh_process_loads_the_kernels_from_the_disk_cache():
    # Make sure these kernels are in the cache (compiled now, or loaded).
    x = np.arange(6, dtype=np.float64).reshape(2, 3)
    cpu.binary("sub")(x, x)
    cpu.binary("sub")(x, x[0])
    cpu.reduce("max")(x, (1,), False)
    report = run_python("""
        import json
        import numpy as np
        from minitf.kernels import cpu
        x = np.arange(6, dtype=np.float64).reshape(2, 3)
        sub, reduce_max = cpu.binary("sub"), cpu.reduce("max")
        sub(x, x); sub(x, x[0]); reduce_max(x, (1,), False)
        stats = [sub.kernels.serial.stats, reduce_max.kernels.serial.stats]
        print(json.dumps({"hits": sum(sum(s.cache_hits.values()) for s in stats),
                          "misses": sum(sum(s.cache_misses.values()) for s in stats)}))
    """)
    assert report == {"hits": 2, "misses": 0}


def test_each_kernel_gets_its_own_cache_name():
    exp = cpu_factories.map(scalar.exp, "exp")
    log = cpu_factories.map(scalar.log, "log")
    assert exp.py_func.__qualname__.startswith("map_exp_")
    assert log.py_func.__qualname__.startswith("map_log_")
    assert cpu_factories.map(scalar.exp, "exp", parallel=True).py_func.__qualname__ \
        .startswith("map_exp_parallel_")


def test_fingerprint_follows_the_captured_scalar_code():
    def capture(fn):
        def kernel(x):
            return fn(x)
        return kernel

    def relu6_edited(x):
        return 0.0 if x < 0 else (5.0 if x > 5 else x)

    same = cpu_jit.fingerprint(capture(scalar.relu6)) == cpu_jit.fingerprint(capture(scalar.relu6))
    assert same
    assert cpu_jit.fingerprint(capture(scalar.relu6)) != cpu_jit.fingerprint(capture(relu6_edited))
