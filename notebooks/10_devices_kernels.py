# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # 10 · Devices 设备 and GPU kernels 核函数
#
# **Goals**
# - place ops on devices in graph mode (`tf.device`, `log_device_placement`, soft placement);
# - know what a **kernel** (核函数) is: the code that runs one op on one device;
# - write kernels yourself: a CPU kernel compiled just in time (即时编译, JIT) with numba, and its
#   GPU twin with `numba.cuda`: threads (线程), blocks (线程块), the grid (网格);
# - shared memory (共享内存): a per-block sum and a tiled matrix product;
# - measure: numpy vs a numba loop vs BLAS.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 2 showed the device API; this chapter opens the box underneath. No GPU is needed:
# every GPU kernel here also runs in numba's CUDA simulator, which the notebook starts in a separate process.
# On a machine with an NVIDIA GPU the same cells run the kernels on the real GPU; the results are the same.

# %% slideshow={"slide_type": "skip"}
import inspect
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings

import matplotlib.pyplot as plt
import numba
import numpy as np
from numba import cuda, float32
import minitf as tf

np.set_printoptions(precision=3, suppress=True, legacy="1.25")
HAVE_GPU = tf.test.is_gpu_available()     # a real GPU (or a simulator switched on by hand)

# numba's CUDA simulator must be switched on (NUMBA_ENABLE_CUDASIM=1) before numba.cuda is
# imported, and numba.cuda is imported here already: so the simulator runs in a second Python
# process, started once, which runs each kernel it is sent (source, launch shape, arrays in a file).
_SIMULATOR = textwrap.dedent("""
    import json, math, sys, warnings
    import numpy as np
    from numba import cuda, float32
    warnings.simplefilter("ignore")
    for line in sys.stdin:
        job = json.loads(line)
        try:
            space = {"cuda": cuda, "float32": float32, "math": math, "np": np}
            exec(job["source"], space)
            data = np.load(job["path"])
            arrays = [data[f"arr_{i}"] for i in range(len(data.files))]
            blocks, threads = (tuple(v) if isinstance(v, list) else v
                               for v in (job["blocks"], job["threads"]))
            cuda.jit(space[job["name"]])[blocks, threads](*arrays)
            np.savez(job["path"], *arrays)
            answer = "ok"
        except Exception as e:
            answer = " ".join(f"{type(e).__name__}: {e}".split())
        print("@@", answer, flush=True)
    """)
_simulator = None


def _simulate(kernel, blocks, threads, arrays):
    """Run `kernel` in the simulator process (started on first use); return the arrays."""
    global _simulator
    if _simulator is None or _simulator.poll() is not None:
        env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
        _simulator = subprocess.Popen([sys.executable, "-c", _SIMULATOR], env=env, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)   # errors come back on stdout
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "arrays.npz")
        np.savez(path, *arrays)
        job = dict(source=textwrap.dedent(inspect.getsource(kernel)), name=kernel.__name__,
                   blocks=blocks, threads=threads, path=path)
        _simulator.stdin.write(json.dumps(job) + "\n")
        _simulator.stdin.flush()
        answer = ""
        while not answer.startswith("@@"):
            answer = _simulator.stdout.readline()
            if not answer:
                raise RuntimeError("the CUDA simulator process stopped")
        if answer.strip() != "@@ ok":
            raise RuntimeError("the kernel failed in the CUDA simulator: " + answer[3:].strip())
        data = np.load(path)
        return [data[f"arr_{i}"] for i in range(len(arrays))]


