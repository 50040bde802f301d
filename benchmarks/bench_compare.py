"""minitf against hand-written numpy, TF 1.x graph mode and PyTorch: the course workloads, one process.

    PYTHONPATH=$PWD python benchmarks/bench_compare.py                 # minitf + numpy (+ torch)
    PYTHONPATH=$PWD /tmp/tfvenv/bin/python benchmarks/bench_compare.py # + TF 1.x (compat.v1)
    ... bench_compare.py --threads 1 --repeats 5 --only linreg,trivial
    ... bench_compare.py --blas-threads 2    # numpy's BLAS on 2 threads, minitf on 1 (the default setup)

TF 1.x and PyTorch take part when they import.  Every implementation of a
workload starts from the same weights and data, and their losses after a few
steps are compared before anything is timed (so a faster wrong step cannot
win).  Cases are timed interleaved (``_timing.run_interleaved``): min is the
best estimate of the uncontended cost, median shows the noise.  Ratios are
mins within this run; compare ratios, not absolute numbers across runs.

Targets (issue 14), as ratios measured in one run:

* lecture linear regression step (800x4, GD)   minitf <= 1.2x numpy
* MLP 784-256-10, GD, batch 128                 minitf <= 0.8x numpy
* MLP 784-256-256-10, Adam, batch 100           minitf <= 0.6x numpy's hand-written Adam
* trivial ``sess.run(a + b)``                    minitf <= 4 us
* eager ``a * 2.0`` (a Python scalar)            about as fast as ``a + b``
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _pin_threads(n: int, blas: int | None = None) -> None:
    """Same thread count for every library, set before any of them is imported.

    ``blas``: start numpy's BLAS with this many threads instead (``--blas-threads``), to see
    what minitf does in a student's default setup: OpenBLAS one thread per core, minitf one.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MINITF_NUM_THREADS"):
        os.environ[var] = str(n)
    if blas is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(blas)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=1,
                   help="threads for every library (2 collapses on a shared 2-core machine: "
                        "BLAS, numba and TF's pools spin-wait against each other, perf-anchors §6)")
    p.add_argument("--blas-threads", type=int, default=None,
                   help="threads numpy's BLAS starts with (default: --threads)")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--target-ms", type=float, default=30.0, help="time per repeat of one case")
    p.add_argument("--only", default="linreg,mlp_gd,mlp_adam,trivial,eager")
    return p.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    _pin_threads(ARGS.threads, ARGS.blas_threads)

import numpy as np  # noqa: E402

sys.path.insert(0, HERE)
from _timing import run_interleaved  # noqa: E402

import minitf  # noqa: E402
from minitf.client import fusion  # noqa: E402

# The steady state of a long training loop: fuse on the 10th run, without first
# running for FUSE_AFTER_SECONDS (the warm-up pays the one-off compile).
fusion.FUSE_AFTER_SECONDS = 0.0


def _optional(name):
    try:
        if name == "tensorflow":
            import tensorflow.compat.v1 as tf1
            tf1.disable_v2_behavior()
            return tf1
        return __import__(name)
    except ImportError:
        return None


TF1 = torch = None
WARMUP = 20        # runs before timing: minitf fuses a plan on its 10th run (a one-off compile)


# --- workloads: the same data and initial weights for every implementation ---------------------
def linreg_data(seed=0):
    """The perf-anchor dataset: 4 raw features on scales 1..1000, z-scored, 800 train rows."""
    rng = np.random.RandomState(seed)
    scales = np.array([1.0, 10.0, 100.0, 1000.0])
    X = rng.rand(1000, 4) * scales
    y = X @ (rng.randn(4, 1) / scales[:, None]) + 0.5 + 0.1 * rng.randn(1000, 1)
    Xtr, ytr = X[:800], y[:800]
    mu, sd = Xtr.mean(0), Xtr.std(0)
    return ((Xtr - mu) / sd).astype(np.float32), ytr.astype(np.float32)


def mlp_data(sizes, batch, seed=1):
    """A fixed batch of random 'images', one-hot labels, and Glorot-uniform initial weights."""
    rng = np.random.RandomState(seed)
    x = rng.rand(batch, sizes[0]).astype(np.float32)
    labels = np.eye(sizes[-1], dtype=np.float32)[rng.randint(0, sizes[-1], batch)]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (n_in + n_out))
        params.append(rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32))
        params.append(np.zeros(n_out, np.float32))
    return x, labels, params


