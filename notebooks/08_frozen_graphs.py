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
# # 8 · Frozen graphs  PB 模式
#
# **Goals**
# - why a frozen graph (冻结图): deployment (部署), one file, no variables;
# - freeze (冻结) a trained model with `graph_util.convert_variables_to_constants` and its output
#   node names (输出节点名), write it with `tf.gfile.FastGFile`;
# - load it with `tf.import_graph_def`: `input_map` and `return_elements`;
# - see the graph before and after freezing, and the same `.pb` file run by real TensorFlow.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 7 stored graph and variables apart (ckpt 模式). This chapter packs both into one
# protocol-buffer file (PB 模式): what a server, a phone app or another language loads.

# %% slideshow={"slide_type": "skip"}
import os
import shutil

import numpy as np
import minitf as tf
from minitf import viz
from minitf.python.framework import graph_util
from minitf.python.platform import gfile

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# Every file this chapter writes goes under runs/ch08 (next to the notebook), emptied here.
RUNS = os.path.join("runs", "ch08")
shutil.rmtree(RUNS, ignore_errors=True)
os.makedirs(RUNS)


def tensorflow_v1():
    """Real TensorFlow's 1.x API (tf.compat.v1) in graph mode, or None where it is not installed."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")    # no C++ start-up log lines,
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")   # nor the oneDNN notice
    try:
        import tensorflow
    except ImportError:
        print("TensorFlow is not installed here: this cell needs `pip install tensorflow-cpu`.")
        return None
    tensorflow.get_logger().setLevel("ERROR")
    tensorflow.compat.v1.disable_v2_behavior()            # TF 1.x semantics, as in the lecture
    return tensorflow.compat.v1

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why a PB file  (PB 文件优点)
#
# A `.pb` file is a protocol buffer (协议缓冲区) holding a `GraphDef`: the graph, with every variable
# turned into a constant (常量).
# - language-independent: any language with protobuf can parse it (C++, Java, Go, JavaScript ...);
# - self-contained: one file, runs without the Python code that built the model;
# - smaller: only what the outputs need; no training ops, no optimizer state;
# - what a serving system, a phone or another framework loads: deployment (部署), porting (移植).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture also mentions several graphs in one file (serving vs training, CPU vs GPU): that is
# TF's SavedModel, a directory built around the same protocol buffers; not covered here. The price of freezing:
# the values are fixed, training cannot continue (exercise 2).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Freezing: the lecture's example  (PB 存储代码示例)
#
# `convert_variables_to_constants(sess, graph_def, output_node_names)` keeps what the named outputs
# need, and puts each variable's *current value* (from the session) in a constant.

# %% slideshow={"slide_type": "-"}
tf.set_random_seed(1)
x = tf.Variable(tf.random_uniform([3]))
y = tf.Variable(tf.random_uniform([3]))
z = tf.add(x, y, name="op_to_store")
save_file = os.path.join(RUNS, "lecture.pb")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(x), sess.run(y), sess.run(z))
    constant_graph = graph_util.convert_variables_to_constants(
        sess, sess.graph_def, ["op_to_store"])
    with tf.gfile.FastGFile(save_file, mode="wb") as f:
        f.write(constant_graph.SerializeToString())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Output node names are op names ("op_to_store"), not tensor names ("op_to_store:0"). The message
# "Converted 2 variables to const ops." is TensorFlow's. `FastGFile` is TF's file object (it also writes to cloud
# storage); a plain `open` writes the same bytes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Loading a PB file  (PB 恢复代码示例)
#
# No model code: parse the bytes into a `GraphDef`, import it, find the tensor by name.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
with tf.Session() as sess:
    with gfile.FastGFile(save_file, "rb") as f:
        graph_def = tf.GraphDef()
        graph_def.ParseFromString(f.read())
        tf.import_graph_def(graph_def, name="")
    z = sess.graph.get_tensor_by_name("op_to_store:0")
    print(sess.run(z))
print([(node.name, node.op) for node in graph_def.node])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Only z's value can be taken out (只取出了z的值), as the lecture says: x and y are now constants
# named `Variable` and `Variable_1`. No initializer is needed (the lecture still runs one: harmless, there are no
# variables). `name=""` imports without a name prefix.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A trained model to ship
#
# Chapter 7's linear regression on its synthetic data (known weights), trained to the end.

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(6)
true_weight = np.array([[2.0], [-3.0], [0.5], [1.0]], np.float32)
X_train = rng.normal(size=(800, 4)).astype(np.float32)
noise = rng.normal(size=(800, 1)).astype(np.float32)
y_train = X_train @ true_weight + 4.0 + noise
X_new = rng.normal(size=(3, 4)).astype(np.float32)    # 3 unseen rows

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The same training data as chapter 7. `X_new` plays the requests a deployed model receives.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The model, with names for its inputs and outputs:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
data = tf.placeholder(tf.float32, [None, 4], name="data")
label = tf.placeholder(tf.float32, [None, 1], name="label")
weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
bias = tf.Variable(tf.ones([1]), name="bias")
prediction = tf.add(tf.matmul(data, weight), bias, name="prediction")
loss = tf.reduce_mean(tf.square(label - prediction), name="loss")
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The names `data` and `prediction` are the model's interface: the deployed file is used through
# them.

# %% [markdown] slideshow={"slide_type": "subslide"}
# 200 steps of training; what it learned, and its predictions for the three new rows:

# %% slideshow={"slide_type": "-"}
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for _ in range(200):
    sess.run(train, {data: X_train, label: y_train})
print("loss", sess.run(loss, {data: X_train, label: y_train}))
print("weight", sess.run(weight).ravel(), " bias", sess.run(bias))
minitf_out = sess.run(prediction, {data: X_new})
print("predictions for X_new", minitf_out.ravel())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Weights near 2, -3, 0.5, 1 and bias near 4; loss near the noise's variance, 1. `minitf_out` is
# what the frozen file must reproduce. The session stays open: its variables hold the trained values we freeze.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The graph before freezing  (冻结前)
#
# `prediction` needs an input placeholder and two **variables** (cylinders).

# %% slideshow={"slide_type": "-"}
viz.draw_graph(prediction, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The whole graph also holds the loss, the gradients and the optimizer:

# %% slideshow={"slide_type": "-"}
graph_def = sess.graph.as_graph_def()
print(len(graph_def.node), "nodes;", sorted({n.op for n in graph_def.node})[:8])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Only `data` feeds `prediction`; `label` is needed for the loss only. A variable reads as
# `weight/read` (an Identity) in TF 1.x graphs. The 8 op types printed are the first of many.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Freezing the model  (冻结)

# %% slideshow={"slide_type": "-"}
frozen = graph_util.convert_variables_to_constants(
    sess, graph_def, output_node_names=["prediction"])
pb_path = os.path.join(RUNS, "model.pb")
with tf.gfile.FastGFile(pb_path, "wb") as f:
    f.write(frozen.SerializeToString())
for node in frozen.node:
    print(f"{node.name:12} {node.op}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Seven nodes left of the whole training graph: the input placeholder, two constants holding the
# trained values, their reads, the matmul and the add. `label`, the loss, the gradients and the optimizer are gone:
# `prediction` does not need them.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## One small file
#
# The `.pb` beside a checkpoint of the same model (chapter 7), in bytes:

# %% slideshow={"slide_type": "-"}
ckpt = tf.train.Saver().save(sess, os.path.join(RUNS, "model.ckpt"))
for name in sorted(os.listdir(RUNS)):
    if name.startswith("model."):
        size = os.path.getsize(os.path.join(RUNS, name))
        print(f"{name:32} {size:6d}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The checkpoint's `.meta` holds the whole training graph (gradients, optimizer, save ops). The
# `.pb` holds the forward graph and the values. For a real network the values dominate: both are about as big as the
# weights, but the `.pb` is one file with nothing to set up.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Loading with `input_map` and `return_elements`
#
# `input_map` plugs a tensor of *our* graph into an input of the imported one; `return_elements`
# hands back the tensors we name.  The imported nodes get the prefix `name="frozen"`.

# %% slideshow={"slide_type": "-"}
with tf.gfile.FastGFile(pb_path, "rb") as f:
    loaded = tf.GraphDef()
    loaded.ParseFromString(f.read())
frozen_graph = tf.Graph()
with frozen_graph.as_default():
    requests = tf.placeholder(tf.float32, [None, 4], name="requests")
    out, = tf.import_graph_def(loaded, input_map={"data:0": requests},
                               return_elements=["prediction:0"],
                               name="frozen")
    print(out)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `input_map` is how a deployed model is wired into a bigger graph: a preprocessing step, a queue, or
# as here a placeholder of our own. The imported `frozen/data` placeholder is still there, but nothing reads it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Run it: the same predictions as the training session.

# %% slideshow={"slide_type": "-"}
with tf.Session(graph=frozen_graph) as s:
    loaded_out = s.run(out, {requests: X_new})
print("frozen ", loaded_out.ravel())
print("session", minitf_out.ravel())
print("variables in the loaded graph:",
      frozen_graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Bit for bit the same: the constants are the session's values, and the same kernels run. No
# variables: nothing to initialize, nothing to train.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The graph after freezing  (冻结后)
#
# Constants where the variables were; our `requests` placeholder feeds the matmul.

# %% slideshow={"slide_type": "-"}
viz.draw_graph(frozen_graph, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Compare with the picture before freezing: the cylinders (variables) became constants. The
# imported `frozen/data` stands alone, unused, because `input_map` replaced it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The same file in real TensorFlow
#
# minitf's files are TensorFlow's files: TF 2.x in 1.x mode (`tf.compat.v1`) loads `model.pb`.
# The output below was recorded on a machine with TensorFlow; without it the cell says so.

# %% slideshow={"slide_type": "-"}
# NBVAL_SKIP
v1 = tensorflow_v1()      # real TensorFlow's tf.compat.v1, or None
if v1 is not None:
    graph_def = v1.GraphDef()
    with open(pb_path, "rb") as f:
        graph_def.ParseFromString(f.read())
    with v1.Graph().as_default() as g, v1.Session(graph=g) as s:
        v1.import_graph_def(graph_def, name="")
        tf_out = s.run("prediction:0", {"data:0": X_new})
    print("TensorFlow", v1.VERSION, tf_out.ravel())
    print("minitf    ", minitf_out.ravel())
    print("max difference", np.abs(tf_out - minitf_out).max())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This cell is not run by the notebook tests (TensorFlow is a 1.6 GB install the course does not
# need); its stored output is real TensorFlow's. The project's interop tests do the same check whenever TensorFlow
# is installed, and the other direction too: minitf reads files TensorFlow wrote.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When a name is wrong
#
# Output node names are **op** names.  A tensor name (`:0`) is not in the graph:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
graph_util.convert_variables_to_constants(sess, graph_def,
                                          ["prediction:0"])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorFlow's own message, an `AssertionError`. The same for a typo. `return_elements` and
# `get_tensor_by_name` want tensor names ("prediction:0"); freezing wants op names ("prediction").

# %% [markdown] slideshow={"slide_type": "subslide"}
# An `input_map` tensor must fit the input it replaces: 3 features instead of 4:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Graph().as_default():
    narrow = tf.placeholder(tf.float32, [None, 3])
    tf.import_graph_def(loaded, input_map={"data:0": narrow})

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The shapes are checked when the graph is imported, not when it runs: the matmul cannot multiply
# [?,3] by the frozen [4,1] weight.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 is the deployment round trip, exercise 2 asks whether a frozen model can learn,
# exercise 3 wires a new input in with `input_map`. The checks read the students' files and graphs.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · Ship the loss, not only the prediction (练习 1)
#
# A monitoring service wants the model's **loss** on labelled rows.  From `sess`:
# - freeze the graph with the output node that computes the loss, and write it with
#   `tf.gfile.FastGFile` to `loss_pb = os.path.join(RUNS, "loss.pb")`;
# - `loss_inputs`: the sorted names of the `Placeholder` nodes in the frozen graph;
# - `shipped_loss`: the loss on `X_new` with labels `y_new`, computed by importing **the file** into a
#   new graph and running it (feed through `input_map` or by tensor names).
#
# Which inputs does the frozen loss need that the frozen prediction did not?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The output node is `loss` (the name given in the model cell). The frozen loss keeps both
# placeholders; the frozen prediction kept only `data`. The check parses the student's file itself.

# %% slideshow={"slide_type": "skip"}
loss_pb = os.path.join(RUNS, "loss.pb")
y_new = np.array([[1.0], [-2.0], [3.0]], np.float32)

# %% nbgrader={"grade": false, "grade_id": "ch08-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
loss_inputs = None
shipped_loss = None
### BEGIN SOLUTION
frozen_loss = graph_util.convert_variables_to_constants(sess, sess.graph_def, ["loss"])
with tf.gfile.FastGFile(loss_pb, "wb") as f:
    f.write(frozen_loss.SerializeToString())
loss_inputs = sorted(node.name for node in frozen_loss.node if node.op == "Placeholder")
with tf.gfile.FastGFile(loss_pb, "rb") as f:
    loss_def = tf.GraphDef()
    loss_def.ParseFromString(f.read())
with tf.Graph().as_default() as g:
    tf.import_graph_def(loss_def, name="")
    with tf.Session(graph=g) as s:
        shipped_loss = s.run("loss:0", {"data:0": X_new, "label:0": y_new})
print(loss_inputs, shipped_loss)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch08-ex1-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert loss_inputs is not None and shipped_loss is not None, "set loss_inputs and shipped_loss"
assert os.path.exists(loss_pb), "write the frozen graph to loss_pb with tf.gfile.FastGFile"
_def = tf.GraphDef()
with open(loss_pb, "rb") as _f:
    _def.ParseFromString(_f.read())
_ops = {_n.name: _n.op for _n in _def.node}
assert "loss" in _ops, "loss.pb should contain the node 'loss': freeze with output_node_names=['loss']"
assert not any(_op.startswith("Variable") for _op in _ops.values()), \
    "loss.pb still has variables: freeze it with graph_util.convert_variables_to_constants"
assert not any(_name.startswith(("gradients", "GradientDescent")) for _name in _ops), \
    "loss.pb holds training nodes: freeze only what the 'loss' output needs"
assert list(loss_inputs) == sorted(_n for _n, _op in _ops.items() if _op == "Placeholder"), \
    "loss_inputs should be the sorted names of the Placeholder nodes in the frozen graph"
_w, _b = sess.run([weight, bias])
_expected = np.mean((y_new.astype(np.float64) - (X_new @ _w + _b)) ** 2)
assert np.isclose(float(shipped_loss), _expected, rtol=1e-5), \
    "shipped_loss should be the frozen loss run on X_new and y_new"
print(f"Exercise 1 ok: the frozen loss needs {list(loss_inputs)}; loss on X_new {float(shipped_loss):.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens if you train a frozen graph? (练习 2)
#
# Import `model.pb` (`pb_path`) into a new graph `retrain_graph` (feed it through `input_map` from a
# new placeholder, or use its own `data`), and try to train it further: build a mean-squared-error
# loss on its prediction against a label placeholder, and call
# `tf.train.GradientDescentOptimizer(0.1).minimize` on it.
# - `retrain_graph`: the graph you imported into;
# - `n_trainable`: the number of trainable variables in it (`tf.trainable_variables()` inside it);
# - `train_error`: the exception `minimize` raised, caught.
#
# Why can a frozen graph not learn any more?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* There is nothing to train: the weights are constants, and an optimizer only updates variables.
# "No variables to optimize." To fine-tune a deployed model you go back to the checkpoint (ckpt 模式).

# %% nbgrader={"grade": false, "grade_id": "ch08-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
retrain_graph = None
n_trainable = None
train_error = None
### BEGIN SOLUTION
with tf.gfile.FastGFile(pb_path, "rb") as f:
    model_def = tf.GraphDef()
    model_def.ParseFromString(f.read())
retrain_graph = tf.Graph()
with retrain_graph.as_default():
    rows = tf.placeholder(tf.float32, [None, 4], name="rows")
    targets = tf.placeholder(tf.float32, [None, 1], name="targets")
    predicted, = tf.import_graph_def(model_def, input_map={"data:0": rows},
                                     return_elements=["prediction:0"])
    retrain_loss = tf.reduce_mean(tf.square(targets - predicted))
    n_trainable = len(tf.trainable_variables())
    try:
        tf.train.GradientDescentOptimizer(0.1).minimize(retrain_loss)
    except ValueError as e:
        train_error = e
print(n_trainable, repr(train_error))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch08-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert retrain_graph is not None and n_trainable is not None, "set retrain_graph, n_trainable and train_error"
assert isinstance(retrain_graph, tf.Graph) and retrain_graph is not sess.graph, \
    "retrain_graph should be the new tf.Graph you imported model.pb into"
_types = [_op.type for _op in retrain_graph.get_operations()]
assert "MatMul" in _types and any(_op.name.endswith("prediction") for _op in retrain_graph.get_operations()), \
    "retrain_graph should hold the imported model (its MatMul and its 'prediction' node)"
assert not any(_t.startswith("Variable") for _t in _types), "retrain_graph should hold the frozen model, without variables"
assert n_trainable == len(retrain_graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)) == 0, \
    "n_trainable should count the trainable variables of retrain_graph"
assert isinstance(train_error, ValueError) and "No variables to optimize" in str(train_error), \
    "train_error should be the ValueError that minimize raised on the frozen graph's loss"
print("Exercise 2 ok: a frozen graph has no variables, so nothing to train")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · What happens if every feature doubles? (练习 3)
#
# Import `model.pb` into a new graph `doubled_graph` with **no placeholder of your own and no feed**:
# `input_map` replaces its `data:0` by the constant `tf.constant(2 * X_new)`, and `return_elements`
# gives you `prediction:0`.
# - `doubled_graph`: the graph you imported into;
# - `doubled`: the predictions, from a session run on `doubled_graph` without a `feed_dict`.
#
# Compare `doubled` with `2 * minitf_out`: does doubling the inputs double the predictions?  Why not?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `input_map` accepts any tensor, here a constant: the imported placeholder is then never needed.
# The predictions are $2Xw + b$, not $2(Xw + b)$: they differ from `2 * minitf_out` by the bias, about 4.

# %% nbgrader={"grade": false, "grade_id": "ch08-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
doubled_graph = None
doubled = None
### BEGIN SOLUTION
with tf.gfile.FastGFile(pb_path, "rb") as f:
    model_def = tf.GraphDef()
    model_def.ParseFromString(f.read())
doubled_graph = tf.Graph()
with doubled_graph.as_default():
    doubled_out, = tf.import_graph_def(model_def, input_map={"data:0": tf.constant(2 * X_new)},
                                       return_elements=["prediction:0"])
    with tf.Session() as s:
        doubled = s.run(doubled_out)
print("doubled inputs ", doubled.ravel())
print("2 * predictions", 2 * minitf_out.ravel())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch08-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert doubled_graph is not None and doubled is not None, "set doubled_graph and doubled"
assert isinstance(doubled_graph, tf.Graph) and doubled_graph is not sess.graph, \
    "doubled_graph should be the new tf.Graph you imported model.pb into"
_ops = doubled_graph.get_operations()
assert not any(_op.type.startswith("Variable") for _op in _ops), "doubled_graph should hold the frozen model (no variables)"
_matmuls = [_op for _op in _ops if _op.type == "MatMul"]
assert _matmuls and _matmuls[0].inputs[0].op.type == "Const", \
    "the imported MatMul should read your constant through input_map, not a placeholder"
_w, _b = sess.run([weight, bias])
assert np.asarray(doubled).shape == (3, 1), f"doubled should hold 3 predictions of shape (3, 1), got {np.shape(doubled)}"
assert not np.allclose(doubled, 2 * minitf_out, atol=1e-3), \
    "doubled is twice the predictions: run the frozen model on the doubled inputs instead"
assert np.allclose(doubled, 2 * X_new @ _w + _b, rtol=1e-5, atol=1e-5), \
    "doubled should be the frozen model's predictions for 2 * X_new"
print(f"Exercise 3 ok: doubled inputs give 2 * prediction - bias (bias {_b[0]:.3f})")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - PB 模式: one `GraphDef` file, variables frozen (冻结) into constants; for deployment (部署).
# - Freeze: `graph_util.convert_variables_to_constants(sess, graph_def, ["op_name"])`: only what
#   those outputs need is kept; write with `tf.gfile.FastGFile(path, "wb")`.
# - Load: `GraphDef().ParseFromString(...)`, `tf.import_graph_def(graph_def, input_map=...,
#   return_elements=[...], name=...)`, then tensors by name (`"prediction:0"`).
# - Names: freezing wants op names, fetching wants tensor names; keep your model's interface named.
# - A frozen graph cannot train; the checkpoint (ckpt 模式) is for training, the `.pb` for serving.
# - minitf's `.pb` files load in real TensorFlow and give the same numbers.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Next chapter: eager execution (动态图), where there is no graph to save at all until you ask for
# one.

# %% slideshow={"slide_type": "skip"}
sess.close()
