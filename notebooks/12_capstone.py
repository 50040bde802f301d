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
# # 12 · Capstone and summary  综合实践与总结
#
# **Goals**
# - one project with everything: handwritten digits (手写数字), a training/test split (训练集/测试集)
#   and the baselines (基线) a model must beat;
# - a `tf.data` input pipeline (输入管道), a small convolutional network (卷积神经网络, CNN);
# - training with checkpoints (检查点) and TensorBoard logs, then freezing (冻结) it for deployment (部署);
# - the lecture's summary (总结) mapped to the chapters, and where to go next: TF 2 and PyTorch.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Nothing in this chapter is new on its own: graphs and sessions (01-02), placeholders (03),
# variables (04), optimizers (05), the training loop and a test set (06), checkpoints (07), frozen graphs (08),
# summaries (11). New are the pieces a real project adds: a dataset API, convolution, and variable sharing.

# %% slideshow={"slide_type": "skip"}
import os
import shutil

import matplotlib.pyplot as plt
import numpy as np
import minitf as tf
from minitf import datasets, viz
from minitf.python.framework import graph_util

np.set_printoptions(precision=3, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# %xmode Minimal

# Every file this chapter writes goes under runs/ch12 (next to the notebook), emptied here.
RUNS = os.path.join("runs", "ch12")
shutil.rmtree(RUNS, ignore_errors=True)
os.makedirs(RUNS)


def show_digits(images, titles, title=""):
    """A row of 8x8 digits with a title under each."""
    fig, axes = plt.subplots(1, len(images), figsize=(0.9 * len(images), 1.3))
    for ax, image, text in zip(np.atleast_1d(axes), images, titles):
        ax.imshow(np.squeeze(image), cmap="gray_r", vmin=0, vmax=np.max(images))
        ax.set_title(text, fontsize=9)
        ax.axis("off")
    fig.suptitle(title, fontsize=10, y=1.05)
    plt.show()


def plot_confusion(matrix, title=""):
    """A confusion matrix: rows the true digit, columns the predicted one, counts written in."""
    fig, ax = plt.subplots(figsize=(3.0, 2.5))
    ax.imshow(np.log1p(matrix), cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, count, ha="center", va="center", fontsize=7,
                    color="white" if i == j else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true", title=title)
    fig.tight_layout()
    plt.show()


def numpy_cnn(weights, images):
    """The chapter's CNN computed with numpy from a dict of its weights (used by the checks)."""
    kernel, conv_bias = weights["cnn/conv/kernel"], weights["cnn/conv/bias"]
    padded = np.pad(images[..., 0], ((0, 0), (1, 1), (1, 1)))       # "SAME" padding of a 3x3 kernel
    conv = sum(padded[:, i:i + 8, j:j + 8, None] * kernel[i, j, 0]
               for i in range(3) for j in range(3)) + conv_bias
    pooled = np.maximum(conv, 0).reshape(-1, 4, 2, 4, 2, 8).max(axis=(2, 4))
    return pooled.reshape(-1, 128) @ weights["cnn/dense/weights"] + weights["cnn/dense/bias"]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data: handwritten digits  (手写数字)
#
# 1797 digits of 8×8 pixels, shipped with minitf (`minitf.datasets.load_digits`, from the UCI
# "optdigits" set as scikit-learn ships it).  A pixel counts the inked dots of a 4×4 block: 0 to 16.

# %% slideshow={"slide_type": "-"}
images, labels = datasets.load_digits()
print(images.shape, images.dtype, labels.shape, labels.dtype)
print("pixel values", images.min(), "to", images.max())
print("digits per class", np.bincount(labels))
show_digits(images[:10], labels[:10], "the first ten digits and their labels")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The small cousin of MNIST (28×28, 70000 digits): small enough to train in a second on a laptop
# CPU, hard enough that a linear model makes mistakes. The classes are balanced: about 180 of each digit.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Training set and test set  (训练集/测试集)
#
# A quarter of the digits is kept aside to measure the model at the end; pixels are scaled to 0…1
# and get a channel axis: TensorFlow's images are `[batch, height, width, channels]` (NHWC).

# %% slideshow={"slide_type": "-"}
X = (images / 16.0).astype(np.float32)[..., np.newaxis]   # (1797, 8, 8, 1)
X_train, X_test, y_train, y_test = datasets.train_test_split(
    X, labels, test_size=0.25, seed=0)
print("training set", X_train.shape, y_train.shape)
print("test set    ", X_test.shape, y_test.shape)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same split function as chapter 6 (it plays `sklearn.model_selection.train_test_split`), seeded.
# The test set is touched only to measure, never to train or to choose settings.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Baselines to beat  (基线)
#
# Guessing the most frequent training digit, and a linear model (线性模型): softmax regression on the
# 64 pixels, chapter 6's loop with a cross-entropy loss (交叉熵).

# %% slideshow={"slide_type": "-"}
majority = np.bincount(y_train).argmax()
print("most frequent training digit:", majority,
      " test accuracy:", round(np.mean(y_test == majority), 3))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Ten balanced classes: always answering the same digit is right about one time in ten. Any model
# worth its name must do much better.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The linear model: 64 × 10 weights and 10 biases, in a graph of its own (学习率 0.1):

# %% slideshow={"slide_type": "-"}
linear_graph = tf.Graph()
with linear_graph.as_default():
    pixels = tf.placeholder(tf.float32, [None, 64])
    digit = tf.placeholder(tf.int32, [None])
    weights, bias = tf.Variable(tf.zeros([64, 10])), tf.Variable(tf.zeros([10]))
    logits = tf.matmul(pixels, weights) + bias
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=digit, logits=logits))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    init = tf.global_variables_initializer()