def launch(kernel, blocks, threads, *arrays, simulator=None):
    """Run the plain function `kernel` as the CUDA kernel `kernel[blocks, threads](*arrays)`.

    Works on copies of `arrays` and returns them after the run. On a real GPU numba runs it in
    this process; otherwise (or with simulator=True) numba's CUDA simulator runs it.
    """
    arrays = [np.array(a) for a in arrays]
    if HAVE_GPU and not simulator:
        with warnings.catch_warnings():     # numba warns that our grids are tiny
            warnings.simplefilter("ignore", numba.core.errors.NumbaPerformanceWarning)
            on_gpu = [cuda.to_device(a) for a in arrays]
            cuda.jit(kernel)[blocks, threads](*on_gpu)
            return [d.copy_to_host() for d in on_gpu]
    return _simulate(kernel, blocks, threads, arrays)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Devices 设备, in short (chapter 2)
#
# - Device names: `/CPU:0`, `/GPU:0`, `/GPU:1` ... (full form `/job:localhost/replica:0/task:0/device:GPU:0`).
# - With a GPU, TensorFlow puts an op on `GPU:0` when it has a GPU kernel; `tf.device(...)` chooses.
# - `ConfigProto(log_device_placement=True)`: the session prints where each node runs.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device('/CPU:0'):
    x = tf.constant([[-1.0, 2.0], [3.0, -4.0]], name='x')
    y = tf.nn.relu(x, name='relu')
config = tf.ConfigProto(log_device_placement=True)
with tf.Session(config=config) as sess:
    print(sess.run(y))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Pinned to the CPU, the log says CPU:0 on every machine. The `Device mapping` line lists the
# machine's GPUs; the stored output comes from a machine without one.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Is there a GPU? Soft placement
#
# `tf.test.is_gpu_available()` asks.  A graph that asks for `/GPU:0` still runs without one when
# `allow_soft_placement=True` lets the op fall back to the CPU.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
print("GPU available:", tf.test.is_gpu_available())
tf.reset_default_graph()
with tf.device('/GPU:0'):
    z = tf.nn.relu(tf.constant([-1.0, 2.0])) * 10
soft = tf.ConfigProto(allow_soft_placement=True)
with tf.Session(config=soft) as sess:
    z_value = sess.run(z)
print(z.op.device, z_value)

# %% slideshow={"slide_type": "-"}
# The answer depends on the machine; request and result do not:
assert z.op.device.endswith("GPU:0")
assert z_value.tolist() == [0.0, 20.0]

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The op records the device it *asks* for; the session decides where it really runs. Without
# soft placement, asking for a GPU the machine lacks is an error (chapter 2, exercise 3). In eager mode
# (chapter 9) there is no session to place ops: you move a tensor yourself with `.gpu()` and `.cpu()`, as the
# lecture shows. One notebook stays in one mode, so eager placement is left to chapter 9.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Ops and kernels 核函数
#
# - An **op** (`Relu`, `MatMul`) says *what* is computed; it is a node of the graph.
# - A **kernel** says *how*, on one device type and dtype: TensorFlow registers a CPU kernel and a
#   GPU kernel for `Relu` (float32, float64 ...); placement picks the kernel.
# - A GPU op needs a GPU kernel: an op without one stays on the CPU (soft placement).
#
# minitf's kernels are Python compiled by numba.  We write a few ourselves.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorFlow's kernels are C++ and CUDA (`REGISTER_KERNEL_BUILDER(Name("Relu").Device(DEVICE_GPU)
# ...)`); adding an op or a kernel is the "OP 扩展, kernel 扩展" of the lecture's introduction. numba lets us write
# the same kind of code in Python and compile it to machine code.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## A CPU kernel: a loop, compiled just in time (即时编译)
#
# `numba.njit` turns a Python function into machine code at its first call, for the argument
# types it sees.  A kernel writes into an output array that the caller allocated.

# %% slideshow={"slide_type": "-"}
@numba.njit
def relu_cpu(x, out):
    for i in range(out.size):            # one element at a time
        out[i] = x[i] if x[i] > 0 else 0.0

