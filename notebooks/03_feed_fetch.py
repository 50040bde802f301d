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

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Feed and fetch: how a graph talks to the world  (1 创建数据，定义输入输出)
#
# - **Feed**: put data into the graph, into placeholder nodes: `feed_dict={placeholder: value}`.
# - **Fetch**: take data out of the graph: `sess.run([c, ...], feed_dict=...)`.
#   You fetch a node's output, and **only the part of the graph that output needs is computed**.
#   *Fetch once and the graph computes once* (Fetch 一下，计算图就算一次).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The picture to draw on the board: data enters at the placeholders (feed), leaves at the fetched
# tensors; sess.run is one trip through the needed part of the graph.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Placeholders 占位符
#
# *Placeholder = hold the place* (占坑): it fixes some properties of the data (dtype, shape) but holds
# no data.  `None` means this dimension adapts to the data fed in.  The lecture's two inputs:

# %% slideshow={"slide_type": "-"}
data = tf.placeholder(tf.float32, [None, 4])        # any number of rows, 4 columns
real_label = tf.placeholder(tf.float32, [None, 1])
print(data)
print(real_label)

# %% [markdown] slideshow={"slide_type": "subslide"}
# A computation on the placeholder: the sum of each row.

# %% slideshow={"slide_type": "-"}
row_sums = tf.reduce_sum(data, axis=1)
print(row_sums)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Feeding two rows, then three rows, to the same graph:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run(row_sums, feed_dict={data: [[1, 2, 3, 4], [5, 6, 7, 8]]}))
    print(sess.run(row_sums, feed_dict={data: np.ones((3, 4))}))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Several inputs are fed together, and several outputs fetched together:

# %% slideshow={"slide_type": "-"}
error = tf.reduce_mean(tf.square(real_label - tf.reduce_sum(data, axis=1, keepdims=True)))
batch = np.array([[1, 2, 3, 4], [0, 1, 0, 1]], dtype=np.float32)
labels = np.array([[10], [3]], dtype=np.float32)
with tf.Session() as sess:
    sums, err = sess.run([row_sums, error], feed_dict={data: batch, real_label: labels})
print(sums, err)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Any tensor can be fed, not only placeholders: the fed value replaces what the graph would have
# computed there.

# %% slideshow={"slide_type": "-"}
doubled = row_sums * 2
with tf.Session() as sess:
    print(sess.run(doubled, feed_dict={row_sums: [100.0, 200.0]}))   # `data` is not needed now

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A run computes only what the fetches need
#
# minitf can show the plan a session made for a fetch: `sess.explain(fetch)` lists every kernel call,
# and which ops were folded into constants while planning (a minitf extra, not a TensorFlow API).
# The graph is pinned to the CPU so the plan is the same on every machine (with a GPU, the plan would
# also copy the fed values to the GPU and back).

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.device("/CPU:0"):
    a = tf.placeholder(tf.float32, [None], name="a")
    b = tf.multiply(a, 2.0, name="b")
    c = tf.add(b, 1.0, name="c")
    d = tf.reduce_sum(tf.square(c), name="d")
    unrelated = tf.matmul(tf.ones([100, 100]), tf.ones([100, 100]), name="unrelated")
sess = tf.Session()

# %% slideshow={"slide_type": "-"}
print(sess.explain(b, feed_dict={a: [1.0, 2.0]}))

# %% slideshow={"slide_type": "-"}
print(sess.explain(d, feed_dict={a: [1.0, 2.0]}))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Fetching `b` runs one kernel; fetching `d` runs four.  The `unrelated` matrix product is never computed.
# Feeding `b` itself prunes even more: `a` is not needed any more.

# %% slideshow={"slide_type": "-"}
print(sess.explain(d, feed_dict={b: [1.0, 2.0]}))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Every run computes again
#
# A counter variable makes it visible (variables are chapter 4): fetching `tick` runs the `assign_add`,
# fetching `counter` only reads it.