# --- hand-written numpy ----------------------------------------------------------------------
def numpy_linreg(X, y, lr=0.2):
    w, b = np.zeros((4, 1), np.float32), np.zeros((1,), np.float32)
    scale = np.float32(2.0 / X.shape[0])

    def step():
        nonlocal w, b
        err = X @ w + b - y
        w = w - np.float32(lr) * (scale * (X.T @ err))
        b = b - np.float32(lr) * (scale * err.sum(axis=0))

    return step, lambda: float(np.mean((X @ w + b - y) ** 2))


def _np_forward_backward(x, labels, params):
    """Loss and gradients of a ReLU MLP with softmax cross-entropy, by hand."""
    acts, h = [x], x
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = h @ params[2 * i] + params[2 * i + 1]
        if i < n_layers - 1:
            h = np.maximum(h, 0)
        acts.append(h)
    z = h - h.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    loss = float(-(labels * (z - np.log(e.sum(axis=1, keepdims=True)))).sum(axis=1).mean())
    d = (p - labels) / np.float32(x.shape[0])
    grads = [None] * len(params)
    for i in reversed(range(n_layers)):
        grads[2 * i] = acts[i].T @ d
        grads[2 * i + 1] = d.sum(axis=0)
        if i:
            d = (d @ params[2 * i].T) * (acts[i] > 0)
    return loss, grads


def numpy_mlp_gd(x, labels, params, lr=0.1):
    params = [p.copy() for p in params]

    def step():
        _, grads = _np_forward_backward(x, labels, params)
        for i, g in enumerate(grads):
            params[i] = params[i] - np.float32(lr) * g

    return step, lambda: _np_forward_backward(x, labels, params)[0]


def numpy_gemms_only(x, labels, params):
    """The matrix products of one MLP training step and nothing else: the floor of any step.

    Forward ``h @ W`` per layer, backward ``act.T @ d`` per layer and ``d @ W.T``
    below the top layer, at the step's shapes, in float32 through the same BLAS.
    A step that does these products cannot be faster than this; its ratio to
    the numpy step bounds what any framework can reach at this thread count.
    """
    n_layers = len(params) // 2
    acts, h = [x], x
    for i in range(n_layers):
        h = h @ params[2 * i]
        acts.append(h)
    d = acts[-1] - labels

    def step():
        h = x
        for i in range(n_layers):
            h = h @ params[2 * i]
        g = d
        for i in reversed(range(n_layers)):
            _ = acts[i].T @ g
            if i:
                g = g @ params[2 * i].T
    return step, lambda: 0.0


def numpy_mlp_adam(x, labels, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    params = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0

    def step():
        nonlocal t
        t += 1
        _, grads = _np_forward_backward(x, labels, params)
        lr_t = np.float32(lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t))
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            params[i] = params[i] - lr_t * m[i] / (np.sqrt(v[i]) + eps)

    return step, lambda: _np_forward_backward(x, labels, params)[0]


# --- graph mode: the same builder for minitf and TF 1.x ---------------------------------------
def _session(tf, threads):
    if tf is minitf:
        return tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads))
    return tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads,
                                            inter_op_parallelism_threads=threads))


def graph_linreg(tf, X, y, threads, lr=0.2):
    g = tf.Graph()
    with g.as_default():
        data = tf.placeholder(tf.float32, [None, 4])
        real_label = tf.placeholder(tf.float32, [None, 1])
        weight = tf.Variable(tf.zeros([4, 1]))
        bias = tf.Variable(tf.zeros([1]))
        y_label = tf.add(tf.matmul(data, weight), bias)
        loss = tf.reduce_mean(tf.square(real_label - y_label))
        train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
        sess = _session(tf, threads)
        sess.run(tf.global_variables_initializer())
    feed = {data: X, real_label: y}
    return (lambda: sess.run(train, feed_dict=feed)), (lambda: float(sess.run(loss, feed)))


def graph_mlp(tf, x, labels, params, threads, optimizer):
    g = tf.Graph()
    with g.as_default():
        xs = tf.placeholder(tf.float32, [None, x.shape[1]])
        ys = tf.placeholder(tf.float32, [None, labels.shape[1]])
        h, n_layers = xs, len(params) // 2
        for i in range(n_layers):
            w, b = tf.Variable(params[2 * i]), tf.Variable(params[2 * i + 1])
            h = tf.matmul(h, w) + b
            if i < n_layers - 1:
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=ys, logits=h))
        opt = (tf.train.GradientDescentOptimizer(0.1) if optimizer == "gd"
               else tf.train.AdamOptimizer(1e-3))
        train = opt.minimize(loss)
        sess = _session(tf, threads)
        sess.run(tf.global_variables_initializer())
    feed = {xs: x, ys: labels}
    return (lambda: sess.run(train, feed_dict=feed)), (lambda: float(sess.run(loss, feed)))