x = np.array([-2.0, -0.5, 0.0, 1.5, 3.0], np.float32)
out = np.zeros_like(x)
relu_cpu(x, out)                          # compiles, then runs
print(out, np.array_equal(out, np.maximum(x, 0)))
print(relu_cpu.signatures)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first call compiles (a fraction of a second); later calls with the same types run the
# machine code directly. `signatures` lists the compiled versions: one, for float32 arrays. Calling it with a
# float64 array would compile a second one. That is a kernel per dtype, as in TensorFlow.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The GPU: threads 线程, blocks 线程块, grid 网格
#
# A GPU kernel is the body of the loop: **one thread per element**.  Threads come in
# **blocks** (`blockDim.x` threads each); the blocks form the **grid**.  A thread's global index:
#
# $$i = \texttt{blockIdx.x} \times \texttt{blockDim.x} + \texttt{threadIdx.x}$$

# %% slideshow={"slide_type": "skip"}
def draw_threads(n, blocks, threads):
    """One square per thread, coloured by block; the element it writes, or '-' past the end."""
    fig, ax = plt.subplots(figsize=(9, 1.6))
    colours = plt.cm.Pastel1.colors
    for b in range(blocks):
        for t in range(threads):
            i = b * threads + t
            ax.add_patch(plt.Rectangle((i, 0), 0.95, 0.95, color=colours[b % 9],
                                       alpha=1.0 if i < n else 0.35))
            ax.text(i + 0.47, 0.62, f"t{t}", ha="center", fontsize=8)
            ax.text(i + 0.47, 0.22, f"x[{i}]" if i < n else "-", ha="center", fontsize=8)
        ax.text(b * threads + threads / 2, 1.15, f"block {b}", ha="center", fontsize=9)
    ax.set(xlim=(-0.2, blocks * threads + 0.2), ylim=(-0.1, 1.45))
    ax.set_title(f"grid of {blocks} blocks x {threads} threads, {n} elements", fontsize=10)
    ax.axis("off")
    fig.tight_layout()
    plt.show()


# %% slideshow={"slide_type": "-"}
draw_threads(n=10, blocks=3, threads=4)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Ten elements, blocks of four threads: three blocks are needed, twelve threads. Thread 1 of
# block 2 has i = 2·4 + 1 = 9. The last two threads have no element: the kernel must check `i < n`, or they
# would write past the end of the array. A real GPU runs thousands of threads at once; blocks of 128-1024 threads
# are usual.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The GPU twin of `relu_cpu`
#
# The same body, without the loop: each thread computes its `i` and handles that element.

