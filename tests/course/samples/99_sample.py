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
# # 99 · A sample chapter 样例
#
# A tiny chapter that follows every course convention: the course tests check their rules on it
# (and on broken copies of it) before they check the real chapters.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This chapter exists for the tests in tests/course/.

# %% slideshow={"slide_type": "skip"}
import numpy as np

import minitf as tf

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## A graph 计算图 and a session 会话

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Building the graph computes nothing; `sess.run` does.

# %% slideshow={"slide_type": "-"}
a = tf.constant(2.0, name="a")
b = tf.constant(3.0, name="b")
y = a * b + 1.0
with tf.Session() as sess:
    print(sess.run(y))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Shapes must agree

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The error comes while building the graph, before any session runs.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 1 · Build a graph (练习 1)
#
# In a new graph `g` (`tf.Graph()`), make two float32 placeholders (占位符) `x` and `y` of shape `[None]`
# and set `z` to the tensor $(x + y) \cdot x$.  Set `g`, `x`, `y` and `z`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The check feeds random data the students cannot guess.

# %% slideshow={"slide_type": "skip"} nbgrader={"grade": false, "grade_id": "ch99-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false}
g, x, y, z = tf.Graph(), None, None, None
### BEGIN SOLUTION
with g.as_default():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.placeholder(tf.float32, [None], name="y")
    z = (x + y) * x
### END SOLUTION

# %% slideshow={"slide_type": "skip"} nbgrader={"grade": true, "grade_id": "ch99-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
# Check (autograded)
assert z is not None, "z should be the tensor (x + y) * x, built in graph g"
types = {op.type for op in g.get_operations()}
assert {"Placeholder", "Mul"} <= types, f"g should hold placeholders and a Mul op, it holds {sorted(types)}"
data = np.random.default_rng().normal(size=(2, 5)).astype(np.float32)
with tf.Session(graph=g) as check_sess:
    got = check_sess.run(z, feed_dict={x: data[0], y: data[1]})
assert np.allclose(got, (data[0] + data[1]) * data[0]), "z should compute (x + y) * x"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2 · What happens if the learning rate is too big? (练习 2)
#
# Minimize $w^2$ from $w = 1$ with `tf.train.GradientDescentOptimizer(1.5)` (learning rate 学习率 1.5)
# for 5 steps.  Set `train_op` to the optimizer's step and `history` to the 6 values of $w$
# (the start and after each step), read from the session.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Each step multiplies w by 1 - 2·1.5 = -2: the run diverges (发散).

# %% slideshow={"slide_type": "skip"} nbgrader={"grade": false, "grade_id": "ch99-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false}
train_op, history = None, []
### BEGIN SOLUTION
with tf.Graph().as_default():
    w = tf.Variable(1.0, name="w")
    train_op = tf.train.GradientDescentOptimizer(1.5).minimize(tf.square(w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        history = [sess.run(w)]
        for _ in range(5):
            sess.run(train_op)
            history.append(sess.run(w))
### END SOLUTION

# %% slideshow={"slide_type": "skip"} nbgrader={"grade": true, "grade_id": "ch99-ex2-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
# Check (autograded)
assert train_op is not None, "train_op should be the step that GradientDescentOptimizer(1.5).minimize returns"
ops = train_op.graph.get_operations()
assert any(op.type == "ApplyGradientDescent" for op in ops), "train_op should come from the optimizer"
assert len(history) == 6, f"history should hold 6 values of w (start + 5 steps), got {len(history)}"
assert np.allclose(history, (-2.0) ** np.arange(6)), "history should be w read after each step"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Under the hood (引擎内部)
#
# How minitf keeps the graph: one list of operations.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Optional material; the notebook has the details.

# %% slideshow={"slide_type": "skip"}
print("graph version:", tf.get_default_graph()._version)
