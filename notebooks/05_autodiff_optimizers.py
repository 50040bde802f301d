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
# # 5 · Automatic differentiation and optimizers 优化器
#
# **Goals**
# - write a loss (损失函数) for a tiny model and get its gradients with `tf.gradients`, as new graph nodes;
# - check them against a numerical gradient;
# - take one gradient-descent step by hand, then let `GradientDescentOptimizer.minimize` do it;
# - compare several optimizers on a 2-D loss surface.

# %% slideshow={"slide_type": "skip"}
# NBVAL_IGNORE_OUTPUT
import inspect

import matplotlib.pyplot as plt
import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Optimization in TensorFlow  (TensorFlow 的优化机制)
#
# - **what** is optimized: the parameter variables;
# - **the goal**: make the loss as small as possible;
# - **how**: gradient descent (梯度下降) and its relatives.
#
# TensorFlow computes the gradients for you (自动求导: no derivative formulas to write by hand).
# The pattern (TensorFlow 优化编程模式): 1. define the loss; 2. define an optimizer and the goal,
# `train_op = opt.minimize(loss)`; 3. run `train_op` in a session, feeding the data.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A tiny problem
#
# Twenty points around the line $y = 3x + 2$, a model $\hat y = w x + b$, and the mean squared error.

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
x_data = np.linspace(0, 1, 20).astype(np.float32)
y_data = (3 * x_data + 2 + 0.2 * np.random.randn(20)).astype(np.float32)

# %% slideshow={"slide_type": "-"}
x = tf.placeholder(tf.float32, [None], name="x")
y = tf.placeholder(tf.float32, [None], name="y")
w = tf.Variable(0.0, name="w")
b = tf.Variable(0.0, name="b")
prediction = w * x + b
loss = tf.reduce_mean(tf.square(prediction - y), name="loss")
feed = {x: x_data, y: y_data}

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Gradients are graph nodes
#
# `tf.gradients(loss, [w, b])` adds the backward computation to the graph (under the `gradients/` name
# scope) and returns the tensors $\partial loss / \partial w$ and $\partial loss / \partial b$.
# Nothing is computed yet.

# %% slideshow={"slide_type": "-"}
grad_w, grad_b = tf.gradients(loss, [w, b])
print(grad_w)
print(grad_b)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture of everything the two gradients need.  The backward pass is folded into the one
# `gradients` node; it has many ops:

# %% slideshow={"slide_type": "-"}
viz.draw_graph([grad_w, grad_b])

# %% slideshow={"slide_type": "-"}
backward = [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith("gradients/")]
print(len(backward), "ops in the gradients scope, for example", backward[-3:])

# %% [markdown] slideshow={"slide_type": "fragment"}
# More ops than the picture's count: a gradient function computes the derivatives for *all* inputs of its
# op, so `mul_grad` also builds $\partial L/\partial x$.  Nobody fetches that, so it is never run.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Zoom in on one piece, in a graph of its own: the derivative of $s^2$.  `tf.gradients` starts from
# $\partial L/\partial L = 1$ (`Fill` of ones shaped like the output) and the `Square_grad` box multiplies
# it by $2s$ (the `Const` 2 and two `Mul` ops).

# %% slideshow={"slide_type": "-"}
with tf.Graph().as_default():
    s = tf.placeholder(tf.float32, [], name="s")
    (ds,) = tf.gradients(tf.square(s), [s])
    picture = viz.draw_graph(ds, collapse=())
picture


# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Point at the chain rule: each `*_grad` box consumes the gradient arriving from the op after it and
# multiplies by the local derivative. Every forward op in the big graph has such a box.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Checking against a numerical gradient
#
# A derivative is a slope: $\frac{\partial L}{\partial w} \approx \frac{L(w + h) - L(w - h)}{2h}$.
# The same loss in numpy (float64), at the starting point $w = b = 0$:

# %% slideshow={"slide_type": "-"}
def numpy_loss(w_, b_):
    return np.mean((w_ * x_data.astype(np.float64) + b_ - y_data) ** 2)

h = 1e-4
numeric = [(numpy_loss(h, 0) - numpy_loss(-h, 0)) / (2 * h),
           (numpy_loss(0, h) - numpy_loss(0, -h)) / (2 * h)]
sess = tf.Session()
sess.run(tf.global_variables_initializer())
symbolic = sess.run([grad_w, grad_b], feed_dict=feed)
print("tf.gradients:", np.round(symbolic, 4))
print("numerical:   ", np.round(numeric, 4))

# %% slideshow={"slide_type": "-"}
assert np.allclose(symbolic, numeric, rtol=1e-4)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One step of gradient descent, by hand
#
# $w \leftarrow w - \eta \, \partial L/\partial w$ (and the same for $b$), with learning rate
# $\eta = 0.5$: fetch the gradients, compute the new values, assign them.

# %% slideshow={"slide_type": "-"}
learning_rate = 0.5
gw, gb = sess.run([grad_w, grad_b], feed_dict=feed)
w0, b0 = sess.run([w, b])
sess.run([tf.assign(w, w0 - learning_rate * gw), tf.assign(b, b0 - learning_rate * gb)])
by_hand = sess.run([w, b])
print("after one step by hand:", np.round(by_hand, 4))

# %% [markdown] slideshow={"slide_type": "subslide"}
# `GradientDescentOptimizer(learning_rate).minimize(loss)` builds exactly this: the gradients, and one
# `ApplyGradientDescent` op per trainable variable, grouped into one `train_op`.

# %% slideshow={"slide_type": "-"}
train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
sess.run(tf.global_variables_initializer())        # back to w = b = 0
sess.run(train_op, feed_dict=feed)
by_optimizer = sess.run([w, b])
print("after one optimizer step:", np.round(by_optimizer, 4))

