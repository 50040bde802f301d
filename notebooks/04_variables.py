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
# - hold model parameters (参数) in variables: `tf.Variable(initial_value, ..., trainable, name)`;
# - know the initializer functions and the two steps of initialization (初始化);
# - initialize all variables or only some, and read the error an uninitialized variable gives;
# - change a variable with `assign`, and see that its value lives in the session (会话).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 3 fed data in through placeholders. The other kind of input is the model's own
# parameters, which must survive from one run to the next: that is what variables are for.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Parameters are variables  (2 定义模型主要部分计算图)
#
# A model is a set of operations and their parameters, e.g. linear regression $(W \times X) + b$.
# The parameters keep changing while the model learns, so they are **variables** (变量): terminal nodes
# of the graph attached to the operations that use them.  Here: `W` (weights 权重) and `b` (bias 偏置).
# **A variable must be initialized before it is used** (变量使用前要进行初始化).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Contrast with chapter 3: a placeholder gets a new value at every run (fed), a variable
# keeps its value between runs, in the session, until something assigns a new one.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The basic form (变量定义的基本形式): `tf.Variable(initial_value, trainable=True, name=..., dtype=...)`.
# Shape and dtype come from the initial value.  The lecture's column vector:

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
w = tf.Variable(initial_value=np.random.randint(10, size=(2, 1)),
                name='col_vector', trainable=True)
print(w)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The lecture's linear-regression parameters (only initial value, size and dtype are given):

# %% slideshow={"slide_type": "-"}
tf.set_random_seed(0)
weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
print(weight)
print(bias)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `int64_ref`, `float32_ref`: the `_ref` says the Python object refers to storage that ops
# can write to. Without `name=`, TensorFlow numbers the variables `Variable`, `Variable_1`: the error
# messages and pictures will use those numbers, so name your variables.

# %% [markdown] slideshow={"slide_type": "subslide"}
# One `tf.Variable` is four graph nodes: the initial value, the variable's storage (`VariableV2`),
# `Assign` (its initializer) and `read` (what other ops consume).  The bias again, with its name:

