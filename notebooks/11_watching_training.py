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
# # 11 · Watching and debugging training  训练的监控与调试
#
# **Goals**
# - log what training does with summaries (汇总) and a `FileWriter`: loss curves, weight histograms,
#   the graph;
# - read the logs back in the notebook and plot them; open TensorBoard (可视化) live;
# - hunt NaN and Inf (非数 / 无穷大): divergence (发散), `tf.check_numerics`, `tf.add_check_numerics_ops`;
# - read shape (形状) and dtype (数据类型) errors; the int32 vs float32 pitfalls.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture lists visualization with TensorBoard among TensorFlow's features and complains that
# `Session.run` makes debugging hard (调试问题). Chapter 9 answered with eager execution; this chapter stays in graph
# mode and shows the tools a TF 1.x programmer uses every day: logs, checks, and reading error messages.

# %% slideshow={"slide_type": "skip"}
import os
import shutil
import struct

import matplotlib.pyplot as plt
import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# TensorFlow turns an overflow into inf or nan without a word; keep numpy (under minitf) as quiet.
_ = np.seterr(over="ignore", invalid="ignore")
# %xmode Minimal

# Every log this chapter writes goes under runs/ch11 (next to the notebook), emptied here.
# `./dev tensorboard` shows notebooks/runs/, so these runs appear there too.
RUNS = os.path.join("runs", "ch11")
shutil.rmtree(RUNS, ignore_errors=True)
os.makedirs(RUNS)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why watch training?  (训练的监控)
#
# - A training loop prints nothing by itself: `sess.run(train)` returns `None`, a thousand times.
# - The lecture's debugging problem (调试问题): the graph is built first and run later, so a bad value
#   shows up far from the line that made it.
# - TensorFlow's answers in graph mode:
#   1. **summaries + TensorBoard** (可视化): curves and histograms of any tensor, step by step;
#   2. **numeric checks**: stop at the first NaN or Inf, naming the op;
#   3. **error messages** that name the op, its type and its input shapes or dtypes.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 6 met a silent failure: a loss of inf and then nan, no error. By the end of this chapter the
# students can see that coming on a curve, and make TensorFlow stop at the first bad value.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The model: the lecture's linear regression
#
# Data with known weights (2, -3, 0.5, 1; bias 4; noise of variance 1), as in chapters 6 and 7:

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(11)
true_weight = np.array([[2.0], [-3.0], [0.5], [1.0]], np.float32)
X_train = rng.normal(size=(800, 4)).astype(np.float32)
noise = rng.normal(size=(800, 1)).astype(np.float32)
y_train = X_train @ true_weight + 4.0 + noise
print(X_train.shape, y_train.shape)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The features are already on the scale of 1 (standardized, 标准化), so nothing overflows by
# accident: the trouble later in this chapter is made on purpose. The best possible loss is the noise, about 1.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The graph as a function: a new graph can get the same model.  The learning rate (学习率) is a
# placeholder, so one graph trains at any rate; the graph seed gives every new session the same start.

# %% slideshow={"slide_type": "-"}
def build_model():
    """The lecture's linear regression in the default graph, seeded."""
    tf.set_random_seed(0)
    data = tf.placeholder(tf.float32, [None, 4], name="data")
    real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
    weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
    bias = tf.Variable(tf.ones([1]), name="bias")
    y_label = tf.add(tf.matmul(data, weight), bias)
    loss = tf.reduce_mean(tf.square(real_label - y_label))
    rate = tf.placeholder(tf.float32, [], name="learning_rate")
    train = tf.train.GradientDescentOptimizer(rate).minimize(loss)
    return data, real_label, weight, loss, rate, train

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Steps 1-4 of the lecture's framework: placeholders, variables, loss (损失函数), optimizer
# (优化器). The bias is not returned: nothing below needs to fetch it by name.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summaries  (汇总): ops that record a value
#
# `tf.summary.scalar(name, tensor)` records one number, `tf.summary.histogram(name, tensor)` the
# distribution of a tensor's values.  Both are **ops** of the graph, collected in
# `GraphKeys.SUMMARIES`; `tf.summary.merge_all()` merges them into one op.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data, real_label, weight, loss, rate, train = build_model()
tf.summary.scalar("loss", loss)
tf.summary.histogram("weights", weight)
merged = tf.summary.merge_all()
print(tf.get_collection(tf.GraphKeys.SUMMARIES))
print(merged)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The summary's name becomes its **tag** (标签) in TensorBoard, and also the name of its op: a
# histogram called "weight" would be tagged `weight_1`, because the variable already owns the op name `weight`.
# Hence "weights". The merged op's output is a string tensor: a serialized protocol buffer.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Running the merged op gives bytes: a `Summary` protocol buffer (协议缓冲区) with one value per tag.

