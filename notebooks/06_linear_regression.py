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
# # 6 · Linear regression, end to end  线性回归
#
# **Goals**
# - the lecture's task: tomorrow's closing price of a stock from today's open, high, low and volume,
#   first with scikit-learn, then with the six-step TensorFlow framework (Graph 建图 + Session 执行);
# - test it honestly: a baseline (基线) beside the model, training and test loss curves;
# - see learning that really pays: data with known weights, trained on minibatches (小批量),
#   first by hand, then with the optimizer (优化器);
# - the learning rate (学习率) and divergence (发散).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Two halves. The lecture's stock example is kept as it is, and it becomes the cautionary tale: it
# looks brilliant (R² 0.99) until a forecast that learns nothing scores the same. The second half shows training
# recovering weights we know, on data where there is something to learn.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np
import sklearn.linear_model
import sklearn.model_selection
import minitf as tf
from minitf import datasets, viz

np.set_printoptions(precision=3, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
# TensorFlow turns an overflow into inf or nan without a word; keep numpy (under minitf) as quiet.
_ = np.seterr(over="ignore", invalid="ignore")


def plot_curves(curves, lines={}, start=0, logy=False, title="",
                xlabel="step", ylabel="loss (MSE)", first_x=0):
    """Curves {label: values} from index `start` on, and reference lines {label: height}.

    Value i is drawn at x = first_x + i (first_x=1 for "after step 1, 2, ...").
    """
    fig, ax = plt.subplots(figsize=(7, 2.6))
    for label, values in curves.items():
        values = np.ravel(values)
        x = first_x + np.arange(start, len(values))
        ax.plot(x, values[start:], lw=1.5, label=label)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for (label, height), style in zip(lines.items(), ["--", ":"]):
        ax.axhline(height, color="k", ls=style, lw=1, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The lecture's data: one stock  (准备训练和测试数据)
#
# `datasets.load_stocks()`: 1000 trading days of one (synthetic) stock.  Features: open, high, low,
# volume of a day; target: the **next day's** closing price.

# %% slideshow={"slide_type": "-"}
X, y, names = datasets.load_stocks()
print(X.shape, y.shape, names)
print("   open    high     low      volume  -> next close")
for (o, h, l, v), target in zip(X[:3], y[:3, 0]):
    print(f"{o:7.2f} {h:7.2f} {l:7.2f} {v:11.0f}  -> {target:.2f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The numbers are made by `datasets.make_stocks`: a random walk with realistic daily ranges and
# volumes, so everyone sees the same values and nothing is downloaded. Keep "random walk" in mind: it matters soon.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The last 10 days play the lecture's `X_lately`: days to forecast, used neither for training nor for
# testing.  The rest is split at random: 20% test set (测试集), 80% training set (训练集);
# `random_state` makes the split repeatable.

# %% slideshow={"slide_type": "-"}
X_lately, y_lately = X[-10:], y[-10:]
X, y = X[:-10], y[:-10]
split = sklearn.model_selection.train_test_split
X_train, X_test, y_train, y_test = split(X, y, test_size=0.2,
                                         random_state=0)
print(X_train.shape, X_test.shape)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `minitf.datasets.train_test_split(X, y, test_size=0.2, seed=0)` does the same without
# scikit-learn. The test set is only ever used to measure, never to train.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Linear regression with scikit-learn  (使用 Scikit-learn 进行线性回归)
#
# The model is ready-made: make it, `fit` it on the training set, `score` it on the test set
# ($R^2$, 1.0 is perfect).

# %% slideshow={"slide_type": "-"}
clf = sklearn.linear_model.LinearRegression()
clf.fit(X_train, y_train)
accuracy = clf.score(X_test, y_test)
print(f"R^2 on the test set: {accuracy:.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# 0.989 looks excellent.  Before believing it, ask what a forecast that learns nothing scores.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is the lecture's code, unchanged apart from `random_state`. Ask the class whether 0.989 means
# we can now predict the stock market.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A baseline 基线: a forecast that learns nothing
#
# Tomorrow's close is near today's prices.  Baseline: **next close = (high + low) / 2 of today**.
# We compare on the test set with the mean squared error (MSE) and with $R^2$.

# %% slideshow={"slide_type": "-"}
def mse(y_true, y_pred):
    return float(np.mean((y_true - y_pred) ** 2))

baseline_test = (X_test[:, 1:2] + X_test[:, 2:3]) / 2 # (high+low)/2
baseline_mse = mse(y_test, baseline_test)
sklearn_test = clf.predict(X_test)
print(f"test MSE  baseline {baseline_mse:.3f}"
      f"   scikit-learn {mse(y_test, sklearn_test):.3f}")
print(f"test R^2  baseline {1 - baseline_mse / y_test.var():.4f}"
      f"   scikit-learn {clf.score(X_test, y_test):.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The baseline wins on both counts: the fitted model is *worse* than doing nothing clever.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The baseline has no parameters and saw no training data. A model has to beat it to have learned
# anything. Here the least-squares fit loses: it tuned itself to noise in the training days.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## What $R^2$ means on a random walk
#
# $R^2 = 1 - \mathrm{MSE} / \mathrm{Var}(y)$: a forecast against always predicting the average price.

# %% slideshow={"slide_type": "-"}
plot_curves({"next close": y},
            {"test-set mean (R^2 = 0)": y_test.mean()},
            xlabel="day", ylabel="price", title="The stock")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The price wanders (a random walk, 随机游走): it drifts from about 35 to 65 and back. The
# average of the test days is a terrible forecast for most of them.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A day's move is small next to the spread of the price:

# %% slideshow={"slide_type": "-"}
day_move = np.diff(y.ravel())
print(f"std of the price {y.std():.2f}")
print(f"std of a day's move {day_move.std():.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# A forecast that is off by about a day's move has an MSE near $0.7^2$, while $\mathrm{Var}(y) \approx
# 8.9^2$: $R^2 \approx 1 - (0.7/8.9)^2 \approx 0.99$.  Here $R^2$ says "tomorrow is near today", not
# "the model learned".  The number to beat is the baseline's.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* R² is relative to the mean of the evaluated labels. On a trending or wandering series that mean is
# far from most values, so the denominator is huge and R² is close to 1 for any forecast that tracks the level.
# The honest comparison is MSE against a naive forecast (in finance: "tomorrow = today"). (0.7/8.9)² is a rough
# estimate of 1 - R²: the baseline's MSE is 0.68, a bit more than 0.71² = 0.50 (it does not know today's close),
# and its R² is 0.9906.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorFlow vs scikit-learn  (tensorflow 和 scikit-learn 的区别)
#
# - TensorFlow has no ready-made models (regression, neural networks ...);
# - you cannot just pass the data as arguments;
# - you write the computation graph (计算图) by hand;
# - the graph itself computes nothing: a session (会话) executes it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The price of the extra work is flexibility: the same six steps train any model you can write as a
# graph, which is what the rest of the course builds on.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The framework and the model  (TensorFlow 编程框架和机器学习模型的对应关系)
#
# - **the model** is a graph: computation path (计算路径) + parameter variables (参数变量),
#   built once, then run (a static graph, 静态图);
# - **the optimization** (chapter 5, TensorFlow 的优化机制): what is optimized: the variables;
#   the goal: the smallest loss (损失函数); the method: gradient descent (梯度下降) and its relatives.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapter 5 showed the optimization pattern (define the loss, `opt.minimize(loss)`, run `train_op`
# with a feed). This chapter puts it into the full program.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The six-step framework  (TensorFlow 机器学习基本编程框架)
#
# **Build the graph** (Graph 建图)
# 1. create the data, define the input nodes (placeholders, 占位符);
# 2. define the model's graph (variables 变量 and ops);
# 3. define the loss (损失函数);
# 4. define the optimizer (优化器) and its goal (`train_op`).
#
# **Run it** (Session 执行)
#
# 5. initialize the parameters;
# 6. write the (iterative) training script and run it: fetch `train_op`, feed the data and labels.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Map each step to an earlier chapter: 1 = chapter 3 (placeholders), 2 = chapter 4 (variables),
# 3-4 = chapter 5 (loss, optimizer), 5 = chapter 4 (initialization), 6 = chapters 2-3 (session, feed/fetch).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps 1–2: inputs and model
#
# The lecture's code; the `name=` arguments only label the picture below.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)   # new sessions draw the same start (ch. 2)
# 1. inputs: 4 features and 1 label per row, any number of rows
data = tf.placeholder(tf.float32, [None, 4], name="data")
real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
# 2. the model data @ weight + bias; the parameters are variables
weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32,
                     name="weight")
bias = tf.Variable(tf.ones([1]), dtype=tf.float32, name="bias")
y_label = tf.add(tf.matmul(data, weight), bias)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `None` in the placeholder's shape lets one graph take the 792 training rows, the 198 test rows,
# one row, or a minibatch of 32 later on.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Steps 3–4: loss and optimizer

# %% slideshow={"slide_type": "-"}
# 3. the loss: mean squared error
loss = tf.reduce_mean(tf.square(real_label - y_label))
# 4. the optimizer and its goal; 0.2 is the learning rate
train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The lecture writes `real_label - y_label`; the order does not matter for a square. Note that
# nothing has been computed yet: `loss` and `train` are graph nodes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The graph of steps 1–4  (计算图)

# %% slideshow={"slide_type": "-"}
viz.draw_graph(train, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Cylinders are variables, arrow shapes are placeholders. The folded `gradients` node is the
# backward pass that `minimize` added (chapter 5); `GradientDescent` holds one update op per variable.
# `viz.draw_graph(train)` without `show_shapes=False` labels every edge with its shape and dtype.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps 5–6 on the raw numbers
#
# The lecture's script on the data as they are, a few steps:

# %% slideshow={"slide_type": "-"}
feed = {data: X_train, real_label: y_train}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())     # 5. initialize
    for step in range(5):                           # 6. train
        loss_value, _ = sess.run([loss, train], feed_dict=feed)
        biggest = np.abs(sess.run(weight)).max()
        print(f"step {step}: loss {loss_value:9.3g}"
              f", max|w| {biggest:8.3g}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# After one step the volume's weight is about $10^{12}$.  Each squared error is then about $10^{36}$,
# still below float32's largest number, $3.4 \times 10^{38}$; but `reduce_mean` first *adds* 792 of
# them, and the sum overflows to `inf`.  Soon the weights overflow too, and `inf - inf` is `nan`.
# No error is raised: training just produces garbage.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is what students meet in practice: a loss of inf or nan, silently. The same would happen in
# TensorFlow. The cure is on the next slide, not a smaller learning rate alone.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The features have very different scales: prices about 50, the volume about a million.  The
# gradient for the volume's weight is millions of times larger, and the step overshoots wildly.

# %% slideshow={"slide_type": "-"}
for name, column in zip(names, X_train.T):
    print(f"{name:7} mean {column.mean():11.2f}"
          f"   std {column.std():10.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The fix: **standardize** (标准化) each feature with the *training set's* mean and standard
# deviation (scikit-learn's `StandardScaler` does the same); test and forecast rows use them too.

# %% slideshow={"slide_type": "-"}
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
def scale(features):
    return (features - mean) / std

X_train_s, X_test_s = scale(X_train), scale(X_test)
X_lately_s = scale(X_lately)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Using the test set's own statistics would leak information about it into the model; the
# training statistics are all we would have for a real new day.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps 5–6: train, and watch the test loss
#
# 1000 steps on the whole training set.  Each step also *measures* the loss on the test set (a fetch
# fed with the test rows; it never updates anything).  The session stays open for what follows.

# %% slideshow={"slide_type": "-"}
sess = tf.Session()
sess.run(tf.global_variables_initializer())                # 5
train_feed = {data: X_train_s, real_label: y_train}
test_feed = {data: X_test_s, real_label: y_test}
train_curve, test_curve = [], []
for step in range(1000):                                   # 6
    _, train_loss = sess.run([train, loss], feed_dict=train_feed)
    train_curve.append(train_loss)
    test_curve.append(sess.run(loss, feed_dict=test_feed))
print(f"MSE train {train_curve[-1]:.3f} test {test_curve[-1]:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Fetching `loss` with the test feed runs only the forward part of the graph: the train op is not
# fetched, so nothing changes (chapter 3: a run computes only what the fetches need).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two curves (from step 20: the first steps fall from about 800), and the baseline's test MSE as
# a line:

# %% slideshow={"slide_type": "-"}
plot_curves({"training set": train_curve, "test set": test_curve},
            {"baseline (test set)": baseline_mse}, start=20,
            title="Stock model: loss (MSE) from step 20 on")

# %% [markdown] slideshow={"slide_type": "fragment"}
# After the first steps the test loss creeps down for 1000 steps and ends *on* the baseline,
# not below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The training curve is lower than the test curve, as usual. The interesting line is the dashed
# one: a thousand steps of training buy what the baseline gets for free.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Testing  (执行测试)
#
# The lecture ends with `accuracy = tf.reduce_mean(...)` on the fetched forecasts: one more op, which
# needs one more run to give a number.  Beside it, scikit-learn and the baseline:

# %% slideshow={"slide_type": "-"}
forecast_set = sess.run(y_label, feed_dict={data: X_test_s})
accuracy = tf.reduce_mean(tf.square(forecast_set - y_test))
print(f"test MSE  TensorFlow   {sess.run(accuracy):.3f}")
print(f"          scikit-learn {mse(y_test, sklearn_test):.3f}")
print(f"          baseline     {baseline_mse:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `accuracy` here is the lecture's name; it is a mean squared error, smaller is better. Building a new
# op after training is legal (the graph is not frozen), but each such line adds a node: in a loop, compute with numpy.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## What did training find?
#
# The learned weights in price units (divided by the feature's std):

# %% slideshow={"slide_type": "-"}
trained_weight, trained_bias = sess.run([weight, bias])
per_unit = trained_weight.ravel() / std
print("  ".join(f"{n} {w:.3g}" for n, w in zip(names, per_unit)))

# %% [markdown] slideshow={"slide_type": "fragment"}
# About $0.53\,$high $+ \,0.54\,$low $- \,0.07\,$open, volume nearly ignored: an average of today's prices,
# nearly the baseline's $0.5\,$high $+ \,0.5\,$low.  Training rediscovered the baseline.  A random
# walk has nothing more to learn from one day's prices; the exact least-squares fit (scikit-learn)
# chases noise and does worse.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Open, high and low are nearly the same number every day (collinear), so many weight combinations
# predict almost equally well. The Hessian of the loss, 2AᵀA/n with A the standardized features plus a column of
# ones, has eigenvalues about 6, 2, 2, 0.003 and 0.0025: along the flat directions gradient descent barely moves in
# 1000 steps, so it stops short of the exact fit, which here happens to help (early stopping).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Forecasting unseen days
#
# The lecture's last step: `X_lately`, the 10 most recent days, never used for training or testing.

# %% slideshow={"slide_type": "-"}
forecast = sess.run(y_label, feed_dict={data: X_lately_s})
naive = (X_lately[:, 1:2] + X_lately[:, 2:3]) / 2
print(" model  baseline  actual")
for f, b, a in zip(forecast[:, 0], naive[:, 0], y_lately[:, 0]):
    print(f"{f:6.2f}  {b:8.2f}  {a:6.2f}")
print(f"MSE   model {mse(y_lately, forecast):.3f}"
      f"   baseline {mse(y_lately, naive):.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Ten days are too few to rank the two; the point is that the model's forecasts are, day by day,
# almost exactly the baseline's. Forecasting a random walk from one day's prices is not possible.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Where learning pays: data with known weights
#
# Synthetic data: 4 features, labels $= X w_{true} + b_{true} +$ noise (standard deviation 1).
# Rows are independent, so the first 800 train and the last 200 test.

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(6)
true_weight = np.array([[2.0], [-3.0], [0.5], [1.0]], np.float32)
true_bias, noise_std = 4.0, 1.0
features = rng.normal(size=(1000, 4)).astype(np.float32)
noise = noise_std * rng.normal(size=(1000, 1))
labels = features @ true_weight + true_bias + noise
labels = labels.astype(np.float32)
X_syn_train, X_syn_test = features[:800], features[800:]
y_syn_train, y_syn_test = labels[:800], labels[800:]

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* We choose the true weights, so we can check what training finds. The seed makes the data the same
# for everyone.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two numbers frame any result: the **baseline** that learns nothing (predict the training labels'
# mean) and the **noise floor** (噪声下限): no model beats the noise's variance, $1.0$.

# %% slideshow={"slide_type": "-"}
syn_feeds = {
    "training set": {data: X_syn_train, real_label: y_syn_train},
    "test set": {data: X_syn_test, real_label: y_syn_test}}
syn_baseline = mse(y_syn_test, y_syn_train.mean())
print(f"test MSE  baseline {syn_baseline:.2f}"
      f"   noise floor {noise_std ** 2:.2f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The features have mean 0 and std 1 already, so no standardization is needed. The same graph
# (`data`, `real_label`, `weight`, `bias`, `loss`) serves: only the feed changes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Minibatches 小批量, by hand
#
# Each step uses a small random batch (32 rows) instead of all 800: a cheap, noisy gradient, and 25
# steps per pass over the data (an epoch, 轮).  First the update written out: gradients from
# `tf.gradients`, then $w \leftarrow w - \eta\,\partial L/\partial w$ with `assign_sub`.

# %% slideshow={"slide_type": "-"}
learning_rate = 0.05
grad_weight, grad_bias = tf.gradients(loss, [weight, bias])
sgd_step = tf.group(weight.assign_sub(learning_rate * grad_weight),
                    bias.assign_sub(learning_rate * grad_bias))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.group` bundles the two updates into one op to fetch. Nothing runs yet: these are new graph
# nodes beside the model.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The loop: a fresh shuffled order (a permutation) every epoch, sliced into batches, each fed through
# `feed_dict`.  After each step it also measures the loss on both sets (runs without the update).

# %% slideshow={"slide_type": "-"}
def train_minibatches(session, step, batch_size=32, epochs=5):
    order = np.random.default_rng(0)        # repeatable shuffles
    curves = {name: [] for name in syn_feeds}
    for epoch in range(epochs):
        perm = order.permutation(800)       # 800 rows, new order
        for start in range(0, 800, batch_size):
            rows = perm[start:start + batch_size]
            session.run(step, {data: X_syn_train[rows],
                               real_label: y_syn_train[rows]})
            for name, feed in syn_feeds.items():  # measure only
                curves[name].append(session.run(loss, feed))
    return curves

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Why shuffle: without it every epoch sees the same batches in the same order, and any order in the
# file (sorted by date, by class) biases the steps. Here 800 = 25 × 32; with another batch size the last batch is
# smaller, which the placeholder's `None` allows.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Five epochs (125 steps) in a new session:

# %% slideshow={"slide_type": "-"}
sess_hand = tf.Session()
sess_hand.run(tf.global_variables_initializer())
curves_hand = train_minibatches(sess_hand, sgd_step)
test_hand = curves_hand["test set"]            # one loss per step
print("test MSE after each epoch:", np.array(test_hand[24::25]))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* A new session on the same graph has its own variable values (chapter 2), so `sess` still holds
# the stock model. With the graph seed set, its initializer draws the same start as every other new session.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Minibatches with the optimizer
#
# `GradientDescentOptimizer(...).minimize(loss)` builds the same gradients and updates in one line.
# Same loop, same start, same shuffles:

# %% slideshow={"slide_type": "-"}
optimizer = tf.train.GradientDescentOptimizer(learning_rate)
train_sgd = optimizer.minimize(loss)
sess_opt = tf.Session()
sess_opt.run(tf.global_variables_initializer())
curves_opt = train_minibatches(sess_opt, train_sgd)
test_opt = curves_opt["test set"]
print("test MSE after each epoch:", np.array(test_opt[24::25]))

# %% slideshow={"slide_type": "-"}
w_hand, w_opt = sess_hand.run(weight), sess_opt.run(weight)
assert np.allclose(w_hand, w_opt, atol=1e-5)
print("by hand and with the optimizer: the same weights")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is the from-scratch-then-concise pattern: once you have written the update yourself, the
# optimizer is no longer magic. Other optimizers (Momentum, Adam) change only the update rule.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Did it learn?  Known weights, noise floor, baseline

# %% slideshow={"slide_type": "-"}
learned = np.append(sess_opt.run(weight), sess_opt.run(bias))
print("true    ", np.append(true_weight, true_bias))
print("learned ", learned)
print(f"test MSE  model {curves_opt['test set'][-1]:.3f}"
      f"   noise floor {noise_std ** 2:.3f}"
      f"   baseline {syn_baseline:.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Weights within 0.08 of the truth, test error 3% above the noise floor and 15 times below the
# baseline: here training really learned.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The remaining weight error is mostly the data's, not the training's: the exact least-squares fit
# on these 800 noisy rows (next cell, notebook only) is about as far from the truth. More data would shrink it.

# %% [markdown] slideshow={"slide_type": "skip"}
# The exact least-squares fit on the same 800 training rows (normal equations, `np.linalg.lstsq`): the
# gap between `learned` and `true` is mostly the noise in the data, not a failure of training.

# %% slideshow={"slide_type": "skip"}
A_syn = np.column_stack([X_syn_train, np.ones(800)]).astype(np.float64)
exact, *_ = np.linalg.lstsq(A_syn, y_syn_train.astype(np.float64), rcond=None)
print("exact   ", exact.ravel())
print("learned ", learned)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The loss after each of the 125 steps, with the baseline and the noise floor:

# %% slideshow={"slide_type": "-"}
plot_curves(curves_opt, {"baseline (test set)": syn_baseline,
                         "noise floor": noise_std ** 2},
            logy=True, first_x=1, title="Synthetic data, batch 32")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* After one epoch (25 minibatch steps) the model is already near the noise floor. The curves are
# jagged: each step follows the gradient of 32 rows only, a noisy estimate of the full gradient.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The learning rate 学习率 and divergence 发散
#
# Back to the standardized stock data.  The rate becomes a placeholder, so one graph serves every
# rate.  A **new session per rate**: with the graph seed, each starts from the same weights.

# %% slideshow={"slide_type": "-"}
rate = tf.placeholder(tf.float32, [], name="learning_rate")
optimizer_at_rate = tf.train.GradientDescentOptimizer(rate)
train_at_rate = optimizer_at_rate.minimize(loss)
init = tf.global_variables_initializer()
curves, starts = {}, {}
for lr in [0.01, 0.05, 0.2, 0.35]:
    feed = {data: X_train_s, real_label: y_train, rate: lr}
    with tf.Session() as s:        # new session: the seeded start
        s.run(init)
        starts[lr] = s.run(weight)
        curves[f"lr={lr}"] = [s.run([train_at_rate, loss], feed)[1]
                              for _ in range(100)]

# %% slideshow={"slide_type": "-"}
assert all(np.array_equal(w, starts[0.01]) for w in starts.values())
print("all four runs started from", starts[0.01].ravel())

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Running `init` again in the *same* session would draw new random numbers (chapter 2: each run of
# a random op draws anew), so the runs would start from different points. A fresh session replays the seeded
# sequence from its beginning.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The four loss curves (log scale) and the loss after 100 steps:

# %% slideshow={"slide_type": "-"}
plot_curves(curves, logy=True, title="Stock model, four rates")
print("  ".join(f"{n}: {c[-1]:.3g}" for n, c in curves.items()))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Too small: slow.  Larger: faster, up to a limit.  Past it every step overshoots more than the last
# and the loss grows without bound: the training **diverges** (发散).  Exercise 2 computes the limit.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* For a quadratic loss, gradient descent is stable when the learning rate is below 2/λ_max, where
# λ_max is the largest eigenvalue of the Hessian (here 2AᵀA/n, λ_max about 6, so the limit is about 0.33). At 0.35
# the steep direction (open + high + low together) grows by a factor |1 - 0.35·6| ≈ 1.1 per step.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Three short exercises.  Write your code in the cell under each task (replace
# `raise NotImplementedError()`), then run the check cell below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Exercise 1 is about evaluating honestly, exercise 2 measures divergence, exercise 3 asks what a
# bigger batch changes. The checks recompute what the student should have measured.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · $R^2$ on the test set, yourself (练习 1)
#
# For the minibatch model in `sess_opt` (synthetic data), compute with numpy, **on the test set**
# (`X_syn_test`, `y_syn_test`):
# - `r2_model`: $R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2$ of its predictions
#   (fetch `y_label`), where $\bar y$ is the mean of the labels you evaluate on;
# - `r2_baseline`: the $R^2$ of the baseline that predicts the *training* labels' mean for every row.
#
# Write the formula yourself (not `clf.score`: that scores scikit-learn's model on the stock data).
# Why is `r2_baseline` not exactly 0?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The baseline's R² comes out slightly negative: the training mean is not the test mean. R² = 0
# exactly only for the test set's own mean, which no forecast could know in advance.

# %% nbgrader={"grade": false, "grade_id": "ch06-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
r2_model = None
r2_baseline = None
### BEGIN SOLUTION
predicted = sess_opt.run(y_label, feed_dict={data: X_syn_test})
total = np.sum((y_syn_test - y_syn_test.mean()) ** 2)
r2_model = 1 - np.sum((y_syn_test - predicted) ** 2) / total
r2_baseline = 1 - np.sum((y_syn_test - y_syn_train.mean()) ** 2) / total
print(f"R^2 on the test set: model {r2_model:.4f}   baseline {r2_baseline:.4f}")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch06-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
def _r2(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    return 1 - np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)

assert r2_model is not None and r2_baseline is not None, "set r2_model and r2_baseline"
_pred_test = sess_opt.run(y_label, feed_dict={data: X_syn_test})
_pred_train = sess_opt.run(y_label, feed_dict={data: X_syn_train})
assert abs(float(r2_model) - _r2(y_syn_train, _pred_train)) > 1e-4, \
    "r2_model is the training set's R^2; evaluate on the test set (X_syn_test, y_syn_test)"
assert abs(float(r2_model) - _r2(y_syn_test, _pred_test)) < 1e-6, \
    "r2_model should be the R^2 of sess_opt's predictions (y_label) on the test set"
assert abs(float(r2_baseline)) > 1e-6, \
    "r2_baseline is 0: the baseline predicts the training labels' mean, not the test labels' mean"
_train_mean = np.full_like(y_syn_test, y_syn_train.mean())
assert abs(float(r2_baseline) - _r2(y_syn_test, _train_mean)) < 1e-6, \
    "r2_baseline should be the test-set R^2 of always predicting y_syn_train.mean()"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens above the stability limit? (练习 2)
#
# Gradient descent on a quadratic loss is stable only for learning rates below $2/\lambda_{max}$,
# $\lambda_{max}$ the largest eigenvalue of the loss's Hessian.  For the stock model's MSE the Hessian
# is $H = 2A^\top A/n$, with $A$ = `X_train_s` plus a column of ones (for the bias), $n$ its rows.
# - `lam_max`: the largest eigenvalue of $H$ (numpy); `lr_limit = 2 / lam_max`;
# - `lr_above`: a rate between `1.2 * lr_limit` and `1.5 * lr_limit`;
# - `losses_above`: the stock model trained 30 steps at `lr_above` **in a new session** (so that `sess`
#   keeps the trained model), the loss fetched in each step's run, as a list of 30 numbers.
#
# What does the loss do?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Students can reuse `train_at_rate` and `rate` from the learning-rate slide. The check replays the
# 30 steps in numpy from the seeded start, so only a real run passes; it also checks that `sess` was left alone.

# %% nbgrader={"grade": false, "grade_id": "ch06-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
lam_max = None
lr_limit = None
lr_above = None
losses_above = None
### BEGIN SOLUTION
A = np.column_stack([X_train_s, np.ones(len(X_train_s))]).astype(np.float64)
lam_max = np.linalg.eigvalsh(2 * A.T @ A / len(A)).max()
lr_limit = 2 / lam_max
lr_above = 1.3 * lr_limit
losses_above = []
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    for _ in range(30):
        _, loss_value = s.run([train_at_rate, loss], feed_dict={
            data: X_train_s, real_label: y_train, rate: lr_above})
        losses_above.append(loss_value)
print(f"lambda_max {lam_max:.3f}   limit {lr_limit:.4f}   lr {lr_above:.4f}")
print("loss every 5 steps:", np.array(losses_above[::5]))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch06-ex2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
_A = np.column_stack([X_train_s, np.ones(len(X_train_s))]).astype(np.float64)
_lam = np.linalg.eigvalsh(2 * _A.T @ _A / len(_A)).max()
assert lam_max is not None, "set lam_max to the largest eigenvalue of the Hessian 2 A^T A / n"
assert abs(float(lam_max) - _lam / 2) > 1e-3 * _lam, \
    "lam_max is the eigenvalue of A^T A / n; the Hessian of the MSE is twice that, 2 A^T A / n"
assert abs(float(lam_max) - _lam) < 1e-4 * _lam, "lam_max should be the largest eigenvalue of 2 A^T A / n"
assert lr_limit is not None and abs(float(lr_limit) - 2 / _lam) < 1e-4 * (2 / _lam), \
    "lr_limit should be 2 / lam_max"
assert lr_above is not None and 1.2 * 2 / _lam <= float(lr_above) <= 1.5 * 2 / _lam, \
    "lr_above should lie between 1.2 * lr_limit and 1.5 * lr_limit"
assert losses_above is not None and len(losses_above) == 30, "losses_above should hold 30 losses"
with tf.Session() as _s:                    # the seeded start every new session draws
    _s.run(tf.global_variables_initializer())
    _theta = np.append(_s.run(weight), _s.run(bias)).astype(np.float64)[:, None]
_replay = []
for _ in range(31):                         # plain gradient descent on the same MSE, in numpy
    _residual = _A @ _theta - y_train
    _replay.append(float(np.mean(_residual ** 2)))
    _theta -= float(lr_above) * 2 * _A.T @ _residual / len(_A)
_ok = [np.allclose(np.asarray(losses_above, np.float64), _replay[k:k + 30], rtol=1e-3) for k in (0, 1)]
assert any(_ok), "losses_above should be the losses of 30 steps at lr_above from a new session's initial weights"
assert losses_above[-1] > 100 * losses_above[0], "at lr_above the loss should have grown (diverged)"
assert np.array_equal(sess.run(weight), trained_weight), \
    "sess no longer holds the trained stock model: train in a new session"
print(f"Exercise 2 ok: the loss grew {losses_above[-1] / losses_above[0]:.3g}-fold in 30 steps")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · What happens with a bigger batch? (练习 3)
#
# Train the synthetic model again with `train_minibatches(session, train_sgd, batch_size=...)` in a
# new session `sess_big` (initialize it first), for the same 5 epochs but with **the whole training
# set as one batch** (`batch_size=800`).  Store its test-set losses (the returned `"test set"` list,
# one loss per update step) in `test_big`.  Compare `test_big[-1]` with `curves_opt["test set"][-1]`
# (batch 32): same epochs; how many update steps each, and which learned more?

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* An epoch is one pass over the data; with batch 800 it is one step, with batch 32 it is 25. Bigger
# batches give better gradient estimates but fewer steps for the same work; the usual fix is more epochs or a
# larger learning rate (up to the stability limit).

# %% nbgrader={"grade": false, "grade_id": "ch06-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
sess_big = None
test_big = None
### BEGIN SOLUTION
sess_big = tf.Session()
sess_big.run(tf.global_variables_initializer())
test_big = train_minibatches(sess_big, train_sgd, batch_size=800)["test set"]
print(f"test MSE after 5 epochs: batch 800 {test_big[-1]:.3f}"
      f"   batch 32 {curves_opt['test set'][-1]:.3f}")
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch06-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert sess_big is not None and test_big is not None, "set sess_big and test_big"
assert len(test_big) == 5, \
    f"test_big should hold one test loss per step: 5 epochs of one batch are 5, got {len(test_big)}"
_final = sess_big.run(loss, feed_dict={data: X_syn_test, real_label: y_syn_test})
assert np.isclose(test_big[-1], _final, rtol=1e-5), \
    "test_big[-1] should be the test loss of the model in sess_big"
with tf.Session() as _s:                    # 5 full-batch steps of the same update, from the same start
    _s.run(tf.global_variables_initializer())
    for _ in range(5):
        _s.run(train_sgd, feed_dict={data: X_syn_train, real_label: y_syn_train})
    _expected = _s.run(weight)
assert np.allclose(sess_big.run(weight), _expected, atol=1e-4), \
    "sess_big should hold 5 epochs of train_sgd with batch_size=800 from a fresh initialization"
print(f"Exercise 3 ok: 5 steps at batch 800 reach test MSE {test_big[-1]:.2f}; 125 steps at batch 32, "
      f"{curves_opt['test set'][-1]:.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - scikit-learn: a ready-made model, `fit` and `score`.  TensorFlow: you write the graph, a session runs it.
# - The six steps: placeholders → model with variables → loss → optimizer (`train_op`) → initialize →
#   training loop of `sess.run(train_op, feed_dict=...)`.
# - Standardize (标准化) the features; with values in the millions the loss overflows to inf and nan.
# - Judge a model on the test set (测试集) **against a baseline** (基线); $R^2 \approx 0.99$ on a random
#   walk means nothing.  On data with something to learn, training recovers the weights.
# - Minibatches (小批量): shuffle every epoch, slice, feed; by hand with `tf.gradients` + `assign_sub`,
#   or with the optimizer.
# - The learning rate (学习率) trades speed for stability; above $2/\lambda_{max}$ training diverges (发散).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Next chapter: saving and restoring the trained model (the lecture's TensorFlow 模型存储).

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# Not TensorFlow, and not needed for anything above: what minitf's session runs for one `train`
# step.  `sess.explain(train, feed_dict=...)` lists the kernels of the plan it made: the forward pass,
# the backward pass and one `ApplyGradientDescent` per variable; shapes, constants and what only
# depends on them were computed once, when the plan was made.  The full listing is long (print
# `plan` to read it); what it must contain:

# %% slideshow={"slide_type": "skip"}
plan = sess.explain(train, feed_dict={data: X_train_s, real_label: y_train})
kernel_types = [line.split()[1] for line in plan.splitlines()[1:] if line.strip()[:1].isdigit()]
counts = {t: kernel_types.count(t) for t in ["MatMul", "ApplyGradientDescent"]}
print(counts)
assert counts == {"MatMul": 2, "ApplyGradientDescent": 2}

# %% slideshow={"slide_type": "skip"}
for s in (sess, sess_hand, sess_opt, sess_big):
    if s is not None:
        s.close()
