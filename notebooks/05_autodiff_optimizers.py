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
# - write a loss (损失函数) for a tiny model and get its gradients (梯度) with `tf.gradients`, as new
#   graph nodes; check them against a numerical gradient;
# - take one step of gradient descent (梯度下降) by hand, then let `GradientDescentOptimizer` do it;
# - see what the learning rate (学习率) does, and compare several optimizers (优化器) on a 2-D loss.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Chapters 3 and 4 gave us inputs (placeholders) and parameters (variables). This chapter
# is the part that learns: the lecture's "TensorFlow 的优化机制" and steps 3 & 4 of its programming
# framework (定义损失函数、优化器和优化目标).

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np
import minitf as tf
from minitf import viz

np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Optimization in TensorFlow  (TensorFlow 的优化机制)
#
# - **what** is optimized (对象): the parameter variables;
# - **the goal** (目标): make the loss (损失函数) as small as possible;
# - **how** (方法): gradient descent (梯度下降) and its relatives.
#
# TensorFlow computes the gradients for you (自动求导: no derivative formulas to write by hand).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The model is a graph plus variables (Graph = 计算路径 + 参数变量). Training changes only
# the variables; the graph stays as it was built.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The programming pattern  (TensorFlow 优化编程模式)
#
# 1. define the objective, e.g. the loss: how far the prediction is from the truth;
# 2. define an optimizer and the goal: `train_op = opt.minimize(loss)`;
# 3. run `train_op` in a session, feeding the data: `sess.run([train_op, ...], feed_dict={...})`.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Three lines of code in the lecture. The rest of the chapter opens the box: what
# `minimize` builds (gradients, then an update per variable), and what each `sess.run(train_op)` does.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A tiny problem
#
# Twenty points around the line $y = 3x + 2$ (one feature), the lecture's inputs and parameters.
# The parameters start at zero, so every re-initialization restarts from the same point.

# %% slideshow={"slide_type": "-"}
np.random.seed(0)
x_data = np.linspace(0, 1, 20).astype(np.float32).reshape(-1, 1)
y_data = (3 * x_data + 2 + 0.2 * np.random.randn(20, 1)).astype(np.float32)
data = tf.placeholder(tf.float32, [None, 1], name="data")
real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
weight = tf.Variable(tf.zeros([1, 1]), name="weight")
bias = tf.Variable(tf.zeros([1]), name="bias")
feed = {data: x_data, real_label: y_data}

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Why zeros and not the lecture's `tf.random_normal`: a random initializer draws again
# every time the initializer runs (chapter 2), and below we re-initialize several times and want the
# same start. For one weight and one bias, zero is fine (chapter 4's symmetry problem needs many units).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The lecture's model and loss, as it writes them (3&4 定义损失函数):

# %% slideshow={"slide_type": "-"}
y_label = tf.add(tf.matmul(data, weight), bias)  # 定义回归函数的计算方法
loss = tf.reduce_mean(tf.square(real_label - y_label))  # 定义目标函数loss

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The loss is the mean squared error: the average of (truth − prediction)². It is a
# scalar, and it depends on `weight` and `bias`; training will push it down.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Gradients (梯度) are graph nodes
#
# `tf.gradients(loss, [weight, bias])` adds the backward computation to the graph (under the
# `gradients/` name scope) and returns the tensors $\partial loss / \partial weight$ and
# $\partial loss / \partial bias$.  Nothing is computed yet.

# %% slideshow={"slide_type": "-"}
grad_w, grad_b = tf.gradients(loss, [weight, bias])
print(grad_w)
print(grad_b)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same shapes as the variables: one number per parameter, saying how fast the loss grows
# when that parameter grows. Like every tensor, they get values only in a session.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Everything the two gradients need; the backward pass is folded into the one `gradients` node:

# %% slideshow={"slide_type": "-"}
viz.draw_graph([grad_w, grad_b], show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The backward pass reads the forward values (the arrows from `data`, `weight` and the
# forward ops into `gradients`): the chain rule needs them.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The folded node holds 33 ops, but the `gradients/` scope has more:

# %% slideshow={"slide_type": "-"}
graph = tf.get_default_graph()
backward = [op for op in graph.get_operations()
            if op.name.startswith("gradients/")]
print(len(backward), "ops in the gradients scope")

# %% [markdown] slideshow={"slide_type": "fragment"}
# A variable the loss does not use has no path to it: its gradient is `None`, not 0.

# %% slideshow={"slide_type": "-"}
with tf.Graph().as_default():
    v1, v2 = tf.Variable(1.0, name="v1"), tf.Variable(2.0, name="v2")
    print(tf.gradients(v1 * 3, [v1, v2]))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The scope has 36 ops, the picture's node 33: the other 3 compute the derivatives for
# `real_label` and `data`, which nobody fetches, so no run ever computes them (chapter 3's pruning). A variable the loss does not use gets `None`, not 0.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Zoom in on one piece, in a graph of its own: the derivative of $s^2$.  `tf.gradients` starts from
# $\partial L/\partial L = 1$ (`Fill`) and the `Square_grad` box multiplies it by $2s$.

# %% slideshow={"slide_type": "-"}
with tf.Graph().as_default():
    s = tf.placeholder(tf.float32, [], name="s")
    (ds,) = tf.gradients(tf.square(s), [s])
    picture = viz.draw_graph(ds, collapse=(), show_shapes=False, rankdir="LR")
picture

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Point at the chain rule: each `*_grad` box consumes the gradient arriving from the op
# after it and multiplies by the local derivative. Every forward op in the big graph has such a box.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Checking against a numerical gradient
#
# A derivative is a slope: $\frac{\partial L}{\partial w} \approx \frac{L(w + h) - L(w - h)}{2h}$.
# The same loss in numpy (float64), at the start $weight = bias = 0$:

# %% slideshow={"slide_type": "-"}
def numpy_loss(w_, b_):
    return np.mean((y_data.astype(np.float64) - (w_ * x_data + b_)) ** 2)

h = 1e-4
numeric = [(numpy_loss(h, 0) - numpy_loss(-h, 0)) / (2 * h),
           (numpy_loss(0, h) - numpy_loss(0, -h)) / (2 * h)]
sess = tf.Session()
sess.run(tf.global_variables_initializer())
symbolic = [g.item() for g in sess.run([grad_w, grad_b], feed_dict=feed)]
print("tf.gradients:", np.round(symbolic, 4))
print("numerical:   ", np.round(numeric, 4))

# %% slideshow={"slide_type": "-"}
assert np.allclose(symbolic, numeric, rtol=1e-4)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Both negative: increasing `weight` or `bias` from zero lowers the loss (the line is
# below the points). This check is how every gradient in minitf is tested.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One step of gradient descent (梯度下降), by hand
#
# $w \leftarrow w - \eta \, \partial L/\partial w$ (the same for $b$), with the lecture's learning rate
# (学习率) $\eta = 0.2$: fetch the gradients, compute the new values, assign them.

# %% slideshow={"slide_type": "-"}
learning_rate = 0.2
gw, gb = sess.run([grad_w, grad_b], feed_dict=feed)
w0, b0 = sess.run([weight, bias])
sess.run([tf.assign(weight, w0 - learning_rate * gw),
          tf.assign(bias, b0 - learning_rate * gb)])
by_hand = [v.item() for v in sess.run([weight, bias])]
print("after one step by hand:", np.round(by_hand, 4))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Minus the gradient: downhill. The learning rate is how far we walk; too small and
# training crawls, too large and it overshoots (exercise 2 measures what "too large" does).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The lecture's optimizer line builds exactly this: the gradients, and one `ApplyGradientDescent` op per
# trainable variable, grouped into one op `train`:

# %% slideshow={"slide_type": "-"}
train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)  # 其中0.2为学习率
sess.run(tf.global_variables_initializer())        # back to weight = bias = 0
sess.run(train, feed_dict=feed)
by_optimizer = [v.item() for v in sess.run([weight, bias])]
print("after one optimizer step:", np.round(by_optimizer, 4))

# %% slideshow={"slide_type": "-"}
assert np.allclose(by_hand, by_optimizer)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Same numbers as by hand. `minimize` = `compute_gradients` (our `tf.gradients`) +
# `apply_gradients` (our assigns). Those two halves are public too, for when you want to change the
# gradients in between (clipping, for example).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The training graph, with the backward pass and the updates folded into one node each:

# %% slideshow={"slide_type": "-"}
viz.draw_graph(train, show_shapes=False, rankdir="LR")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `gradients_1`: `minimize` built a second backward pass beside the one we made with
# `tf.gradients`. The `GradientDescent` node holds the two update ops; they write into `weight` and `bias`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Training: repeat the step
#
# Each `sess.run(train)` is one step; fetching `loss` in the same run records the curve.

# %% slideshow={"slide_type": "-"}
sess.run(tf.global_variables_initializer())
history = []
for step in range(200):
    _, loss_value = sess.run([train, loss], feed_dict=feed)
    history.append(loss_value)
w_fit, b_fit = (v.item() for v in sess.run([weight, bias]))
print(f"loss: first {history[0]:.3f}, last {history[-1]:.4f}")
print(f"weight {w_fit:.3f}, bias {b_fit:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The data were made with weight 3 and bias 2 plus noise; 20 noisy points do not pin
# them down exactly. Is 0.024 good? The next slide compares it with what is possible.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two references: predicting the mean of the labels (no learning at all) and the best line there is
# (least squares, solved directly with numpy):

# %% slideshow={"slide_type": "-"}
baseline = np.mean((y_data - y_data.mean()) ** 2)
A = np.hstack([x_data, np.ones_like(x_data)]).astype(np.float64)
best = np.linalg.lstsq(A, y_data.astype(np.float64), rcond=None)[0].ravel()
best_loss = np.mean((A @ best - y_data.ravel()) ** 2)
print(f"predict the mean: loss {baseline:.4f}")
print(f"least squares:    loss {best_loss:.4f}, "
      f"weight {best[0]:.3f}, bias {best[1]:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* After 200 steps, gradient descent has found the least-squares line (same loss to 4
# digits, weight and bias within 0.005), far below the no-learning baseline.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The training loss (损失函数) at each step, on a log scale:

# %% slideshow={"slide_type": "-"}
viz.plot_loss(history, logy=True)
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The curve falls fast, then slowly: the slow part is the direction in which the loss
# surface is flat (the next slides show such a surface).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Several optimizers (优化器) on a 2-D loss surface
#
# $L(p, q) = p^2 + 10 q^2$ is a long, narrow valley: steep across ($q$), flat along ($p$); the minimum is
# at $(0, 0)$.  Each optimizer starts at $(-1.8, 0.8)$ and takes 40 steps; we record where it goes.

# %% slideshow={"slide_type": "-"}
def surface(p, q):
    return p ** 2 + 10 * q ** 2

optimizers = {
    "GradientDescent(0.09)": lambda: tf.train.GradientDescentOptimizer(0.09),
    "Momentum(0.02, 0.9)": lambda: tf.train.MomentumOptimizer(0.02, 0.9),
    "Adagrad(0.6)": lambda: tf.train.AdagradOptimizer(0.6),
    "RMSProp(0.05)": lambda: tf.train.RMSPropOptimizer(0.05),
    "Adam(0.2)": lambda: tf.train.AdamOptimizer(0.2),
}

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Momentum (动量) keeps a running sum of past gradients; Adagrad, RMSProp and Adam divide
# each coordinate's step by the size of its recent gradients. The learning rates were picked by hand, one
# per optimizer: they are not comparable numbers.

# %% slideshow={"slide_type": "subslide"}
paths = {}
for name, make_optimizer in optimizers.items():
    with tf.Graph().as_default(), tf.Session() as s:
        p, q = tf.Variable(-1.8), tf.Variable(0.8)
        step = make_optimizer().minimize(surface(p, q))
        s.run(tf.global_variables_initializer())
        path = [s.run([p, q])]
        for _ in range(40):
            s.run(step)
            path.append(s.run([p, q]))
    paths[name] = np.array(path)
    print(f"{name:22} ends {np.hypot(*path[-1]):.3f} from the minimum")


# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read the distances before the picture: after 40 steps gradient descent and Adagrad are
# at the minimum, Momentum is close, RMSProp and Adam are the farthest away.

# %% slideshow={"slide_type": "skip"}
def plot_paths(surface, paths, start, minimum=(0.0, 0.0)):
    """Contour plot with every path in view, the minimum marked, the legend below the axes."""
    points = np.vstack(list(paths.values()) + [np.array([start, minimum])])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    mx, my = 0.1 * (x1 - x0), 0.1 * (y1 - y0)
    gx, gy = np.meshgrid(np.linspace(x0 - mx, x1 + mx, 200), np.linspace(y0 - my, y1 + my, 200))
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    ax.contour(gx, gy, surface(gx, gy), levels=np.geomspace(0.01, 20, 12), colors="0.75", linewidths=0.6)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker="o", ms=2.5, lw=1.2, label=name)
    ax.plot(*start, "ks", ms=7, label="start")
    ax.plot(*minimum, "r*", ms=16, label="minimum")
    ax.set(xlabel="p", ylabel="q", title="40 steps of each optimizer on $p^2 + 10q^2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


# %% slideshow={"slide_type": "subslide"}
plot_paths(surface, paths, start=(-1.8, 0.8))
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* What the picture shows. Gradient descent zig-zags across the valley: the steep $q$
# direction limits its learning rate, yet 0.09 reaches the minimum in 40 steps here. Momentum (动量)
# overshoots and swings back (the running sum carries it on). RMSProp and Adam divide each coordinate's
# step by the gradient's recent size, so each coordinate moves by about the learning rate whatever the
# gradient's scale: RMSProp (0.05) walks straight along the valley floor at about 0.05 per step and has
# not arrived after 40 steps; Adam (0.2, with a momentum-like average too) overshoots and circles around
# the minimum. Both end farthest away. Adagrad divides by the sum of *all* past squared gradients, so its
# steps shrink over time and it settles. Lesson: no optimizer is best everywhere, and each needs its own
# learning rate (学习率); adaptive ones often need a smaller one or a decaying schedule to settle.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises; minitf only.*  Each op type registers a gradient function written with
# ordinary ops.  For `x * y` the derivatives are `g * y` and `x * g` (`g` is the gradient arriving from
# above); `unbroadcast` sums away the dimensions that broadcasting added.  Because they are ops,
# `tf.gradients` *builds* graph nodes.  The optimizer is one line of math per variable.

# %% slideshow={"slide_type": "skip"}
import inspect
from minitf.ops import math_ops
print(inspect.getsource(math_ops._mul_grad))
print(inspect.getsource(tf.train.GradientDescentOptimizer))

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 1 · Slopes from `tf.gradients` (练习 1)
#
# With a placeholder `u` (float32, shape `[None]`), build `cube = u ** 3` and its derivative `du`
# **with `tf.gradients`**.  Fetch `du` for the values `u_values` (below) in one run; store the result in
# `slopes`.  (Do not write the derivative yourself: the point is that TensorFlow builds it.)

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
u_values = np.random.RandomState(51).uniform(-2, 2, size=6).astype(np.float32)

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* `tf.gradients` returns a list, one gradient per variable you ask for. The check looks
# at where `du` came from (the `gradients` scope) and feeds other values to it.

# %% nbgrader={"grade": false, "grade_id": "ch05-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
u = cube = du = slopes = None
### BEGIN SOLUTION
u = tf.placeholder(tf.float32, [None], name="u")
cube = u ** 3
(du,) = tf.gradients(cube, [u])
with tf.Session() as s:
    slopes = s.run(du, feed_dict={u: u_values})
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch05-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(u, tf.Tensor) and u.op.type == "Placeholder", f"u should be a tf.placeholder, got {u!r}"
assert isinstance(du, tf.Tensor) and du.op.name.startswith("gradients"), \
    f"du should be the tensor tf.gradients(cube, [u]) returned (in the gradients/ scope), got {du!r}"
needed = set()
todo = [du.op]
while todo:
    op = todo.pop()
    needed.add(op.name)
    todo.extend(t.op for t in op.inputs)
assert u.op.name in needed, "du should be computed from the placeholder u"
probe = np.array([-1.5, 0.5, 3.0], dtype=np.float32)
with tf.Session() as check_sess:
    probe_slopes = check_sess.run(du, feed_dict={u: probe})
assert np.allclose(probe_slopes, 3 * probe ** 2, rtol=1e-5), "du should be the derivative of u ** 3 (3 u²)"
assert slopes is not None and np.shape(slopes) == u_values.shape, \
    f"slopes should hold one slope per value in u_values, got shape {np.shape(slopes)}"
assert np.allclose(slopes, 3 * u_values ** 2, rtol=1e-5), "slopes should be du fetched for u_values"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2 · What happens if the learning rate is too large? (练习 2)
#
# For this chapter's loss, gradient descent is stable only for learning rates below `limit` (below).  Pick
# `lr_big` above it, build `train_big = tf.train.GradientDescentOptimizer(lr_big).minimize(loss)`, start
# again from zero in a session and run 20 steps, fetching `loss` with each step (the loss before the step)
# into the list `losses_big`.  Set `diverged` to whether the last loss is larger than the first.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()
data = tf.placeholder(tf.float32, [None, 1], name="data")
real_label = tf.placeholder(tf.float32, [None, 1], name="real_label")
weight = tf.Variable(tf.zeros([1, 1]), name="weight")
bias = tf.Variable(tf.zeros([1]), name="bias")
y_label = tf.add(tf.matmul(data, weight), bias)
loss = tf.reduce_mean(tf.square(real_label - y_label))
x64 = x_data.ravel().astype(np.float64)
hessian = 2 * np.array([[np.mean(x64 * x64), np.mean(x64)],
                        [np.mean(x64), 1.0]])
limit = 2 / np.linalg.eigvalsh(hessian).max()
print(f"stability limit: learning rate < {limit:.3f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Where the limit comes from: along the steepest direction the loss curves with
# λ_max (the Hessian's largest eigenvalue); a step of η multiplies the error there by (1 − η λ_max), which
# grows in size once η > 2/λ_max. Let them try 0.8 (just above), 1.0 and 5: what happens to the loss? When
# it grows without bound the training diverges (发散); with big rates it overflows float32 to `inf`.

# %% nbgrader={"grade": false, "grade_id": "ch05-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
lr_big = train_big = losses_big = diverged = None
### BEGIN SOLUTION
lr_big = 1.0
train_big = tf.train.GradientDescentOptimizer(lr_big).minimize(loss)
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    losses_big = []
    for _ in range(20):
        _, loss_value = s.run([train_big, loss], feed_dict={data: x_data, real_label: y_data})
        losses_big.append(loss_value)
diverged = losses_big[-1] > losses_big[0]
print(np.array(losses_big))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch05-ex2-check", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert lr_big is not None and lr_big > limit, f"lr_big should be above the stability limit {limit:.3f}"
deps, todo = {}, [getattr(train_big, "op", train_big)]
while todo:
    op = todo.pop()
    if hasattr(op, "type") and op.name not in deps:
        deps[op.name] = op
        todo.extend([t.op for t in op.inputs] + list(op.control_inputs))
updates = [op for op in deps.values() if op.type == "ApplyGradientDescent"]
assert len(updates) == 2, "train_big should be GradientDescentOptimizer(lr_big).minimize(loss) (updating weight and bias)"
with tf.Session() as check_sess:
    used_lr = check_sess.run(updates[0].inputs[1])
assert np.isclose(used_lr, lr_big), f"train_big should use the learning rate lr_big, it uses {used_lr}"
w_, b_, expected = 0.0, 0.0, []                     # the same 20 steps in numpy (float64)
with np.errstate(over="ignore", invalid="ignore"):
    for _ in range(20):
        err = y_data.ravel() - (w_ * x_data.ravel() + b_)
        expected.append(np.mean(err ** 2))
        w_, b_ = w_ + lr_big * 2 * np.mean(err * x_data.ravel()), b_ + lr_big * 2 * np.mean(err)
got, expected = np.asarray(losses_big, dtype=np.float64).ravel(), np.array(expected)
assert got.shape == (20,), f"losses_big should hold 20 losses, one per step, got {got.shape}"
finite = np.isfinite(got)
assert np.allclose(got[finite], expected[finite], rtol=1e-2) and np.all(expected[~finite] > 1e36), \
    "losses_big should be the loss fetched at each of 20 steps of train_big, starting from zero"
assert diverged == bool(got[-1] > got[0]) or (not finite[-1] and diverged), \
    "diverged should say whether the last loss in losses_big is larger than the first (look at them)"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 3 · Momentum (动量) (练习 3)
#
# Minimize $(v - 3)^2$ from $v = 0$ with `tf.train.MomentumOptimizer(0.1, momentum=0.9)`: build the op
# `train_m`, run it 50 times and record `v` before the first step and after each step in the list `v_path`
# (51 values).  Does `v` go past 3?  Store the largest value of `v_path` in `v_max`.

# %% slideshow={"slide_type": "-"}
tf.reset_default_graph()

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Plain gradient descent with 0.1 would approach 3 from below and never pass it. Momentum
# keeps a velocity (a decaying sum of past gradients) and overshoots, like a ball rolling into a valley.

# %% nbgrader={"grade": false, "grade_id": "ch05-ex3-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
v = train_m = v_path = v_max = None
### BEGIN SOLUTION
v = tf.Variable(0.0, name="v")
train_m = tf.train.MomentumOptimizer(0.1, momentum=0.9).minimize(tf.square(v - 3))
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    v_path = [s.run(v)]
    for _ in range(50):
        s.run(train_m)
        v_path.append(s.run(v))
v_max = max(v_path)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch05-ex3-check", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
deps, todo = set(), [getattr(train_m, "op", train_m)]
while todo:
    op = todo.pop()
    if hasattr(op, "type") and op not in deps:
        deps.add(op)
        todo.extend([t.op for t in op.inputs] + list(op.control_inputs))
assert "ApplyMomentum" in {op.type for op in deps}, \
    "train_m should be built by tf.train.MomentumOptimizer(...).minimize (its update op is ApplyMomentum)"
value, velocity, expected = 0.0, 0.0, [0.0]         # TF's momentum rule in numpy
for _ in range(50):
    velocity = 0.9 * velocity + 2 * (value - 3)
    value -= 0.1 * velocity
    expected.append(value)
assert v_path is not None and len(v_path) == 51, "v_path should hold 51 values: the start and v after each step"
assert np.allclose(np.ravel(v_path), expected, atol=1e-4), \
    "v_path should be v fetched after each step of MomentumOptimizer(0.1, momentum=0.9), starting from 0"
assert v_max is not None and np.isclose(v_max, np.max(v_path)), "v_max should be the largest value in v_path"
print("Exercise 3 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - `tf.gradients(loss, vars)` adds the backward pass to the graph and returns gradient (梯度) tensors
#   (`None` where the loss does not depend on a variable).
# - A gradient-descent (梯度下降) step is `var -= learning_rate * grad`; `opt.minimize(loss)` builds the
#   gradients and the updates as one op.
# - Above a stability limit the learning rate (学习率) makes training diverge (发散).
# - Optimizers (优化器) differ in how they turn gradients into steps: momentum (动量), per-coordinate
#   scaling (Adagrad, RMSProp, Adam).  Each needs its own learning rate.
#
# Next: [06 · linear regression](06_linear_regression.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The `None` case: ask for the gradient of a loss with respect to a variable it does not
# use, and `tf.gradients` returns `None`, not 0 (no path in the graph). Next chapter puts all six steps of
# the lecture's framework together on real data.
