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
# # 7 · Saving and restoring  模型存储 (ckpt 模式)
#
# **Goals**
# - what a model is made of when it is stored: the graph (计算图) and the variables' values (变量值);
# - save a checkpoint (检查点) with `tf.train.Saver` and read what its files hold;
# - the Saver's options: `max_to_keep`, `keep_checkpoint_every_n_hours`, `global_step` in file names,
#   `var_list` to choose and rename;
# - the lecture's two ways to restore (恢复), resume training (继续训练), and what a mismatch says.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 6 trained a model and then closed the session: the weights were gone. This chapter keeps
# them. Next chapter: the other storage mode, one frozen `.pb` file for deployment.

# %% slideshow={"slide_type": "skip"}
import os
import shutil

import matplotlib.pyplot as plt
import numpy as np
import minitf as tf

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# Every file this chapter writes goes under runs/ch07 (next to the notebook), emptied here.
RUNS = os.path.join("runs", "ch07")
shutil.rmtree(RUNS, ignore_errors=True)
os.makedirs(RUNS)
train_dir = os.path.join(RUNS, "train")
os.makedirs(train_dir)


def show_dir(path, grouped=False):
    """The files in a folder, sorted (names only); grouped: one line per checkpoint prefix."""
    names = sorted(os.listdir(path))
    if not grouped:
        print("\n".join(names))
        return
    groups = {}
    for name in names:
        prefix, dot, suffix = name.partition(".ckpt")
        head, _, tail = suffix.lstrip("-").partition(".")
        key = prefix + dot + ("-" + head if head else "")
        groups.setdefault(key if dot else name, []).append("." + tail if dot else "")
    for key, suffixes in groups.items():
        print(" ".join([key] + suffixes).rstrip())


def plot_losses(curves, title=""):
    """Loss curves {label: (steps, losses)}."""
    fig, ax = plt.subplots(figsize=(7, 2.6))
    for label, (steps, losses) in curves.items():
        ax.plot(steps, losses, lw=1.5, label=label)
    ax.set(title=title, xlabel="step", ylabel="loss (MSE)", yscale="log")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What is stored, and how  (存什么? 怎么存?)
#
# **What:** 1. the graph's structure (Graph 结构); 2. the variables' values (变量值).
#
# **How:** two modes (两种模式)
#
# | | ckpt 模式 (this chapter) | pb 模式 (chapter 8) |
# |---|---|---|
# | files | graph and variables **apart** (计算图和变量分开保存) | one file (封装在一个文件中) |
# | to read it back | declare the graph again, no variable names needed | no graph code, but the tensor names |
# | good for | resuming training, flexibility (方便灵活) | deployment (部署), other languages (移植) |

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's summary: ckpt is convenient and flexible, PB is for packaging and porting a model.
# A checkpoint can also be restored without the Python code that built the graph (the `.meta` file, below).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Saving: the lecture's example  (存储代码示例)
#
# A `tf.train.Saver()` made after the variables saves all of them; `saver.save(sess, path)` writes
# the checkpoint and returns its path.  The folder must exist.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(1)
x = tf.Variable(tf.random_uniform([3]))
y = tf.Variable(tf.random_uniform([3]))
z = tf.add(x, y)
saver = tf.train.Saver()
save_file = os.path.join(RUNS, "save", "model.ckpt")
os.makedirs(os.path.dirname(save_file))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(x), sess.run(y), sess.run(z))
    print(saver.save(sess, save_file))  # returns the path it wrote

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture's code, with a graph seed so the numbers are the same for everyone. Note the order:
# the Saver is created after the variables, and it collects the variables that exist at that moment.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The files of a checkpoint  (保存内容)

# %% slideshow={"slide_type": "-"}
show_dir(os.path.dirname(save_file))

