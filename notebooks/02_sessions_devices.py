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
# - run a graph with both session styles, `Tensor.eval()` and several fetches at once;
# - see where each op runs (`log_device_placement`) and pin ops to a device with `tf.device`;
# - understand why a random op draws new numbers at every run, unlike a numpy value, and make it repeatable.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a session does  (运行模型-会话)
#
# - it gives the graph its inputs, says which results to fetch, and **starts the data flowing**;
# - it owns and manages all the resources of a running program: hardware (CPU, GPU) and data
#   (the values of the variables).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Two ways to use a session  (会话的两种模式)
#
# 1. create it, run, and close it explicitly;
# 2. use Python's context manager (`with`), which closes it for you.

# %% slideshow={"slide_type": "-"}
a = tf.constant(1., name="const1")
b = tf.constant(2., name="const2")
c = tf.add(a, b)

# %% slideshow={"slide_type": "-"}
sess = tf.Session()          # style 1
print(sess.run(c))
sess.close()

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:   # style 2
    print(sess.run(c))

# %% [markdown] slideshow={"slide_type": "fragment"}
# A closed session cannot run anything:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(c)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `with` style is what you will see in most code. The error above is the one students meet when they
# run a cell outside the `with` block that created the session.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The basic flow: graph + script  (TensorFlow 编程基本流程)
#
# The lecture's program.  Note the last line: `c.eval` *without parentheses* is the method itself,
# not its result.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run(c))
    print(c.eval)

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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Several fetches in one run
#
# `sess.run` takes a list, tuple or dict of tensors and returns the values in the same structure.
# One run computes shared parts of the graph only once.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run([a, b, c]))
    print(sess.run({"sum": c, "inputs": (a, b)}))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Devices: CPU and GPU  (调用 GPU 或 CPU)
#
# - With a GPU, TensorFlow places ops on `GPU:0` by default;
# - you can choose a device by hand with `tf.device`.
#
# `ConfigProto(log_device_placement=True)` makes the session print where each node runs.
# This first cell's output depends on your machine (with a GPU, ops land on `GPU:0`):

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
tf.reset_default_graph()
v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
sum12 = v1 + v2

with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
    print(sess.run(sum12))
    result = sess.run(sum12)

# %% slideshow={"slide_type": "-"}
assert result.tolist() == [2.0, 4.0, 6.0]

# %% [markdown] slideshow={"slide_type": "subslide"}
# Placing the ops by hand with `tf.device('/CPU:0')` (`/cpu:0` works too) gives the same output on every
# machine.  As in TensorFlow 1.x, the log lists the newest nodes first:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device('/CPU:0'):
    v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
    v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
    sum12 = v1 + v2

    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        print(sess.run(sum12))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The requested device is stored on each op:

# %% slideshow={"slide_type": "-"}
print(sum12.op.device, v1.device)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Asking for a device that does not exist is an error, unless `allow_soft_placement=True` lets
# the op fall back to the CPU:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device('/GPU:7'):
    big = tf.constant([1.0, 2.0]) * 100
config = tf.ConfigProto(allow_soft_placement=True)
with tf.Session(config=config) as sess:
    print(sess.run(big))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* minitf's GPU kernels are numba.cuda kernels; without a GPU they can run in numba's simulator
# (`NUMBA_ENABLE_CUDASIM=1`), which is how the course tests them. A later chapter looks at them.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## numpy vs TensorFlow: random numbers  (Numpy vs TensorFlow)
#
# numpy computes `a` once; printing it five times prints the same number.

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
a = np.random.rand(1)
for i in range(5):
    print(a)

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
# *Speaker notes:* The lecture's output had five different numbers and no seed, so it changes at every run. With the seed
# everyone in the room sees the same five numbers: check that together.

# %% [markdown] slideshow={"slide_type": "fragment"}
# With a seed, a **new session replays the same sequence**: the random generator's state lives in the
# session, not in the graph.

# %% slideshow={"slide_type": "-"}
with tf.Session() as s1, tf.Session() as s2:
    first, second = s1.run(a), s2.run(a)
print(first, second, first == second)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: where the random state lives
#
# minitf's session keeps a `Runtime` object with the variable values and one numpy generator per random
# op, made from the op's seeds on first use.  That is why two sessions on one graph are independent,
# and why a seeded op replays its numbers in a new session:

# %% slideshow={"slide_type": "-"}
from minitf.client.runtime import Runtime
print(inspect.getsource(Runtime.random_generator))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The seeds are attributes of the graph node that draws the numbers (graph seed, op seed):

# %% slideshow={"slide_type": "-"}
draw = tf.get_default_graph().get_operation_by_name("random/RandomStandardNormal")
print("seed =", draw.get_attr("seed"), " seed2 =", draw.get_attr("seed2"))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Build `x = tf.constant([1.0, 2.0, 3.0])`, its sum and its mean (`tf.reduce_sum`,
# `tf.reduce_mean`), and fetch **both in one run** as a dict `{"sum": ..., "mean": ...}`; store the
# result in `stats`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
x = tf.constant([1.0, 2.0, 3.0])
with tf.Session() as sess:
    stats = sess.run({"sum": tf.reduce_sum(x), "mean": tf.reduce_mean(x)})

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert stats == {"sum": 6.0, "mean": 2.0}, stats
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Make a `tf.random_uniform([3])` op with the *op-level* seed `seed=42`.  Run it once in
# each of two sessions and store the two arrays in `r1` and `r2`.  Are they equal?

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
r = tf.random_uniform([3], seed=42)
with tf.Session() as sess:
    r1 = sess.run(r)
with tf.Session() as sess:
    r2 = sess.run(r)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert r1.shape == (3,) and np.all((0 <= r1) & (r1 < 1))
assert np.array_equal(r1, r2), "a seeded op gives the same numbers in every new session"
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Build `m = tf.matmul(p, q)` for two 2×2 constants of your choice **on the CPU**
# explicitly, so that `m.device` names `CPU:0`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
with tf.device("/cpu:0"):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    q = tf.constant([[0.0, 1.0], [1.0, 0.0]])
    m = tf.matmul(p, q)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert m.op.type == "MatMul" and "CPU:0" in m.device, m.device
print("exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - A session runs a graph: `sess.run(fetches)`; close it, or use `with tf.Session() as sess:`.
# - Inside `with`, the session is the default: `t.eval()` means `sess.run(t)`.
# - Fetch several tensors at once with a list/tuple/dict.
# - `log_device_placement` shows each node's device; `tf.device` pins ops; `allow_soft_placement`
#   falls back to the CPU.
# - Random ops draw anew at every run; `tf.set_random_seed` or `seed=` make runs repeatable.
#
# Next: [03 · feed and fetch](03_feed_fetch.ipynb).