# %% slideshow={"slide_type": "-"}
feed = {data: X_train, real_label: y_train, rate: 0.1}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    raw = sess.run(merged, feed)
parsed = tf.Summary.FromString(raw)
print(len(raw), "bytes; tags", [v.tag for v in parsed.value])
print(f"loss {parsed.value[0].simple_value:.4f}")
histo = parsed.value[1].histo
print(f"weights: {histo.num:.0f} values, {histo.min:.3f} to {histo.max:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A histogram summary stores min, max, count, sum, sum of squares and bucket counts, not the values
# themselves: a million weights cost a few hundred bytes per step.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## `tf.summary.FileWriter`: write the log  (写日志)
#
# Fetch the summary **in the same run** as the train op and hand it to the writer with its step.
# `FileWriter(logdir, sess.graph)` also stores the graph (TensorBoard's Graphs tab).

# %% slideshow={"slide_type": "-"}
logdir = os.path.join(RUNS, "lr_0.1")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    writer = tf.summary.FileWriter(logdir, sess.graph)   # + the graph
    for step in range(100):
        summary, _ = sess.run([merged, train], feed)
        writer.add_summary(summary, step)
    writer.close()                                       # flush to disk
print(os.listdir(RUNS))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* One `sess.run` computes the loss and applies the update, so the logged loss of step k is the loss
# before update k. `writer.close()` (or `writer.flush()`) matters: the writer works in the background and writes
# to disk every two minutes by default.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A log folder holds **event files** (事件文件); the name has the time and the machine in it, so it
# changes with every run:

# %% slideshow={"slide_type": "-"}
for name in os.listdir(logdir):
    prefix = name.split(".")[:3]
    print(".".join(prefix) + ".<seconds since 1970>.<host name>")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `events.out.tfevents.1733100000.my-laptop`: the time stamp makes every run's file new, so a
# second run into the same folder adds a second file instead of overwriting. That is also why this notebook never
# prints the name itself: the stored output would change on every run.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Several runs (运行), one folder each
#
# TensorBoard shows every sub-folder of the log directory as a **run** and draws the runs on one
# plot.  The same loop as a function (in the notebook), then two more learning rates:

# %% slideshow={"slide_type": "skip"}
def train_logged(lr, steps=100, run=None):
    """Train a new model at learning rate `lr`; log loss and weights into RUNS/<run>.

    `run` defaults to "lr_<lr>". Each call builds its own graph: the model of build_model(),
    the two summaries above and a FileWriter that also writes the graph.
    """
    with tf.Graph().as_default() as graph:
        data, real_label, weight, loss, rate, train = build_model()
        tf.summary.scalar("loss", loss)
        tf.summary.histogram("weights", weight)
        merged = tf.summary.merge_all()
        feed = {data: X_train, real_label: y_train, rate: lr}
        run_dir = os.path.join(RUNS, run or f"lr_{lr}")
        with tf.summary.FileWriter(run_dir, graph) as writer, tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(steps):
                summary, _ = sess.run([merged, train], feed)
                writer.add_summary(summary, step)
    return run_dir

# %% slideshow={"slide_type": "-"}
for lr in [0.5, 1.2]:
    train_logged(lr)
print(sorted(os.listdir(RUNS)))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `with tf.summary.FileWriter(...) as writer:` closes the writer at the end, even when training
# stops with an error. One folder per run is the whole convention: `runs/ch11/lr_0.5`, `runs/ch11/lr_1.2`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reading the log back  (读取日志)
#
# `tf.train.summary_iterator(path)` yields the `Event`s of one event file, in order: first the file's
# version, then the graph, then one event per `add_summary` with its step.

# %% slideshow={"slide_type": "-"}
event_file = os.path.join(logdir, os.listdir(logdir)[0])
events = list(tf.train.summary_iterator(event_file))
print(len(events), "events")
for event in events[:4]:
    print(event.step, event.WhichOneof("what"))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* 100 summaries plus three bookkeeping events: the format version, the graph (GraphDef) and the
# meta graph (the graph with its collections, chapter 7). Every event also has a wall time (`event.wall_time`),
# which TensorBoard can use as the x axis.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A scalar's values are in `event.summary.value`, under their tag:

# %% slideshow={"slide_type": "-"}
def read_curve(logdir, tag):
    """(steps, values) of the scalar `tag` in the event files of logdir."""
    steps, values = [], []
    for name in sorted(os.listdir(logdir)):
        path = os.path.join(logdir, name)
        for event in tf.train.summary_iterator(path):
            for value in event.summary.value:
                if value.tag == tag:
                    steps.append(event.step)
                    values.append(value.simple_value)
    return steps, values

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The files are sorted by name, which starts with the time: a run written in several sittings is read
# oldest first. This is what TensorBoard does too, for every tag and every run.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The three runs, plotted with matplotlib (log scale):

# %% slideshow={"slide_type": "-"}
fig, ax = plt.subplots(figsize=(7, 2.6))
for run in sorted(os.listdir(RUNS)):
    steps, values = read_curve(os.path.join(RUNS, run), "loss")
    ax.plot(steps, values, label=run)
ax.set(yscale="log", xlabel="step", ylabel="loss (MSE)")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# 0.1 and 0.5 settle at the noise level, about 1; at 1.2 the loss grows without bound: the training
# **diverges** (发散).  Its curve ends at step 90: from there the loss is `inf`, which is not drawn.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The same picture as chapter 6's learning-rate plot, but from files: the curves could come from a
# training that runs on another machine, or that is still running. Exercise 1 finds where stability ends.

# %% [markdown] slideshow={"slide_type": "subslide"}
# `viz.plot_scalars(logdir)` does the same for every scalar tag of every run (one plot per tag):

# %% slideshow={"slide_type": "-"}
fig = viz.plot_scalars(RUNS, figsize_per_plot=(6, 2.4))
fig.axes[0].set_yscale("log")
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `minitf.viz.plot_scalars` is a convenience of this course, not part of TensorFlow; it reads the
# files with the same `summary_iterator`. Its `tags=` and `runs=` arguments pick what to draw.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Histograms (直方图): how the weights move
#
# Each histogram event keeps min, max and bucket counts.  TensorBoard's *Distributions* tab draws
# their spread over the steps; here the min and max of the four weights at rate 0.1:

# %% slideshow={"slide_type": "-"}
histos = [(e.step, v.histo) for e in events for v in e.summary.value
          if v.tag == "weights"]
fig, ax = plt.subplots(figsize=(7, 2.4))
ax.fill_between([s for s, _ in histos], [h.min for _, h in histos],
                [h.max for _, h in histos], alpha=0.4, label="min to max")
ax.axhline(-3, color="k", ls=":", lw=1, label="true weights -3 and 2")
ax.axhline(2, color="k", ls=":", lw=1)
ax.set(xlabel="step", ylabel="weight")
ax.legend(fontsize=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The band starts at the random initial weights and settles between the smallest and largest true
# weights, -3 and 2. Histograms are where one sees dead layers (all weights zero), exploding weights, or a layer that
# never changes because no gradient reaches it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorBoard, live  (TensorBoard 可视化)
#
# In a notebook (the `tensorboard` package installed):
# ```python
# %load_ext tensorboard
# %tensorboard --logdir runs/ch11
# ```
# In a terminal, from the project folder: `./dev tensorboard` (all of `notebooks/runs/`), or
# `tensorboard --logdir notebooks/runs`; then open the address it prints (http://localhost:6006).
#
# Tabs: **Scalars** (the loss curves, one colour per run), **Histograms** and **Distributions**
# (the weights), **Graphs** (the graph the `FileWriter` wrote).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Not run in the stored notebook (it starts a server). TensorBoard rereads the folder every few
# seconds, so it shows a training while it runs; call `writer.flush()` now and then, or pass `flush_secs=10` to the
# writer. The files minitf writes are TensorFlow's event files: real TensorBoard reads them as they are.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## NaN and Inf hunting  (寻找 NaN 和 Inf)
#
# A learning rate far above the stable limit, 1.5: the loss and the weights of each step.

# %% slideshow={"slide_type": "-"}
feed_diverge = {data: X_train, real_label: y_train, rate: 1.5}
losses, biggest = [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(150):
        loss_value, _ = sess.run([loss, train], feed_diverge)
        losses.append(loss_value)
        biggest.append(np.abs(sess.run(weight)).max())
losses, biggest = np.array(losses), np.array(biggest)
first_inf = int(np.argmax(np.isinf(losses)))
first_nan = int(np.argmax(np.isnan(losses)))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* No error, no warning: 150 steps run to the end. `biggest` is the largest weight after each step.
# The next slide reads the two arrays.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The loss and the largest weight at a few steps, and around the first `inf` and the first `nan`:

# %% slideshow={"slide_type": "-"}
for step in [0, 10, 20, 30, 40, first_inf - 1, first_inf,
             first_nan - 1, first_nan]:
    print(f"step {step:3}: loss {losses[step]:9.3g}"
          f"   max|w| {biggest[step]:9.3g}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The loss grows about 5-fold per step, becomes `inf` at step 51 while the weights are still finite
# (about $10^{18}$), and only much later the weights overflow too and everything is `nan`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Why the loss first: `reduce_mean` adds 800 squared errors of about 1e36 before dividing, and
# float32 ends at 3.4e38. The gradient does not need the loss's value, so training goes on with finite weights for
# sixty more steps, until a weight passes 3.4e38 itself; then inf - inf gives nan.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## `tf.check_numerics`: stop at the first bad value
#
# `tf.check_numerics(t, message)` passes `t` through unchanged, or stops the run with an
# `InvalidArgumentError` when `t` holds a NaN or an Inf.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
checked_loss = tf.check_numerics(loss, "loss")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(150):
        sess.run([checked_loss, train], feed_diverge)

# %% slideshow={"slide_type": "fragment"}
print("stopped in step", step)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The message is our own text, then what was found: "loss : Tensor had Inf values", and the node
# that raised, `CheckNumerics`. The loop variable tells the step: 51, as on the previous slide. In a real training
# script, wrap the run in `try/except tf.errors.InvalidArgumentError` and save what you need to debug.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## `tf.add_check_numerics_ops()`: check every float tensor
#
# One op that checks every float tensor of the graph, in the order the graph made them; the first bad
# one is named.  A classic NaN: cross-entropy (交叉熵) written by hand, with $\log(0)$:

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
logits = tf.placeholder(tf.float32, [None], name="logits")
labels = tf.placeholder(tf.float32, [None], name="labels")
p = tf.sigmoid(logits)
xent = -tf.reduce_mean(labels * tf.log(p) + (1 - labels) * tf.log(1 - p))
check_all = tf.add_check_numerics_ops()
xent_feed = {logits: [2.0, -30.0, 30.0], labels: [1.0, 0.0, 1.0]}
with tf.Session() as sess:
    print(sess.run([p, xent], xent_feed))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* In float32, sigmoid(30) is exactly 1.0, so 1 - p is 0 and log(0) is -inf; the label's 0 times -inf
# is nan, and the mean of anything with a nan is nan. All three predictions are right, yet the loss is nan.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same run with the check op fetched too:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Session() as sess:
    sess.run([xent, check_all], xent_feed)

# %% [markdown] slideshow={"slide_type": "fragment"}
# `Log_1:0`: the output of the second `tf.log`, $\log(1 - p)$.  The op is found by its name:

# %% slideshow={"slide_type": "-"}
bad_op = tf.get_default_graph().get_operation_by_name("Log_1")
print(bad_op.type, "of", [t.name for t in bad_op.inputs])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The message names the tensor (`op:output`), not the Python line: that is the price of a graph built
# first and run later. Name your ops (`name=`) and this hunt is short. The fix here is not a smaller learning rate but
# a stable formula: `tf.nn.sigmoid_cross_entropy_with_logits(labels=..., logits=...)` never takes log(0).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Where NaN and Inf come from

# %% slideshow={"slide_type": "-"}
bad = [tf.log(0.0), tf.sqrt(-1.0), tf.constant(0.0) / 0.0,
       tf.exp(100.0), tf.exp(100.0) - tf.exp(100.0)]
with tf.Session() as sess:
    print(sess.run(bad))
    print(sess.run(tf.is_finite(tf.stack(bad))))

# %% [markdown] slideshow={"slide_type": "fragment"}
# - a learning rate above the limit (发散): lower it, standardize the features (标准化, chapter 6);
# - $\log(0)$, $0/0$, $\sqrt{-1}$: use the stable ops (`sigmoid_cross_entropy_with_logits`), or
#   keep the argument away from 0 (`tf.clip_by_value(p, 1e-7, 1 - 1e-7)`);
# - `exp` of large numbers overflows at about $e^{88}$ in float32.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.is_finite`, `tf.is_nan`, `tf.is_inf` give bool tensors, handy in a summary or an assert.
# Gradient clipping (`tf.clip_by_global_norm`) limits the size of a step; it hides divergence rather than curing it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reading shape errors  (形状错误)
#
# Most shape errors are caught **when the graph is built** (a `ValueError`): the message names the
# op, its type and the shapes of its inputs.

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
tf.reset_default_graph()
data, real_label, weight, loss, rate, train = build_model()
hidden = tf.matmul(data, tf.zeros([3, 1]), name="hidden")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read it left to right: "Dimensions must be equal, but are 4 and 3" (the inner dimensions), "for
# 'hidden' (op: 'MatMul')" (the op's name and type: that is why names help), "with input shapes: [?,4], [3,1]"
# (`?` is the placeholder's `None`). A matmul needs [a, b] times [b, c].

# %% [markdown] slideshow={"slide_type": "subslide"}
# Feeding data of the wrong shape is refused before anything runs:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(loss, {data: X_train[:, :3], real_label: y_train})

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* "Cannot feed value of shape (800, 3) for Tensor 'data:0', which has shape '(?, 4)'": the fed array,
# the placeholder's name and its declared shape. This is what the shape in `tf.placeholder(tf.float32, [None, 4])`
# buys: the error is here, not deep inside a matmul.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Where the graph does not know the shapes (placeholders without a shape), the error comes **at run
# time**, as an `InvalidArgumentError` that names the node:

# %% slideshow={"slide_type": "-"}
a = tf.placeholder(tf.float32, name="a")      # no shape given
b = tf.placeholder(tf.float32, name="b")
product = tf.matmul(a, b, name="product")
with tf.Session() as sess:
    try:
        sess.run(product, {a: np.ones((2, 3)), b: np.ones((4, 1))})
    except tf.errors.InvalidArgumentError as e:
        print(e.message)
        print("op:", e.op.name, e.op.type, [t.name for t in e.op.inputs])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `[[{{node product}}]]` is the node that failed; the exception's `op` attribute is that operation
# itself, so its inputs can be followed back through the graph. ("Matrix size-incompatible" are the MatMul kernel's
# words, as in TensorFlow: the shapes met only when it ran.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The silent one: broadcasting (广播)
#
# Labels of shape `[None]` instead of `[None, 1]`: no error at all.

# %% slideshow={"slide_type": "-"}
flat_label = tf.placeholder(tf.float32, [None], name="flat_label")
y_label = tf.get_default_graph().get_tensor_by_name("Add:0")
error = flat_label - y_label
print(error.shape)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    fed = {data: X_train, flat_label: y_train.ravel()}
    print(sess.run(tf.shape(error), fed))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* [800] minus [800, 1] broadcasts to [800, 800]: every prediction against every label. The loss is
# a number, training runs, and the model learns to predict the mean. Printing `.shape` of intermediate tensors while
# building the graph is the cheapest debugging there is.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reading dtype errors  (数据类型错误)
#
# TensorFlow never converts dtypes silently.  `1` is an int32 tensor, `1.0` a float32 one:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
count = tf.constant(1)
total = count + tf.constant(2.5)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* "Input 'y' of 'Add' Op has type float32 that does not match type int32 of argument 'x'": the op type,
# which input, and both dtypes. Fix: write `1.0`, or give the dtype, `tf.constant(1, tf.float32)`, or convert,
# `tf.cast(count, tf.float32)`. `count + 2.5` fails too: "Expected int32, got 2.5 of type 'float' instead."

# %% [markdown] slideshow={"slide_type": "subslide"}
# A variable made from an integer is an int32 variable, and an optimizer cannot train it:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
w = tf.Variable(0, name="w")              # 0, not 0.0
tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(w - 3))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* "Invalid type tf.int32 for Square_1:0" (`Square_1`: the model's loss owns `Square`): the optimizer
# checks the loss first, and the loss inherited the variable's int32. Gradients exist only for floating-point
# tensors. `tf.Variable(0.0)` fixes it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## int32 vs float32: the silent pitfalls
#
# These give no error, only surprising numbers:

# %% slideshow={"slide_type": "-"}
seven, two = tf.constant(7), tf.constant(2)
ints = tf.placeholder(tf.int32, [None], name="ints")
with tf.Session() as sess:
    print("7 / 2  =", sess.run(seven / two), (seven / two).dtype)
    print("7 // 2 =", sess.run(seven // two))
    print("mean([1, 2]) =", sess.run(tf.reduce_mean([1, 2])))
    as_float = tf.cast([1, 2], tf.float32)
    print("mean(cast([1, 2])) =", sess.run(tf.reduce_mean(as_float)))
    print("fed [2.7, -1.7] ->", sess.run(ints, {ints: [2.7, -1.7]}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `/` on int32 is true division and gives float64 (as Python 3), `//` floors. The mean of integers is
# an integer: 1, not 1.5. Feeding floats to an int32 placeholder cuts off the fraction. The rule: decide the dtype
# where a tensor is born, and `tf.cast` where it must change. Exercise 3 meets the integer mean in an accuracy.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 reads the learning-rate limit off logged curves, exercise 2 asks which tensor goes bad
# first, exercise 3 repairs an accuracy that is always 0. The checks read the students' log files and rerun the
# models; typed numbers do not pass.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · What happens as the learning rate grows? (练习 1)
#
# For each rate in `candidate_rates`, train and log 50 steps with
# `train_logged(lr, steps=50, run=f"ex1/lr_{lr}")`.  Then **read the logs back** (`read_curve`, or
# `tf.train.summary_iterator`) and set:
# - `final_loss`: a dict `{lr: the last logged loss of that run}`;
# - `largest_stable`: the largest rate whose last logged loss is below its first.
#
# Plot the runs (`viz.plot_scalars(os.path.join(RUNS, "ex1"))`, log scale).  Where does it break?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The loss falls for 0.2 to 0.8 (all four end at 0.948) and explodes from 1.0 on: the limit
# 2/λ_max of chapter 6 is about 0.94 here. The check replays gradient descent in numpy and reads the students'
# event files.

# %% slideshow={"slide_type": "skip"}
candidate_rates = [0.2, 0.4, 0.6, 0.8, 1.0, 1.2]

# %% nbgrader={"grade": false, "grade_id": "ch11-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
final_loss = None
largest_stable = None
### BEGIN SOLUTION
final_loss = {}
stable = []
for lr in candidate_rates:
    run_dir = train_logged(lr, steps=50, run=f"ex1/lr_{lr}")
    steps, values = read_curve(run_dir, "loss")
    final_loss[lr] = values[-1]
    if values[-1] < values[0]:
        stable.append(lr)
largest_stable = max(stable)
print({lr: f"{v:.3g}" for lr, v in final_loss.items()}, "largest stable:", largest_stable)
fig = viz.plot_scalars(os.path.join(RUNS, "ex1"), figsize_per_plot=(6, 2.4))
fig.axes[0].set_yscale("log")
plt.show()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch11-ex1-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert final_loss is not None and largest_stable is not None, "set final_loss and largest_stable"
with tf.Graph().as_default():                 # the seeded start of every new model
    _model = build_model()
    with tf.Session() as _s:
        _s.run(tf.global_variables_initializer())
        _start = np.append(_s.run(_model[2]), 1.0)[:, None]
_A = np.column_stack([X_train, np.ones(len(X_train))]).astype(np.float64)
_replayed = {}
for _lr in candidate_rates:                   # 50 steps of gradient descent, in numpy
    _theta, _curve = _start.copy(), []
    for _ in range(50):
        _residual = _A @ _theta - y_train
        _curve.append(float(np.mean(_residual ** 2)))
        _theta -= _lr * 2 * _A.T @ _residual / len(_A)
    _replayed[_lr] = _curve
for _lr in candidate_rates:
    _dir = os.path.join(RUNS, "ex1", f"lr_{_lr}")
    assert os.path.isdir(_dir), f"no log folder {_dir}: log each rate with train_logged(lr, steps=50, run=f'ex1/lr_{{lr}}')"
    _logged = []
    for _name in sorted(os.listdir(_dir)):
        for _event in tf.train.summary_iterator(os.path.join(_dir, _name)):
            _logged += [v.simple_value for v in _event.summary.value if v.tag == "loss"]
    assert len(_logged) == 50, f"the run {_dir} should hold 50 logged losses (steps 0 to 49), got {len(_logged)}"
    assert np.allclose(_logged, _replayed[_lr], rtol=1e-3), \
        f"the run {_dir} should hold 50 logged losses of gradient descent at rate {_lr}, from a fresh model"
    assert _lr in final_loss and np.isclose(final_loss[_lr], _logged[-1], rtol=1e-6), \
        f"final_loss[{_lr}] should be the last loss logged in {_dir}"
_expected = max(_lr for _lr in candidate_rates if _replayed[_lr][-1] < _replayed[_lr][0])
assert largest_stable == _expected, \
    "largest_stable should be the largest rate whose last logged loss is below its first"
print(f"Exercise 1 ok: stable up to {largest_stable}; at {candidate_rates[-1]} the loss reached "
      f"{final_loss[candidate_rates[-1]]:.3g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · Which tensor goes bad first? (练习 2)
#
# In a **new graph** (`with tf.Graph().as_default():`), build the model with `build_model()`, add
# `tf.add_check_numerics_ops()`, and train at rate 1.5 on `X_train`, `y_train`, fetching the train
# op and the check op in each run, until the check stops it.  Catch the error and set:
# - `caught`: the `tf.errors.InvalidArgumentError` you caught;
# - `first_bad_step`: the step (0, 1, 2 ...) whose run raised it;
# - `first_bad_tensor`: the name of the tensor the message names (e.g. `"Something:0"`);
# - `weight_then`: the weights, fetched in the same session right after the error.
#
# Is it the loss, a gradient or a weight?  Are the weights still finite?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first bad tensor is the loss, `Mean:0`, in step 51, while the weights are about 1e18: finite.
# The check rebuilds the model, replays the steps and looks at the named tensor itself.

# %% nbgrader={"grade": false, "grade_id": "ch11-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
caught = None
first_bad_step = None
first_bad_tensor = None
weight_then = None
### BEGIN SOLUTION
with tf.Graph().as_default():
    data2, real_label2, weight2, loss2, rate2, train2 = build_model()
    check2 = tf.add_check_numerics_ops()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for step in range(150):
            try:
                s.run([train2, check2], {data2: X_train, real_label2: y_train, rate2: 1.5})
            except tf.errors.InvalidArgumentError as e:
                caught, first_bad_step = e, step
                first_bad_tensor = e.message.split(" : ")[0]
                weight_then = s.run(weight2)
                break
print(first_bad_step, first_bad_tensor, weight_then.ravel())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch11-ex2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert caught is not None and first_bad_step is not None, "set caught, first_bad_step, first_bad_tensor and weight_then"
assert isinstance(caught, tf.errors.InvalidArgumentError) and "Tensor had" in caught.message \
    and getattr(caught.op, "type", None) == "CheckNumerics", \
    "caught should be the InvalidArgumentError raised by a check op of add_check_numerics_ops()"
assert isinstance(first_bad_tensor, str) and caught.message.startswith(first_bad_tensor + " : "), \
    "first_bad_tensor should be the tensor name at the start of the error message"
with tf.Graph().as_default() as _g:           # replay: the steps before must be clean, this one not
    _d, _l, _w, _loss, _r, _train = build_model()
    _bad = _g.get_tensor_by_name(first_bad_tensor)
    _feed = {_d: X_train, _l: y_train, _r: 1.5}
    with tf.Session() as _s:
        _s.run(tf.global_variables_initializer())
        for _ in range(int(first_bad_step)):
            _before, _ = _s.run([_bad, _train], _feed)
            assert np.isfinite(_before).all(), \
                f"{first_bad_tensor} is already bad before step first_bad_step: count the steps from 0"
        _value = _s.run(_bad, _feed)
        _before = _s.run(_w)                  # the failing run may or may not have applied its update
        _s.run(_train, _feed)
        _after = _s.run(_w)
assert not np.isfinite(_value).all(), \
    f"{first_bad_tensor} should hold an Inf or a NaN in step first_bad_step (counted from 0)"
assert weight_then is not None and np.shape(weight_then) == (4, 1) \
    and any(np.allclose(weight_then, _x, rtol=1e-5) for _x in (_before, _after)), \
    "weight_then should be the weights fetched in the same session right after the error"
print(f"Exercise 2 ok: {first_bad_tensor} went bad in step {first_bad_step}; the largest weight was "
      f"{np.abs(weight_then).max():.2g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · An accuracy that is always 0 (练习 3)
#
# `accuracy_int` below is the fraction of right predictions, as a beginner writes it.  Run it on
# `class_feed` and store the result in `broken_value`.  Then build `accuracy`: the same fraction as
# a **float32** tensor of the same placeholders (the fix is one `tf.cast`).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* 3 right out of 4: the integer mean of [1, 1, 0, 1] is 0. The check feeds its own random classes
# to the student's tensor and compares with numpy, so a typed 0.75 does not pass.

# %% slideshow={"slide_type": "skip"}
tf.reset_default_graph()
predicted = tf.placeholder(tf.int32, [None], name="predicted")
truth = tf.placeholder(tf.int32, [None], name="truth")
correct = tf.equal(predicted, truth)
accuracy_int = tf.reduce_mean(tf.cast(correct, tf.int32))
class_feed = {predicted: [3, 1, 4, 1], truth: [3, 1, 5, 1]}

# %% nbgrader={"grade": false, "grade_id": "ch11-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
broken_value = None
accuracy = None
### BEGIN SOLUTION
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
with tf.Session() as s:
    broken_value = s.run(accuracy_int, class_feed)
    print(broken_value, s.run(accuracy, class_feed))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch11-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert broken_value is not None and accuracy is not None, "set broken_value and accuracy"
assert np.asarray(broken_value).dtype == np.int32 and broken_value == 0, \
    "broken_value should be accuracy_int run on class_feed (an int32 mean: 0)"
assert isinstance(accuracy, tf.Tensor) and accuracy.dtype == tf.float32, \
    f"accuracy should be a float32 tensor, got {getattr(accuracy, 'dtype', type(accuracy).__name__)}"
_rng = np.random.default_rng()
_p, _t = _rng.integers(0, 3, size=50), _rng.integers(0, 3, size=50)
with tf.Session() as _s:
    _acc = _s.run(accuracy, {predicted: _p, truth: _t})
assert np.isclose(_acc, np.mean(_p == _t)), \
    "accuracy should compute the fraction of equal entries of the placeholders predicted and truth"
print("Exercise 3 ok: accuracy agrees with numpy on 50 random classes")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Summaries (汇总) are ops: `tf.summary.scalar` / `histogram`, `merge_all`; run them with the train op
#   and `writer.add_summary(summary, step)`; `FileWriter(logdir, sess.graph)` adds the graph.
# - One folder per run; `tf.train.summary_iterator` reads the events back; TensorBoard
#   (`%tensorboard --logdir ...`, `./dev tensorboard`) shows them live.
# - NaN/Inf: divergence (发散), $\log 0$, $0/0$; `tf.check_numerics` and `tf.add_check_numerics_ops()`
#   stop at the first bad tensor and name it.
# - Errors name the op, its type and its input shapes or dtypes: name your ops, print `.shape`.
# - int32 vs float32: `1` vs `1.0`, `/` vs `//`, integer means; `tf.cast` where the dtype must change.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Next chapter: the capstone, where all of it comes together: a CNN with checkpoints, TensorBoard
# logs and a frozen graph.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not needed for anything above.  An event file is a TFRecord file: a sequence of records, each
# framed as an 8-byte little-endian length, a 4-byte checksum of the length, the bytes of one
# serialized `Event`, and a 4-byte checksum of those bytes (masked CRC-32C).  minitf writes them
# (minitf/io/tfrecord.py, minitf/io/event_file_writer.py) exactly as TensorFlow does, which is why
# TensorBoard reads them.  The first record of every file:

# %% slideshow={"slide_type": "skip"}
raw_file = open(event_file, "rb").read()
(length,) = struct.unpack("<Q", raw_file[:8])
first = tf.Event.FromString(raw_file[12:12 + length])
print(length, "bytes:", first.file_version)
assert first.file_version == "brain.Event:2"