# %% slideshow={"slide_type": "-"}
named_bias = tf.Variable(tf.ones([1]), name="bias")
viz.draw_graph([named_bias.initializer, named_bias.value()], rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorBoard draws the same four nodes. `float32_ref` on the edge out of the storage
# means "a reference to the variable", which `Assign` writes through. Nothing in this picture has run yet.

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
# *Speaker notes:* The most common TF1 beginner error. The message names the variable (`Variable_1` is the
# lecture's unnamed `bias`). Ask: which line of the two-step recipe is missing?

# %% [markdown] slideshow={"slide_type": "subslide"}
# Common initial-value functions (常用的 TF 初始化值函数): `tf.constant`, `tf.random_normal`,
# `tf.truncated_normal` (normal, redrawn beyond two standard deviations), `tf.random_uniform`,
# or plain Python/numpy data.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(1)
inits = {"constant": tf.constant(0.5, shape=[4]),
         "random_normal": tf.random_normal([4], mean=0.0, stddev=1.0),
         "truncated_normal": tf.truncated_normal([4], mean=0.0, stddev=1.0),
         "random_uniform": tf.random_uniform([4], minval=0, maxval=10),
         "python value": 22.0}
variables = {name: tf.Variable(value) for name, value in inits.items()}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for name, v in variables.items():
        print(f"{name:17}", sess.run(v))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Point at the truncated-normal row: no value beyond ±2 (the standard deviation is 1).
# That is why it is the usual choice for weights: no rare huge starting weight.

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
print("initialized:", sess.run([tf.is_variable_initialized(v) for v in (a, b)]))
print("still uninitialized:", sess.run(tf.report_uninitialized_variables()))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `report_uninitialized_variables` returns names as bytes (`b'b'` is the name "b"), as in
# TensorFlow. Partial initialization matters later, e.g. when some variables come from a checkpoint.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Using `b` before it has a value fails; after the global initializer it works:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(a + b)

# %% slideshow={"slide_type": "-"}
sess.run(tf.global_variables_initializer())
print(sess.run(a + b))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The global initializer runs every variable's `Assign`, including `a`'s again: after it,
# `a` is back to its initial value. Run it once, before training, not inside the loop.

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

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `grow_b` ran twice, so `b` grew twice: 2.0 → 2.5 → 3.0. Building `tf.assign(...)` changes
# nothing; running it does. An optimizer's training step (chapter 5) is exactly such an assign op.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Values live in the session, not in the graph: a second session on the same graph has its own values
# and must initialize again.

# %% slideshow={"slide_type": "-"}
with tf.Session() as other:
    other.run(tf.global_variables_initializer())
    print("other session:", other.run([a, b]))
print("first session:", sess.run([a, b]))
sess.close()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The graph is the recipe, the session is the kitchen: two sessions cooking the same recipe
# keep separate pots. This is why a trained model must be saved from the session (a later chapter: saving models).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Trainable or not  (是否可训练)
#
# Variables go into collections: all of them into `tf.global_variables()`, those with `trainable=True`
# (the default) also into `tf.trainable_variables()`, which optimizers (优化器) update (chapter 5).

# %% slideshow={"slide_type": "-"}
step = tf.Variable(0, trainable=False, name="step")
print([v.name for v in tf.global_variables()])
print([v.name for v in tf.trainable_variables()])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A step counter, a learning-rate schedule or a running average are variables the
# optimizer must not touch: `trainable=False`.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises; minitf only, not TensorFlow.*  Running an `Assign` kernel ends in this
# method of the session's `Runtime`: it checks the shape and keeps the numpy array under the variable's
# name.  Reading an uninitialized variable finds nothing there, hence the error above.

# %% slideshow={"slide_type": "skip"}
import inspect
from minitf.client.runtime import Runtime
print(inspect.getsource(Runtime.set_variable))

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 1 · Initialize only some variables (练习 1)
#
# Create `W` (shape `[3, 2]`, `tf.truncated_normal` with `stddev=0.1`) and `b2` (zeros, shape `[2]`).
# Open a session `s1` (leave it open) and initialize **only `W`**.  Store `W`'s value in `w_value` and
# whether `b2` is initialized (ask the session) in `b2_ready`.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(41)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Two functions from this chapter do the work: `tf.variables_initializer` and
# `tf.is_variable_initialized`. The check asks your session `s1` what it holds.

# %% nbgrader={"grade": false, "grade_id": "ch04-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
W = b2 = s1 = None
w_value = b2_ready = None
### BEGIN SOLUTION
W = tf.Variable(tf.truncated_normal([3, 2], stddev=0.1), name="W")
b2 = tf.Variable(tf.zeros([2]), name="b2")
s1 = tf.Session()
s1.run(tf.variables_initializer([W]))
w_value = s1.run(W)
b2_ready = s1.run(tf.is_variable_initialized(b2))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch04-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(W, tf.Variable) and W.shape.as_list() == [3, 2], f"W should be a [3, 2] tf.Variable, got {W!r}"
assert isinstance(b2, tf.Variable) and b2.shape.as_list() == [2], f"b2 should be a [2] tf.Variable, got {b2!r}"
init_types = set()
todo = [W.initial_value.op]
while todo:
    op = todo.pop()
    init_types.add(op.type)
    todo.extend(t.op for t in op.inputs)
assert "TruncatedNormal" in init_types, "W's initial value should come from tf.truncated_normal"
assert isinstance(s1, tf.Session), "s1 should be the (still open) session you initialized W in"
assert s1.run(tf.is_variable_initialized(W)), "W should be initialized in s1"
assert not s1.run(tf.is_variable_initialized(b2)), "only W should be initialized in s1, but b2 is too"
assert w_value is not None and np.array_equal(w_value, s1.run(W)), "w_value should be W's value fetched from s1"
assert np.all(np.abs(w_value) <= 0.2), "truncated_normal with stddev=0.1 keeps every value within ±0.2"
assert b2_ready is not None and not b2_ready, "b2_ready should be what s1 reports for b2 (False)"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2 · One graph, two sessions (练习 2)
#
# Make a counter: an integer variable `counter` starting at 0 and an op `inc` that adds 1 to it.  Open two
# sessions `sess_a` and `sess_b` (leave them open), initialize the counter in both, run `inc` **3 times in
# `sess_a`** and **once in `sess_b`**.  Store the counter's value in each session in `count_a` and `count_b`.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Before running: predict both numbers. The check asks both sessions what they hold and
# looks at the op you built.

# %% nbgrader={"grade": false, "grade_id": "ch04-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
counter = inc = sess_a = sess_b = None
count_a = count_b = None
### BEGIN SOLUTION
counter = tf.Variable(0, name="counter")
inc = tf.assign_add(counter, 1)
sess_a, sess_b = tf.Session(), tf.Session()
for s in (sess_a, sess_b):
    s.run(counter.initializer)
for _ in range(3):
    sess_a.run(inc)
sess_b.run(inc)
count_a, count_b = sess_a.run(counter), sess_b.run(counter)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch04-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(counter, tf.Variable) and counter.dtype.base_dtype.is_integer, \
    f"counter should be an integer tf.Variable, got {counter!r}"
inc_op = getattr(inc, "op", inc)
assert getattr(inc_op, "type", None) == "AssignAdd" and inc_op.inputs[0].op is counter.op, \
    "inc should be tf.assign_add(counter, 1) (an op that adds to counter)"
assert isinstance(sess_a, tf.Session) and isinstance(sess_b, tf.Session) and sess_a is not sess_b, \
    "sess_a and sess_b should be two different open sessions"
assert (sess_a.run(counter), sess_b.run(counter)) == (3, 1), \
    f"the counter should be 3 in sess_a and 1 in sess_b, got {sess_a.run(counter)} and {sess_b.run(counter)}"
assert (count_a, count_b) == (3, 1), "count_a and count_b should be the values fetched from the two sessions"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 3 · What happens if a layer's weights start at zero? (练习 3)
#
# The layer `hidden = tanh(data · W1 + b1)` below has 4 units.  Initialize `W1` and `b1` with **zeros**,
# in a session `s3` (leave it open), and fetch `hidden` for `X_probe` → `hidden_zero`.  Then give `W1` a
# random value in `s3` with `tf.assign(W1, tf.random_normal([3, 4], seed=4))`, fetch again → `hidden_random`.
# Set `rows_equal_zero` / `rows_equal_random` to whether all rows (samples) of each result are equal.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data = tf.placeholder(tf.float32, [None, 3], name="data")
X_probe = np.random.RandomState(43).uniform(-1, 1, (5, 3)).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Let them look at `hidden_zero` before explaining. With zero weights every sample gets the
# same hidden vector, and all 4 units are the same unit: the layer cannot tell inputs apart. Chapter 5's
# gradients are then the same for every unit too, so training never makes them differ (symmetry): this is
# why weights start random.

# %% nbgrader={"grade": false, "grade_id": "ch04-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
W1 = b1 = hidden = s3 = None
hidden_zero = hidden_random = rows_equal_zero = rows_equal_random = None
### BEGIN SOLUTION
W1 = tf.Variable(tf.zeros([3, 4]), name="W1")
b1 = tf.Variable(tf.zeros([4]), name="b1")
hidden = tf.tanh(tf.matmul(data, W1) + b1)
s3 = tf.Session()
s3.run(tf.global_variables_initializer())
hidden_zero = s3.run(hidden, feed_dict={data: X_probe})
s3.run(tf.assign(W1, tf.random_normal([3, 4], seed=4)))
hidden_random = s3.run(hidden, feed_dict={data: X_probe})
rows_equal_zero = bool(np.all(hidden_zero == hidden_zero[0]))
rows_equal_random = bool(np.all(hidden_random == hidden_random[0]))
print(hidden_zero)
print(hidden_random)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch04-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(W1, tf.Variable) and W1.shape.as_list() == [3, 4], f"W1 should be a [3, 4] tf.Variable, got {W1!r}"
assert isinstance(s3, tf.Session), "s3 should be the (still open) session you ran the layer in"
assert not np.any(s3.run(W1.initial_value)) and not np.any(s3.run(b1.initial_value)), \
    "W1 and b1 should be initialized with zeros (tf.zeros)"
assert isinstance(hidden, tf.Tensor), f"hidden should be the layer's output tensor, got {hidden!r}"
needed = {}
todo = [hidden.op]
while todo:
    op = todo.pop()
    needed[op.name] = op.type
    todo.extend(t.op for t in op.inputs)
assert {data.op.name, W1.op.name, b1.op.name} <= set(needed) and "Tanh" in needed.values(), \
    "hidden should be tf.tanh(tf.matmul(data, W1) + b1)"
w1_now, b1_now = s3.run([W1, b1])
assert np.any(w1_now) and not np.any(b1_now), "in s3, W1 should now hold the random value and b1 still zeros"
assert hidden_zero is not None and np.allclose(hidden_zero, np.tanh(np.zeros((5, 4)))), \
    "hidden_zero should be hidden fetched for X_probe while W1 and b1 were zero"
assert hidden_random is not None and np.allclose(hidden_random, np.tanh(X_probe @ w1_now), atol=1e-5), \
    "hidden_random should be hidden fetched for X_probe after assigning the random W1"
assert rows_equal_zero == bool(np.all(hidden_zero == hidden_zero[0])), \
    "rows_equal_zero should say whether all rows of hidden_zero are equal (look at them)"
assert rows_equal_random == bool(np.all(hidden_random == hidden_random[0])), \
    "rows_equal_random should say whether all rows of hidden_random are equal (look at them)"
print("Exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Model parameters are variables (变量): `tf.Variable(initial_value, trainable=..., name=...)`.
# - Defining a variable gives it an initializer; running the initializer in a session gives it a value:
#   `tf.global_variables_initializer()` for all, `tf.variables_initializer([...])` for some.
# - Using a variable before that fails with `FailedPreconditionError`.
# - `assign` / `assign_add` change a variable when they run; each session has its own values.
# - Weights start random: with zero weights every sample gets the same output and all units are alike.
#
# Next: [05 · autodiff and optimizers](05_autodiff_optimizers.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Recap the two-step recipe (define with an initial value, run the initializer in the
# session). Next: the optimizer (优化器), which changes these variables for us.
