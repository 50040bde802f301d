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
# # 9 · Eager execution  动态图
#
# **Goals**
# - the debugging pain of graph mode (静态图): a printed tensor is a symbol, errors come at run time;
# - eager execution (动态图, 即时执行): ops run the moment Python calls them; `.numpy()`;
# - gradients without a graph: the gradient tape (梯度带, `tf.GradientTape`);
# - the lecture's linear regression, eagerly and in graph mode: the same numbers, a different cost;
# - `tf.contrib.eager` (`tfe`) idioms, and devices: `.gpu()` / `.cpu()`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's last technical part (Eager Execution). Everything so far built a graph and ran it in
# a session; this chapter runs the same ops one by one, as PyTorch does, and compares the two ways honestly.

# %% slideshow={"slide_type": "skip"}
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import sklearn.model_selection
import minitf as tf
import minitf.contrib.eager as tfe
from minitf import datasets

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days


def run_fresh_python(code, *args):
    """Run `code` in a new Python process: its own mode (graph, unless it enables eager).

    Returns what it printed; an unexpected crash raises with the child's error.
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"the child process failed:\n{done.stderr}")
    return done.stdout.rstrip("\n")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## First thing in the program: switch eager mode on
#
# TensorFlow 1.x picks its mode **once per program**, before any graph is built.  This notebook is
# one program (its kernel), so its first code cell does it:

# %% slideshow={"slide_type": "-"}
tf.enable_eager_execution()
print("executing eagerly:", tf.executing_eagerly())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture writes `tfe.enable_eager_execution()` with `import tensorflow.contrib.eager as tfe`;
# `tf.enable_eager_execution()` is the same function (TF 1.7 moved it into the main namespace). Graph-mode examples
# in this chapter run in a separate Python process, because this kernel can no longer build graphs the TF 1.x way.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The debugging problem  (TensorFlow 的调试问题)
#
# In graph mode (静态图) the lecture's small program needs a placeholder, a session and a feed just
# to see $2 \times 2$.  Run in a fresh Python process, in graph mode:

# %% slideshow={"slide_type": "-"}
print(run_fresh_python("""
    import minitf as tf
    x = tf.placeholder(tf.float32, [None, 1])
    m = tf.matmul(x, x)
    with tf.Session() as sess:
        print(sess.run(m, feed_dict={x: [[2.]]}))
"""))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's complaint: placeholders make it hard to try a concrete input, and every look at a
# value needs `Session.run()`. Four lines of ceremony for one number.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Printing a tensor shows a symbol  (placeholder 模式的调试问题)
#
# Without placeholder and session, can we just print the result, as in Python or PyTorch?

# %% slideshow={"slide_type": "-"}
print(run_fresh_python("""
    import minitf as tf
    x = [[2.]]
    m = tf.matmul(x, x)
    print(m)
"""))

# %% [markdown] slideshow={"slide_type": "fragment"}
# No (结果是不能): in graph mode `m` is a node of the graph (计算图), "output 0 of `MatMul`", not
# a value.  Nothing has been computed.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `Tensor("MatMul:0", shape=(1, 1), dtype=float32)` is exactly what TensorFlow 1.x prints. The
# shape is known because it is inferred when the node is built; the value only exists inside a session run.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Errors come at run time, far from their cause
#
# A $[1, 2] \times [1, 2]$ product is wrong.  In graph mode with a `None` dimension it builds fine,
# and the error is raised by `sess.run`:

# %% slideshow={"slide_type": "-"}
print(run_fresh_python("""
    import minitf as tf
    x = tf.placeholder(tf.float32, [None, 2])
    m = tf.matmul(x, x)               # line 3: the bug
    print("built:", m)
    with tf.Session() as sess:
        try:
            sess.run(m, feed_dict={x: [[1., 2.]]})
        except tf.errors.InvalidArgumentError as e:
            print("sess.run raised", type(e).__name__)
