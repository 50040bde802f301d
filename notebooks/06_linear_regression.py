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
# - predict tomorrow's closing price of a stock from today's open, high, low and volume;
# - do it first with scikit-learn, then with the lecture's six-step TensorFlow framework;
# - test the model, plot its loss curve and predictions, compare its weights with the exact solution;
# - forecast days the model never saw, and see what the learning rate does.

# %% slideshow={"slide_type": "skip"}
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np
import sklearn.linear_model
import sklearn.model_selection
import minitf as tf
from minitf import datasets, viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data
#
# `minitf.datasets.load_stocks()` returns 1000 trading days of one (synthetic) stock: the features
# open, high, low, volume of a day, and the target: the **next day's** closing price.

# %% slideshow={"slide_type": "-"}
X, y, names = datasets.load_stocks()
print(X.shape, y.shape, names)

# %% slideshow={"slide_type": "-"}
print("   open    high     low      volume  -> next close")
for row, target in zip(X[:3], y[:3]):
    print(f"{row[0]:7.2f} {row[1]:7.2f} {row[2]:7.2f} {row[3]:11.0f}  -> {target[0]:.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The last 10 days play the lecture's `X_lately`: days we want a forecast for, used neither for training
# nor for testing.  The rest is split at random: 20% for testing (the lecture's call; `random_state`
# makes the split repeatable).

# %% slideshow={"slide_type": "-"}
X_lately, y_lately = X[-10:], y[-10:]
X, y = X[:-10], y[:-10]
X_train, X_test, y_train, y_test = sklearn.model_selection.train_test_split(
    X, y, test_size=0.2, random_state=0)
print(X_train.shape, X_test.shape)

# %% [markdown] slideshow={"slide_type": "fragment"}
# `minitf.datasets.train_test_split(X, y, test_size=0.2, seed=0)` does the same without scikit-learn.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Linear regression with scikit-learn  (使用 Scikit-learn 进行线性回归)
#
# scikit-learn has the model ready-made: make it, `fit` it, `score` it (R², 1.0 is perfect).

# %% slideshow={"slide_type": "-"}
clf = sklearn.linear_model.LinearRegression()
clf.fit(X_train, y_train)
accuracy = clf.score(X_test, y_test)
print(f"R^2 on the test set: {accuracy:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## TensorFlow vs scikit-learn  (tensorflow 和 scikit-learn 的区别)
#
# - TensorFlow has no ready-made models (regression, neural networks ...);
# - you cannot just pass the data as arguments;
# - you must write the computation graph by hand;
# - the graph itself computes nothing: a session executes it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The six-step framework  (TensorFlow 机器学习基本编程框架)
#
# **Build the graph** (Graph 建图)
# 1. create the data, define the input nodes (placeholders);
# 2. define the model's graph (variables and ops);
# 3. define the loss;
# 4. define the optimizer and its goal (`train_op`).
#
# **Run it** (Session 执行)
#
# 5. initialize the parameters;
# 6. write the (iterative) training script and run it: fetch `train_op`, feed the data and labels.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Map each step to one of the earlier chapters: 1 = chapter 3 (placeholders), 2 = chapter 4 (variables),
# 3-4 = chapter 5 (loss, optimizer), 5 = chapter 4 (initialization), 6 = chapters 2-3 (session, feed/fetch).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Step 1.** Inputs: 4 features per row, 1 label per row, any number of rows.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
tf.set_random_seed(0)
data = tf.placeholder(tf.float32, [None, 4])
real_label = tf.placeholder(tf.float32, [None, 1])

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Step 2.** The model $XW + b$, with parameters as variables:

# %% slideshow={"slide_type": "-"}
weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
y_label = tf.add(tf.matmul(data, weight), bias)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Step 3.** The loss: mean squared error.

# %% slideshow={"slide_type": "-"}
loss = tf.reduce_mean(tf.square(real_label - y_label))

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Step 4.** The optimizer and its goal; 0.2 is the learning rate.

# %% slideshow={"slide_type": "-"}
train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)

# %% slideshow={"slide_type": "-"}
viz.draw_graph(train)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps 5–6 on the raw numbers
#
# The lecture's script on the data as it is.  One training step:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {data: X_train, real_label: y_train}
    print(f"loss before: {sess.run(loss, feed_dict=feed):.3g}")
    sess.run(train, feed_dict=feed)
    w_after, b_after = sess.run([weight, bias])
print("weights after one step:", w_after.ravel())

# %% [markdown] slideshow={"slide_type": "fragment"}
# The volume's weight jumped to about $10^{12}$, the price weights to about $10^{7}$.  The loss they give (computed in float64, since it no longer fits
# in float32, whose largest number is about $3.4 \times 10^{38}$):

# %% slideshow={"slide_type": "-"}
print(f"loss after one step: {np.mean((X_train.astype(np.float64) @ w_after + b_after - y_train) ** 2):.3g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The loss **explodes**.  The features have very different scales: prices are about 50, the volume about
# a million.  The gradient for the volume's weight is millions of times larger than the others, and a
# learning rate of 0.2 overshoots wildly.

# %% slideshow={"slide_type": "-"}
for name, column in zip(names, X_train.T):
    print(f"{name:7} mean {column.mean():12.2f}   std {column.std():10.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The usual fix: **standardize** each feature with the training set's mean and standard deviation
# (scikit-learn's `StandardScaler` does the same).  The test and forecast rows use the *training* statistics.

# %% slideshow={"slide_type": "-"}
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
def scale(features):
    return (features - mean) / std

X_train_s, X_test_s, X_lately_s = scale(X_train), scale(X_test), scale(X_lately)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps 5–6: initialize and train
#
# 1000 steps of gradient descent on the whole training set, recording the loss.  The session stays open
# for the next sections.

# %% slideshow={"slide_type": "-"}
sess = tf.Session()
sess.run(tf.global_variables_initializer())                      # step 5
history = []
for i in range(1000):                                            # step 6
    _, loss_value = sess.run([train, loss], feed_dict={data: X_train_s, real_label: y_train})
    history.append(loss_value)
print(f"training loss: first {history[0]:.1f}, after 1000 steps {history[-1]:.4f}")

# %% slideshow={"slide_type": "-"}
viz.plot_loss(history, logy=True, title="Training loss (MSE)")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Testing  (执行测试)
#
# Fetch `y_label` for the test rows.  The lecture ends with `accuracy = tf.reduce_mean(...)`: that builds
# one more op, which needs a run to give a number.

# %% slideshow={"slide_type": "-"}
forecast_set = sess.run(y_label, feed_dict={data: X_test_s})
accuracy = tf.reduce_mean(tf.square(forecast_set - y_test))
test_mse = sess.run(accuracy)
sklearn_mse = np.mean((clf.predict(X_test) - y_test) ** 2)
print(f"test MSE  minitf: {test_mse:.4f}   scikit-learn: {sklearn_mse:.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Gradient descent lands close to scikit-learn's exact least-squares fit (and, stopped after 1000 steps,
# even a little better on this test set; on the training set the exact fit wins, see below).

# %% slideshow={"slide_type": "-"}
viz.plot_predictions(y_test, forecast_set, title="Next-day close: predicted vs true (test set)")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Learned weights vs the exact solution
#
# Least squares has a closed-form solution (the normal equations, solved here with `np.linalg.lstsq`).
# On the standardized features:

# %% slideshow={"slide_type": "-"}
A = np.column_stack([X_train_s, np.ones(len(X_train_s))]).astype(np.float64)
exact, *_ = np.linalg.lstsq(A, y_train.astype(np.float64), rcond=None)
learned = np.append(sess.run(weight), sess.run(bias))
print("           " + "".join(f"{n:>9}" for n in names + ["bias"]))
print("learned    " + "".join(f"{v:9.3f}" for v in learned))
print("exact      " + "".join(f"{v:9.3f}" for v in exact.ravel()))
exact_mse = np.mean((A @ exact - y_train) ** 2)
print(f"training MSE  learned {history[-1]:.4f}   exact {exact_mse:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The bias and the *sum* of the three price weights agree, but the individual price weights do not,
# while the losses are almost equal.  Open, high and low are nearly the same number every day, so many
# weight combinations predict almost equally well; along those directions the loss is nearly flat, and
# gradient descent moves very slowly.  Predictions are trustworthy here; individual weights are not.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* This is collinearity. The Hessian of the loss has eigenvalues about 3, 1, 0.0016 and 0.0013: the small
# ones need thousands of steps at this learning rate. Ask the students what 10000 steps would do.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Forecasting unseen days
#
# `X_lately`: the 10 most recent days, never used for training or testing.

# %% slideshow={"slide_type": "-"}
forecast = sess.run(y_label, feed_dict={data: X_lately_s})
print("day  forecast  actual")
for day, (f, actual) in enumerate(zip(forecast[:, 0], y_lately[:, 0])):
    print(f"{day:3d}  {f:8.2f}  {actual:6.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What the learning rate does
#
# To compare learning rates without building a new graph each time, make the rate a placeholder and
# feed it.  100 steps from the same start for each rate:

# %% slideshow={"slide_type": "-"}
rate = tf.placeholder(tf.float32, [], name="learning_rate")
train_at_rate = tf.train.GradientDescentOptimizer(rate).minimize(loss)
init = tf.global_variables_initializer()
curves = {}
for lr in [0.01, 0.05, 0.2, 0.35]:
    sess.run(init)
    curves[f"lr={lr}"] = [sess.run([train_at_rate, loss], feed_dict={
        data: X_train_s, real_label: y_train, rate: lr})[1] for _ in range(100)]
    print(f"lr={lr:<5} loss after 100 steps: {curves[f'lr={lr}'][-1]:.4g}")

# %% slideshow={"slide_type": "-"}
viz.plot_loss(curves, logy=True, title="Loss for four learning rates")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Too small: slow.  Larger: faster, up to a limit.  Past it (here about 0.33, set by the largest curvature
# of the loss) every step overshoots more than the last and the loss grows without bound.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Feeding the learning rate is a small trick worth showing: any tensor, even a hyper-parameter, can be a
# placeholder. The limit 0.33 is 1 / (largest eigenvalue of X^T X / n), about 1/3 here.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: one training step
#
# What the session runs for one `train` step: the forward pass, the backward pass and two
# `ApplyGradientDescent` updates.  Shapes, constants and the parts that only depend on them were
# computed once, when the plan was made.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
plan = sess.explain(train, feed_dict={data: X_train_s, real_label: y_train})
print(plan)

# %% [markdown] slideshow={"slide_type": "skip"}
# The listing depends on the machine (with a GPU it adds copies); what it must contain:

# %% slideshow={"slide_type": "-"}
kernel_types = [line.split()[1] for line in plan.splitlines()[1:] if line.strip()[:1].isdigit()]
assert kernel_types.count("ApplyGradientDescent") == 2 and kernel_types.count("MatMul") == 2

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Train the same model with `tf.train.AdamOptimizer(0.5)` for 500 steps (in a new session
# `sess_adam`, after initializing all variables) and store its test-set MSE in `adam_mse`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
train_adam = tf.train.AdamOptimizer(0.5).minimize(loss)
sess_adam = tf.Session()
sess_adam.run(tf.global_variables_initializer())
for _ in range(500):
    sess_adam.run(train_adam, feed_dict={data: X_train_s, real_label: y_train})
adam_mse = sess_adam.run(loss, feed_dict={data: X_test_s, real_label: y_test})
print(f"Adam test MSE: {adam_mse:.4f}")

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert adam_mse < 1.5 * sklearn_mse, (adam_mse, sklearn_mse)
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Compute the coefficient of determination $R^2 = 1 - \frac{\sum (y - \hat y)^2}
# {\sum (y - \bar y)^2}$ of the gradient-descent model (`sess`, `forecast_set`) on the test set and store
# it in `r2`.  It should be close to scikit-learn's score.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
r2 = 1 - np.sum((y_test - forecast_set) ** 2) / np.sum((y_test - y_test.mean()) ** 2)
print(f"R^2  minitf {r2:.4f}   scikit-learn {clf.score(X_test, y_test):.4f}")

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert abs(r2 - clf.score(X_test, y_test)) < 0.01, r2
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Forecast the next close for a new day: open 50.0, high 51.0, low 49.5, volume 900000.
# Remember to scale the row first.  Store the predicted price (a float) in `price`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
sess.run(tf.global_variables_initializer())
for _ in range(1000):
    sess.run(train, feed_dict={data: X_train_s, real_label: y_train})
new_day = np.array([[50.0, 51.0, 49.5, 900000.0]], dtype=np.float32)
price = float(sess.run(y_label, feed_dict={data: scale(new_day)})[0, 0])
print(f"forecast: {price:.2f}")

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert abs(price - float(clf.predict(np.array([[50.0, 51.0, 49.5, 900000.0]]))[0, 0])) < 0.5, price
print("exercise 3 ok")

# %% slideshow={"slide_type": "-"}
sess.close()
sess_adam.close()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - scikit-learn: a ready-made model, `fit` and `score`.  TensorFlow: you write the graph.
# - The six steps: placeholders → model with variables → loss → optimizer (`train_op`) → initialize →
#   training loop of `sess.run(train_op, feed_dict=...)`.
# - Scale the features: with values in the millions, gradient descent explodes.
# - Check the model on data it has not seen (test set, forecasts); compare with a known solution.
# - The learning rate trades speed for stability; past a limit, training diverges.
