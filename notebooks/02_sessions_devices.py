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
# # 2 · Sessions 会话 and devices
#
# **Goals**
# - run a graph with both session styles, `Tensor.eval()` and several fetches in one run;
# - see where each op runs (`log_device_placement`) and pin ops to a device with `tf.device`;
# - see why a random op draws new numbers at every run, unlike a numpy value, and make it repeatable;
# - translate numpy code to TensorFlow with the numpy ↔ TensorFlow table.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 01 built graphs; this one runs them. The numpy table at the end is the bridge
# for students who already know numpy: most TensorFlow ops have a numpy twin with a similar name.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a session does  (运行模型-会话)
#
# - it gives the graph its inputs, says which results to fetch, and **starts the data flowing**
#   through the graph;
# - it owns and manages all the resources of a running program: hardware (CPU, GPU) and data
#   (the values of the variables).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The graph is the plan, the session is the run. Two sessions on one graph are two
# independent runs: each has its own variable values and its own random-number state (we will see it).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Two ways to use a session  (会话的两种模式)
#
# 1. create it, run, and close it explicitly;
# 2. use Python's context manager (`with`), which closes it for you.

# %% slideshow={"slide_type": "-"}
a = tf.constant(1., name="const1")
b = tf.constant(2., name="const2")
c = tf.add(a, b)

sess = tf.Session()          # style 1
print(sess.run(c))
sess.close()

with tf.Session() as sess:   # style 2
    print(sess.run(c))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `with` style is what most code uses: the session is closed even when an error
# interrupts the block. Style 1 is handy in a notebook, as long as you remember `close()`.

# %% [markdown] slideshow={"slide_type": "fragment"}
# A closed session cannot run anything:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(c)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The basic flow: graph + script  (TensorFlow 编程基本流程)
#
# Draw the graph (画个图), then run it in a session (执行剧本).  The lecture's program; note the last
# line: `c.eval` *without parentheses* is the method itself, not its result.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run(c))
    print(c.eval)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's comment says "eval() evaluates a string expression": that is Python's
# built-in `eval`. `Tensor.eval()` is a different thing: it runs the tensor in the default session.

# %% [markdown] slideshow={"slide_type": "fragment"}
# Inside `with tf.Session() as sess:` the session is the *default session*, so `c.eval()` runs `c` in it
# (the same as `sess.run(c)`):

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(c.eval())

# %% [markdown] slideshow={"slide_type": "subslide"}
# `tf.InteractiveSession` makes itself the default at once, handy in a notebook:

