"""minitf's GPU kernels on a real GPU: matmul GFLOP/s and elementwise GB/s.

    python benchmarks/bench_gpu.py

* matmul: minitf's shared-memory tiled kernel (``minitf.kernels.gpu.matmul``)
  against cuBLAS through CuPy and PyTorch when they are installed;
* elementwise ``add`` against the device's own copy bandwidth (a
  device-to-device copy moves 2 bytes per byte copied; ``add`` moves 3 x 4
  bytes per float32 element);
* one graph-mode ``Session.run`` of ``relu(x @ W + b)`` kept on the GPU.

Timings synchronize the device around each repeat and report min and median.
Under the CUDA simulator, or with no GPU at all, there is nothing meaningful to
time: the script says so and exits with status 0.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np


def gpu_or_exit():
    """The kernel library's gpu module on a real GPU; otherwise a message and exit(0)."""
    from minitf.kernels import devices
    backend = devices.gpu_backend()
    if backend != "cuda":
        reason = ("the CUDA simulator runs kernels in Python threads: timings mean nothing"
                  if backend == "cudasim" else devices.why_no_gpu())
        print(f"bench_gpu: no real GPU to time ({reason}). Nothing to do.")
        sys.exit(0)
    from minitf.kernels import gpu
    return gpu


def timed(fn, sync, repeats: int = 7, inner: int = 5) -> tuple:
    """(min, median) seconds per call of ``fn``, the device synchronized around each repeat."""
    fn()
    sync()                                        # compile and warm up outside the clock
    samples = []
    for _ in range(repeats):
        sync()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        sync()
        samples.append((time.perf_counter() - t0) / inner)
    return min(samples), statistics.median(samples)


def matmul_rows(gpu, sync, n: int) -> list:
    """(name, min s, median s) for an n x n float32 matmul, minitf and cuBLAS where available."""
    rng = np.random.default_rng(0)
    a_host = rng.standard_normal((n, n), dtype=np.float32)
    b_host = rng.standard_normal((n, n), dtype=np.float32)
    a, b = gpu.to_device(a_host), gpu.to_device(b_host)
    rows = [("minitf tiled cuda.jit", *timed(lambda: gpu.matmul(a, b), sync))]
    got = gpu.to_host(gpu.matmul(a, b))
    assert np.allclose(got, a_host @ b_host, rtol=1e-3, atol=1e-2 * np.sqrt(n)), "wrong product"
    try:
        import cupy
        ca, cb = cupy.asarray(a_host), cupy.asarray(b_host)
        rows.append(("CuPy (cuBLAS)", *timed(lambda: ca @ cb, cupy.cuda.Device().synchronize)))
    except Exception:
        pass
    try:
        import torch
        if torch.cuda.is_available():
            ta, tb = torch.from_numpy(a_host).cuda(), torch.from_numpy(b_host).cuda()
            rows.append(("PyTorch (cuBLAS)", *timed(lambda: ta @ tb, torch.cuda.synchronize)))
    except Exception:
        pass
    return rows


def elementwise_rows(gpu, sync, n: int) -> list:
    """(name, GB/s at min time) for add vs a device-to-device copy of n float32."""
    from numba import cuda
    x = gpu.to_device(np.ones(n, np.float32))
    y = gpu.to_device(np.ones(n, np.float32))
    out = cuda.device_array(n, np.float32)
    add = gpu.binary("add")
    copy_s, _ = timed(lambda: out.copy_to_device(x), sync)
    add_s, _ = timed(lambda: add(x, y), sync)
    return [("device-to-device copy", 2 * 4 * n / copy_s / 1e9),
            ("minitf add (read 2, write 1)", 3 * 4 * n / add_s / 1e9)]


def session_row(sync) -> tuple:
    """(min, median) of one Session.run of relu(x @ W + b) with everything on the GPU."""
    import minitf as tf
    rng = np.random.default_rng(1)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [256, 512])
        W = tf.constant(rng.standard_normal((512, 256), dtype=np.float32))
        b = tf.constant(np.zeros(256, np.float32))
        y = tf.nn.relu(tf.matmul(x, W) + b)
        sess = tf.Session()
        feed = {x: rng.standard_normal((256, 512), dtype=np.float32)}
        return timed(lambda: sess.run(y, feed), sync)


def main():
    gpu = gpu_or_exit()
    from numba import cuda
    sync = cuda.synchronize
    from minitf.kernels import devices
    print(f"GPU: {devices.gpu_name(0)}")
    for n in (256, 1024, 2048):
        print(f"\nmatmul {n}x{n} float32 (GFLOP/s = 2 n^3 / time)")
        rows = matmul_rows(gpu, sync, n)
        base = rows[0][1]
        for name, lo, med in rows:
            print(f"  {name:<28} min {lo * 1e3:8.3f} ms  median {med * 1e3:8.3f} ms  "
                  f"{2 * n ** 3 / lo / 1e9:9.1f} GFLOP/s   ratio vs minitf {lo / base:5.2f}x")
    for n in (1 << 20, 1 << 24):
        print(f"\nelementwise on {n} float32 (GB/s at the best time)")
        rows = elementwise_rows(gpu, sync, n)
        for name, gbs in rows:
            print(f"  {name:<28} {gbs:8.1f} GB/s   {gbs / rows[0][1]:5.2f} of the copy bandwidth")
    lo, med = session_row(sync)
    print(f"\nSession.run(relu(x @ W + b)), 256x512 @ 512x256, fed from the host: "
          f"min {lo * 1e3:.3f} ms, median {med * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