# %% slideshow={"slide_type": "-"}
def relu_gpu(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < out.size:                      # threads past the end: idle
        out[i] = x[i] if x[i] > 0 else 0.0

x = np.linspace(-1, 1, 10).astype(np.float32)
# relu_gpu[3 blocks, 4 threads each](x, out), on copies:
_, out = launch(relu_gpu, 3, 4, x, np.zeros_like(x))
print(out)
print("same as relu_cpu:", np.array_equal(out, np.maximum(x, 0)))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `launch(kernel, blocks, threads, *arrays)` (defined in the setup cell) runs
# `cuda.jit(kernel)[blocks, threads](*arrays)`: on a real GPU in this process, otherwise in numba's CUDA
# simulator in a new process (the simulator must be switched on with `NUMBA_ENABLE_CUDASIM=1` before numba.cuda
# is imported). The simulator runs every thread as a Python thread: slow, but exact, and it checks every index.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## A vector add, and what `cuda.grid(1)` means
#
# `cuda.grid(1)` is the same global index, computed for you.  A launch needs enough threads:
# `blocks = ceil(n / threads)`.

# %% slideshow={"slide_type": "-"}
def add_kernel(x, y, out):
    i = cuda.grid(1)     # blockIdx.x * blockDim.x + threadIdx.x
    if i < out.size:
        out[i] = x[i] + y[i]

n, threads = 20, 8
blocks = (n + threads - 1) // threads          # ceil(20 / 8) = 3
a, b = np.arange(n, dtype=np.float32), np.full(n, 0.5, np.float32)
*_, out = launch(add_kernel, blocks, threads,
                 a, b, np.zeros(n, np.float32))
print(blocks, "blocks;", out[:6], "...", np.array_equal(out, a + b))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* minitf's GPU kernels use a *grid-stride loop* instead (`for i in range(cuda.grid(1), n,
# cuda.gridsize(1))`): each thread takes elements i, i + T, i + 2T ... with T the number of threads in the
# grid, so any grid covers any array. Exercise 3 shows what happens without either.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Shared memory 共享内存: a sum per block
#
# Threads of one block share a small, fast memory (`cuda.shared.array`) and can wait for each other
# (`cuda.syncthreads()`).  A tree reduction: 8 partial values → 4 → 2 → 1.

# %% slideshow={"slide_type": "-"}
def block_sum(x, sums):            # blocks of 8 threads
    part = cuda.shared.array(8, float32)   # one per block
    t = cuda.threadIdx.x
    part[t] = x[cuda.grid(1)]
    cuda.syncthreads()             # wait for all 8 copies
    for half in (4, 2, 1):         # tree: 8 -> 4 -> 2 -> 1
        if t < half:
            part[t] += part[t + half]
        cuda.syncthreads()
    if t == 0:                     # one thread writes the result
        sums[cuda.blockIdx.x] = part[0]

# %% slideshow={"slide_type": "-"}
values = np.arange(32, dtype=np.float32)
_, sums = launch(block_sum, 4, 8, values, np.zeros(4, np.float32))
print(sums, values.reshape(4, 8).sum(axis=1))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Each block sums its own 8 elements; the 4 partial sums still have to be added (by the CPU, or
# by a second launch). Without the first `syncthreads` a thread could read `part[t + half]` before its neighbour
# wrote it. minitf's `reduce_sum` kernel on the GPU is this tree, with any number of elements per thread.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A tiled matrix product with shared memory
#
# $C = AB$, one thread per element of $C$, blocks of $4 \times 4$ threads: one block per
# $4 \times 4$ **tile** (分块) of $C$.  The block walks along $k$: each step it copies one tile of $A$
# and one of $B$ into shared memory, where each copied number is then read by 4 threads.

# %% slideshow={"slide_type": "skip"}
def draw_tiles(size=8, tile=4, block=(1, 0), step=1, thread=(2, 1)):
    """A, B and C with their tiles: what block (row, col) of C reads at k-step `step`.

    Thin lines separate elements, thick ones tiles; the red outlines follow one thread
    (ty, tx) of the block: its element of C, the row of the A tile and the column of the
    B tile it reads.
    """
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
    row, col = block
    ty, tx = thread
    for ax, name in zip(axes, "ABC"):
        ax.set(xlim=(0, size), ylim=(size, 0), aspect="equal", title=name)
        ax.set_xticks(range(0, size + 1, tile))
        ax.set_yticks(range(0, size + 1, tile))
        ax.set_xticks(range(size + 1), minor=True)
        ax.set_yticks(range(size + 1), minor=True)
        ax.grid(True, which="major", color="k", lw=1.5)
        ax.grid(True, which="minor", color="0.8", lw=0.5)
        ax.tick_params(which="both", labelbottom=False, labelleft=False, length=0)
    tiles = {0: [(row, k, "#9ecae1") for k in range(size // tile)],      # A: the row band
             1: [(k, col, "#fdd0a2") for k in range(size // tile)],      # B: the column band
             2: [(row, col, "#a1d99b")]}
    for panel, boxes in tiles.items():
        for r, c, colour in boxes:
            strong = panel == 2 or (panel == 0 and c == step) or (panel == 1 and r == step)
            axes[panel].add_patch(plt.Rectangle((c * tile, r * tile), tile, tile,
                                                color=colour, alpha=1.0 if strong else 0.3))
    i, j = row * tile + ty, col * tile + tx                             # the thread's C[i, j]
    outlines = {0: (step * tile, i, tile, 1), 1: (j, step * tile, 1, tile), 2: (j, i, 1, 1)}
    for panel, (x0, y0, w, h) in outlines.items():
        axes[panel].add_patch(plt.Rectangle((x0, y0), w, h, fill=False, ec="red",
                                            lw=2, zorder=3))
    axes[0].set_xlabel(f"k-step {step}: tile ({row}, {step}) of A")
    axes[1].set_xlabel(f"k-step {step}: tile ({step}, {col}) of B")
    axes[2].set_title(f"C, block ({row}, {col})")
    axes[2].set_xlabel(f"red: thread ({ty}, {tx}) -> C[{i}, {j}]")
    fig.tight_layout()
    plt.show()


# %% slideshow={"slide_type": "-"}
draw_tiles(size=8, tile=4, block=(1, 0), step=1)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The block for the tile (1, 0) of C needs the whole row band of A (blue) and the column band of
# B (orange). At each step of k it loads one tile of each (dark); its thread (2, 1) (red) adds the products of
# one row of the A tile and one column of the B tile to its element C[6, 1]. After the last step every thread
# holds its element of C. Each element loaded from slow global memory is used 4 times from shared memory; with 16 × 16
# tiles, 16 times. That reuse is what makes a GPU matmul fast.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The core of the kernel (the full kernel is in the notebook, below this slide):
#
# ```python
# for k0 in range(0, a.shape[1], 4):     # one pair of tiles per step
#     tile_a[ty, tx] = a[row, k0 + tx]   # each thread copies one
#     tile_b[ty, tx] = b[k0 + ty, col]   # element of each tile
#     cuda.syncthreads()                 # wait: tiles complete
#     for k in range(4):
#         acc += tile_a[ty, k] * tile_b[k, tx]
#     cuda.syncthreads()                 # wait: all done reading
# out[row, col] = acc
# ```

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tx, ty` are the thread's position in its block, `row, col` its element of C. The second
# `syncthreads` matters: without it a fast thread would overwrite a tile that a slow one is still reading. This
# kernel assumes the sizes are multiples of 4; minitf's version loads zeros past the edges.

# %% slideshow={"slide_type": "skip"}
def matmul_tiled(a, b, out):           # blocks of 4 x 4 threads
    tile_a = cuda.shared.array((4, 4), float32)
    tile_b = cuda.shared.array((4, 4), float32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)            # this thread's out[row, col]
    acc = float32(0)
    for k0 in range(0, a.shape[1], 4): # one pair of tiles per step
        tile_a[ty, tx] = a[row, k0 + tx]   # each thread copies one
        tile_b[ty, tx] = b[k0 + ty, col]   # element of each tile
        cuda.syncthreads()                 # wait: tiles complete
        for k in range(4):
            acc += tile_a[ty, k] * tile_b[k, tx]
        cuda.syncthreads()             # wait: all done reading
    out[row, col] = acc


# %% [markdown] slideshow={"slide_type": "subslide"}
# Run it: $8 \times 12$ times $12 \times 8$, a grid of $2 \times 2$ blocks of $4 \times 4$ threads
# (x counts columns, y rows).

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(0)
A = rng.standard_normal((8, 12)).astype(np.float32)
B = rng.standard_normal((12, 8)).astype(np.float32)
*_, C = launch(matmul_tiled, (2, 2), (4, 4), A, B,
               np.zeros((8, 8), np.float32))
print("max |C - A @ B| < 1e-5:", np.abs(C - A @ B).max() < 1e-5)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A 2-d launch gives `blocks` and `threads` as pairs (x, y); `cuda.grid(2)` returns (x, y), hence
# `col, row = cuda.grid(2)`. The sums are added in another order than numpy's, so float32 results differ in the
# last bits: compare with a tolerance, never with `==`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Measured: numpy, a numba loop, BLAS
#
# A ReLU on 4 million floats, and a $256 \times 256$ matrix product: numpy, our compiled loops,
# and numpy's `@`, which calls BLAS (a tuned linear-algebra library).

# %% slideshow={"slide_type": "skip"}
@numba.njit
def matmul_loops(a, b, out):
    """out = a @ b with three plain loops (i, k, j: the inner loop walks rows)."""
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            for j in range(b.shape[1]):
                out[i, j] += a[i, k] * b[k, j]


def best_time(fn, repeat=5):
    """The fastest of `repeat` runs of fn(), in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
big = rng.standard_normal(4_000_000).astype(np.float32)
r_out = np.empty_like(big)
relu_cpu(big, r_out)                       # compile first, then time
t_np = best_time(lambda: np.maximum(big, 0))
t_nb = best_time(lambda: relu_cpu(big, r_out))
print(f"ReLU  numba loop / numpy: {t_nb / t_np:.2f}")
M1, M2 = rng.standard_normal((2, 256, 256)).astype(np.float32)
m_out = np.zeros((256, 256), np.float32)
t_loops = best_time(lambda: matmul_loops(M1, M2, m_out), repeat=3)
t_blas = best_time(lambda: M1 @ M2)
print(f"matmul  numba loops / BLAS: {t_loops / t_blas:.1f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read ratios, not seconds (the first of the three matmul runs also compiles; the best run
# counts). An elementwise op is limited by memory: the compiled loop keeps up with numpy, here even wins, since
# `np.maximum` also allocates its result while our kernel writes into `r_out`. A matrix product does n³
# multiply-adds on n² numbers: BLAS, with blocking for the caches, SIMD and tuned assembly, is several times
# faster than three plain loops. That is why minitf's CPU matmul calls BLAS, and why a GPU matmul uses
# shared-memory tiles.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Timings vary from run to run; the results do not:

# %% slideshow={"slide_type": "-"}
assert np.array_equal(r_out, np.maximum(big, 0))
m_out[:] = 0
matmul_loops(M1, M2, m_out)
assert np.allclose(m_out, M1 @ M2, atol=1e-3)
print("same results: relu, matmul")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `matmul_loops` adds into `m_out`, so it is zeroed before the run that is checked. The
# comparison uses a tolerance: the loops and BLAS add the products in different orders.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three short exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 writes a CPU kernel, exercise 2 the index computation of a GPU kernel (checked in
# the CUDA simulator), exercise 3 asks what a launch with too few threads leaves behind.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · A leaky ReLU kernel for the CPU (练习 1)
#
# Write `leaky_relu_cpu(x, out)`, compiled with `numba.njit`, that loops over the elements of the
# 1-d array `x` and writes into `out` (same size): `out[i] = x[i]` where `x[i] > 0`, else
# `0.1 * x[i]` (a leaky ReLU with slope 0.1).  It returns nothing.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `relu_cpu` is the model. The check calls the kernel on random float32 and float64 data and
# compares with numpy; it also checks that the function is a numba dispatcher (compiled), not plain Python.

# %% nbgrader={"grade": false, "grade_id": "ch10-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
leaky_relu_cpu = None
### BEGIN SOLUTION
@numba.njit
def leaky_relu_cpu(x, out):
    for i in range(out.size):
        out[i] = x[i] if x[i] > 0 else 0.1 * x[i]
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch10-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert leaky_relu_cpu is not None, "define leaky_relu_cpu(x, out)"
assert isinstance(leaky_relu_cpu, numba.core.registry.CPUDispatcher), \
    "leaky_relu_cpu should be compiled with @numba.njit (it is plain Python now)"
_rng = np.random.default_rng(int(time.time()))
for _dtype in (np.float32, np.float64):
    _x = _rng.standard_normal(1000).astype(_dtype)
    _out = np.full_like(_x, np.nan)
    _returned = leaky_relu_cpu(_x, _out)
    assert not np.isnan(_out).any(), "leaky_relu_cpu should write every element of out"
    assert np.allclose(_out, np.where(_x > 0, _x, 0.1 * _x)), \
        f"leaky_relu_cpu gives wrong values on {np.dtype(_dtype).name} data: x if x > 0 else 0.1 * x"
    assert _returned is None, "leaky_relu_cpu should write into out and return nothing"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · The global thread index (练习 2)
#
# Write the GPU kernel `affine_gpu(x, out)` (a plain function, as `relu_gpu`): each thread
# computes its global index `i` **from** `cuda.blockIdx.x`, `cuda.blockDim.x` and `cuda.threadIdx.x`
# (not `cuda.grid`) and, if `i` is inside the array, writes `out[i] = 2 * x[i] + 1`.
# Try it with `launch(affine_gpu, blocks, threads, x, out)`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The check launches the kernel in the CUDA simulator with more threads than elements and several
# blocks, so a missing bounds check (the simulator raises IndexError) or a wrong index (elements left untouched or
# written twice) shows. On a real GPU a write past the end is not caught: it silently corrupts memory.

# %% nbgrader={"grade": false, "grade_id": "ch10-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
affine_gpu = None
### BEGIN SOLUTION
def affine_gpu(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < out.size:
        out[i] = 2 * x[i] + 1

_, out = launch(affine_gpu, 2, 8, np.arange(12.0), np.zeros(12))
print(out)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch10-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert callable(affine_gpu), "define the kernel affine_gpu(x, out) as a plain function"
_source = inspect.getsource(affine_gpu)
assert all(w in _source for w in ("blockIdx", "blockDim", "threadIdx")), \
    "compute i from cuda.blockIdx.x, cuda.blockDim.x and cuda.threadIdx.x"
_x = np.random.default_rng(int(time.time())).standard_normal(37)
try:            # 5 blocks of 8 threads: 40 threads for 37 elements
    _, _out = launch(affine_gpu, 5, 8, _x, np.full(37, np.nan), simulator=True)
except RuntimeError as e:
    raise AssertionError(f"affine_gpu failed with 40 threads for 37 elements "
                         f"(is there a bounds check?): {e}") from None
assert not np.isnan(_out).any(), \
    "some elements were never written: each thread must handle element blockIdx.x * blockDim.x + threadIdx.x"
assert np.allclose(_out, 2 * _x + 1), "out[i] should be 2 * x[i] + 1 at the thread's global index i"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · What happens with too few threads? (练习 3)
#
# `add_kernel` has no grid-stride loop: one thread, one element.  With `x_ex`, `y_ex` below:
# - `out_short`: `add_kernel` launched with **2 blocks of 32 threads** on `x_ex`, `y_ex` and
#   `np.zeros(100, np.float32)` (the returned `out`);
# - `n_untouched`: how many elements of `out_short` are still 0, counted with numpy;
# - `blocks_needed`: the fewest blocks of 32 threads that cover all 100 elements, computed, and
#   `out_full`: the result of a launch with that many blocks.

# %% slideshow={"slide_type": "-"}
x_ex = rng.uniform(1, 2, 100).astype(np.float32)
y_ex = rng.uniform(1, 2, 100).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The inputs are at least 1, so a sum of 0 can only be an element no thread wrote. No error is
# raised: the kernel just did less work. This is why minitf's kernels use grid-stride loops.

# %% nbgrader={"grade": false, "grade_id": "ch10-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
out_short = None
n_untouched = None
blocks_needed = None
out_full = None
### BEGIN SOLUTION
*_, out_short = launch(add_kernel, 2, 32, x_ex, y_ex, np.zeros(100, np.float32))
n_untouched = int(np.sum(out_short == 0))
blocks_needed = -(-100 // 32)
*_, out_full = launch(add_kernel, blocks_needed, 32, x_ex, y_ex, np.zeros(100, np.float32))
print(f"{n_untouched} elements untouched; {blocks_needed} blocks cover all 100")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch10-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert out_short is not None and np.shape(out_short) == (100,), \
    "out_short should be the out array (100 elements) returned by the launch with 2 blocks of 32 threads"
_sum = x_ex + y_ex
assert np.allclose(out_short[:64], _sum[:64]) and not np.any(out_short[64:]), \
    "out_short should hold x_ex + y_ex where a thread ran (2 x 32 threads) and 0 elsewhere"
assert n_untouched == int(np.sum(np.asarray(out_short) == 0)), \
    "n_untouched should count the elements of out_short that are still 0"
assert blocks_needed == 4, "blocks_needed: the smallest number of 32-thread blocks with 32 * blocks >= 100"
assert out_full is not None and np.allclose(out_full, _sum), \
    "out_full should be add_kernel's result with blocks_needed blocks of 32: x_ex + y_ex everywhere"
print(f"Exercise 3 ok: {n_untouched} of 100 elements stayed 0 with 64 threads")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Ops are placed on devices (设备): `tf.device`, `log_device_placement`, `allow_soft_placement`;
#   `tf.test.is_gpu_available()`; in eager mode `.gpu()` / `.cpu()` (chapter 9).
# - A kernel (核函数) runs one op on one device type: a compiled loop on the CPU (`numba.njit`,
#   即时编译), one thread (线程) per element on the GPU (`numba.cuda.jit`).
# - Global index `blockIdx.x * blockDim.x + threadIdx.x`; enough blocks (线程块) in the grid (网格),
#   and a bounds check.
# - Shared memory (共享内存) + `syncthreads`: block reductions, tiled matmul (each load reused).
# - Measured: a compiled elementwise loop keeps up with numpy; for a matmul BLAS beats plain loops
#   several times over.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Next chapter: watching and debugging training (TensorBoard summaries, NaN hunting).

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not TensorFlow, and not needed above: how minitf builds its kernels.  Every elementwise op starts
# from a *scalar function* in `minitf/kernels/scalar.py`, written once; `cpu_factories.map` wraps it in
# a compiled loop (`prange` splits the loop across CPU threads for big arrays), and
# `cuda_factories.map` wraps the same function in a grid-stride GPU kernel.

# %% slideshow={"slide_type": "skip"}
from minitf.kernels import cpu_factories, scalar

print(inspect.getsource(scalar.relu))
print(inspect.getsource(cpu_factories.map))

# %% [markdown] slideshow={"slide_type": "skip"}
# The GPU twin, from `minitf/kernels/cuda_factories.py` (printed from the file: importing that
# module imports numba.cuda for the GPU):

# %% slideshow={"slide_type": "skip"}
import minitf.kernels as _kernels_package

_cuda_file = os.path.join(os.path.dirname(_kernels_package.__file__), "cuda_factories.py")
_lines = open(_cuda_file, encoding="utf-8").read().split("\n")
_start = next(n for n, line in enumerate(_lines) if line.startswith("def map("))
print("\n".join(_lines[_start:_start + 11]))

# %% [markdown] slideshow={"slide_type": "skip"}
# minitf's CPU relu kernel at work, and its tiled teaching matmul
# (`minitf/kernels/cpu_matmul.py`: blocks of rows of A × a tile of B that stays in the cache; the
# engine uses BLAS unless `config.set_matmul_kernel("tiled")`):

# %% slideshow={"slide_type": "skip"}
from minitf.kernels import cpu_matmul

engine_relu = cpu_factories.map(scalar.relu, "relu")
engine_out = np.empty_like(x)
engine_relu(x, engine_out)
assert np.array_equal(engine_out, np.maximum(x, 0))
assert np.allclose(cpu_matmul.matmul_tiled(M1, M2), M1 @ M2, atol=1e-3)
print("minitf's relu kernel and tiled matmul agree with numpy")

# %% slideshow={"slide_type": "skip"}
if _simulator is not None:              # stop the simulator process
    _simulator.stdin.close()
    _simulator.wait()