# %% slideshow={"slide_type": "-"}
isess = tf.InteractiveSession()
print(c.eval(), (c * 10).eval())
isess.close()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `(c * 10).eval()` adds a new `Mul` node to the graph and runs it: every expression
# with a tensor builds graph, even inside a session.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Several fetches in one run
#
# `sess.run` takes a list, tuple or dict of tensors and returns the values in the same structure.
# One run computes each node once, even when several fetches need it.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run([a, b, c]))
    print(sess.run({"sum": c, "inputs": (a, b)}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* "Computed once per run" matters as soon as a node is random: two tensors fetched in the
# same run see the same random draw; fetched in two runs they do not. Exercise 1 is built on this.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Devices: CPU and GPU  (调用 GPU 或 CPU)
#
# - With a GPU, TensorFlow places ops on `GPU:0` by default; you can choose a device by hand.
# - `ConfigProto(log_device_placement=True)` makes the session print where each node runs.
#
# The lecture's program:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
sum12 = v1 + v2

config = tf.ConfigProto(log_device_placement=True)
with tf.Session(config=config) as sess:
    print(sess.run(sum12))

# %% slideshow={"slide_type": "skip"}
# The log above names this machine's devices; nbval's sanitizer (notebooks/sanitize.cfg) maps the
# device list and GPU:N to what a CPU-only machine prints, so the log is checked too. The result:
with tf.Session() as sess:
    assert sess.run(sum12).tolist() == [2.0, 4.0, 6.0]

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The output stored in the notebook comes from a machine without a GPU, so every op
# lands on the CPU. On a machine with an NVIDIA GPU the three lines say `device:GPU:0` and the first line
# lists the GPU. As in TensorFlow 1.x, the log lists the newest nodes first. The lecture passes
# `tf.ConfigProto(...)` inline; naming it `config` only keeps the line short.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Placing the ops by hand with `tf.device('/CPU:0')` (`/cpu:0` works too):

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device('/CPU:0'):
    v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
    v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
    sum12 = v1 + v2

    config = tf.ConfigProto(log_device_placement=True)
    with tf.Session(config=config) as sess:
        print(sess.run(sum12))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.device` is a context manager like `name_scope`: every op built inside it records
# the device it asks for.

# %% [markdown] slideshow={"slide_type": "fragment"}
# The requested device is stored on each op:

# %% slideshow={"slide_type": "-"}
print(sum12.op.device, v1.device)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Asking for a device that does not exist is an error (exercise 3), unless `allow_soft_placement=True`
# lets the op fall back to a device that exists:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device('/GPU:7'):
    big = tf.constant([1.0, 2.0]) * 100
config = tf.ConfigProto(allow_soft_placement=True)
with tf.Session(config=config) as sess:
    print(sess.run(big))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* minitf's GPU kernels are numba.cuda kernels; without a GPU they can run in numba's
# simulator (`NUMBA_ENABLE_CUDASIM=1`), which is how the course tests them. A later chapter looks at them.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## numpy vs TensorFlow: random numbers  (Numpy vs TensorFlow)
#
# numpy computes `a` once; printing it five times prints the same number.

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
a = np.random.rand(1)
for i in range(5):
    print(a)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `a` is an array: the random draw happened once, on the line that made it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# In TensorFlow, `a` is a random **op**: every `sess.run` runs it again and draws a new number.
# `tf.set_random_seed` makes the sequence repeatable (the lecture's output had no seed).

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
a = tf.random_normal([1], name="random")
with tf.Session() as sess:
    for i in range(5):
        print(sess.run(a))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Without the seed the five numbers change at every run of the notebook. With the seed
# everyone in the room sees the same five numbers: check that together.

# %% [markdown] slideshow={"slide_type": "fragment"}
# With a seed, a **new session replays the same sequence**: the random generator's state lives in the
# session, not in the graph.

# %% slideshow={"slide_type": "-"}
with tf.Session() as s1, tf.Session() as s2:
    first, second = s1.run(a), s2.run(a)
print(first, second, first == second)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## From numpy to TensorFlow  (Numpy 到 TensorFlow 使用对应表)
#
# | numpy | TensorFlow 1.x |
# |---|---|
# | `np.zeros((2, 3))`, `np.ones((2, 3))` | `tf.zeros([2, 3])`, `tf.ones([2, 3])` |
# | `np.dot(a, b)`, `a.T` | `tf.matmul(a, b)`, `tf.transpose(a)` |
# | `a[1, :2]`, `a[:, 0]` | `a[1, :2]`, `a[:, 0]` |
# | `np.sum(a, axis=0)`, `np.mean(a)`, `np.max` | `tf.reduce_sum(a, axis=0)`, `tf.reduce_mean(a)`, `tf.reduce_max` |
# | `np.reshape(a, (3, 2))`, `a.shape` | `tf.reshape(a, [3, 2])`, `a.shape` (`a.get_shape()`) |
# | `a * 5 + 1`, `a.astype(np.int32)` | `a * 5 + 1`, `tf.cast(a, tf.int32)` |
# | `np.random.normal(0, 1, (2,))`, `np.random.uniform` | `tf.random_normal([2], 0, 1)`, `tf.random_uniform` |
#
# The big difference: the right column builds graph nodes; numbers come out of `sess.run`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Reductions are the names to learn: numpy's `sum/mean/max` become `reduce_sum/
# reduce_mean/reduce_max`, with the same `axis`. Older TensorFlow code writes `reduction_indices=` for
# `axis=`; minitf accepts both.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Both columns on the same array give the same numbers:

# %% slideshow={"slide_type": "-"}
x = np.arange(6, dtype=np.float32).reshape(2, 3)
t = tf.constant(x)
pairs = {"zeros": (np.zeros((2, 3)), tf.zeros([2, 3])),
         "dot": (np.dot(x, x.T), tf.matmul(t, tf.transpose(t))),
         "index": (x[1, :2], t[1, :2]),
         "sum": (np.sum(x, axis=0), tf.reduce_sum(t, axis=0)),
         "reshape": (np.reshape(x, (3, 2)), tf.reshape(t, [3, 2]))}
with tf.Session() as sess:
    for name, (by_numpy, tensor) in pairs.items():
        same = np.array_equal(by_numpy, sess.run(tensor))
        print(f"{name:8}", same, by_numpy.tolist())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Each line compares numpy's result with what the session computed; all say `True`.
# The last column shows numpy's value for reference.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Random numbers are the exception: the two libraries have different generators, so the **values** differ,
# while the **distribution** is the same.  10 000 draws from N(0, 1):

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
by_numpy = np.random.normal(0.0, 1.0, (10000,))
tf.reset_default_graph()
tf.set_random_seed(0)
draws = tf.random_normal([10000], 0.0, 1.0)
with tf.Session() as sess:
    by_tf = sess.run(draws)
for name, draw in [("numpy", by_numpy), ("tf", by_tf)]:
    print(f"{name:5} first: {draw[:3]}  mean {draw.mean():.2f}"
          f"  std {draw.std():.2f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same seed, different first values: seeds are not shared between libraries. Means near 0
# and standard deviations near 1 in both: the same distribution.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises.*  minitf's session keeps one numpy random generator per random op,
# made from the op's seeds on first use.  That is why two sessions on one graph are independent, and
# why a seeded op replays its numbers in a new session.  (The source is in the notebook.)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Optional. TensorFlow does the same in C++: the random kernel of each op keeps its
# generator, and a new session makes new kernels.

# %% slideshow={"slide_type": "skip"}
from minitf.client.runtime import Runtime
print(inspect.getsource(Runtime.random_generator))

# %% [markdown] slideshow={"slide_type": "skip"}
# The seeds are attributes of the graph node that draws the numbers (graph seed, op seed):

# %% slideshow={"slide_type": "skip"}
draw = draws.op.inputs[0].op.inputs[0].op
print(draw.type, " seed =", draw.get_attr("seed"), " seed2 =", draw.get_attr("seed2"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three exercises: one run with several fetches, a numpy program in TensorFlow, and a device that does
# not exist.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 is the one that teaches the most: a run is the unit of computation.
# Exercise 3 is the open one: predict what happens before running.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · Several fetches, ONE run (练习 1)
#
# The answer cell makes a seeded random op `noise` (4 numbers).  Build `total = tf.reduce_sum(noise)` and
# `mean = tf.reduce_mean(noise)`, open a session `sess = tf.Session()` (leave it open: the check looks
# at it) and fetch `noise`, `total` and `mean` in **one** `sess.run`, as a dict.
#
# Set: `total`, `mean`, `sess`, `stats = {"noise": ..., "sum": ..., "mean": ...}` (the values).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Three runs would give a sum and a mean of different draws. The check replays the seeded
# op in a session of its own, and asks `sess` for one more draw: after exactly one run, `sess` must give
# the second draw of the sequence.

# %% nbgrader={"grade": false, "grade_id": "ch02-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
tf.set_random_seed(2019)
noise = tf.random_uniform([4], name="noise")   # new numbers at every run
total = None
mean = None
sess = None
stats = None
### BEGIN SOLUTION
total = tf.reduce_sum(noise)
mean = tf.reduce_mean(noise)
sess = tf.Session()
stats = sess.run({"noise": noise, "sum": total, "mean": mean})
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch02-ex1-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(total, tf.Tensor) and total.op.type == "Sum" and total.op.inputs[0] is noise, \
    "total should be tf.reduce_sum(noise)"
assert isinstance(mean, tf.Tensor) and mean.op.type == "Mean" and mean.op.inputs[0] is noise, \
    "mean should be tf.reduce_mean(noise)"
assert isinstance(stats, dict) and set(stats) == {"noise", "sum", "mean"}, \
    'stats should be the dict that sess.run({"noise": ..., "sum": ..., "mean": ...}) returned'
with tf.Session(graph=noise.graph) as _replay:   # the seeded op's first two draws in a new session
    _first, _second = _replay.run(noise), _replay.run(noise)
assert np.array_equal(stats["noise"], _first), \
    "stats['noise'] is not the first draw of a new session: fetch it with your session's first run"
assert np.isclose(stats["sum"], _first.sum()) and np.isclose(stats["mean"], _first.mean()), \
    "stats['sum'] and stats['mean'] come from other draws than stats['noise']: fetch all three in ONE run"
assert isinstance(sess, tf.Session), "sess should be the tf.Session() you fetched with"
try:
    _next = sess.run(noise)
except RuntimeError:
    _next = None
assert _next is not None, \
    "sess is closed: leave it open (no `with` here), and re-run your answer cell before this check"
assert np.array_equal(_next, _second), \
    "sess ran the random op more than once: fetch noise, total and mean in ONE sess.run" \
    " (and re-run your answer cell before running this check again)"
sess.close()
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · A numpy program in TensorFlow (练习 2)
#
# The answer cell computes `np_result = np.reshape(np.sum(np.dot(data, weight), axis=0), (2, 1))` with
# numpy.  Write the same computation as a TensorFlow graph `tf_result`, starting from
# `tf.constant(data)` and `tf.constant(weight)` and using the table (no numpy inside the graph), run it
# and store its value in `tf_value`.
#
# Set: `tf_result` (a tensor), `tf_value` (its value from a session).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The check feeds *other* numbers into the two constants (any tensor can be fed, chapter
# 03) and compares with numpy: only a graph that really computes `dot`, `sum` and `reshape` passes, not a
# constant holding numpy's answer.

# %% nbgrader={"grade": false, "grade_id": "ch02-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
rng = np.random.RandomState(7)
data = rng.rand(5, 3).astype(np.float32)
weight = rng.rand(3, 2).astype(np.float32)
np_result = np.reshape(np.sum(np.dot(data, weight), axis=0), (2, 1))
tf_result = None
tf_value = None
### BEGIN SOLUTION
data_t = tf.constant(data)
weight_t = tf.constant(weight)
tf_result = tf.reshape(tf.reduce_sum(tf.matmul(data_t, weight_t), axis=0), [2, 1])
with tf.Session() as sess:
    tf_value = sess.run(tf_result)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch02-ex2-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(tf_result, tf.Tensor), f"tf_result should be a tensor, got {type(tf_result).__name__}"
_ancestors, _stack = set(), [tf_result.op]
while _stack:
    _op = _stack.pop()
    if _op not in _ancestors:
        _ancestors.add(_op)
        _stack.extend(t.op for t in _op.inputs)
_types = {op.type for op in _ancestors}
assert {"MatMul", "Sum"} <= _types, \
    f"tf_result should be computed in the graph with tf.matmul and tf.reduce_sum; it uses {sorted(_types)}"
def _const_holding(array):
    return [op.outputs[0] for op in _ancestors if op.type == "Const"
            and np.array_equal(op.get_attr("value"), array)]
assert _const_holding(data) and _const_holding(weight), \
    "tf_result should start from tf.constant(data) and tf.constant(weight)"
_rng = np.random.RandomState(2019)          # other numbers, fed into your two constants
_data2 = _rng.rand(5, 3).astype(np.float32)
_weight2 = _rng.rand(3, 2).astype(np.float32)
_feed = {t: _data2 for t in _const_holding(data)}
_feed.update({t: _weight2 for t in _const_holding(weight)})
with tf.Session(graph=tf_result.graph) as _sess:
    _fed = _sess.run(tf_result, feed_dict=_feed)
    _own = _sess.run(tf_result)
assert _fed.shape == (2, 1), f"tf_result should have shape (2, 1) like np_result, got {_fed.shape}"
assert np.allclose(_fed, np.reshape(np.sum(np.dot(_data2, _weight2), axis=0), (2, 1)), atol=1e-5), \
    "with other data, tf_result does not compute what the numpy program computes"
assert isinstance(tf_value, np.ndarray) and np.array_equal(tf_value, _own), \
    "tf_value should be what sess.run(tf_result) returned"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · What happens if you ask for a GPU that does not exist? (练习 3)
#
# Build `doubled = tf.constant([1.0, 2.0]) * 2` inside `with tf.device('/GPU:7'):`.  Predict first, then:
# 1. run it in a plain `tf.Session()`, catching what happens in `missing_error` (as in chapter 00);
# 2. run it in a session with `tf.ConfigProto(allow_soft_placement=True)`; store the value in `soft_value`.
#
# Set: `doubled`, `missing_error`, `soft_value`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Building succeeds: the device is only a request stored on the op. The error comes when
# the session places the graph: `InvalidArgumentError: Cannot assign a device for operation ...`, listing
# the devices that exist. Soft placement moves the op to one of them.

# %% nbgrader={"grade": false, "grade_id": "ch02-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
doubled = None
missing_error = None
soft_value = None
### BEGIN SOLUTION
with tf.device('/GPU:7'):
    doubled = tf.constant([1.0, 2.0]) * 2
try:
    with tf.Session() as sess:
        sess.run(doubled)
except Exception as error:
    missing_error = error
with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
    soft_value = sess.run(doubled)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch02-ex3-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(doubled, tf.Tensor) and doubled.op.type == "Mul", \
    "doubled should be the tensor tf.constant([1.0, 2.0]) * 2"
assert "GPU:7" in doubled.op.device, \
    f"doubled should be built inside tf.device('/GPU:7'); its device is {doubled.op.device!r}"
assert isinstance(missing_error, tf.errors.InvalidArgumentError), \
    f"missing_error should be the error a plain session raised when running doubled, got {missing_error!r}"
assert "GPU:7" in str(missing_error) and "Cannot assign a device" in str(missing_error), \
    "missing_error should be the placement error about GPU:7 that the session raised"
assert isinstance(soft_value, np.ndarray) and soft_value.dtype == np.float32 \
    and soft_value.tolist() == [2.0, 4.0], \
    f"soft_value should be what the soft-placement session returned for doubled, got {soft_value!r}"
print("Exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - TensorFlow is a deep learning library with a Python interface (Python 接口的深度学习计算库).
# - It describes a model as a computation graph and runs it in a session (计算图 + 会话).
# - `sess.run(fetches)` takes one tensor or a list/tuple/dict; one run computes each node once.
# - `with tf.Session() as sess:` closes for you and makes `t.eval()` mean `sess.run(t)`.
# - `log_device_placement` shows devices; `tf.device` pins ops; `allow_soft_placement` falls back.
# - Random ops draw anew at every run; seeds make runs repeatable.  numpy ↔ TensorFlow: the table.
#
# Terms: [glossary 术语表](glossary.md).  Next: [03 · feed and fetch](03_feed_fetch.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first two bullets are the lecture's own summary (小结) of this part. Chapter 03
# answers the lecture's remaining question: how data gets in (feed) and out (fetch).