def graph_trivial(tf, threads):
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [])
        b = tf.placeholder(tf.float32, [])
        c = a + b
        sess = _session(tf, threads)
    return lambda: sess.run(c, feed_dict={a: 1.0, b: 2.0})


# --- PyTorch (when importable) -------------------------------------------------------------------
def torch_mlp(x, labels, params, optimizer):
    tx, ty = torch.from_numpy(x), torch.from_numpy(labels.argmax(1))
    layers = []
    for i in range(len(params) // 2):
        lin = torch.nn.Linear(*params[2 * i].shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(params[2 * i].T.copy()))
            lin.bias.copy_(torch.from_numpy(params[2 * i + 1]))
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = (torch.optim.SGD(model.parameters(), lr=0.1) if optimizer == "gd"
           else torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-8))
    lossf = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        lossf(model(tx), ty).backward()
        opt.step()

    def loss():
        with torch.no_grad():
            return float(lossf(model(tx), ty))
    return step, loss


def torch_linreg(X, y, lr=0.2):
    tx, ty = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.zeros(4, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=lr)

    def step():
        opt.zero_grad()
        ((tx @ w + b - ty) ** 2).mean().backward()
        opt.step()

    def loss():
        with torch.no_grad():
            return float(((tx @ w + b - ty) ** 2).mean())
    return step, loss


# --- running and reporting -------------------------------------------------------------------
ROWS = []          # (workload, impl, min_s, median_s)
GEMMS = "numpy gemms only"


def check_and_time(workload: str, impls: dict, check_steps: int = 5):
    """Run each implementation ``check_steps`` steps, compare the losses, then time them interleaved.

    A case named ``numpy gemms only`` (no loss of its own) is timed but not compared.
    """
    losses = {}
    for name, (step, loss) in impls.items():
        if name == GEMMS:
            continue
        for _ in range(check_steps):
            step()
        losses[name] = loss()
    ref = losses["numpy"]
    for name, value in losses.items():
        flag = "" if abs(value - ref) <= 2e-3 * max(1.0, abs(ref)) else "   <-- DIFFERS from numpy"
        print(f"  [{workload}] loss after {check_steps} steps, {name:<8} {value:.6f}{flag}")
    results = run_interleaved({name: step for name, (step, _) in impls.items()},
                              repeats=ARGS.repeats, target_s=ARGS.target_ms / 1000, warmup=WARMUP)
    for name, (lo, med) in results.items():
        ROWS.append((workload, name, lo, med))
    _print_table(workload, results, "numpy")
    _print_allocations({name: impls[name][0] for name in ("numpy", "minitf")})


def _print_allocations(steps: dict):
    """Bytes one step allocates at its peak beyond what it leaves behind (tracemalloc).

    Only Python-side allocations are seen (numpy's arrays included; TF's and
    torch's own allocators are not), so only numpy and minitf are measured.
    """
    import tracemalloc
    parts = []
    for name, step in steps.items():
        step()
        tracemalloc.start()
        step()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        step()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        parts.append(f"{name} {(peak - before) / 1024:.1f} KiB")
    print("  allocated at the peak of one step: " + ", ".join(parts))


def _print_table(title, results, baseline):
    base = results[baseline][0]
    print(f"\n{title}")
    for name, (lo, med) in results.items():
        print(f"  {name:<24} min {lo * 1e6:10.2f} us   median {med * 1e6:10.2f} us   "
              f"x {baseline}: {lo / base:6.2f}")


def bench_linreg():
    X, y = linreg_data()
    impls = {"numpy": numpy_linreg(X, y), "minitf": graph_linreg(minitf, X, y, ARGS.threads)}
    if TF1 is not None:
        impls["tf1"] = graph_linreg(TF1, X, y, ARGS.threads)
    if torch is not None:
        impls["torch"] = torch_linreg(X, y)
    check_and_time("linreg", impls)


def bench_mlp(workload, sizes, batch, optimizer):
    x, labels, params = mlp_data(sizes, batch)
    np_impl = numpy_mlp_gd if optimizer == "gd" else numpy_mlp_adam
    impls = {"numpy": np_impl(x, labels, params),
             "minitf": graph_mlp(minitf, x, labels, params, ARGS.threads, optimizer)}
    if TF1 is not None:
        impls["tf1"] = graph_mlp(TF1, x, labels, params, ARGS.threads, optimizer)
    if torch is not None:
        impls["torch"] = torch_mlp(x, labels, params, optimizer)
    impls[GEMMS] = numpy_gemms_only(x, labels, params)
    check_and_time(workload, impls)