"""))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* In a real program the build and the run are often in different functions or files, and
# TensorFlow's traceback points at `sess.run`. The error message names the op, which is why naming ops helps in
# graph mode.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Eagerly (this kernel), the same bug fails **on its own line**, with a normal Python traceback:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
x = tf.constant([[1., 2.]])
m = tf.matmul(x, x)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same error class (`InvalidArgumentError`), same check (the op's shape function), but now it
# happens when the line runs. A debugger (`%debug`, `pdb`) stops right there, with every Python variable visible.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Eager Execution  动态图
#
# - TensorFlow 1.x: a static graph (静态图): build first, run later in a session;
# - PyTorch: a dynamic graph (动态图): each op runs when called; easier to debug;
# - late 2017, Google Brain adds **Eager Execution** to TensorFlow: "an imperative, define-by-run
#   interface where operations are executed immediately as they are called from Python".
#
# Its advantages (优势): fast debugging with Python tools; Python control flow for dynamic models;
# custom and higher-order gradients; works for almost all TensorFlow ops.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The quotation is the announcement the lecture cites (in Chinese there: 命令式、由运行定义的接口).
# Define-by-run: the graph is whatever Python happened to execute this time.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The lecture's example, eagerly  (Eager Execution 的使用)
#
# No placeholder, no `Session.run()`: the value comes back at once.

# %% slideshow={"slide_type": "-"}
x = [[2.]]
m = tf.matmul(x, x)
print(m)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The same print as the lecture's: `tf.Tensor(value, shape=..., dtype=...)`, an **EagerTensor**
# that holds its value.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Compare with the `Tensor("MatMul:0", ...)` two slides ago: same code, other mode, a value
# instead of a symbol.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## What an EagerTensor is
#
# A value (`.numpy()` gives the numpy array), a shape, a dtype, a device.  Its `repr` shows all:

# %% slideshow={"slide_type": "-"}
a = tf.constant([[1., 2.], [3., 4.]])
b = a * 10 + 1                       # operators run at once too
print(type(b.numpy()), b.numpy().tolist())
print(b.shape, b.dtype)
b

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `id=` in the repr counts tensors made so far; it is an EagerTensor's identity, not a graph
# name. Eager tensors have no `.name` and no `.graph`: asking raises an AttributeError.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Tensors mix with numpy and Python: a Python `if` on a tensor's value just works (in graph mode it
# is a TypeError: the value does not exist yet; `tf.cond` is needed there).

# %% slideshow={"slide_type": "-"}
total = tf.reduce_sum(b)
if total > 50:                       # a real comparison of values
    print(f"sum {total:.1f} is large; numpy sees", np.square(total))
for row in b:                        # iterating over rows
    print(row.numpy())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `total > 50` is an op (Greater) returning a boolean EagerTensor, and `if` asks for its truth value.
# In graph mode that line raises "Using a `tf.Tensor` as a Python `bool` is not allowed". This is the lecture's
# "Python control flow for dynamic models".

# %% [markdown] slideshow={"slide_type": "subslide"}
# No placeholders in eager mode (Eager Execution 采用直接定义输入变量的模式): data is passed as
# values.  Asking for one fails at once:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
data = tf.placeholder(tf.float32, [None, 4])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorFlow's own message. `tf.Session` is refused too. Functions take tensors (or numpy arrays,
# or lists) as ordinary arguments.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One mode per program: why a notebook needs a fresh kernel
#
# The switch is one-way and must come before any graph use.  In a fresh process that first builds a
# graph op, then asks for eager mode:

# %% slideshow={"slide_type": "-"}
print(run_fresh_python("""
    import minitf as tf
    tf.constant(1.0)                  # a graph op: graph mode is in use
    try:
        tf.enable_eager_execution()
    except ValueError as e:
        print("ValueError:", e)
    print("executing eagerly:", tf.executing_eagerly())