# %% [markdown] slideshow={"slide_type": "fragment"}
# 100 steps of Adam on the whole training set, then the test set:

# %% slideshow={"slide_type": "-"}
with tf.Session(graph=linear_graph) as sess:
    sess.run(init)
    for _ in range(100):
        sess.run(train, {pixels: X_train.reshape(-1, 64), digit: y_train})
    linear_pred = sess.run(logits, {pixels: X_test.reshape(-1, 64)}).argmax(1)
linear_accuracy = np.mean(linear_pred == y_test)
print("linear model, test accuracy:", round(linear_accuracy, 3))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Already good: about 96% of the test digits, 17 mistakes out of 450. The CNN must beat this number, not only the majority
# guess. The model lives in its own graph (`linear_graph`), so it does not mix with what follows.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## An input pipeline: `tf.data`  (输入管道)
#
# Instead of `feed_dict`, a `Dataset` describes the stream of minibatches (小批量): slices of the
# arrays, shuffled (打乱) with a seed, repeated (重复) for ever, in batches of 64.

# %% slideshow={"slide_type": "-"}
def train_pipeline(batch_size=64):
    """(images, labels): each run of them gives the next shuffled minibatch."""
    dataset = tf.data.Dataset.from_tensor_slices((X_train, y_train))
    dataset = dataset.shuffle(len(X_train), seed=0).repeat().batch(batch_size)
    iterator = dataset.make_one_shot_iterator()
    return iterator.get_next()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `shuffle(buffer_size)` draws from a buffer of that many elements; a buffer as big as the data set
# gives a full shuffle, and with `repeat()` after it each epoch (轮) is shuffled anew. A one-shot iterator needs no
# initialization; `get_next()` is a tensor pair whose value changes at every `sess.run`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A graph with the pipeline: each run gives the next batch.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
batch_images, batch_labels = train_pipeline()
print(batch_images)
print(batch_labels)
with tf.Session() as sess:
    print(sess.run(batch_labels)[:16])
    print(sess.run(batch_labels)[:16])

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The batch dimension is `?`: the last batch of a finite data set may be smaller. Two runs, two
# different minibatches, and no feed: the data is in the pipeline. The same seed gives the same order every time
# the notebook runs.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The test set: an initializable iterator
#
# The test pipeline reads from two placeholders (占位符) and is **initialized** (初始化) with the data
# to measure; after its last batch, `get_next` raises `OutOfRangeError`.