# %% [markdown] slideshow={"slide_type": "fragment"}
# - `model.ckpt.meta`: the **meta graph** (元图), a protocol buffer: operations, variables, collections;
# - `model.ckpt.data-00000-of-00001`: the variables' values (binary; shard 0 of 1);
# - `model.ckpt.index`: a table: variable name → where its bytes are in the data file, its dtype, shape;
# - `checkpoint`: a small text file naming the latest checkpoint(s) of the folder.
#
# "`model.ckpt`" itself is no file: it is the **prefix** (前缀) shared by the others.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture calls `.data` and `.index` together "the .ckpt file". The data file would be split in
# shards on a cluster, hence "00000-of-00001". Ask: which file would you need to restore the values? (index + data.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The `checkpoint` file is text; `tf.train.list_variables` reads the index:

# %% slideshow={"slide_type": "-"}
print(open(os.path.join(RUNS, "save", "checkpoint")).read())
print(tf.train.list_variables(save_file))
reader = tf.train.load_checkpoint(save_file)
print(reader.get_tensor("Variable_1"))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The variables are stored under their graph names, `Variable` and `Variable_1` here because the
# lecture gave no `name=`. `tf.train.load_checkpoint` reads any value without building a graph: handy to inspect a
# checkpoint, and the autograded checks use it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Restoring, way 1: declare the graph again  (重复定义计算图)
#
# Same code as before, but `saver.restore` instead of the initializer: the variables get the saved
# values, not new random ones.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(2)               # another seed: other random starts
x = tf.Variable(tf.random_uniform([3]))
y = tf.Variable(tf.random_uniform([3]))
z = tf.add(x, y)
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, save_file)  # instead of the initializer
    print(sess.run(x), sess.run(y), sess.run(z))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Exactly the saved numbers (与刚才存储的结果完全一样).  The variables are matched **by name**.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Restore is an initialization: no `global_variables_initializer` is needed for the restored
# variables. The seed changed on purpose: if restore did nothing we would see different numbers.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Restoring, way 2: the graph from the `.meta` file  (元图)
#
# No model code at all: `tf.train.import_meta_graph` rebuilds the graph and returns its Saver;
# tensors are then found by name (`get_tensor_by_name`): you must know the names.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
saver = tf.train.import_meta_graph(save_file + ".meta")
latest = tf.train.latest_checkpoint(os.path.join(RUNS, "save"))
with tf.Session() as sess:
    saver.restore(sess, latest)
    z = tf.get_default_graph().get_tensor_by_name("Add:0")
    print(latest, sess.run(z))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `Add:0` is output 0 of the op named `Add`, the name TensorFlow gave `tf.add` here. Give your
# important tensors names (`name="prediction"`) so that others can find them. `tf.train.latest_checkpoint(folder)`
# reads the `checkpoint` file.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A model worth saving
#
# Synthetic data made as in chapter 6 (known weights) and its model, now with names for every
# tensor we will look up, and a **global step** (全局步数): a variable that the optimizer increments.

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(6)
true_weight = np.array([[2.0], [-3.0], [0.5], [1.0]], np.float32)
X_train = rng.normal(size=(800, 4)).astype(np.float32)
noise = rng.normal(size=(800, 1)).astype(np.float32)
y_train = X_train @ true_weight + 4.0 + noise
print(X_train.shape, y_train.shape)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* True weights 2, -3, 0.5, 1, bias 4, noise of variance 1: the best possible loss is about 1.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The model as a function, so that it can be declared again later (restoring, way 1):