"""))

# %% [markdown] slideshow={"slide_type": "fragment"}
# A notebook's kernel is one Python process for all its cells.  To go from a graph-mode notebook to
# eager mode (or back): **Kernel → Restart**, then enable eager execution in the first cell.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is why each chapter of the course is its own notebook: chapters 1-8 are graph mode, this one
# is eager, and running them in one kernel would fail. Enabling a second time with the same options is harmless;
# changing the options is a ValueError too. TensorFlow 2 made eager the default and `tf.function` the way to get a
# graph.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Gradients without a graph: the gradient tape  (梯度带)
#
# `tf.gradients` differentiates a graph that exists.  Eagerly there is none: a `tf.GradientTape`
# **records** the ops run inside its `with` block, then walks them backwards.

# %% slideshow={"slide_type": "-"}
w = tf.Variable(3.0)                 # an (eager) variable 变量
with tf.GradientTape() as tape:
    y = w * w + 2 * w
print("y =", y.numpy(), "  dy/dw =", tape.gradient(y, w).numpy())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* $y = w^2 + 2w$, $dy/dw = 2w + 2 = 8$ at $w = 3$. Trainable variables read inside the block are
# watched automatically. The same gradient functions as `tf.gradients` (chapter 5) are used, only called on values.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## What the tape watches
#
# Constants are not watched: their gradient is `None`.  `tape.watch(t)` asks for it.

# %% slideshow={"slide_type": "-"}
c = tf.constant(3.0)
with tf.GradientTape() as tape:
    y = c * c
print("not watched:", tape.gradient(y, c))
with tf.GradientTape() as tape:
    tape.watch(c)
    y = c * c
print("watched:", tape.gradient(y, c))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `None` is not zero: it means "no recorded path from the source to the target", as `tf.gradients`
# returns None for an unconnected tensor. A tape records only ops that touch something it watches, which keeps it
# cheap.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## A persistent tape
#
# A tape frees its records after one `gradient` call.  `persistent=True` keeps them, for several
# gradients of the same computation:

# %% slideshow={"slide_type": "-"}
with tf.GradientTape(persistent=True) as tape:
    tape.watch(c)
    y = c * c                        # y = c^2
    z = y * y                        # z = c^4
print("dy/dc", tape.gradient(y, c).numpy(),
      "  dz/dc", tape.gradient(z, c).numpy())
del tape                             # free the records

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* $dy/dc = 2c = 6$, $dz/dc = 4c^3 = 108$. Exercise 2 asks what a second call on an ordinary tape
# does. Tapes can also be nested for second derivatives (the lecture's "higher-order gradients").

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The lecture's linear regression, eagerly  (线性回归)
#
# Chapter 6's stock data (standardized features, training set), a fixed start, learning rate
# (学习率) 0.2, 100 steps of gradient descent (梯度下降):

# %% slideshow={"slide_type": "-"}
X, y, names = datasets.load_stocks()
X_train, _, y_train, _ = sklearn.model_selection.train_test_split(
    X[:-10], y[:-10], test_size=0.2, random_state=0)
X_train_s = (X_train - X_train.mean(0)) / X_train.std(0)
X_train_s = X_train_s.astype(np.float32)
y_train = y_train.astype(np.float32)
w0 = np.random.default_rng(9).normal(size=(4, 1)).astype(np.float32)
b0 = np.ones([1], np.float32)
print(X_train_s.shape, y_train.shape)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same data and split as chapter 6. The start `w0`, `b0` comes from numpy so that the graph-mode
# process below can start from exactly the same numbers.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The loss (损失函数) is ordinary Python inside the tape; the optimizer (优化器) applies the
# gradients:

# %% slideshow={"slide_type": "-"}
weight, bias = tf.Variable(w0), tf.Variable(b0)
optimizer = tf.train.GradientDescentOptimizer(0.2)
eager_losses = []
for step in range(100):
    with tf.GradientTape() as tape:
        y_label = tf.matmul(X_train_s, weight) + bias
        loss = tf.reduce_mean(tf.square(y_train - y_label))
    grads = tape.gradient(loss, [weight, bias])
    optimizer.apply_gradients(zip(grads, [weight, bias]))
    eager_losses.append(loss.numpy())
print("loss at steps 0, 10, 99:", np.array(eager_losses)[[0, 10, 99]])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* No placeholders: the numpy arrays go straight into `tf.matmul`. `minimize(loss)` from graph mode
# becomes "tape + gradient + apply_gradients"; `optimizer.minimize(lambda: loss)` with a function also works (later
# slide). `loss` is recorded before the update, like fetching `loss` beside `train` in graph mode.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The same in graph mode
#
# The six-step program of chapter 6, in a fresh process (notebook-only cell), from the same start.
# Its heart:
#
# ```python
# loss = tf.reduce_mean(tf.square(real_label - y_label))
# train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
# losses = [sess.run([loss, train], feed)[0] for _ in range(100)]
# ```

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The full program is in the next cell of the notebook (hidden from the deck). It saves its losses,
# final weights and its time per step as JSON, which this kernel reads back.

# %% slideshow={"slide_type": "skip"}
GRAPH_MODE = """
import json, sys, time
import numpy as np
import minitf as tf
d = np.load(sys.argv[1])
data = tf.placeholder(tf.float32, [None, 4])
real_label = tf.placeholder(tf.float32, [None, 1])
weight, bias = tf.Variable(d["w0"]), tf.Variable(d["b0"])
y_label = tf.add(tf.matmul(data, weight), bias)
loss = tf.reduce_mean(tf.square(real_label - y_label))
train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
feed = {data: d["X"], real_label: d["y"]}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = [float(sess.run([loss, train], feed)[0]) for _ in range(100)]
    w, b = sess.run([weight, bias])
    start = time.perf_counter()
    for _ in range(300):                       # timing: the cached plan, run again and again
        sess.run(train, feed)
    step_seconds = (time.perf_counter() - start) / 300
