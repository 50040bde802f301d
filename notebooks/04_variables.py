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
# # 4 · Variables 变量
#
# **Goals**
# - hold model parameters in variables: `tf.Variable(initial_value, ..., trainable, name)`;
# - know the initializer functions and the two steps of initialization;
# - initialize all variables or only some, and read the error an uninitialized variable gives;
# - change a variable with `assign`, and see that its value lives in the session.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Parameters are variables  (2 定义模型主要部分计算图)
#
# A model is a set of operations and their parameters, e.g. linear regression $(W \times X) + b$.
# The parameters keep changing while the model learns, so they are **variables**: terminal nodes of the
# graph attached to the operations that use them.  Here: `W` (weights 权重) and `b` (bias 偏置).
# **A variable must be initialized before it is used.**

# %% [markdown] slideshow={"slide_type": "subslide"}
# The basic form (变量定义的基本形式): `tf.Variable(initial_value, trainable=True, name=..., dtype=...)`.
# Shape and dtype come from the initial value.  The lecture's column vector:

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
w = tf.Variable(initial_value=np.random.randint(10, size=(2, 1)), name='col_vector', trainable=True)
print(w)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The lecture's linear-regression parameters (only initial value, size and dtype are given):

# %% slideshow={"slide_type": "-"}
tf.set_random_seed(0)
weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
print(weight)
print(bias)

# %% [markdown] slideshow={"slide_type": "subslide"}
# One `tf.Variable` is four graph nodes: the initial value, the variable's storage (`VariableV2`),
# `Assign` (its initializer) and `read` (what other ops consume):

