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
# # 3 · Feed and fetch 喂 / 取
#
# **Goals**
# - define inputs with placeholders (占位符), with `None` for "any size";
# - **feed** (喂) data in with `feed_dict` and **fetch** (取) results out with `sess.run`;
# - see that a run computes only what the fetches need, and every run computes it again;
# - read the errors a wrong feed gives.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapters 1 and 2 built graphs from constants only. Real models read data: this chapter is
# the lecture's step 1 (创建数据，定义输入输出), the way data gets in and results get out.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Feed and fetch: how a graph talks to the world  (1 创建数据，定义输入输出)
#
# - **Feed** (喂): put data into the graph, into placeholder nodes: `feed_dict={placeholder: value}`.
# - **Fetch** (取): take data out of the graph: `sess.run([c, ...], feed_dict=...)`.
#   You fetch a node's output, and **only the part of the graph that output needs is computed**.
#   *Fetch once and the graph computes once* (Fetch 一下，计算图就算一次).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The picture to draw on the board: data enters at the placeholders (feed), leaves at the
# fetched tensors; `sess.run` is one trip through the needed part of the graph. Feed and fetch are the only
# two doors between Python and a running graph.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Placeholders 占位符
#
# *Placeholder = hold the place* (占坑): it fixes some properties of the data (dtype, shape) but holds
# no data.  `None` means this dimension adapts to the data fed in.  The lecture's two inputs:

# %% slideshow={"slide_type": "-"}
data = tf.placeholder(tf.float32, [None, 4])  # 后面是对输入数据规模的限制，4维
real_label = tf.placeholder(tf.float32, [None, 1])
print(data)
print(real_label)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is the lecture's code as it stands. `?` in the printed shape is `None`: any number
# of rows (samples), exactly 4 columns (features). The names `Placeholder`, `Placeholder_1` say nothing:
# from the next slide on we pass `name=`, which TensorFlow then uses in pictures and error messages.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same inputs with names that teach, and a computation on them: the sum of each row.
# Feeding two rows, then three rows, to the same graph:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data = tf.placeholder(tf.float32, [None, 4], name="data")
real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
row_sums = tf.reduce_sum(data, axis=1)
with tf.Session() as sess:
    print(sess.run(row_sums, feed_dict={data: [[1, 2, 3, 4], [5, 6, 7, 8]]}))
    print(sess.run(row_sums, feed_dict={data: np.ones((3, 4))}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* One graph, two batch sizes: that is what `None` buys. The fed value can be a nested list
# or a numpy array; TensorFlow converts it to the placeholder's dtype (float32 here).

# %% [markdown] slideshow={"slide_type": "subslide"}
# Several inputs are fed together, and several outputs fetched together, in **one** run:

# %% slideshow={"slide_type": "-"}
sum_col = tf.reduce_sum(data, axis=1, keepdims=True)
error = tf.reduce_mean(tf.square(real_label - sum_col))
batch = np.array([[1, 2, 3, 4], [0, 1, 0, 1]], dtype=np.float32)
labels = np.array([[10], [3]], dtype=np.float32)
with tf.Session() as sess:
    sums, err = sess.run([row_sums, error],
                         feed_dict={data: batch, real_label: labels})
print(sums, err)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `sess.run` takes a list of fetches and returns a list of numpy values in the same order.
# Check the numbers aloud: row sums 10 and 2; the errors are 0 and 1, so the mean squared error is 0.5.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A run computes only what the fetches need
#
# The lecture's model (its parameters are variables 变量, chapter 4: here we only need to run their
# initializer first):

# %% slideshow={"slide_type": "-"}
tf.set_random_seed(0)
weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
bias = tf.Variable(tf.ones([1]), name="bias")
y_label = tf.add(tf.matmul(data, weight), bias, name="y_label")
loss = tf.reduce_mean(tf.square(real_label - y_label), name="loss")
sess = tf.Session()
sess.run(tf.global_variables_initializer())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `y_label` is the prediction, `loss` (损失函数) compares it with the true label. Ask the
# room before the next slide: to compute `y_label`, do we need to know `real_label`?

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture: `y_label` needs `data`, `weight` and `bias`; only `loss` needs `real_label`.

# %% slideshow={"slide_type": "-"}
viz.draw_graph(loss, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Follow the arrows backwards from a node: everything you reach is what fetching that node
# computes. From `y_label` you never reach `real_label`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# So a prediction can be fetched **without feeding the label** (that is how a trained model forecasts):

# %% slideshow={"slide_type": "-"}
new_rows = np.array([[1, 0, 0, 0], [0, 0, 0, 1]], dtype=np.float32)
print(sess.run(y_label, feed_dict={data: new_rows}))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Fetching `loss` with the same feed fails: `loss` needs `real_label`.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(loss, feed_dict={data: new_rows})

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The same session, the same feed: one fetch works, the other fails. The error comes from
# the run and names the placeholder (`[[{{node real_label}}]]`), exactly as TensorFlow does. The lecture's
# forecast line, `sess.run(y_label, feed_dict={data: X_test})`, relies on this.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Any tensor can be fed, not only placeholders: the fed value replaces what the graph would have computed
# there, and the part above it is cut off.  Feed `y_label` itself, and `data` is not needed any more:

# %% slideshow={"slide_type": "-"}
print(sess.run(loss, feed_dict={y_label: [[9.0], [3.0]], real_label: labels}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* (10−9)² and (3−3)² average to 0.5. `data` was not fed and no error came: the matmul
# above `y_label` never ran. Feeding an intermediate tensor is handy for testing one part of a model.

# %% [markdown] slideshow={"slide_type": "subslide"}
# What a fetch needs is visible from Python: walk backwards through each op's inputs (`op.inputs`).

# %% slideshow={"slide_type": "-"}
def ops_needed(fetch):
    """Names of all ops that fetch depends on (walking op.inputs backwards)."""
    needed, todo = set(), [fetch.op]
    while todo:
        op = todo.pop()
        if op.name not in needed:
            needed.add(op.name)
            todo.extend(t.op for t in op.inputs)
    return needed

print("real_label" in ops_needed(y_label), "real_label" in ops_needed(loss))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This function uses only TensorFlow's public graph API (`Tensor.op`, `Operation.inputs`).
# TensorFlow plans a run the same way: it starts from the fetches, walks backwards and stops at fed tensors.
# The exercise checks use `ops_needed` too.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Every run computes again
#
# A counter variable makes runs visible: `tick` adds 1 each time **it runs**.  Fetching `y_label`
# does not need `tick`, so it leaves the counter alone; fetching `tick` runs it again every time.

# %% slideshow={"slide_type": "-"}
counter = tf.Variable(0, name="counter")
tick = tf.assign_add(counter, 1)
sess.run(counter.initializer)
for _ in range(3):
    sess.run(y_label, feed_dict={data: new_rows})
print("after 3 runs of y_label:", sess.run(counter))
for _ in range(3):
    print("tick ->", sess.run(tick))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Two lessons in one cell. Pruning: three runs of `y_label` leave the counter at 0.
# Recomputation: every `sess.run(tick)` runs the `assign_add` again (Fetch 一下，计算图就算一次). Nothing is
# cached between runs except variables' values.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a wrong feed says
#
# A value whose shape does not fit the placeholder is refused before anything runs
# (TensorFlow's own message):

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(y_label, feed_dict={data: [1.0, 2.0, 3.0, 4.0]})

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read the message aloud: it names the tensor (`data:0`), the shape it expects (`(?, 4)`)
# and the shape it got (`(4,)`). One row must still be a matrix: `[[1, 2, 3, 4]]`. This is a `ValueError`,
# raised in Python before the run starts.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Feeding a tensor instead of a value (a common slip): feed values are data, never graph nodes.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(y_label, feed_dict={data: tf.ones([1, 4])})

# %% slideshow={"slide_type": "skip"}
sess.close()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A `TypeError`: `tf.ones` builds a node, it does not make an array. Use `np.ones`, or
# fetch the tensor first and feed the fetched value.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises; minitf only, not TensorFlow.*  minitf can list the plan a session made
# for a fetch: `sess.explain(fetch, feed_dict)` prints every kernel call, in order, and the ops it folded
# into constants.  Fetching `y_label` runs the matmul and the add; feeding `y_label` for `loss` skips
# them.  (The graph is on `/CPU:0` so the listing is the same on every machine.)

# %% slideshow={"slide_type": "skip"}
with tf.Graph().as_default(), tf.device("/CPU:0"):
    data_ = tf.placeholder(tf.float32, [None, 4], name="data")
    label_ = tf.placeholder(tf.float32, [None, 1], name="real_label")
    y_ = tf.add(tf.matmul(data_, tf.ones([4, 1])), 1.0, name="y_label")
    loss_ = tf.reduce_mean(tf.square(label_ - y_), name="loss")
    with tf.Session() as s:
        print(s.explain(y_, feed_dict={data_: new_rows}))
        print(s.explain(loss_, feed_dict={y_: [[9.0], [3.0]], label_: labels}))

# %% [markdown] slideshow={"slide_type": "skip"}
# The same decisions, printed as the engine makes them: `MINITF_DEBUG=2` (an environment variable, or
# `minitf.debug.set_level(2)` at run time) prints one line for every new plan and every kernel compile,
# then the plan itself.  Level 1 prints only the one-line summaries, 3 adds the generated Python source
# of each plan, 4 numba's compiler passes.  A second run with the same fetches and feed shapes reuses
# the cached plan and prints nothing.

# %% slideshow={"slide_type": "skip"}
import contextlib
import io
import re

from minitf import debug

with tf.Graph().as_default(), tf.device("/CPU:0"):
    x_ = tf.placeholder(tf.float32, [None, 2], name="x")
    doubled = tf.multiply(x_, 2.0, name="doubled")
    log = io.StringIO()
    with tf.Session() as s, contextlib.redirect_stdout(log):
        debug.set_level(2)
        try:
            s.run(doubled, feed_dict={x_: [[1.0, 2.0]]})   # new plan: printed
            s.run(doubled, feed_dict={x_: [[3.0, 4.0]]})   # cached plan: silent
        finally:
            debug.set_level(0)
# Timings and numba's compile lines vary from run to run (a cached kernel is not compiled): drop them.
for line in log.getvalue().splitlines():
    if "numba compiled" not in line:
        print(re.sub(r", built in [0-9.]+ ms", "", line))

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 1 · Feed a batch, fetch two results (练习 1)
#
# Create a placeholder `inp` (float32, shape `[None, 4]`), a tensor `row_sums1` (the sum of each row)
# and a tensor `mean1_t` (the mean of all entries).  Feed `batch1` (below) and fetch both **in one
# `sess.run`**; store the fetched values in `sums1` and `mean1`.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
batch1 = np.random.RandomState(31).uniform(-1, 1, (5, 4)).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The batch is random on purpose: the answer has to come from running the graph. The
# check also feeds your placeholder a batch of a different size, so `None` matters.

# %% nbgrader={"grade": false, "grade_id": "ch03-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
inp = row_sums1 = mean1_t = None
sums1 = mean1 = None
### BEGIN SOLUTION
inp = tf.placeholder(tf.float32, [None, 4], name="inp")
row_sums1 = tf.reduce_sum(inp, axis=1)
mean1_t = tf.reduce_mean(inp)
with tf.Session() as sess:
    sums1, mean1 = sess.run([row_sums1, mean1_t], feed_dict={inp: batch1})
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch03-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(inp, tf.Tensor) and inp.op.type == "Placeholder", \
    f"inp should be a tf.placeholder, got {inp!r}"
assert inp.shape.as_list() == [None, 4], f"inp should have shape [None, 4], got {inp.shape}"
for name, t in [("row_sums1", row_sums1), ("mean1_t", mean1_t)]:
    assert isinstance(t, tf.Tensor) and inp.op.name in ops_needed(t), \
        f"{name} should be a tensor computed from the placeholder inp"
other = np.random.RandomState(7).uniform(-1, 1, size=(3, 4)).astype(np.float32)
with tf.Session() as check_sess:
    s_other, m_other = check_sess.run([row_sums1, mean1_t], feed_dict={inp: other})
assert np.shape(s_other) == (3,) and np.allclose(s_other, other.sum(axis=1), atol=1e-5), \
    "row_sums1 should give one sum per row (reduce over axis=1)"
assert np.allclose(m_other, other.mean(), atol=1e-5), "mean1_t should be the mean of all entries"
assert sums1 is not None and np.allclose(sums1, batch1.sum(axis=1), atol=1e-5), \
    "sums1 should be the fetched row sums of batch1"
assert mean1 is not None and np.isclose(mean1, batch1.mean(), atol=1e-5), \
    "mean1 should be the fetched mean of batch1"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2 · What happens if you fetch without feeding the label? (练习 2)
#
# The lecture's model is rebuilt below.  In a session `sess2` (leave it open), initialize the variables, then:
# 1. fetch `y_label` feeding **only** `data: X_new`; store the result in `forecast`;
# 2. fetch `loss` with that same feed, catch the exception it raises and store it in `feed_error`
#    (`except Exception as e: feed_error = e`).

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data = tf.placeholder(tf.float32, [None, 4], name="data")
real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
weight = tf.Variable(tf.random_normal([4, 1], seed=8), name="weight")
bias = tf.Variable(tf.ones([1]), name="bias")
y_label = tf.add(tf.matmul(data, weight), bias, name="y_label")
loss = tf.reduce_mean(tf.square(real_label - y_label), name="loss")
X_new = np.random.RandomState(32).uniform(-1, 1, size=(3, 4)).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Predict first, then explain the error you get: which placeholder does it name, and why
# does `y_label` not need it? The check compares `forecast` with the weights in your session `sess2`.

# %% nbgrader={"grade": false, "grade_id": "ch03-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
sess2 = forecast = feed_error = None
### BEGIN SOLUTION
sess2 = tf.Session()
sess2.run(tf.global_variables_initializer())
forecast = sess2.run(y_label, feed_dict={data: X_new})
try:
    sess2.run(loss, feed_dict={data: X_new})
except Exception as e:
    feed_error = e
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch03-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(sess2, tf.Session), "sess2 should be the (still open) tf.Session you ran the model in"
w_val, b_val = sess2.run([weight, bias])
assert forecast is not None and np.shape(forecast) == (3, 1), \
    f"forecast should be y_label fetched for the 3 rows of X_new (shape (3, 1)), got {np.shape(forecast)}"
assert np.allclose(forecast, X_new @ w_val + b_val, atol=1e-5), \
    "forecast should be y_label fetched in sess2 with data: X_new"
assert isinstance(feed_error, tf.errors.InvalidArgumentError), \
    f"feed_error should be the error sess2.run(loss, ...) raised without real_label, got {feed_error!r}"
assert "real_label" in str(feed_error), "feed_error should be the error that names the missing real_label"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 3 · Fix a feed of the wrong shape (练习 3)
#
# `one_row` (below) is one sample as a 1-d array, and feeding it to `data` fails.  Run that feed, catch
# the error in `shape_error`; then fix the **value** (not the graph) and fetch `y_label` for that one
# sample in `sess2`; store the result in `one_forecast` (shape `(1, 1)`).

# %% slideshow={"slide_type": "-"}
one_row = np.random.RandomState(33).uniform(-1, 1, size=4).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read the error before fixing anything: it says which shape it expects. `reshape(1, 4)`
# or `one_row[None, :]` or `[one_row]` all make a batch of one row.

# %% nbgrader={"grade": false, "grade_id": "ch03-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
shape_error = one_forecast = None
### BEGIN SOLUTION
try:
    sess2.run(y_label, feed_dict={data: one_row})
except Exception as e:
    shape_error = e
one_forecast = sess2.run(y_label, feed_dict={data: one_row.reshape(1, 4)})
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch03-ex3-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(shape_error, ValueError) and "(4,)" in str(shape_error), \
    f"shape_error should be the ValueError raised by feeding the 1-d one_row, got {shape_error!r}"
assert data.shape.as_list() == [None, 4], "fix the value, not the graph: data should stay [None, 4]"
assert isinstance(sess2, tf.Session), "sess2 should be the (still open) session of exercise 2"
w_val, b_val = sess2.run([weight, bias])
assert one_forecast is not None and np.shape(one_forecast) == (1, 1), \
    f"one_forecast should have shape (1, 1), got {np.shape(one_forecast)}"
assert np.allclose(one_forecast, one_row @ w_val + b_val, atol=1e-5), \
    "one_forecast should be y_label fetched in sess2 for one_row"
print("Exercise 3 ok")
# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Placeholders (占位符) declare inputs: dtype and shape, `None` for any size; they hold no data.
# - `sess.run(fetches, feed_dict={...})`: feed (喂) values in, fetch (取) tensors out.
# - A run computes only what the fetches need (a prediction needs no label), and computes it again at
#   every run; feeding any tensor cuts off the graph above it.
# - Wrong feeds fail early with a message naming the tensor, the expected and the given shape.
#
# Next: [04 · variables](04_variables.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Recap with the lecture's sentence: Fetch 一下，计算图就算一次. Next chapter: the
# variables (变量) we used here without explaining them.