# %% slideshow={"slide_type": "-"}
def test_pipeline(batch_size=150):
    """An initializable iterator and its placeholders (images_in, labels_in)."""
    images_in = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images_in")
    labels_in = tf.placeholder(tf.int32, [None], name="labels_in")
    dataset = tf.data.Dataset.from_tensor_slices((images_in, labels_in))
    iterator = dataset.batch(batch_size).make_initializable_iterator()
    return iterator, (images_in, labels_in)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Placeholders keep the arrays out of the graph (a `.meta` file would otherwise carry the whole test
# set as constants), and the same iterator measures any set: the test set here, the training set in exercise 1.

# %% [markdown] slideshow={"slide_type": "subslide"}
# One pass over the test set: three batches of 150, then the end of the data.

# %% slideshow={"slide_type": "-"}
test_iterator, test_inputs = test_pipeline()
test_images, test_labels = test_iterator.get_next()
feed = dict(zip(test_inputs, (X_test, y_test)))   # {images_in: X_test, ...}
with tf.Session() as sess:
    sess.run(test_iterator.initializer, feed)
    while True:
        try:
            print(sess.run(test_labels).shape)
        except tf.errors.OutOfRangeError:
            print("OutOfRangeError: the end of the test set")
            break

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This loop is the TF 1.x idiom for "one epoch": run until the iterator says it is empty. Running
# `initializer` again starts over, with whatever is fed to the placeholders.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A small convolutional network  (卷积神经网络)
#
# A 3×3 convolution (卷积) with 8 filters (卷积核) and ReLU, a 2×2 max pooling (池化), then a dense
# layer (全连接层) from the 4×4×8 = 128 features to 10 logits.  `tf.get_variable` in a
# `variable_scope` with `reuse=tf.AUTO_REUSE`: every call of `cnn` shares one set of weights.

# %% slideshow={"slide_type": "-"}
def cnn(images):
    """[batch, 8, 8, 1] images -> [batch, 10] logits; calls share weights."""
    init = tf.truncated_normal_initializer(stddev=0.2)
    with tf.variable_scope("cnn", reuse=tf.AUTO_REUSE, initializer=init):
        kernel = tf.get_variable("conv/kernel", [3, 3, 1, 8])
        conv_bias = tf.get_variable("conv/bias", [8])
        conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME")
        conv = tf.nn.relu(conv + conv_bias)
        pooled = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        weights = tf.get_variable("dense/weights", [128, 10])
        bias = tf.get_variable("dense/bias", [10])
        return tf.matmul(tf.reshape(pooled, [-1, 128]), weights) + bias

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A convolution slides the same 3×3 weights over every position: 72 weights and 8 biases see the
# whole image. "SAME" pads the border so the output stays 8×8; pooling keeps the largest of each 2×2 block. The
# scope's `initializer` is the default of every `get_variable` inside it (biases included); the graph seed set
# below makes that truncated-normal start the same on every run.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Loss, optimizer, accuracy  (损失函数, 优化器, 准确率)

# %% slideshow={"slide_type": "-"}
def training(logits, labels, learning_rate):
    """The loss, the train op (Adam, counting the global step) and the step."""
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="cross_entropy")
    step = tf.train.get_or_create_global_step()
    optimizer = tf.train.AdamOptimizer(learning_rate)
    train = optimizer.minimize(loss, global_step=step)
    return loss, train, step

# %% [markdown] slideshow={"slide_type": "fragment"}
# The accuracy (准确率) counts right answers: the largest logit is the predicted digit.

# %% slideshow={"slide_type": "-"}
def count_correct(logits, labels):
    """How many predictions (the largest logit) equal the labels."""
    right = tf.equal(tf.argmax(logits, 1, output_type=tf.int32), labels)
    return tf.reduce_sum(tf.cast(right, tf.int32))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `sparse_softmax_cross_entropy_with_logits` takes the labels as digits 0-9, not one-hot rows. The
# global step (全局步数) counts the updates and ends up in the checkpoints' names (chapter 7).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The whole graph: the pipelines feed two calls of `cnn`, which share their four variables.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
batch_images, batch_labels = train_pipeline()
test_iterator, test_inputs = test_pipeline()
test_images, test_labels = test_iterator.get_next()
logits = cnn(batch_images)
loss, train, step = training(logits, batch_labels, 0.01)
test_correct = count_correct(cnn(test_images), test_labels)
variables = tf.trainable_variables()
for v in variables:
    print(f"{v.name:20} {v.shape}")
print("parameters:", sum(np.prod(v.shape.as_list()) for v in variables))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* 80 + 1290 = 1370 parameters, against 650 for the linear model. The second call of `cnn` found
# the variables of the first (AUTO_REUSE) instead of making `cnn/conv/kernel_1`: training the first copy trains
# the one that is measured.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Measuring: one pass of the test iterator