# %% slideshow={"slide_type": "-"}
assert np.allclose(by_hand, by_optimizer)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The training graph, with the backward pass and the updates folded into one node each
# (`gradients_1`: `minimize` built a second backward pass beside the one we made with `tf.gradients`):

# %% slideshow={"slide_type": "-"}
viz.draw_graph(train_op)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Training: repeat the step
#
# Each `sess.run(train_op)` is one step; fetching `loss` in the same run records the curve.

# %% slideshow={"slide_type": "-"}
sess.run(tf.global_variables_initializer())
history = []
for step in range(100):
    _, loss_value = sess.run([train_op, loss], feed_dict=feed)
    history.append(loss_value)
print(f"loss: first {history[0]:.3f}, last {history[-1]:.4f};  w = {sess.run(w):.3f}, b = {sess.run(b):.3f}")

# %% slideshow={"slide_type": "-"}
viz.plot_loss(history, logy=True)
plt.show()

# %% slideshow={"slide_type": "-"}
viz.plot_fit(x_data, y_data, sess.run(prediction, feed_dict=feed), title="y = w x + b after 100 steps")
plt.show()


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Several optimizers on a 2-D loss surface
#
# $L(p, q) = p^2 + 10 q^2$ is a long, narrow valley: steep across ($q$), flat along ($p$).
# Each optimizer starts at $(-1.8, 0.8)$ and takes 40 steps; we record where it goes.

# %% slideshow={"slide_type": "-"}
def surface(p, q):
    return p ** 2 + 10 * q ** 2

optimizers = {
    "GradientDescent(0.09)": lambda: tf.train.GradientDescentOptimizer(0.09),
    "Momentum(0.02, 0.9)": lambda: tf.train.MomentumOptimizer(0.02, momentum=0.9),
    "Adagrad(0.6)": lambda: tf.train.AdagradOptimizer(0.6),
    "RMSProp(0.05)": lambda: tf.train.RMSPropOptimizer(0.05),
    "Adam(0.2)": lambda: tf.train.AdamOptimizer(0.2),
}

# %% slideshow={"slide_type": "-"}
paths = {}
for name, make_optimizer in optimizers.items():
    with tf.Graph().as_default():
        p, q = tf.Variable(-1.8), tf.Variable(0.8)
        step = make_optimizer().minimize(surface(p, q))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            path = [s.run([p, q])]
            for _ in range(40):
                s.run(step)
                path.append(s.run([p, q]))
    paths[name] = np.array(path)
    print(f"{name:22} ends at ({path[-1][0]:+.3f}, {path[-1][1]:+.3f}), loss {surface(*path[-1]):.4f}")

# %% slideshow={"slide_type": "-"}
viz.plot_paths(surface, paths, xlim=(-2, 0.5), ylim=(-1, 1), levels=np.geomspace(0.01, 12, 12),
           xlabel="p", ylabel="q")
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Gradient descent zig-zags across the valley (the steep direction limits its step size); momentum builds
# speed along the valley; Adagrad/RMSProp/Adam scale each coordinate by its gradient history, so they head
# more directly towards the minimum. The best learning rate differs per optimizer: these were picked by hand.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: a gradient is a few ops
#
# Each op type registers a gradient function written with ordinary minitf ops.  For `x * y` the
# derivatives are `g * y` and `x * g` (`g` is the gradient arriving from above); `unbroadcast` sums away
# the dimensions that broadcasting added.  Because they are ops, `tf.gradients` *builds* graph nodes.

# %% slideshow={"slide_type": "-"}
from minitf.ops import math_ops
print(inspect.getsource(math_ops._mul_grad))

# %% [markdown] slideshow={"slide_type": "fragment"}
# And the optimizer is one line of math per variable:

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(tf.train.GradientDescentOptimizer))

# %% slideshow={"slide_type": "-"}
sess.close()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** With a placeholder `u`, compute $\frac{d}{du} u^3$ at $u = 2$ using `tf.gradients`;
# store the value in `slope`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
u = tf.placeholder(tf.float32, [], name="u")
(du,) = tf.gradients(u ** 3, [u])
with tf.Session() as s:
    slope = s.run(du, feed_dict={u: 2.0})

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert abs(slope - 12.0) < 1e-5, slope
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** What does `tf.gradients` return for a variable the loss does not depend on?
# Build `v1`, `v2` and `loss2 = v1 * 3`, and store `tf.gradients(loss2, [v1, v2])` in `grads2`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
v1, v2 = tf.Variable(1.0), tf.Variable(2.0)
loss2 = v1 * 3
grads2 = tf.gradients(loss2, [v1, v2])
print(grads2)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert grads2[0] is not None and grads2[1] is None, "no path from the loss to v2 means None (not 0)"
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Minimize $(v - 3)^2$ from $v = 0$ with `tf.train.MomentumOptimizer(0.1, momentum=0.9)`
# for 100 steps; store the final `v` in `v_final`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
tf.reset_default_graph()
v = tf.Variable(0.0)
train = tf.train.MomentumOptimizer(0.1, momentum=0.9).minimize(tf.square(v - 3))
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    for _ in range(100):
        s.run(train)
    v_final = s.run(v)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert abs(v_final - 3) < 1e-2, v_final
print("exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - `tf.gradients(loss, vars)` adds the backward pass to the graph and returns gradient tensors
#   (`None` where the loss does not depend on a variable).
# - A gradient-descent step is `var -= learning_rate * grad`; `opt.minimize(loss)` builds the gradients
#   and the updates as one `train_op`.
# - Optimizers differ in how they turn gradients into steps: momentum, per-coordinate scaling (Adagrad,
#   RMSProp, Adam).  Each needs its own learning rate.
#
# Next: [06 · linear regression](06_linear_regression.ipynb).
