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
# - build the lecture's graph ((w × x) + b) × c and read its picture;
# - know the graph's terminal nodes: variables 变量, constants 常量, placeholders 占位符;
# - see an op with several inputs (多输入) and a tensor used several times (多输出);
# - name ops, use name scopes, the default graph and several graphs;
# - see why a graph tensor prints as a symbol (static graph 静态图) while numpy prints numbers (dynamic 动态图).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This chapter only builds graphs. The one session used here is a preview; chapter 02
# explains sessions. Keep asking "has anything been computed yet?" until the answer comes by itself.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorFlow = Tensor + flow  (TensorFlow 基本原理)
#
# - **Tensor 张量**: the data, n-dimensional arrays, that flow.  Where do they flow?
# - **Graph 计算图**: the paths the tensors flow along; it defines the model and the computation.
#   How do the tensors start flowing?
# - **Session 会话**: manages the computing resources and drives the tensors through the graph.
#
# The programming model (编程模型): *draw a graph* (画个图), then *write the script that runs it*
# (写个执行剧本).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Stress the split: building a graph computes nothing. Ask: where do the numbers live?
# (In the session, chapter 02.) The lecture's three questions: getting data in and results out is
# chapter 03 (feed and fetch), training is chapter 05.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What a graph is  (计算图定义)
#
# A graph is a **directed acyclic graph** (有向无环图) describing a computation:
# - **nodes** are operations 算子 (`+`, `×`, `matmul` ...);
# - **edges** carry each operation's outputs, the tensors 张量;
# - **terminal nodes** 边缘点 are the (data) inputs and the (parameter) variables.
#
# An input activates nodes along the directed paths; a node runs only after all its predecessors ran.
# The lecture's example $((w\times x)+b)\times c$, with names that say what each node is:

# %% slideshow={"slide_type": "-"}
# w and b are parameters (variables), x is an input (a placeholder)
weight = tf.Variable(2.0, name="weight")
data = tf.placeholder(tf.float32, shape=(), name="data")
bias = tf.Variable(1.0, name="bias")
c = tf.constant(3.0, name="c")
y = ((weight * data) + bias) * c
y

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `y` is printed as a tensor: name `mul_1:0`, shape `()`, dtype float32, no value.
# The Python names match the node names (`weight`, `data`, `bias`) so the picture on the next slide reads
# like the formula.

# %% [markdown] slideshow={"slide_type": "subslide"}
# `y` is a tensor: the output of the last `Mul` node.  The picture of everything `y` depends on:

# %% slideshow={"slide_type": "-"}
viz.draw_graph(y, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Orange cylinders are variables, the blue arrow-shaped node is a placeholder, grey boxes are constants,
# ellipses are operations.  Each edge is a tensor, labelled with its shape and dtype; `float32_ref` is
# the variable's own storage, read through its `read` node.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Follow the arrows with a finger: `weight` and `data` meet at the first `Mul`, `bias`
# joins at `add`, `c` at the last `Mul`. A session follows the arrows: no node runs before its inputs.
# Every variable comes with a `read` node: it is how other ops use the variable's current value.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same graph as text: the ops in the order they were created, each with the tensors it consumes.

# %% slideshow={"slide_type": "-"}
for op in tf.get_default_graph().get_operations():
    print(f"{op.name:21}{op.type:12}", *[t.name for t in op.inputs])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The list has more nodes than the picture: each variable also has an initial-value
# constant and an `Assign` node, which `y` does not depend on, so the picture leaves them out.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Building the graph computed nothing.  To get a number, a session feeds `data` and initializes the
# variables (chapters 02–04 explain each step): $((2 \times 4) + 1) \times 3 = 27$.

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(y, feed_dict={data: 4.0}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Three new things in three lines (session, initializer, feed_dict): do not explain them
# now, only point out that the number appears here and nowhere earlier.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The edges: tensors 张量  (Graph 的边-张量)
#
# The data passed between operations are n-dimensional arrays:
# 0-d tensor = scalar (标量), 1-d = vector (向量), 2-d = matrix (矩阵), n-d = ... (多维张量).
# A graph tensor knows its **shape** and **dtype** before any value exists.

# %% slideshow={"slide_type": "-"}
scalar = tf.constant(3.0)
vector = tf.constant([1.0, 2.0, 3.0])
matrix = tf.constant([[1, 2], [3, 4]])
cube = tf.zeros([2, 3, 4])          # e.g. 2 images of 3 × 4 pixels
for t in [scalar, vector, matrix, cube]:
    print(t.shape.ndims, "d:", t)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `shape` printed here is the *static* shape, known while building. A `?` would mean a
# dimension that is only known when data is fed (chapter 03).

# %% [markdown] slideshow={"slide_type": "subslide"}
# A tensor is *an operation's output*: it refers to an intermediate result (引用中间计算结果).
# Its name says which op made it and which output it is (`op_name:index`).

# %% slideshow={"slide_type": "-"}
print(y.name, "is output", y.value_index, "of the", y.op.type, "op")
print("named", repr(y.op.name))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `mul_1` because `mul` was taken by the first product; names are unique in a graph.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Terminal nodes: inputs and parameters  (Graph 终端节点)
#
# - `tf.Variable`: stores values updated while the graph runs (a network's weights 权值);
# - `tf.constant`: fixed when the graph is built, from a Python value (not a tensor);
# - `tf.placeholder`: a slot that must be **fed** (喂) a value at run time;
# - `tf.zeros`, `tf.ones`, `tf.zeros_like`, `tf.ones_like`, `tf.random_normal` ...: ops that make tensors.
#
# The lecture's linear model: `data` in, `weight` and `bias` as parameters.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data = tf.placeholder(tf.float32, [None, 4], name="data")
weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
bias = tf.Variable(tf.ones([1]), name="bias")
y_label = tf.add(tf.matmul(data, weight), bias, name="y_label")
for node in [data, weight, bias, y_label]:
    print(node)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `None` in the placeholder's shape means *any number of rows* (the batch size), printed
# `?`. `y_label` inherits it: `(?, 1)`. `float32_ref` marks the variable's storage.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The ops that make the terminal nodes' values (`random_normal`, `ones`) are not in `y_label`'s
# picture: they only fill the variables when they are initialized.

# %% slideshow={"slide_type": "-"}
viz.draw_graph(y_label, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `MatMul` has two incoming edges: data `(?, 4)` and the weight `(4, 1)`, giving
# `(?, 1)`. Shapes are worked out while building; nobody had to write them down (易于学习: 不用算每层的参数维度).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Several inputs, several outputs  (计算流程与 Graph 的对应关系)
#
# A node can have zero or more edges: **several inputs** 多输入 (one per input tensor) and
# **several outputs** 多输出 (its tensor used by several ops, one edge to each of them).
# In $(a+b)\times(a-b)$, `a` and `b` each feed two ops:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
a = tf.constant(5.0, name="a")
b = tf.constant(3.0, name="b")
product = (a + b) * (a - b)
print("a is used by", [op.name for op in a.consumers()])
viz.draw_graph(product, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Count the arrows leaving `a`: two, one to `add` and one to `sub`; the same for `b`.
# That is 多输出: one tensor, several consumers, and it is computed once. `mul` has two incoming arrows:
# 多输入. `Tensor.consumers()` lists the ops that use a tensor.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Names and name scopes 命名
#
# Every op has a unique name in its graph.  Without `name=` it is named after its type; a name already
# taken gets `_1`, `_2` ...  `tf.name_scope` prefixes names.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
a = tf.constant(1.0)
b = tf.constant(2.0)
c = tf.constant(3.0, name="c")
print(a.name, b.name, c.name)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first two constants are `Const` and `Const_1`: named after their type, numbered when
# taken. Good names make the pictures readable; always name inputs and parameters.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two layers, each in its own name scope:

# %% slideshow={"slide_type": "-"}
with tf.name_scope("hidden"):
    weight1 = tf.Variable(tf.ones([2, 2]), name="weight")
    hidden = tf.matmul(tf.ones([1, 2]), weight1, name="h")
with tf.name_scope("output"):
    weight2 = tf.Variable(tf.ones([2, 1]), name="weight")
    output = tf.matmul(hidden, weight2, name="out")
print(weight1.name, hidden.name, weight2.name, output.name)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Both variables are called `weight`, yet there is no clash: their full names are
# `hidden/weight` and `output/weight`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture draws each scope as a box (a variable's box holds its `read` node):

# %% slideshow={"slide_type": "-"}
viz.draw_graph(output, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorBoard draws scopes as boxes the same way, and can fold a box into one node; that
# is how big networks stay readable.

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
print(k1.graph is g1, k2.graph is g2)
print(k1.graph is tf.get_default_graph())
print(k1.name, k2.name, "- the same name is fine in different graphs")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.reset_default_graph()` throws the default graph away; the notebooks use it at the
# start of each example so names restart from scratch.

# %% [markdown] slideshow={"slide_type": "fragment"}
# A session runs one graph: pass it with `graph=`.

# %% slideshow={"slide_type": "-"}
with tf.Session(graph=g2) as sess:
    print(sess.run(k2_squared))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Static graphs  (TensorFlow 静态图机制)
#
# How building a graph differs from computing in Python:
# 1. you write every connection of the model with TF's data structures and ops (`tf.xxx`);
# 2. each of those lines must run once, like a function call, or the graph is not built;
# 3. the graph only *describes* the computation: it gives no results (Python would);
# 4. to compute, a session gives the inputs, says what to fetch, and starts the computation.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Point 2 surprises people: a cell that defines ops must be *run* before the ops exist.
# Point 3 is the next slide.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The lecture's code (with a seed, so the numbers below repeat).  Printing shows symbols: name, shape
# and dtype, never a value.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(2019)
v1 = tf.Variable(tf.random_uniform([3]))
v2 = tf.Variable(tf.random_uniform([3]))
sum2 = tf.add(v1, v2)
print(v1)
print(v2)
print(sum2)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's first listing printed `sum` (Python's built-in function) by mistake; the
# intent was `sum2`, printed here. Same output as TensorFlow 1.x, `Add:0` included.

# %% [markdown] slideshow={"slide_type": "fragment"}
# To get the numbers, run the graph in a session:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    sess.run(tf.initialize_all_variables())
    print(sess.run(v1))
    print(sess.run(v2))
    print(sess.run(sum2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Dynamic graphs  (动态图框架)
#
# A **dynamic** framework (PyTorch; numpy works the same way) computes each line at once, so printing
# shows numbers.  The lecture's PyTorch example, in numpy:

# %% slideshow={"slide_type": "-"}
np.random.seed(2019)
n1 = np.random.rand(1, 3)
n2 = np.random.rand(1, 3)
print(n1)
print(n2)
print(n1 + n2)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `torch.rand(1, 3)` and `np.random.rand(1, 3)` behave alike here: the value exists as soon
# as the line runs. The course has no PyTorch dependency, hence numpy.

# %% [markdown] slideshow={"slide_type": "subslide"}
# | | static graph 静态图 | dynamic graph 动态图 |
# |---|---|---|
# | examples | TensorFlow 1.x, Caffe | PyTorch |
# | the graph | defined once, run many times, fixed | rebuilt at every run, can change while learning |
# | strengths | faster, large-scale deployment, embedded devices | flexible, easy to debug, easier to learn |
#
# TensorFlow later added a dynamic mode, *eager execution* (a later chapter).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's two lists (静态图框架, 动态图框架) side by side. The price of the static
# graph is the one students just felt: a print shows a symbol, not a number.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises.*  This is how minitf's `Graph` adds an operation: it checks the name,
# creates the `Operation` (whose output `Tensor`s know only shape and dtype) and appends it to a list.
# No arithmetic anywhere: that is why printing `sum2` shows a symbol.  (The source is in the notebook.)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Optional, for the curious. The point is the absence of arithmetic in graph building;
# the listing itself stays in the notebook, not on the slide.

# %% slideshow={"slide_type": "skip"}
print(inspect.getsource(tf.Graph._create_op))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three exercises: a tensor used twice, what a variable adds to the graph, and a graph of your own.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 2 is the open one: let students predict the number of nodes first, then look.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · One tensor, two consumers (练习 1)
#
# Given `x = tf.constant([1.0, 2.0, 3.0, 6.0], name="x")`, build `centered`: `x` minus its mean
# (`tf.reduce_mean`), so that the **same** tensor `x` feeds both the mean and the subtraction (two
# outgoing edges, 多输出).  Run `centered` in a session and store what it returns in `centered_value`.
#
# Set: `centered` (a tensor), `centered_value` (its value from a session).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Subtracting the mean is the first step of standardization (标准化), met again in chapter
# 06. The check looks at `x.consumers()`: computing the mean by hand, or building a second copy of `x`,
# is rejected.

# %% nbgrader={"grade": false, "grade_id": "ch01-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
x = tf.constant([1.0, 2.0, 3.0, 6.0], name="x")
centered = None
centered_value = None
### BEGIN SOLUTION
centered = x - tf.reduce_mean(x)
with tf.Session() as sess:
    centered_value = sess.run(centered)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch01-ex1-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(centered, tf.Tensor), \
    f"centered should be a tensor of the graph, got {type(centered).__name__}"
assert centered.op.type == "Sub", f"centered should come from a subtraction, but its op is a {centered.op.type}"
assert centered.op.inputs[0] is x, "the subtraction should start from the given tensor x (x - ...)"
_mean = centered.op.inputs[1]
assert _mean.op.type == "Mean" and _mean.op.inputs[0] is x, \
    "what you subtract should be tf.reduce_mean(x) of the same tensor x, not a number or a copy of x"
assert len(x.consumers()) == 2, \
    f"x should be used by exactly two ops (the mean and the subtraction), it has {len(x.consumers())}"
assert isinstance(centered_value, np.ndarray) and centered_value.dtype == np.float32, \
    "centered_value should be the float32 array that sess.run(centered) returned"
with tf.Session(graph=centered.graph) as _sess:
    assert np.array_equal(centered_value, _sess.run(centered)), \
        f"centered_value {centered_value} is not what the graph computes"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens when you create a variable? (练习 2)
#
# In a fresh graph, create the lecture's `weight = tf.Variable(tf.random_normal([4, 1]), name="weight")`.
# Predict first: how many nodes does this one line add?  Then find out:
# - `new_ops`: the list of operations the line added (`graph.get_operations()`), `n_nodes` its length;
# - `init_types`: the set of op types (`op.type`) that running `weight.initializer` needs.  Look at
#   `viz.draw_graph(weight.initializer)`: it draws exactly what that op depends on.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Collect guesses: most say 1. The answer has the random-number ops, the variable, its
# `Assign` and its `read`. The initializer needs the random ops and `Assign`, but not `read`: that is
# the part of the graph a fetch depends on, a theme of chapter 03.

# %% nbgrader={"grade": false, "grade_id": "ch01-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
graph = tf.get_default_graph()
weight = None
new_ops = None
n_nodes = None
init_types = None
### BEGIN SOLUTION
before = len(graph.get_operations())
weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
new_ops = graph.get_operations()[before:]
n_nodes = len(new_ops)
picture = viz.draw_graph(weight.initializer)
init_types = {graph.get_operation_by_name(name).type for name in picture.nodes()}
picture
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch01-ex2-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
with tf.Graph().as_default() as _g:          # the same line in a graph of its own
    _w = tf.Variable(tf.random_normal([4, 1]), name="weight")
_expected_types = {op.type for op in _g.get_operations()}
_needed, _stack = set(), [_w.initializer]   # every op the initializer depends on
while _stack:
    _op = _stack.pop()
    if _op not in _needed:
        _needed.add(_op)
        _stack.extend(t.op for t in _op.inputs)
assert isinstance(weight, tf.Variable) and weight.op.name == "weight", \
    'weight should be the variable made by tf.Variable(tf.random_normal([4, 1]), name="weight")'
assert isinstance(new_ops, list) and all(isinstance(op, tf.Operation) for op in new_ops), \
    "new_ops should be the list of Operation objects the line added (from graph.get_operations())"
assert weight.op in new_ops and {op.type for op in new_ops} == _expected_types, \
    "new_ops should hold exactly the ops that creating weight added, no more, no fewer"
assert n_nodes == len(new_ops) == len(_g.get_operations()), \
    f"n_nodes should be how many ops the line added ({len(new_ops)} in new_ops), got {n_nodes}"
assert isinstance(init_types, (set, frozenset)) and all(isinstance(t, str) for t in init_types), \
    "init_types should be a set of op type names such as {'Assign', ...}"
assert "Identity" not in init_types, \
    "initializing does not read the variable: the read op (type Identity) is not needed"
assert init_types == {op.type for op in _needed}, \
    f"init_types should be the types of all ops weight.initializer depends on, got {sorted(init_types)}"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · A graph of your own (练习 3)
#
# Make a new graph `g` (not the default graph).  Inside it, create a placeholder `data` named `"data"`
# (float32, any number of rows of 4 numbers) and, inside a name scope `"model"`, the tensor
# `row_sum = tf.reduce_sum(data, axis=1)`.  The default graph must not change.
#
# Set: `g`, `data`, `row_sum`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Common slips: building outside the `with g.as_default():` block, or writing the shape as
# `[4]` instead of `[None, 4]`. The check names each one.

# %% nbgrader={"grade": false, "grade_id": "ch01-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
tf.reset_default_graph()
g = None
data = None
row_sum = None
### BEGIN SOLUTION
g = tf.Graph()
with g.as_default():
    data = tf.placeholder(tf.float32, [None, 4], name="data")
    with tf.name_scope("model"):
        row_sum = tf.reduce_sum(data, axis=1)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch01-ex3-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(g, tf.Graph), f"g should be a new tf.Graph(), got {type(g).__name__}"
assert g is not tf.get_default_graph(), "g should be a new graph, not the default graph"
assert not tf.get_default_graph().get_operations(), \
    "the default graph should stay empty: build inside `with g.as_default():`"
assert isinstance(data, tf.Tensor) and data.graph is g, "data should be a tensor of g"
assert data.op.type == "Placeholder" and data.name == "data:0", \
    'data should be a placeholder named "data"'
assert data.dtype == tf.float32 and data.shape.as_list() == [None, 4], \
    f"data should be float32 with shape [None, 4] (any number of rows of 4), got {data.shape}"
assert isinstance(row_sum, tf.Tensor) and row_sum.graph is g, "row_sum should be a tensor of g"
assert row_sum.op.type == "Sum" and row_sum.op.inputs[0] is data, \
    "row_sum should be tf.reduce_sum(data, axis=1)"
assert row_sum.op.name.startswith("model/"), \
    f'row_sum should be built inside tf.name_scope("model"), its name is {row_sum.op.name!r}'
assert row_sum.shape.as_list() == [None], \
    f"row_sum should have one number per row (sum over axis 1), its shape is {row_sum.shape}"
print("Exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - A graph (计算图) has operations (算子) as nodes and tensors (张量) as edges; inputs and variables are
#   its terminal nodes.  An op can have several inputs (多输入), a tensor several consumers (多输出).
# - A tensor is a symbol with a name, shape and dtype; values exist only when a session runs the graph.
# - Ops go into the default graph unless you build inside `with g.as_default():`.
# - TensorFlow 1.x is a static-graph framework: define first, run later.  numpy/PyTorch are dynamic.
#
# Terms: [glossary 术语表](glossary.md).  Next: [02 · sessions and devices](02_sessions_devices.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* One question to end with: "what does `print(y)` show, and why?" The answer (a symbol,
# because the graph is static) is the whole chapter.