# %% slideshow={"slide_type": "-"}
def build_model(learning_rate=0.003):
    """Chapter 6's linear regression, with names to find it by."""
    data = tf.placeholder(tf.float32, [None, 4], name="data")
    label = tf.placeholder(tf.float32, [None, 1], name="label")
    weight = tf.Variable(tf.random_normal([4, 1]), name="weight")
    bias = tf.Variable(tf.ones([1]), name="bias")
    prediction = tf.add(tf.matmul(data, weight), bias, name="prediction")
    loss = tf.reduce_mean(tf.square(label - prediction), name="loss")
    step = tf.train.get_or_create_global_step()
    opt = tf.train.GradientDescentOptimizer(learning_rate)
    train = opt.minimize(loss, global_step=step, name="train")
    return data, label, weight, bias, loss, train, step

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The learning rate is deliberately small, so that 300 steps are not enough and there is something
# left to resume. `minimize(..., global_step=step)` adds 1 to the global step each time `train` runs.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Saving during training  (设置存储步长)
#
# `saver.save(sess, prefix, global_step=step)` appends the step to the file names; here every 100
# steps.  The lecture's `max_to_keep=4, keep_checkpoint_every_n_hours=2`.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
data, label, weight, bias, loss, train, step = build_model()
saver = tf.train.Saver(max_to_keep=4, keep_checkpoint_every_n_hours=2)
feed = {data: X_train, label: y_train}
sess = tf.Session()
sess.run(tf.global_variables_initializer())
losses_first = []
for i in range(300):
    if i % 100 == 0:
        saver.save(sess, train_dir + "/model.ckpt", global_step=step)
    losses_first.append(sess.run([train, loss], feed)[1])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The loop saves before steps 1, 101 and 201, when the global step is 0, 100 and 200; a final save
# at 300 follows. `train_dir` is `runs/ch07/train`, made in the setup cell.

# %% [markdown] slideshow={"slide_type": "subslide"}
# One more save after the last step; the folder now holds four checkpoints:

# %% slideshow={"slide_type": "-"}
ckpt_300 = saver.save(sess, train_dir + "/model.ckpt", global_step=step)
print(ckpt_300, f"  loss at step 300: {losses_first[-1]:.4f}")
show_dir(train_dir, grouped=True)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Four steps, three files each, one `checkpoint`. With a fifth save the oldest (step 0) would be
# deleted: `max_to_keep=4` keeps the four newest. `keep_checkpoint_every_n_hours=2` would additionally keep one
# checkpoint out of every two hours of training for good; in a notebook that runs for seconds it never triggers.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Saver options  (ckpt 模式存储选项)
#
# - `max_to_keep=4`: keep the 4 newest checkpoints, delete older ones (default 5; `None`: keep all);
# - `keep_checkpoint_every_n_hours=2`: also keep one every 2 hours of training, for good;
# - `global_step=1000`: the step in the name, `model.ckpt-1000`; a tensor or a number;
# - `write_meta_graph=False`: the graph does not change while training, skip the `.meta`:

# %% slideshow={"slide_type": "-"}
nometa_dir = os.path.join(RUNS, "nometa")
os.makedirs(nometa_dir)
tf.train.Saver().save(sess, nometa_dir + "/model.ckpt", global_step=1000,
                      write_meta_graph=False)
show_dir(nometa_dir)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A second folder and a second Saver keep this experiment away from the training checkpoints: a
# Saver counts every checkpoint it wrote for `max_to_keep`, in whatever folder, and the `checkpoint` file is
# per folder. Without a `.meta` you can still restore with way 1 (declare the graph again).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## What the checkpoint holds
#
# `list_variables`: the global step is a variable too, saved with the weights.

# %% slideshow={"slide_type": "-"}
for name, shape in tf.train.list_variables(ckpt_300):
    print(f"{name:12} {shape}")
reader = tf.train.load_checkpoint(ckpt_300)
print("global_step =", reader.get_tensor("global_step"))
print("weight =", reader.get_tensor("weight").ravel())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Plain gradient descent has no state of its own; Momentum or Adam would add their slot variables
# (e.g. `weight/Momentum`) and those are saved too: resuming then continues with the same momentum.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## `var_list`: what to save, under which name
#
# A list saves only those variables; a **dict** `{name in the file: variable}` also renames them.