# %% slideshow={"slide_type": "-"}
counter = tf.Variable(0, name="counter")
tick = tf.assign_add(counter, 1)
sess.run(counter.initializer)
for _ in range(3):
    print("tick ->", sess.run(tick))
print("counter is still", sess.run(counter))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a wrong feed says
#
# A value whose shape does not fit the placeholder is refused before anything runs
# (TensorFlow's own message):

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(d, feed_dict={a: [[1.0, 2.0]]})

# %% [markdown] slideshow={"slide_type": "fragment"}
# Forgetting to feed a placeholder that the fetch needs:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(d)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Feeding a tensor instead of a value (a common slip):

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
sess.run(d, feed_dict={a: tf.constant([1.0])})

# %% slideshow={"slide_type": "-"}
sess.close()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read the messages aloud: they name the tensor, what it expects and what it got. The missing-feed error
# comes from the run itself and names the node (`[[{{node a}}]]`), as in TensorFlow.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: pruning
#
# To plan a run, minitf walks *backwards* from the fetched ops through their inputs and stops at fed
# tensors, so only the needed ops are visited.  The order it returns (inputs first) is the order the
# kernels run in.  An explicit stack instead of recursion, so deep graphs are fine:

# %% slideshow={"slide_type": "-"}
from minitf.client import plan
print(inspect.getsource(plan._topological_order))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Feed the batch `[[1, 2, 3, 4], [4, 3, 2, 1], [0, 0, 0, 1]]` into a new placeholder
# `inp` of shape `[None, 4]` and fetch, **in one run**, the row sums and the mean of all entries.  Store
# the results in `sums1` and `mean1`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
inp = tf.placeholder(tf.float32, [None, 4])
with tf.Session() as sess:
    sums1, mean1 = sess.run([tf.reduce_sum(inp, axis=1), tf.reduce_mean(inp)],
                            feed_dict={inp: [[1, 2, 3, 4], [4, 3, 2, 1], [0, 0, 0, 1]]})

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert sums1.tolist() == [10.0, 10.0, 1.0], sums1
assert abs(mean1 - 21 / 12) < 1e-6, mean1
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** One row `[5, 6, 7, 8]` stored as a 1-d numpy array `row` does not fit a `[None, 4]`
# placeholder.  Fix the **value** (not the graph) so that the run works, and store the row sum in `sum2`.

# %% slideshow={"slide_type": "-"}
row = np.array([5.0, 6.0, 7.0, 8.0])

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
with tf.Session() as sess:
    sum2 = sess.run(tf.reduce_sum(inp, axis=1), feed_dict={inp: row.reshape(1, 4)})   # or row[None, :]

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert np.asarray(sum2).tolist() == [26.0], sum2
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** For `y = (x + 1) * 3` with a placeholder `x`, use `sess.explain` to find how many kernel
# calls a run of `y` makes when you feed `x`, and store it in `calls`.  Then feed the intermediate
# `x + 1` instead and store that count in `calls_fed`.  (Build the graph on `/CPU:0`, as above.)

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
with tf.device("/CPU:0"):
    x = tf.placeholder(tf.float32, [None])
    x1 = x + 1
    y = x1 * 3
with tf.Session() as sess:
    print(sess.explain(y, {x: [1.0]}))
    calls = int(sess.explain(y, {x: [1.0]}).split()[0])
    calls_fed = int(sess.explain(y, {x1: [1.0]}).split()[0])

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert (calls, calls_fed) == (2, 1), (calls, calls_fed)
print("exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Placeholders (占位符) declare inputs: dtype and shape, `None` for any size; they hold no data.
# - `sess.run(fetches, feed_dict={...})`: feed (喂) values in, fetch (取) tensors out.
# - A run computes only the part of the graph the fetches need, and computes it again at every run.
# - Wrong feeds fail early with a message naming the tensor, the expected and the given shape.
#
# Next: [04 · variables](04_variables.ipynb).