print(json.dumps({"losses": losses, "weight": w.tolist(), "bias": b.tolist(),
                  "step_seconds": step_seconds}))
"""
with tempfile.TemporaryDirectory() as scratch:
    arrays = Path(scratch) / "data.npz"
    np.savez(arrays, X=X_train_s, y=y_train, w0=w0, b0=b0)
    graph_run = json.loads(run_fresh_python(GRAPH_MODE, str(arrays)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Same numbers
#
# Step by step the losses, and at the end the weights, of the two modes:

# %% slideshow={"slide_type": "-"}
graph_losses = np.array(graph_run["losses"])
print("loss at steps 0, 10, 99")
print("  eager:", np.array(eager_losses)[[0, 10, 99]])
print("  graph:", graph_losses[[0, 10, 99]])
gap = np.abs(graph_losses - eager_losses).max()
same_w = np.allclose(weight.numpy(), graph_run["weight"], rtol=1e-5)
print(f"largest loss difference {gap:.1g}; same weights: {same_w}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Both modes call the same kernels and the same gradient functions in the same order, so the numbers
# agree to float32 rounding (here exactly). The mode changes how you write and debug the program, not what it
# computes.

# %% slideshow={"slide_type": "skip"}
assert gap <= 1e-4 * graph_losses[0], "eager and graph losses should agree"
assert same_w and np.allclose(bias.numpy(), graph_run["bias"], rtol=1e-5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What eager costs: per-op overhead
#
# A graph is planned once; each `sess.run` replays the cached plan (计划).  Eagerly, Python
# dispatches every op, every step, and the tape records it.  One more training step, timed:

# %% slideshow={"slide_type": "-"}
def eager_step():
    with tf.GradientTape() as tape:
        y_label = tf.matmul(X_train_s, weight) + bias
        loss = tf.reduce_mean(tf.square(y_train - y_label))
    grads = tape.gradient(loss, [weight, bias])
    optimizer.apply_gradients(zip(grads, [weight, bias]))

start = time.perf_counter()
for _ in range(300):
    eager_step()
eager_seconds = (time.perf_counter() - start) / 300

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The graph-mode process timed 300 `sess.run(train, feed)` the same way, after its 100 training
# steps. Both continue training from where they were, so the work per step is identical.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Timings vary from run to run and machine to machine: read the ratio, roughly.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
small = tf.constant([1.0, 2.0])
start = time.perf_counter()
for _ in range(1000):
    small + small                    # one eager op on 2 numbers
op_seconds = (time.perf_counter() - start) / 1000
ratio = eager_seconds / graph_run["step_seconds"]
print(f"one eager op on 2 numbers: {op_seconds * 1e6:.0f} µs")
print(f"one step: eager {eager_seconds * 1e6:.0f} µs,"
      f" graph {graph_run['step_seconds'] * 1e6:.0f} µs")
print(f"eager / graph: about {float(f'{ratio:.1g}'):g}x")

# %% slideshow={"slide_type": "-"}
assert min(op_seconds, eager_seconds, graph_run["step_seconds"]) > 0
print("both modes ran 300 timed steps of the same update")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* On an 800×4 problem each op does little arithmetic, so the per-op cost (Python dispatch, the
# tape) dominates: a step runs many small ops (forward, the backward pass, the updates), each paying a cost like the
# one measured on 2 numbers, and eager is many times slower here (the ratio above; it varies with the machine's
# load). On big matrices the arithmetic dominates and the
# difference shrinks. That trade (convenient, slower for many small ops) is why TF 2 added `tf.function`: write
# eagerly, then run as a graph.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## `tf.contrib.eager` idioms  (`tfe`)
#
# Early eager code (TF 1.5-1.7, the lecture's `import tensorflow.contrib.eager as tfe`) spells
# things with `tfe.`; they are the same objects as the main names:

# %% slideshow={"slide_type": "-"}
print(tfe.Variable is tf.Variable,
      tfe.GradientTape is tf.GradientTape,
      tfe.executing_eagerly())
cube = lambda x: x * x * x
d_cube = tfe.gradients_function(cube)    # d/dx of a function
print(d_cube(2.0))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `gradients_function(f)` returns a function giving the gradients of `f` with respect to its
# arguments (a list, one per argument): $3x^2 = 12$ at 2. It is a tape around `f` with `watch` on the arguments.

# %% [markdown] slideshow={"slide_type": "subslide"}
# `tfe.implicit_gradients(f)`: gradients with respect to the **variables** `f` reads, paired with
# them, ready for `apply_gradients`.  And `minimize` takes a function:

# %% slideshow={"slide_type": "-"}
v = tfe.Variable(3.0)
square = lambda: v * v
print(tfe.implicit_gradients(square)())
tf.train.GradientDescentOptimizer(0.25).minimize(square)
print("after one step:", v.numpy())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* $d(v^2)/dv = 6$ at 3; one step with rate 0.25 gives $3 - 0.25 \cdot 6 = 1.5$. In graph mode
# `minimize` takes a loss tensor; eagerly a tensor is already a number, so it needs a function it can run on a tape.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Devices in eager mode: `.gpu()` / `.cpu()`
#
# The lecture: eager execution does not move tensors to the GPU by itself (不能自动调用 GPU 资源);
# copy them explicitly.  Here only when this machine has a GPU:

# %% slideshow={"slide_type": "-"}
t = tf.constant([1.0, 2.0])
if tf.test.is_gpu_available():
    t_gpu = t.gpu()                  # copy to GPU 0 (t.gpu(1): GPU 1)
    back = (t_gpu * 2).cpu()         # computed there, copied back
else:
    back = t * 2                     # no GPU: compute on the CPU
print(back.numpy(), back.device.split("/")[-1])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Both branches print the same: the result is copied back to the CPU with `.cpu()`. `t.gpu()` on a
# machine without a GPU raises an InvalidArgumentError ("unknown device"). `tf.device("/gpu:0")` blocks work eagerly too; chapter 10 is about devices.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three short exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 checks a tape gradient against calculus, exercise 2 asks what a second `gradient` call
# does, exercise 3 trains eagerly to the exact least-squares answer.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · A tape gradient against calculus (练习 1)
#
# Logistic loss (逻辑回归损失) on the data below: $L(w) = \mathrm{mean}(\log(1 + e^{-t \cdot Xw}))$,
# $t = \pm 1$ the labels, $X$ `X_ex` (50×3), $w$ a (3, 1) tf.Variable starting at `w_ex`.
# - `grad_tape`: $\partial L/\partial w$ from a `tf.GradientTape` (a tf.Tensor, shape (3, 1));
# - `grad_numpy`: the same from your own numpy formula,
#   $-X^\top (t \cdot \sigma(-t \cdot Xw)) / n$, $\sigma$ the sigmoid (a numpy array).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The data is random, so the numbers cannot be guessed; the check computes the derivative itself.
# A classic mistake is a sum instead of the mean (off by n = 50).

# %% slideshow={"slide_type": "skip"}
rng_ex = np.random.default_rng(2026)
X_ex = rng_ex.normal(size=(50, 3)).astype(np.float32)
t_ex = np.where(rng_ex.uniform(size=(50, 1)) < 0.5, -1.0, 1.0).astype(np.float32)
w_ex = rng_ex.normal(size=(3, 1)).astype(np.float32)

# %% nbgrader={"grade": false, "grade_id": "ch09-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
grad_tape = None
grad_numpy = None
### BEGIN SOLUTION
w_var = tf.Variable(w_ex)
with tf.GradientTape() as tape:
    margin = t_ex * tf.matmul(X_ex, w_var)
    loss_ex = tf.reduce_mean(tf.log(1 + tf.exp(-margin)))
grad_tape = tape.gradient(loss_ex, w_var)
margin_np = t_ex * (X_ex @ w_ex)
grad_numpy = -X_ex.T @ (t_ex / (1 + np.exp(margin_np))) / len(X_ex)
print(grad_tape.numpy().ravel(), grad_numpy.ravel())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch09-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
_X, _t, _w = (a.astype(np.float64) for a in (X_ex, t_ex, w_ex))
_expected = -_X.T @ (_t / (1 + np.exp(_t * (_X @ _w)))) / len(_X)
assert grad_tape is not None and grad_numpy is not None, "set grad_tape and grad_numpy"
assert isinstance(grad_tape, tf.Tensor), \
    f"grad_tape should be the tf.Tensor that tape.gradient returns, got {type(grad_tape).__name__}"
assert isinstance(grad_numpy, np.ndarray), \
    f"grad_numpy should be a numpy array computed with numpy, got {type(grad_numpy).__name__}"
assert tuple(grad_tape.shape.as_list()) == (3, 1) and np.shape(grad_numpy) == (3, 1), \
    "both gradients should have w's shape (3, 1)"
assert not np.allclose(grad_numpy, len(_X) * _expected, rtol=1e-3), \
    "grad_numpy is n times too large: L is the mean over the rows, not the sum"
assert np.allclose(grad_numpy, _expected, rtol=1e-4, atol=1e-6), \
    "grad_numpy does not match dL/dw = -X^T (t * sigmoid(-t * Xw)) / n at w_ex"
assert np.allclose(grad_tape.numpy(), _expected, rtol=1e-4, atol=1e-6), \
    "grad_tape does not match dL/dw at w_ex: differentiate L itself, with w a variable starting at w_ex"
print("Exercise 1 ok: the tape and calculus agree")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens if you ask a tape twice? (练习 2)
#
# With `x = tf.constant(x_ex)` (below) watched on an ordinary tape, compute $y = x^3$, then call
# `tape.gradient(y, x)` **twice**.
# - `first_grad`: the first call's result, as a float;
# - `second_error`: the exception object the second call raises (catch it with `try/except`);
# - `persistent_grads`: `[dy/dx, dz/dx]` (floats) from one `persistent=True` tape, with
#   $z = \sin(x)$ recorded beside $y$.
#
# What does the message say, and why might a tape free its records?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A tape keeps every intermediate tensor alive until it is used; freeing them after one gradient saves
# memory in the common one-gradient case. `persistent=True` is the opt-in to keep them (and `del tape` to free).

# %% slideshow={"slide_type": "skip"}
x_ex = np.float32(np.random.default_rng(77).uniform(0.5, 2.0))

# %% nbgrader={"grade": false, "grade_id": "ch09-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
first_grad = None
second_error = None
persistent_grads = None
### BEGIN SOLUTION
x = tf.constant(x_ex)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x * x * x
first_grad = float(tape.gradient(y, x))
try:
    tape.gradient(y, x)
except Exception as e:
    second_error = e
print(type(second_error).__name__, second_error)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y, z = x * x * x, tf.sin(x)
persistent_grads = [float(tape.gradient(y, x)), float(tape.gradient(z, x))]
print(first_grad, persistent_grads)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch09-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
_x = float(x_ex)
assert first_grad is not None and abs(float(first_grad) - 3 * _x ** 2) < 1e-4 * 3 * _x ** 2, \
    "first_grad should be dy/dx = 3 x^2 at x = x_ex, from the tape's first gradient call"
assert isinstance(second_error, BaseException), \
    f"second_error should be the exception the second tape.gradient call raised, got {second_error!r}"
assert isinstance(second_error, RuntimeError) and "once" in str(second_error), \
    f"second_error should be what tape.gradient raises on its second call, got {second_error!r}"
assert persistent_grads is not None and len(persistent_grads) == 2, \
    "persistent_grads should hold [dy/dx, dz/dx]"
assert np.allclose([float(g) for g in persistent_grads], [3 * _x ** 2, np.cos(_x)], rtol=1e-4), \
    "persistent_grads should be [3 x^2, cos(x)] at x = x_ex, both from one persistent tape"
print(f"Exercise 2 ok: {type(second_error).__name__}: {second_error}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · Train eagerly to the exact answer (练习 3)
#
# Fit `y_fit_data ≈ X_fit @ w + b` (data below) by gradient descent written eagerly: variables
# `w_fit` (shape (3, 1)) and `b_fit` (shape (1,)) starting at **zero**, MSE loss, a
# `tf.GradientTape` and `tf.train.GradientDescentOptimizer(0.1)`, 200 steps.  Keep each step's loss
# (before its update, as a float) in the list `fit_losses`.  The result should be the exact
# least-squares fit (最小二乘), which `np.linalg.lstsq` gives.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The loss is a convex quadratic, so gradient descent with a small enough rate converges to the one
# optimum. The check recomputes the optimum and the first loss, so copying lstsq's answer into the variables fails.

# %% slideshow={"slide_type": "skip"}
rng_fit = np.random.default_rng(31)
X_fit = rng_fit.normal(size=(200, 3)).astype(np.float32)
y_fit_data = (X_fit @ rng_fit.normal(size=(3, 1)) + rng_fit.normal()
              + 0.3 * rng_fit.normal(size=(200, 1))).astype(np.float32)

# %% nbgrader={"grade": false, "grade_id": "ch09-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
w_fit = None
b_fit = None
fit_losses = None
### BEGIN SOLUTION
w_fit = tf.Variable(tf.zeros([3, 1]))
b_fit = tf.Variable(tf.zeros([1]))
fit_optimizer = tf.train.GradientDescentOptimizer(0.1)
fit_losses = []
for _ in range(200):
    with tf.GradientTape() as tape:
        fit_loss = tf.reduce_mean(tf.square(y_fit_data - (tf.matmul(X_fit, w_fit) + b_fit)))
    fit_grads = tape.gradient(fit_loss, [w_fit, b_fit])
    fit_optimizer.apply_gradients(zip(fit_grads, [w_fit, b_fit]))
    fit_losses.append(float(fit_loss))
print("loss first/last:", fit_losses[0], fit_losses[-1])
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch09-ex3-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
_A = np.column_stack([X_fit, np.ones(len(X_fit))]).astype(np.float64)
_exact, *_ = np.linalg.lstsq(_A, y_fit_data.astype(np.float64), rcond=None)
_optimum = float(np.mean((_A @ _exact - y_fit_data) ** 2))
assert w_fit is not None and b_fit is not None and fit_losses is not None, \
    "set w_fit, b_fit and fit_losses"
assert isinstance(w_fit, tf.Variable) and isinstance(b_fit, tf.Variable), \
    "w_fit and b_fit should be tf.Variable objects, trained by the optimizer"
assert len(fit_losses) == 200, f"fit_losses should hold one loss per step (200), got {len(fit_losses)}"
assert abs(fit_losses[0] - float(np.mean(y_fit_data.astype(np.float64) ** 2))) < 1e-4 * fit_losses[0], \
    "fit_losses[0] should be the loss of the zero start, before the first update"
assert all(b <= a * (1 + 1e-6) for a, b in zip(fit_losses, fit_losses[1:])), \
    "with rate 0.1 the loss should never go up: is fit_losses the loss of each step in order?"
assert np.allclose(w_fit.numpy().ravel(), _exact[:3, 0], atol=1e-3) and \
    np.allclose(b_fit.numpy(), _exact[3], atol=1e-3), \
    "w_fit and b_fit should end at the least-squares optimum (np.linalg.lstsq on [X_fit, 1])"
assert abs(fit_losses[-1] - _optimum) < 1e-3 * _optimum, "the last loss should be the optimum's loss"
print(f"Exercise 3 ok: eager gradient descent reached the least-squares optimum (MSE {_optimum:.4f})")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Graph mode (静态图): build, then `sess.run`; tensors print as symbols, errors come at run time.
# - Eager execution (动态图, 即时执行): `tf.enable_eager_execution()` first, once per program;
#   ops return EagerTensors with values (`.numpy()`); no placeholders, no sessions; Python `if`/`for`.
# - Switching modes needs a fresh process: in a notebook, restart the kernel.
# - Gradients: `tf.GradientTape` records what ran (梯度带); variables are watched, constants need
#   `tape.watch`; one `gradient` call unless `persistent=True`.
# - Same kernels, same numbers as graph mode; the price is per-op overhead.
# - `tfe.*` names are the same objects; `.gpu()` / `.cpu()` copy tensors between devices.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's closing line calls Eager Execution "TensorFlow 的动态图模式". Next chapter: devices and
# the kernels that run on them.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not TensorFlow, and not needed for anything above.  In minitf an eager op goes through the same op
# registry as a graph op: `apply_op` sees eager mode and calls `minitf.eager.execute.execute`, which
# runs the op's shape function (its checks raise the errors seen above), builds the registry's
# kernel (the same factory, `get_op_def(type).kernel`, that a graph session's plan calls), and keeps it in a cache keyed by op type, attributes, device and input shapes/dtypes.  A
# repeated op (every training step) is one dictionary lookup and one kernel call.

# %% slideshow={"slide_type": "skip"}
from minitf.eager import execute as eager_execute

from minitf.framework.registry import get_op_def

print("\n\n".join(eager_execute.__doc__.split("\n\n")[1:3]))
print("MatMul's kernel factory:", get_op_def("MatMul").kernel.__module__)
cached_types = sorted({key[0] for key in eager_execute._cache})
print(len(eager_execute._cache), "cached kernels, op types:", ", ".join(cached_types[:8]), "...")
assert "MatMul" in cached_types