# %% slideshow={"slide_type": "-"}
renamer = tf.train.Saver({"linear/w": weight, "linear/b": bias})
renamed = renamer.save(sess, os.path.join(RUNS, "renamed.ckpt"))
print(tf.train.list_variables(renamed))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Renaming is how one restores a checkpoint into a graph whose variables have other names, e.g. a
# bigger model that reuses trained layers: `tf.train.Saver({"weight": new_w}).restore(sess, path)`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Restored into a graph whose variables are called `w` and `b`, with a dict from the file's names:

# %% slideshow={"slide_type": "-"}
with tf.Graph().as_default():
    w = tf.Variable(tf.zeros([4, 1]), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")
    with tf.Session() as s:
        tf.train.Saver({"linear/w": w, "linear/b": b}).restore(s, renamed)
        print(s.run(w).ravel(), s.run(b))
print(sess.run(weight).ravel(), sess.run(bias))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first line comes from the new graph, the second from the training session: the same values.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Resuming training  (继续训练)
#
# A restored session continues where the saved one stopped: the weights *and* the global step.
# Here into a fresh session of the same graph, from the step-300 checkpoint:

# %% slideshow={"slide_type": "-"}
with tf.Session() as s:
    saver.restore(s, ckpt_300)
    print("global step", s.run(step), "  loss", s.run(loss, feed))
    s.run(train, feed)
    print("global step", s.run(step), "  loss", s.run(loss, feed))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Global step 300 and the loss of the step-300 model; one more step goes on from there (step 301).
# Exercise 1 resumes for real, in a new graph.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `losses_first[-1]` is the loss fetched *during* step 300, before its update; the loss printed after
# restoring is measured after it, so it is slightly smaller.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When the graph does not match
#
# Restore matches variables by name, and checks their shapes.  A variable of another shape:

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Graph().as_default():
    weight_5 = tf.Variable(tf.zeros([5, 1]), name="weight")
    with tf.Session() as s:
        tf.train.Saver([weight_5]).restore(s, ckpt_300)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* TensorFlow's `InvalidArgumentError`: "mismatch between the current graph and the graph from the
# checkpoint", then the original error: the `Assign` op's two shapes, [5,1] in the graph against [4,1] in the file.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A variable that the checkpoint does not have (the graph got a new layer):

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Graph().as_default():
    w = tf.Variable(tf.zeros([4, 1]), name="weight")
    hidden = tf.Variable(tf.zeros([4, 4]), name="hidden")
    with tf.Session() as s:
        tf.train.Saver().restore(s, ckpt_300)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `NotFoundError`: "Key hidden not found in checkpoint". The other way round (the checkpoint has
# more variables than the graph) is fine: the Saver only asks for the variables it was given. To restore part of a
# model, give `var_list`, then initialize the rest.

# %% [markdown] slideshow={"slide_type": "subslide"}
# And a path that is no checkpoint (a typo, or a deleted one):

# %% slideshow={"slide_type": "-"} tags=["raises-exception"]
# This cell raises an error on purpose.
with tf.Session() as s:
    saver.restore(s, train_dir + "/model.ckpt-250")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A `ValueError` before anything runs. `tf.train.latest_checkpoint(folder)` avoids typing step
# numbers.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Two exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 is the everyday use of checkpoints: training in several sittings. Exercise 2 asks what
# `max_to_keep` really deletes. The checks read the files the students wrote.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · Resume from step 300 (练习 1)
#
# In a **new graph** (`with tf.Graph().as_default():`) and a new session, restore the step-300
# checkpoint `ckpt_300` (way 1 with `build_model()`, or way 2 with `import_meta_graph` and the names
# `"data:0"`, `"label:0"`, `"loss:0"`, `"train"`, `"weight:0"`, `"global_step:0"`).  Then:
# - `restored_weight`: the weight's value right after restoring;
# - `resumed_losses`: 300 more steps on `X_train`, `y_train`, the loss fetched in each step's run;
# - save at the end into the folder `resume_dir` with prefix `resume_dir + "/model.ckpt"` and
#   `global_step` = the global step tensor.  Which number is in the file name?
#
# Plot `losses_first` and `resumed_losses` on one step axis (`plot_losses` takes
# `{label: (steps, losses)}`): does the curve continue?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The check reads the step-300 checkpoint itself, replays the 300 steps in numpy, and compares with
# the values in the student's step-600 checkpoint. Starting from scratch, or saving with a typed step, fails.

# %% slideshow={"slide_type": "skip"}
resume_dir = os.path.join(RUNS, "resume")
os.makedirs(resume_dir)

# %% nbgrader={"grade": false, "grade_id": "ch07-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
restored_weight = None
resumed_losses = None
### BEGIN SOLUTION
with tf.Graph().as_default() as g:
    resumer = tf.train.import_meta_graph(ckpt_300 + ".meta")
    with tf.Session() as s:
        resumer.restore(s, ckpt_300)
        restored_weight = s.run("weight:0")
        resume_feed = {"data:0": X_train, "label:0": y_train}
        resumed_losses = [s.run(["train", "loss:0"], resume_feed)[1] for _ in range(300)]
        print(resumer.save(s, resume_dir + "/model.ckpt", global_step=g.get_tensor_by_name("global_step:0")))
plot_losses({"first 300 steps": (np.arange(300), losses_first),
             "resumed": (300 + np.arange(300), resumed_losses)}, title="Training in two sittings")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch07-ex1-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert restored_weight is not None and resumed_losses is not None, "set restored_weight and resumed_losses"
_at_300 = tf.train.load_checkpoint(ckpt_300)
_w, _b = _at_300.get_tensor("weight").astype(np.float64), _at_300.get_tensor("bias").astype(np.float64)
assert np.array_equal(np.asarray(restored_weight), _at_300.get_tensor("weight")), \
    "restored_weight should be the weight right after restoring ckpt_300 (the checkpoint's value)"
assert len(resumed_losses) == 300, f"resumed_losses should hold 300 losses, got {len(resumed_losses)}"
_X, _y = X_train.astype(np.float64), y_train.astype(np.float64)
_replay = []
for _ in range(300):                        # the same 300 gradient-descent steps, in numpy
    _residual = _X @ _w + _b - _y
    _replay.append(np.mean(_residual ** 2))
    _w, _b = _w - 0.003 * 2 * _X.T @ _residual / 800, _b - 0.003 * 2 * _residual.mean(axis=0)
assert np.isclose(resumed_losses[0], _replay[0], rtol=1e-4), \
    "resumed_losses[0] should be the loss of the restored step-300 model, not of a fresh start"
assert resumed_losses[0] < losses_first[-1] and resumed_losses[-1] < resumed_losses[0], \
    "the resumed losses should continue below the step-300 loss and keep falling"
_latest = tf.train.latest_checkpoint(resume_dir)
assert _latest is not None, "save a checkpoint into resume_dir (prefix resume_dir + '/model.ckpt')"
_saved = tf.train.load_checkpoint(_latest)
assert _latest.endswith("model.ckpt-600") and _saved.get_tensor("global_step") == 600, \
    f"the checkpoint should carry the restored global step, 300 + 300 = 600, got {os.path.basename(_latest)}"
assert np.allclose(_saved.get_tensor("weight"), _w, rtol=1e-3, atol=1e-4), \
    "the saved weight should be the step-300 weight after 300 more gradient-descent steps"
print(f"Exercise 1 ok: loss {losses_first[-1]:.3f} at step 300, {resumed_losses[-1]:.3f} at step 600")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens with `max_to_keep=2`? (练习 2)
#
# In a new graph with one variable, make a `tf.train.Saver(max_to_keep=2)` and save **five** times
# into the folder `keep_dir`, with `global_step=1`, 2, 3, 4, 5 and prefix `keep_dir + "/model.ckpt"`.
# - `remaining`: the sorted list of the file names left in `keep_dir` (read it, do not type it);
# - `kept`: the `all_model_checkpoint_paths` of `tf.train.get_checkpoint_state(keep_dir)`, as a list;
# - `first_error`: the exception raised by restoring the **first** save (step 1), caught.
#
# Which checkpoints survive, and what does the `checkpoint` file still name?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Only the two newest survive (steps 4 and 5) and the state file names only them. The first one is
# gone from disk: restoring it gives the ValueError of the last error slide. The check lists the folder itself.

# %% slideshow={"slide_type": "skip"}
keep_dir = os.path.join(RUNS, "keep2")
os.makedirs(keep_dir)

# %% nbgrader={"grade": false, "grade_id": "ch07-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
remaining = None
kept = None
first_error = None
### BEGIN SOLUTION
with tf.Graph().as_default():
    v = tf.Variable(1.0, name="v")
    keeper = tf.train.Saver(max_to_keep=2)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for n in range(1, 6):
            keeper.save(s, keep_dir + "/model.ckpt", global_step=n)
        try:
            keeper.restore(s, keep_dir + "/model.ckpt-1")
        except Exception as e:
            first_error = e
remaining = sorted(os.listdir(keep_dir))
kept = list(tf.train.get_checkpoint_state(keep_dir).all_model_checkpoint_paths)
print(remaining, kept, repr(first_error), sep="\n")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch07-ex2-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert remaining is not None and kept is not None, "set remaining, kept and first_error"
assert list(remaining) == sorted(os.listdir(keep_dir)), \
    "remaining should be the sorted listing of keep_dir after the five saves (os.listdir)"
_steps = sorted({int(n.split("-")[1].split(".")[0]) for n in remaining if n.startswith("model.ckpt-")})
assert _steps == [4, 5], f"with max_to_keep=2 after saves at steps 1-5, keep_dir should hold steps [4, 5], got {_steps}"
assert len(remaining) == 7 and "checkpoint" in remaining, \
    "keep_dir should hold the 'checkpoint' file and .index, .data and .meta for each kept step"
assert [os.path.basename(p) for p in kept] == ["model.ckpt-4", "model.ckpt-5"], \
    "kept should be the all_model_checkpoint_paths of get_checkpoint_state(keep_dir)"
assert isinstance(first_error, ValueError) and "not a valid checkpoint" in str(first_error), \
    "first_error should be the ValueError raised by restoring keep_dir + '/model.ckpt-1'"
print("Exercise 2 ok: the two newest survive:", [os.path.basename(p) for p in kept])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - ckpt 模式 stores the graph (`.meta`, the meta graph 元图) apart from the values (`.index` + `.data`);
#   `checkpoint` names the newest.  `list_variables` / `load_checkpoint` read a checkpoint directly.
# - `saver = tf.train.Saver(var_list, max_to_keep, keep_checkpoint_every_n_hours)`;
#   `saver.save(sess, prefix, global_step=step)` → `prefix-step.*`.
# - Restore (恢复): declare the graph again + `saver.restore`, or `import_meta_graph` +
#   `get_tensor_by_name`; variables match by name, shapes must agree.
# - Resuming training restores the global step with the weights: the curve simply continues.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Next chapter: the PB mode, one frozen file with the variables turned into constants, for
# deployment (部署), and readable by real TensorFlow.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not needed for anything above.  The `.index` file is a table in the format of LevelDB (the
# SSTable format TensorFlow's tensor bundles use): sorted keys (the variable names) with their
# entries, and a fixed footer that ends with the table's magic number `0xdb4775248b80fb57` (stored
# little-endian).  minitf writes it byte for byte as TensorFlow does, which is why real TensorFlow
# can restore these checkpoints.

# %% slideshow={"slide_type": "skip"}
index_bytes = open(ckpt_300 + ".index", "rb").read()
print(len(index_bytes), "bytes; footer ends with", index_bytes[-8:][::-1].hex())
assert index_bytes[-8:][::-1].hex() == "db4775248b80fb57"
print([name for name in ["bias", "global_step", "weight"] if name.encode() in index_bytes])

# %% slideshow={"slide_type": "skip"}
sess.close()
