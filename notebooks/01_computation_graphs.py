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
# # 1 · Computation graphs 计算图
#
# **Goals**
# - explain *TensorFlow = Tensor + flow*: tensors (张量) flow along the edges of a graph (计算图);
# - build the lecture's graph ((w × x) + b) × c and draw it;
# - know the graph's terminal nodes: variables 变量, constants 常量, placeholders 占位符;
# - name ops, use name scopes, the default graph and several graphs;
# - see why a graph tensor prints as a symbol (static graph 静态图) while numpy prints numbers (dynamic 动态图).

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorFlow = Tensor + flow  (TensorFlow 基本原理)
#
# - **Tensor 张量**: the data, n-dimensional arrays.
# - **Graph 计算图**: the paths the tensors flow along; it defines the model and the computation.
# - **Session 会话**: manages the computing resources and makes the tensors flow through the graph.
#
# The programming model (编程模型): *draw a graph* (画个图), then *write the script that runs it* (写个执行剧本).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Stress the split: building a graph computes nothing. Ask: where do the numbers live? (In the session,
# chapter 2.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a graph is  (计算图定义)
#
# A graph is a **directed acyclic graph** (有向无环图) describing a computation:
# - **nodes** are operations 算子 (`+`, `×`, `matmul` ...);
# - **edges** carry each operation's outputs, the tensors 张量;
# - **terminal nodes** 边缘点 are the (data) inputs and the (parameter) variables.
#
# An input activates nodes along the directed paths; a node runs only after all its predecessors ran.
# Here is the lecture's example $((w\times x)+b)\times c$:

# %% slideshow={"slide_type": "-"}
w = tf.Variable(2.0, name="w")               # a parameter: a variable node
x = tf.placeholder(tf.float32, shape=(), name="x")   # an input: fed when the graph runs
b = tf.Variable(1.0, name="b")
c = tf.constant(3.0, name="c")
y = ((w * x) + b) * c
y

# %% [markdown] slideshow={"slide_type": "subslide"}
# `y` is a tensor: the output of the last `Mul` node.  The picture of everything `y` depends on:

# %% slideshow={"slide_type": "-"}
viz.draw_graph(y)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Orange cylinders are variables, the blue arrow-shaped node is a placeholder, grey boxes are constants,
# ellipses are operations.  Each edge is labelled with its tensor's shape and dtype; `float32_ref` is
# the variable's own storage, read through the `read` node.  The same graph as a list of edges:

# %% slideshow={"slide_type": "-"}
viz.draw_graph(y).edges()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The ops in the order they were created, each with the tensors it consumes:

# %% slideshow={"slide_type": "-"}
for op in tf.get_default_graph().get_operations():
    print(f"{op.name:16} {op.type:12} inputs={[t.name for t in op.inputs]}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Building the graph computed nothing.  To get a number, a session feeds `x` and initializes the
# variables (chapters 2–4 explain each step): $((2 \times 4) + 1) \times 3 = 27$.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(y, feed_dict={x: 4.0}))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The edges: tensors 张量  (Graph 的边-张量)
#
# The data passed between operations are n-dimensional arrays:
# 0-d tensor = scalar (标量), 1-d = vector (向量), 2-d = matrix (矩阵), n-d = ...
# A graph tensor knows its **shape** and **dtype** before any value exists.

# %% slideshow={"slide_type": "-"}
scalar = tf.constant(3.0)
vector = tf.constant([1.0, 2.0, 3.0])
matrix = tf.constant([[1, 2], [3, 4]])
cube = tf.zeros([2, 3, 4])
for t in [scalar, vector, matrix, cube]:
    print(t.shape.ndims, "d:", t)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `shape` printed here is the *static* shape, known while building. `?` means a dimension that is
# only known when data is fed (chapter 3).

# %% [markdown] slideshow={"slide_type": "subslide"}
# A tensor is *an operation's output*: it refers to an intermediate result (引用中间计算结果).
# Its name says which op made it and which output it is (`op_name:index`).

# %% slideshow={"slide_type": "-"}
print(y.name, "is output", y.value_index, "of the", y.op.type, "op named", repr(y.op.name))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Terminal nodes: inputs and parameters  (Graph 终端节点)
#
# - `tf.Variable`: stores values that change while the graph runs (the weights of a network);
# - `tf.constant`: fixed when the graph is built, from a Python value;
# - `tf.placeholder`: a slot that must be **fed** (喂) a value at run time;
# - `tf.zeros`, `tf.ones`, `tf.zeros_like`, `tf.ones_like`, `tf.random_normal` ...: ops that make tensors.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
weights = tf.Variable(tf.zeros([3, 2]), name="weights")
inputs = tf.placeholder(tf.float32, [None, 3], name="inputs")
offset = tf.ones([2], name="offset")
scores = tf.matmul(inputs, weights) + offset
for node in [weights, inputs, offset, scores]:
    print(node)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `None` in a shape means *any size* (the batch size, `?` when printed).  In the picture, an operation with
# several inputs has several incoming edges (多输入), and a tensor used twice has two outgoing edges (多输出):

# %% slideshow={"slide_type": "-"}
viz.draw_graph(scores)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Names and name scopes 命名
#
# Every op has a unique name in its graph.  Without `name=` it is named after its type; a name already
# taken gets `_1`, `_2` ...  `tf.name_scope` prefixes names, and the picture draws a scope as a box.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
a = tf.constant(1.0)
b = tf.constant(2.0)
c = tf.constant(3.0, name="c")
print(a.name, b.name, c.name)

# %% slideshow={"slide_type": "-"}
with tf.name_scope("layer1"):
    w1 = tf.Variable(tf.ones([2, 2]), name="w")
    h1 = tf.matmul(tf.ones([1, 2]), w1, name="h")
with tf.name_scope("layer2"):
    w2 = tf.Variable(tf.ones([2, 1]), name="w")
    h2 = tf.matmul(h1, w2, name="h")
print(w1.name, h1.name, w2.name, h2.name)

# %% slideshow={"slide_type": "-"}
viz.draw_graph(h2, show_shapes=False)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The default graph and several graphs  (TF 中 Graph 构建方式)
#
# 1. Ops built with `tf.xxx` go into the **default graph** (默认图), like writing a function.
# 2. You can also make several graphs and build each one inside `with g.as_default():`.

# %% slideshow={"slide_type": "-"}
g1 = tf.Graph()
g2 = tf.Graph()
with g1.as_default():
    k1 = tf.constant(1.0, name="k")
with g2.as_default():
    k2 = tf.constant(2.0, name="k")
    k2_squared = tf.square(k2)
print(k1.graph is g1, k2.graph is g2, k1.graph is tf.get_default_graph())
print(k1.name, k2.name, "- the same name is fine in different graphs")
print(g1, g2)

# %% [markdown] slideshow={"slide_type": "fragment"}
# A session runs one graph: pass it with `graph=`.

# %% slideshow={"slide_type": "-"}
with tf.Session(graph=g2) as sess:
    print(sess.run(k2_squared))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.reset_default_graph()` throws the default graph away; the notebooks use it at the start of each
# example so names restart from scratch.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Static graphs 静态图 vs dynamic graphs 动态图  (TensorFlow 静态图机制)
#
# In TensorFlow 1.x, building the graph only *describes* the computation.  Printing a tensor shows a
# symbol: its name, shape and dtype, never a value.  (The lecture's code, with a seed so the numbers
# below repeat.)

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(2019)
v1 = tf.Variable(tf.random_uniform([3]))
v2 = tf.Variable(tf.random_uniform([3]))
sum2 = tf.add(v1, v2)
print(v1)
print(v2)
print(sum2)

# %% [markdown] slideshow={"slide_type": "fragment"}
# To get the numbers, run the graph in a session:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    sess.run(tf.initialize_all_variables())
    print(sess.run(v1))
    print(sess.run(v2))
    print(sess.run(sum2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# A **dynamic** framework (PyTorch; numpy works the same way) computes each line at once, so printing
# shows numbers.  The lecture's PyTorch example, in numpy:

# %% slideshow={"slide_type": "-"}
np.random.seed(2019)
n1 = np.random.rand(1, 3)
n2 = np.random.rand(1, 3)
print(n1)
print(n2)
print(n1 + n2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# | | static graph 静态图 (TensorFlow 1.x, Caffe) | dynamic graph 动态图 (PyTorch) |
# |---|---|---|
# | the graph | defined once, then run many times, fixed | rebuilt at every run, can change |
# | strengths | faster, easy to deploy (servers, embedded) | flexible, easy to debug, easier to learn |
#
# TensorFlow later added a dynamic mode, *eager execution*: a later chapter.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: building an op computes nothing
#
# This is how minitf's `Graph` adds an operation.  It checks the name, creates the `Operation`
# (whose output `Tensor`s know only shape and dtype) and appends it to a list.  No arithmetic anywhere:
# that is the whole reason printing `sum2` shows a symbol.

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(tf.Graph._create_op))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Build $(a + b) \times (a - b)$ with constants `a = 5.0` and `b = 3.0`; call the result
# `result`.  Run it and store the value in `value1`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
a = tf.constant(5.0, name="a")
b = tf.constant(3.0, name="b")
result = (a + b) * (a - b)
with tf.Session() as sess:
    value1 = sess.run(result)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert value1 == 16.0, f"expected 16.0, got {value1}"
assert result.op.type == "Mul"
assert sorted(t.op.type for t in result.op.inputs) == ["Add", "Sub"]
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** How many nodes does one `tf.Variable(0.0)` add to the graph?  Count the ops before and
# after, and store the difference in `n_nodes`.  Then draw the new variable's nodes with
# `viz.draw_graph(...)` to see what they are.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
before = len(tf.get_default_graph().get_operations())
v = tf.Variable(0.0, name="v")
n_nodes = len(tf.get_default_graph().get_operations()) - before
viz.draw_graph([v.initializer, v.value()])

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert n_nodes == 4, f"expected 4 (initial_value, the variable, Assign, read), got {n_nodes}"
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Make a new graph `g` with a placeholder named `"inp"` (float32, shape `[None, 2]`) and
# `out = inp * 2` inside a name scope `"double"`.  Check that the default graph did not change.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
g = tf.Graph()
with g.as_default():
    inp = tf.placeholder(tf.float32, [None, 2], name="inp")
    with tf.name_scope("double"):
        out = inp * 2

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert inp.graph is g and out.graph is g and tf.get_default_graph() is not g
assert inp.name == "inp:0" and out.name.startswith("double/")
assert str(out.shape) == "(?, 2)"
print("exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - A graph (计算图) has operations (算子) as nodes and tensors (张量) as edges; inputs and variables are
#   its terminal nodes.
# - A tensor is a symbol with a name, shape and dtype; values exist only when a session runs the graph.
# - Ops go into the default graph unless you build inside `with g.as_default():`.
# - TensorFlow 1.x is a static-graph framework: define first, run later.  numpy/PyTorch are dynamic.
#
# Next: [02 · sessions and devices](02_sessions_devices.ipynb).