# %% slideshow={"slide_type": "-"}
viz.draw_graph([bias.initializer, bias.value()])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorBoard draws the same four nodes. `float32_ref` on the edge out of the storage means "a reference
# to the variable", which `Assign` writes through.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Initializing: two steps  (5 初始化参数)
#
# 1. when you **define** a variable, give it an initial-value function;
# 2. in the **session**, run the initializer op(s).
#
# Even with a constant or random initial value, a variable has **no value** until step 2 runs in a session.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Session() as sess:
    sess.run(bias)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The most common TF1 beginner error. The message names the variable (`Variable_1` is `bias`: unnamed
# variables are numbered). Ask: which line of the two-step recipe is missing?

# %% [markdown] slideshow={"slide_type": "subslide"}
# Common initial-value functions (常用的 TF 初始化值函数): `tf.constant`, `tf.random_normal`,
# `tf.truncated_normal` (normal, redrawn beyond two standard deviations), `tf.random_uniform`,
# or plain Python/numpy data.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(1)
inits = {
    "constant": tf.Variable(tf.constant(0.5, shape=[4])),
    "random_normal": tf.Variable(tf.random_normal([4], mean=0.0, stddev=1.0)),
    "truncated_normal": tf.Variable(tf.truncated_normal([4], mean=0.0, stddev=1.0)),
    "random_uniform": tf.Variable(tf.random_uniform([4], minval=0, maxval=10)),
    "python value": tf.Variable(22.0),
}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for name, v in inits.items():
        print(f"{name:17}", sess.run(v))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Global and partial initialization  (全局初始化与局部初始化)
#
# - all variables: `tf.global_variables_initializer()`
# - only some: `tf.variables_initializer([a, b, ...])`

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
a = tf.Variable(1.0, name="a")
b = tf.Variable(2.0, name="b")
sess = tf.Session()
sess.run(tf.variables_initializer([a]))
print("a =", sess.run(a))
print("initialized:", sess.run([tf.is_variable_initialized(a), tf.is_variable_initialized(b)]))
print("still uninitialized:", sess.run(tf.report_uninitialized_variables()))

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(a + b)

# %% slideshow={"slide_type": "-"}
sess.run(tf.global_variables_initializer())
print(sess.run(a + b))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Changing a variable: assign
#
# `tf.assign(v, value)` (or `v.assign(value)`) is an op: the variable changes **when the op runs**.
# `assign_add` / `assign_sub` add or subtract.  The new value stays in the session for later runs.

# %% slideshow={"slide_type": "-"}
set_a = tf.assign(a, 10.0)
grow_b = b.assign_add(0.5)
print(sess.run(set_a), sess.run(grow_b), sess.run(grow_b))
print("now a, b =", sess.run([a, b]))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Values live in the session, not in the graph: a second session on the same graph has its own values
# and must initialize again.

# %% slideshow={"slide_type": "-"}
with tf.Session() as other:
    other.run(tf.global_variables_initializer())
    print("other session:", other.run([a, b]), " first session:", sess.run([a, b]))
sess.close()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Trainable or not
#
# Variables go into collections: all of them into `tf.global_variables()`, those with `trainable=True`
# (the default) also into `tf.trainable_variables()`, which optimizers update (chapter 5).

# %% slideshow={"slide_type": "-"}
step = tf.Variable(0, trainable=False, name="step")
print([v.name for v in tf.global_variables()])
print([v.name for v in tf.trainable_variables()])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: the session stores the values
#
# Running an `Assign` kernel ends in this method of the session's `Runtime`: it checks the shape and keeps
# the numpy array under the variable's name.  Reading an uninitialized variable finds nothing there,
# hence the error above.

# %% slideshow={"slide_type": "-"}
from minitf.client.runtime import Runtime
print(inspect.getsource(Runtime.set_variable))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Create `W` (3×2, `tf.truncated_normal` with `stddev=0.1`) and `b2` (zeros, shape `[2]`).
# In a session `s1`, initialize **only `W`**.  Store `W`'s value in `w_value` and whether `b2` is
# initialized in `b2_ready`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
tf.set_random_seed(3)
W = tf.Variable(tf.truncated_normal([3, 2], stddev=0.1), name="W")
b2 = tf.Variable(tf.zeros([2]), name="b2")
s1 = tf.Session()
s1.run(tf.variables_initializer([W]))
w_value = s1.run(W)
b2_ready = s1.run(tf.is_variable_initialized(b2))

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert w_value.shape == (3, 2) and np.all(np.abs(w_value) <= 0.2), w_value
assert not b2_ready
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Make a counter: an integer variable starting at 0 and an op `inc` that adds 1.
# Run `inc` five times and store the final value in `count`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
counter = tf.Variable(0, name="counter")
inc = tf.assign_add(counter, 1)
with tf.Session() as sess:
    sess.run(counter.initializer)
    for _ in range(5):
        sess.run(inc)
    count = sess.run(counter)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert count == 5, count
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Build two variables from Python values, `lr` (0.1, **not** trainable) and `theta`
# (`[1.0, 2.0]`), then an op `shrink` that sets `theta` to `theta * (1 - lr)`.  After initializing and
# running `shrink` twice, store `theta`'s value in `theta_value`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
lr = tf.Variable(0.1, trainable=False, name="lr")
theta = tf.Variable([1.0, 2.0], name="theta")
shrink = tf.assign(theta, theta * (1 - lr))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(shrink)
    sess.run(shrink)
    theta_value = sess.run(theta)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert np.allclose(theta_value, [0.81, 1.62]), theta_value
assert [v.op.name for v in tf.trainable_variables()] == ["theta"]
print("exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Model parameters are variables (变量): `tf.Variable(initial_value, trainable=..., name=...)`.
# - Defining a variable gives it an initializer; running the initializer in a session gives it a value:
#   `tf.global_variables_initializer()` for all, `tf.variables_initializer([...])` for some.
# - Using a variable before that fails with `FailedPreconditionError`.
# - `assign` / `assign_add` change a variable when they run; each session has its own values.
#
# Next: [05 · autodiff and optimizers](05_autodiff_optimizers.ipynb).