# %% slideshow={"slide_type": "-"}
def evaluate(sess, correct, iterator, inputs, images, labels):
    """Accuracy of `correct` (a count per batch) over (images, labels)."""
    sess.run(iterator.initializer, dict(zip(inputs, (images, labels))))
    total = 0
    while True:
        try:
            total += sess.run(correct)
        except tf.errors.OutOfRangeError:      # one pass done
            return total / len(labels)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Counting correct answers per batch and dividing once at the end gives the exact accuracy even
# when the last batch is smaller than the others.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorBoard logs  (可视化)
#
# Summaries (汇总) of the loss, the batch accuracy and the convolution weights, merged into one op;
# a `FileWriter` writes them, with the graph, into an event file.

# %% slideshow={"slide_type": "-"}
batch_correct = count_correct(logits, batch_labels)
tf.summary.scalar("loss", loss)
tf.summary.scalar("batch_accuracy", tf.cast(batch_correct, tf.float32) / 64.0)
with tf.variable_scope("cnn", reuse=True):
    tf.summary.histogram("conv_kernel", tf.get_variable("conv/kernel"))
summaries = tf.summary.merge_all()
saver = tf.train.Saver(max_to_keep=3)
log_dir, ckpt_dir = os.path.join(RUNS, "logs"), os.path.join(RUNS, "ckpt")
os.makedirs(ckpt_dir)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `batch_correct` reads the same logits as the loss: fetched in one run, they see the same
# minibatch. The Saver is made after every variable exists, Adam's slots included (chapter 7).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Training, first sitting: 200 steps
#
# Summaries every 10 steps, a checkpoint and a test measurement every 100.