def bench_trivial():
    a, b = 1.0, 2.0
    a32, b32 = np.float32(1.0), np.float32(2.0)
    cases = {"numpy": lambda: a32 + b32, "python": lambda: a + b,
             "minitf": graph_trivial(minitf, ARGS.threads)}
    if TF1 is not None:
        cases["tf1"] = graph_trivial(TF1, ARGS.threads)
    results = run_interleaved(cases, repeats=ARGS.repeats, target_s=ARGS.target_ms / 1000, warmup=WARMUP)
    for name, (lo, med) in results.items():
        ROWS.append(("trivial", name, lo, med))
    _print_table("trivial sess.run(a + b), fed scalars", results, "numpy")


def bench_eager():
    """Last: eager mode is switched on for the rest of the process."""
    minitf.enable_eager_execution()
    a = minitf.constant(np.ones((4, 4), np.float32))
    b = minitf.constant(np.full((4, 4), 2.0, np.float32))
    a_np, b_np = a.numpy(), b.numpy()
    cases = {"numpy": lambda: a_np + b_np, "eager a + b": lambda: a + b,
             "eager a * 2.0": lambda: a * 2.0}
    if torch is not None:
        ta = torch.ones(4, 4)
        cases["torch a * 2.0"] = lambda: ta * 2.0
    results = run_interleaved(cases, repeats=ARGS.repeats, target_s=ARGS.target_ms / 1000, warmup=WARMUP)
    for name, (lo, med) in results.items():
        ROWS.append(("eager", name, lo, med))
    _print_table("eager ops on 4x4 float32", results, "numpy")


def _min(workload, impl):
    for w, i, lo, _ in ROWS:
        if w == workload and i == impl:
            return lo
    return None


def targets():
    """The issue's targets against this run's numbers."""
    print("\nTargets (issue 14), ratios of minima in this run")
    checks = [("linreg", "minitf / numpy", 1.2), ("mlp_gd", "minitf / numpy", 0.8),
              ("mlp_adam", "minitf / numpy", 0.6)]
    for workload, label, limit in checks:
        ours, base = _min(workload, "minitf"), _min(workload, "numpy")
        if ours is None:
            continue
        tf_part = ""
        if _min(workload, "tf1") is not None:
            tf_part = f"   (tf1 / numpy {_min(workload, 'tf1') / base:.2f}, minitf / tf1 " \
                      f"{ours / _min(workload, 'tf1'):.2f})"
        ratio = ours / base
        print(f"  {workload:<9} {label} = {ratio:5.2f}  target <= {limit}: "
              f"{'met' if ratio <= limit else 'NOT met'}{tf_part}")
        if _min(workload, GEMMS) is not None:     # what the matrix products alone cost
            floor = _min(workload, GEMMS)
            print(f"  {'':<9} floor: the step's matmuls alone = {floor / base:5.2f} x numpy; "
                  f"minitf spends {(ours - floor) * 1e6:7.1f} us beyond them, numpy "
                  f"{(base - floor) * 1e6:7.1f} us")
    if _min("trivial", "minitf") is not None:
        us = _min("trivial", "minitf") * 1e6
        print(f"  trivial   minitf sess.run = {us:5.2f} us  target <= 4 us: {'met' if us <= 4 else 'NOT met'}")
    if _min("eager", "eager a + b") is not None:
        ratio = _min("eager", "eager a * 2.0") / _min("eager", "eager a + b")
        print(f"  eager     (a * 2.0) / (a + b) = {ratio:5.2f}  target about 1 (<= 1.2): "
              f"{'met' if ratio <= 1.2 else 'NOT met'}")


def main():
    global TF1, torch
    TF1, torch = _optional("tensorflow"), _optional("torch")
    if torch is not None:
        torch.set_num_threads(ARGS.threads)
    print(f"threads {ARGS.threads}, repeats {ARGS.repeats}; numpy {np.__version__}; "
          f"TF 1.x: {'yes ' + TF1.__version__ if TF1 else 'not importable'}; "
          f"torch: {'yes ' + torch.__version__ if torch else 'not importable'}; "
          f"load average {os.getloadavg()[0]:.2f}")
    only = ARGS.only.split(",")
    if "linreg" in only:
        bench_linreg()
    if "mlp_gd" in only:
        bench_mlp("mlp_gd", (784, 256, 10), 128, "gd")
    if "mlp_adam" in only:
        bench_mlp("mlp_adam", (784, 256, 256, 10), 100, "adam")
    if "trivial" in only:
        bench_trivial()
    if "eager" in only:
        bench_eager()
    targets()


if __name__ == "__main__":
    main()