# %% slideshow={"slide_type": "-"}
def train_steps(sess, n_steps, writer):
    """n_steps of training; log, save and measure on the way."""
    for _ in range(n_steps):
        _, summary = sess.run([train, summaries])
        i = sess.run(step)                     # updates done so far
        if i % 10 == 0:
            writer.add_summary(summary, i)
        if i % 100 == 0:
            path = saver.save(sess, ckpt_dir + "/model.ckpt", global_step=step)
            accuracy = evaluate(sess, test_correct, test_iterator, test_inputs,
                                X_test, y_test)
            print(f"{path}  test accuracy {accuracy:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The global step is read in a run of its own: fetched in the same run as `train`, TensorFlow does
# not promise whether it is read before or after the increment. The summary written at step 10 is the loss of the
# batch the tenth update used.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Run it: a new session, 200 steps, and the session closes, as when a notebook's kernel stops.

# %% slideshow={"slide_type": "-"}
sess = tf.Session()
sess.run(tf.global_variables_initializer())
writer = tf.summary.FileWriter(log_dir, sess.graph)
train_steps(sess, 200, writer)
sess.close()      # the end of the first sitting: the session's values are gone
print(sorted(os.listdir(ckpt_dir)))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Already above the linear model after 200 steps (about 9 epochs of 1347 digits). Closing the
# session throws the weights away; what is left is on disk.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Second sitting: resume from the checkpoint  (继续训练)
#
# A new session restores the newest checkpoint, weights, Adam's slots and global step, and goes on.

# %% slideshow={"slide_type": "-"}
sess = tf.Session()
latest = tf.train.latest_checkpoint(ckpt_dir)
saver.restore(sess, latest)
print("restored", latest, " global step", sess.run(step))
train_steps(sess, 200, writer)
writer.close()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The variables come back; the one-shot iterator does not: in a new session it starts its stream
# again from the beginning (TF 1.x can save an iterator's position too, with
# `tf.data.experimental.make_saveable_from_iterator`). `max_to_keep=3` left the three newest checkpoints. The test
# accuracy wobbles from checkpoint to checkpoint: one test digit is 0.002 of it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The curves, read back from the event file
#
# In JupyterLab, `%load_ext tensorboard` and `%tensorboard --logdir runs/ch12/logs` show them live.

# %% slideshow={"slide_type": "-"}
curves = viz.read_scalars(log_dir)          # {run: {tag: (steps, values)}}
print({tag: len(steps) for tag, (steps, _) in curves["."].items()})
figure = viz.plot_scalars(log_dir, figsize_per_plot=(4.2, 2.4))
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `viz.plot_scalars` reads the same event file TensorBoard reads (chapter 11). Both sittings wrote to
# one file, so the curves run on from step 200. The batch accuracy is noisy: 64 digits per point.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Freezing for deployment  (冻结, 部署)
#
# A third call of `cnn`, on a placeholder, with named outputs; then chapter 8's recipe.

# %% slideshow={"slide_type": "-"}
pixels = tf.placeholder(tf.float32, [None, 8, 8, 1], name="pixels")
probabilities = tf.nn.softmax(cnn(pixels), name="probabilities")
predicted_digit = tf.argmax(probabilities, 1, name="digit")
frozen = graph_util.convert_variables_to_constants(
    sess, sess.graph_def, ["probabilities", "digit"])
pb_path = os.path.join(RUNS, "digits.pb")
with tf.gfile.FastGFile(pb_path, "wb") as f:
    f.write(frozen.SerializeToString())
print(len(frozen.node), "nodes:", sorted({node.op for node in frozen.node}))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Only what `probabilities` and `digit` need is kept: no pipeline, no loss, no Adam. The four
# variables became constants holding the trained values.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The file loaded into a new graph, as a server would, and run on the test set:

# %% slideshow={"slide_type": "-"}
with tf.gfile.FastGFile(pb_path, "rb") as f:
    graph_def = tf.GraphDef()
    graph_def.ParseFromString(f.read())
with tf.Graph().as_default() as deployed:
    tf.import_graph_def(graph_def, name="")
    with tf.Session() as s:
        cnn_pred = s.run("digit:0", {"pixels:0": X_test})
print("frozen model, test accuracy:", round(np.mean(cnn_pred == y_test), 3))
print("training session, same set: ", round(evaluate(
    sess, test_correct, test_iterator, test_inputs, X_test, y_test), 3))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The same number twice: the deployed file answers as the training session does. Compare with the
# baselines: majority guess 0.087, linear model 0.962. The CNN wins: 7 mistakes against 17 (next slide).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The deployed graph  (冻结后)
#
# What the `.pb` file holds: the input placeholder, the network with constants for weights, the outputs.

# %% slideshow={"slide_type": "-"}
viz.draw_graph(deployed, show_shapes=False)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read it from the placeholder `pixels`: convolution, add the bias, ReLU, pooling, reshape, matmul,
# add, softmax, argmax. Each weight is a `Const` read through an `Identity` (the former `read` of the variable). No
# iterator, no loss, no optimizer: a server needs none of them. The ops sit in the name scope `cnn_3`: every entry
# into `variable_scope("cnn")` opens a new name scope (`cnn`, `cnn_1`, ...) while the variables keep `cnn/...`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Which digits does it confuse?  (混淆矩阵)
#
# Row = the true digit, column = the predicted one; the diagonal holds the right answers.

# %% slideshow={"slide_type": "-"}
confusion = np.zeros((10, 10), int)
np.add.at(confusion, (y_test, cnn_pred), 1)
plot_confusion(confusion, "CNN on the test set")
n_right = np.trace(confusion)
print("CNN right:", n_right, " wrong:", len(y_test) - n_right)
print("linear model wrong:", np.sum(linear_pred != y_test))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read off-diagonal cells aloud: which true digit went where; three of the 7 mistakes answered 1.
# The linear model made 17. With 450 test digits each cell is a handful of cases: the matrix says where to look, not a
# law.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The misclassified test digits, "true→predicted":

# %% slideshow={"slide_type": "-"}
wrong = np.flatnonzero(cnn_pred != y_test)
titles = [f"{t}→{p}" for t, p in zip(y_test[wrong], cnn_pred[wrong])]
show_digits(X_test[wrong], titles)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* At 8×8 several of them are hard for a human too. Mistakes a person would not make point at what
# a bigger model or more data could fix.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Two exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 reuses the trained network on a changed test set through `Dataset.map` and shared
# variables; exercise 2 trains the whole pipeline again with a much bigger learning rate. Both checks recompute the
# network in numpy from its weights.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · What happens if every digit moves one pixel right? (练习 1)
#
# In the training graph (still the default graph; `sess` holds the trained weights):
# - a pipeline like `test_pipeline()`'s, from two new placeholders, with `.map(shift)` **before**
#   `.batch(150)`, where `shift(image, label)` returns the image moved one pixel to the right (drop
#   the last column, `tf.pad` a zero column on the left) and the label; an initializable iterator;
# - `shifted_accuracy`: the trained CNN's accuracy on the shifted test set (`X_test`, `y_test`),
#   measured with `cnn(...)` on your iterator's images, `count_correct` and `evaluate`.
#
# Compare with the unshifted accuracy: how much does one pixel cost?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `cnn` called on the new images reuses the trained variables (AUTO_REUSE): no retraining, no
# restore. Convolution and pooling forgive some movement, but one pixel of an 8×8 image is an eighth of its width.
# The check shifts the test set in numpy and runs the weights through a numpy copy of the network.

# %% nbgrader={"grade": false, "grade_id": "ch12-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
shifted_accuracy = None
### BEGIN SOLUTION
def shift(image, label):
    """One pixel to the right: drop the last column, pad a zero column on the left."""
    return tf.pad(image[:, :-1, :], [[0, 0], [1, 0], [0, 0]]), label


shifted_images_in = tf.placeholder(tf.float32, [None, 8, 8, 1])
shifted_labels_in = tf.placeholder(tf.int32, [None])
shifted_set = tf.data.Dataset.from_tensor_slices((shifted_images_in, shifted_labels_in))
shifted_iterator = shifted_set.map(shift).batch(150).make_initializable_iterator()
shifted_images, shifted_labels = shifted_iterator.get_next()
shifted_correct = count_correct(cnn(shifted_images), shifted_labels)
shifted_accuracy = evaluate(sess, shifted_correct, shifted_iterator,
                            (shifted_images_in, shifted_labels_in), X_test, y_test)
print(f"shifted test set: {shifted_accuracy:.3f}")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch12-ex1-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert shifted_accuracy is not None, "set shifted_accuracy to the accuracy you measured on the shifted test set"
with tf.variable_scope("cnn", reuse=True):
    _names = ["conv/kernel", "conv/bias", "dense/weights", "dense/bias"]
    _weights = {"cnn/" + _n: sess.run(tf.get_variable(_n)) for _n in _names}
_shifted = np.zeros_like(X_test)
_shifted[:, :, 1:] = X_test[:, :, :-1]                 # one pixel right, a zero column on the left
_expected = np.mean(numpy_cnn(_weights, _shifted).argmax(1) == y_test)
_unshifted = np.mean(numpy_cnn(_weights, X_test).argmax(1) == y_test)
assert abs(float(shifted_accuracy) - _unshifted) > 2 / len(y_test), \
    "shifted_accuracy is the accuracy on the unshifted test set: shift the images in the pipeline"
assert abs(float(shifted_accuracy) - _expected) <= 1 / len(y_test), \
    f"shifted_accuracy should be the trained CNN's accuracy on the digits moved one pixel right, got {shifted_accuracy}"
print(f"Exercise 1 ok: one pixel to the right, accuracy {_unshifted:.3f} -> {float(shifted_accuracy):.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens with a learning rate of 1.0? (练习 2)
#
# In a **new graph** `fast_graph` (`with tf.Graph().as_default() as fast_graph:`), with
# `tf.set_random_seed(0)`, build the same model with `train_pipeline()`, `test_pipeline()`, `cnn`,
# `training(..., learning_rate=1.0)` and `count_correct`; in a new session train **300 steps**:
# - `fast_losses`: the loss fetched in each step's run (300 numbers);
# - save a checkpoint at the end into `fast_dir` (prefix `fast_dir + "/model.ckpt"`, `global_step=step`);
# - `fast_accuracy`: the test accuracy at the end, measured with `evaluate`.
#
# Plot `fast_losses`.  Does a 100× bigger learning rate train faster?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Adam's first steps move each weight by about the learning rate: 1.0 is five times the weights
# themselves (about 0.2). Here the loss gets stuck near ln 10 ≈ 2.30, the loss of a uniform guess, and the test
# accuracy falls to chance: typically the ReLU units were pushed negative for every input ("dead") and no gradient
# flows any more. The check reads the student's checkpoint, recomputes the test accuracy in numpy, and finds the
# learning rate in the graph.

# %% slideshow={"slide_type": "skip"}
fast_dir = os.path.join(RUNS, "fast")
os.makedirs(fast_dir)

# %% nbgrader={"grade": false, "grade_id": "ch12-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
fast_graph = None
fast_losses = None
fast_accuracy = None
### BEGIN SOLUTION
with tf.Graph().as_default() as fast_graph:
    tf.set_random_seed(0)
    fast_images, fast_labels = train_pipeline()
    fast_iterator, fast_inputs = test_pipeline()
    fast_test_images, fast_test_labels = fast_iterator.get_next()
    fast_loss, fast_train, fast_step = training(cnn(fast_images), fast_labels, 1.0)
    fast_correct = count_correct(cnn(fast_test_images), fast_test_labels)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        fast_losses = [s.run([fast_train, fast_loss])[1] for _ in range(300)]
        tf.train.Saver().save(s, fast_dir + "/model.ckpt", global_step=fast_step)
        fast_accuracy = evaluate(s, fast_correct, fast_iterator, fast_inputs, X_test, y_test)
fig, ax = plt.subplots(figsize=(6, 2.4))
ax.plot(fast_losses)
ax.set(xlabel="step", ylabel="loss", title=f"learning rate 1.0: test accuracy {fast_accuracy:.3f}")
plt.show()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch12-ex2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert fast_graph is not None and fast_losses is not None and fast_accuracy is not None, \
    "set fast_graph, fast_losses and fast_accuracy"
assert isinstance(fast_graph, tf.Graph) and fast_graph is not tf.get_default_graph(), \
    "fast_graph should be the new tf.Graph you built the model in"
_lr_tensors = [_op.inputs[5] for _op in fast_graph.get_operations() if _op.type == "ApplyAdam"]
with tf.Session(graph=fast_graph) as _s:
    _rates = {round(float(_s.run(_t)), 6) for _t in _lr_tensors}
assert _rates == {1.0}, f"fast_graph should train with tf.train.AdamOptimizer(1.0), found learning rates {_rates}"
assert len(fast_losses) == 300, f"fast_losses should hold the 300 losses of the 300 steps, got {len(fast_losses)}"
_latest = tf.train.latest_checkpoint(fast_dir)
assert _latest is not None and _latest.endswith("model.ckpt-300"), \
    "save the trained model into fast_dir with global_step=step after 300 steps (model.ckpt-300)"
_reader = tf.train.load_checkpoint(_latest)
_fast_weights = {_n: _reader.get_tensor(_n) for _n in
                 ["cnn/conv/kernel", "cnn/conv/bias", "cnn/dense/weights", "cnn/dense/bias"]}
_expected = np.mean(numpy_cnn(_fast_weights, X_test).argmax(1) == y_test)
assert abs(float(fast_accuracy) - _expected) <= 1 / len(y_test), \
    f"fast_accuracy should be the test accuracy of the checkpointed model ({_expected:.3f}), got {fast_accuracy}"
print(f"Exercise 2 ok: learning rate 1.0, test accuracy {float(fast_accuracy):.3f}, "
      f"last loss {np.mean(fast_losses[-20:]):.3f} (the chapter's model: {np.mean(cnn_pred == y_test):.3f})")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The lecture's summary  (总结)
#
# | the lecture's summary (总结) | taught in |
# |---|---|
# | TensorFlow's basic concepts and programming model: graph + session (计算图和会话) | 00, 01, 02 |
# | the basic machine-learning program: placeholders, model, loss, optimizer, initialization, training loop (基本机器学习编程框架) | 03, 04, 05, 06 |
# | two ways to store a model: ckpt (flexible, 方便灵活) and PB (packaging, porting: 封装和移植) | 07, 08 |
# | eager execution: TensorFlow's dynamic-graph mode (动态图模式) | 09 |
#
# Beyond the lecture: devices and kernels (10), watching and debugging training (11), and this
# capstone with `tf.data`, convolution and shared variables (12).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture ends with these four points. Every lecture section, from 深度学习工具包 to 总结, is
# mapped to the cells that teach it in `notebooks/lecture_map.md`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The capstone, step by step, against the lecture's six steps
#
# | the lecture's step (机器学习基本编程框架) | in this chapter |
# |---|---|
# | 1 create data, define the inputs (创建数据, 定义输入) | `load_digits`, split, `tf.data` pipelines |
# | 2 the model's graph (模型计算图) | `cnn`: `conv2d`, `max_pool`, `get_variable` |
# | 3&4 loss, optimizer, train op (损失函数, 优化器) | `training`: cross-entropy, Adam, global step |
# | 5 initialize the parameters (初始化参数) | `global_variables_initializer`, or `saver.restore` |
# | 6 the training loop (训练脚本) | `train_steps`: summaries, checkpoints, test accuracy |
# | then store and deploy (模型存储) | `Saver` (ckpt 模式), `convert_variables_to_constants` (PB 模式) |

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The six steps of chapter 6 did not change; each got a more capable tool. `feed_dict` became a
# pipeline, the weight matrix became a network built by a function.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Where to go next  (下一步)
#
# TensorFlow 1.x's ideas live on: TF 2 runs eagerly by default (chapter 9) and traces graphs with
# `tf.function`; Keras builds the layers; PyTorch is a dynamic-graph framework (动态图) from the
# start.  The same CNN, the same data, in each (not run here):

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* What carries over: tensors and shapes, the loss/optimizer/step loop, minibatches from a dataset,
# checkpoints and exported models, summaries for TensorBoard. What changes: no sessions, no placeholders, no
# initializer to run, and layers own their variables.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **TensorFlow 2 (Keras)**
#
# ```python
# import tensorflow as tf                                   # 2.x: eager by default
# model = tf.keras.Sequential([
#     tf.keras.Input((8, 8, 1)),
#     tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
#     tf.keras.layers.MaxPool2D(2), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])
# model.compile(tf.keras.optimizers.Adam(0.01), metrics=["accuracy"],
#               loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
# train = tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(1347, seed=0).batch(64)
# model.fit(train, epochs=19, callbacks=[tf.keras.callbacks.TensorBoard("logs")])
# model.evaluate(X_test, y_test)
# model.export("digits_saved_model")                         # deployment: a SavedModel
# ```

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* 19 epochs of 1347 digits in batches of 64 are about the 400 steps trained here. `compile` holds
# what chapter 5 built by hand (loss, optimizer); `fit` is the training loop; the callback writes the summaries;
# `export` writes a SavedModel, TF 2's successor of the frozen `.pb`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **PyTorch**
#
# ```python
# import torch, torch.nn as nn
# model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
#                       nn.Flatten(), nn.Linear(128, 10))
# optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
# data = torch.utils.data.TensorDataset(torch.tensor(X_train).permute(0, 3, 1, 2),
#                                       torch.tensor(y_train).long())      # NHWC -> NCHW
# for epoch in range(19):
#     for images, labels in torch.utils.data.DataLoader(data, batch_size=64, shuffle=True):
#         loss = nn.functional.cross_entropy(model(images), labels)
#         optimizer.zero_grad(); loss.backward(); optimizer.step()
# torch.save(model.state_dict(), "digits.pt")                               # a checkpoint
# ```

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* PyTorch's images are channels-first (NCHW). The loop is written out as in TF 1.x, but each line runs
# at once: `loss.backward()` is `tf.gradients` plus the tape of chapter 9, `optimizer.step()` is the train op.
# Deployment goes through `torch.export` or ONNX.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - Data: `load_digits`, a seeded training/test split (训练集/测试集), baselines first: majority
#   0.087, linear model 0.962; the CNN reaches 0.984.
# - `tf.data`: `from_tensor_slices(...).shuffle(n, seed).repeat().batch(64)` + one-shot iterator for
#   training; an initializable iterator over placeholders for measuring, read until `OutOfRangeError`.
# - CNN: `conv2d` + `max_pool` + dense, variables from `get_variable` shared with `AUTO_REUSE`.
# - Training with summaries + `FileWriter`, `Saver` checkpoints, resumed in a new session; frozen with
#   `convert_variables_to_constants`, loaded back and giving the same answers.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The end of the course. The lecture map (`notebooks/lecture_map.md`) lists where each lecture
# section is taught, for revision.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not needed for anything above.  minitf keeps a `Dataset` as a Python object, not as graph nodes
# (TensorFlow writes `TensorSliceDataset`, `ShuffleDataset`, … into the GraphDef); only the iterator
# ops are in the graph.  The op types of the training graph that come from `tf.data`:

# %% slideshow={"slide_type": "skip"}
print(sorted({op.type for op in sess.graph.get_operations() if "Iterator" in op.type}))

# %% slideshow={"slide_type": "skip"}
sess.close()
