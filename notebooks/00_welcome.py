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
# # 0 · Welcome 欢迎
#
# This course follows the lecture *深度学习 | 工具及实践（TensorFlow）*: TensorFlow 1.x from the
# computation graph (计算图) to a trained linear regression.  The code runs on **minitf**, a small
# engine you can read, written so that TensorFlow 1.x code runs unchanged with `import minitf as tf`.
#
# **Goals of this chapter**
# - know why we use a deep learning toolkit (深度学习工具包) and what TensorFlow offers;
# - know how the chapters, the exercises and the [glossary 术语表](glossary.md) work;
# - check your machine, then build and run a first graph (图) in a session (会话).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Welcome everyone. The promise of the course: every code block of the lecture runs here
# as it is, only the import line changes. Point to the glossary: every Chinese term of the lecture has its
# English name there, linked to the chapter that introduces it.

# %% slideshow={"slide_type": "skip"}
import importlib.metadata
import platform
import shutil

import numpy as np
import minitf as tf

np.set_printoptions(legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Deep learning toolkits  (深度学习工具包)
#
# Writing deep learning by hand (手写深度学习) is hard to program (编程难度大), unfriendly to people
# who are not researchers (对非科研人员不友好) and every lab does it differently (无法统一).
# A toolkit gives the pieces once, tested, for everyone.
#
# | toolkit | made by | graph style | you write |
# |---|---|---|---|
# | **TensorFlow** | Google Brain | static graph 静态图 (1.x) | Python (also C++, Java) |
# | **Caffe** | Berkeley (BVLC) | static graph 静态图 | network files + C++/Python |
# | **PyTorch** | Facebook | dynamic graph 动态图 | Python |
# | **MatConvNet** | Oxford (VGG) | a chain or a DAG of layers | MATLAB (小众, a niche) |

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* These are the toolkits the lecture names as the mainstream (目前的主流). Static versus
# dynamic graphs is the one difference that matters for this course; chapter 01 shows both side by side.
# Nobody needs to know MatConvNet: it is there because the lecture lists it as a niche tool.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## TensorFlow in brief  (TensorFlow 简介)
#
# - an open-source maths library built on **dataflow graphs** (数据流图), from Google Brain;
# - **many platforms** 多平台: CPU and GPU, servers, PCs, phones;
# - **parallel and distributed** 分布并行: several GPUs, distributed training; new ops and kernels can be added;
# - **many interfaces** 接口丰富: Python, Java, C++;
# - **visualization** 可视化: **TensorBoard** draws the computation graph and training curves;
# - **easy to use** 易用性: easier to learn than Caffe, lots of documentation, a large community 社区支持.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* minitf has no TensorBoard. The course draws its graph pictures with
# `minitf.viz.draw_graph`, which plays the role of TensorBoard's graph tab: nodes are operations, edges are
# tensors, name scopes are boxes. Say so before someone searches for `tf.summary`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Easy to learn  (TensorFlow 易于学习)
#
# - a **Python** interface, fit for students who are not computer scientists;
# - easy to install (`conda` or `pip install`), on Windows, Linux and macOS;
# - easy model design: many ready-made network layers, **automatic differentiation** 自动求导 (no
#   derivative formulas by hand, chapter 05), shapes of each layer worked out for you;
# - several GPUs and distributed training are easy to set up.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Automatic differentiation is the feature that saves the most work; promise it now and
# deliver it in chapter 05, where `tf.gradients` is checked against a numerical derivative.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## TensorFlow and Python  (TensorFlow 与 python)
#
# TensorFlow (TF) is **a library you call from Python**.  Learning it means learning three things:
#
# 1. **data structures** 数据结构: how TF's data meet Python's (numbers, lists, numpy arrays);
# 2. **the programming model** 编程模型: how TF computes (a graph, then a session);
# 3. the **functions and tools** used most often.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Point 1 is the source of most beginner errors: a Python `3` becomes an int32 tensor and
# a `3.0` a float32 one, and TensorFlow does not convert between them silently. Exercise 2 lets them meet
# that error on purpose.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Python values become tensors with a **dtype** (数据类型) chosen from the value:

# %% slideshow={"slide_type": "-"}
print(tf.constant(3))
print(tf.constant(3.0))
print(tf.constant([[1.0, 2.0], [3.0, 4.0]]))

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Read the three lines aloud: name, shape, dtype. No value is shown: that is the static
# graph, chapter 01. An integer gives int32, a float gives float32, a nested list gives a matrix.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Programs and models  (TensorFlow 编程框架和机器学习模型对应关系)
#
# - the **inputs, outputs and the model's computation** are described by a computation graph 计算图;
# - an **optimizer** 优化器 and the **training data** tune the model's parameters (参数);
# - so designing a model means designing its graph.
#
# | chapter | topic | lecture sections |
# |---|---|---|
# | 01 | graphs 计算图, tensors 张量, static/dynamic 静态图/动态图 | 基本原理 … 静态图机制 |
# | 02 | sessions 会话, devices, numpy vs TF | 会话, 编程基本流程, Numpy vs TensorFlow |
# | 03 | feed and fetch, placeholders 占位符 | 1 创建数据，定义输入输出 |
# | 04 | variables 变量, initialization 初始化 | 2 定义模型, 5 初始化参数 |
# | 05 | gradients 梯度, optimizers 优化器 | 优化机制, 3&4 损失函数、优化器 |
# | 06 | linear regression end to end | 机器学习编程框架, 6 训练脚本 |

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The first three bullets are the lecture's summary of how a TensorFlow program maps onto a
# machine-learning model; the table says where each piece is taught. Chapter 06 puts all of them together.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The course, part 2: keeping, shipping and watching models
#
# | chapter | topic | lecture sections |
# |---|---|---|
# | 07 | checkpoints 模型存储 | ckpt 模式 |
# | 08 | frozen graphs 冻结图 | PB 模式 |
# | 09 | eager execution 动态图 | Eager Execution |
# | 10 | devices 设备 and GPU kernels | 调用 GPU 或 CPU, `.gpu()` / `.cpu()` |
# | 11 | watching and debugging training | 可视化 TensorBoard, 调试问题 |
# | 12 | capstone: a CNN on handwritten digits | 总结 |
#
# Every lecture section, cell by cell: [lecture_map.md](lecture_map.md).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Part 2 follows the lecture's last third: storing models in both formats, eager mode, then
# two chapters the lecture only mentions (kernels, TensorBoard) and a capstone that uses everything.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## How to use these notebooks
#
# - Run the cells from top to bottom (Shift+Enter); later cells use names defined earlier.
# - Each chapter ends with **exercises** 练习.  In your copy, an exercise's answer cell says
#   `# YOUR CODE HERE` and `raise NotImplementedError()`: replace those two lines with your code.
# - The **check** cell below it (`# Check (autograded)`) fails with one sentence saying what is wrong,
#   and prints `Exercise N ok` when your answer is right.  Do not edit the check cells.
# - The same notebooks are the slides: `./dev slides`, or JupyterLab's RISE button.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Instructors keep the notebooks with solutions; students get copies made by nbgrader, in
# which every solution is replaced by `raise NotImplementedError()`. A check cannot pass on an unanswered
# exercise, and most checks look at the graph you built, not only at a number.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Environment check
#
# The course needs Python 3.10+, **numpy**, **numba** (minitf compiles its kernels with it),
# **Graphviz** (its `dot` program draws the graph pictures) and matplotlib.
# A GPU is optional: minitf runs its GPU kernels on an NVIDIA card, or in numba's CUDA *simulator*.
#
# The cells below (in the notebook) print what *your* machine has.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Run the three cells together in the notebook. The most common problem is a missing
# Graphviz `dot`: graph pictures then show as DOT text with an install hint. On Windows:
# `winget install graphviz`, then restart Jupyter.

# %% slideshow={"slide_type": "skip"}
# NBVAL_IGNORE_OUTPUT
print("python    ", platform.python_version())
for package in ["numpy", "numba", "graphviz", "matplotlib", "scikit-learn"]:
    print(f"{package:10}", importlib.metadata.version(package))
print("minitf    ", tf.__version__, "(imitates TensorFlow", tf.VERSION + ")")


# %% slideshow={"slide_type": "skip"}
# NBVAL_IGNORE_OUTPUT
def gpu_backend() -> str:
    """'real' (numba.cuda sees a GPU), 'simulated' (NUMBA_ENABLE_CUDASIM=1) or 'none'."""
    from numba import config
    if config.ENABLE_CUDASIM:
        return "simulated"
    try:
        from numba import cuda
        return "real" if cuda.is_available() else "none"
    except Exception:          # no driver or no CUDA toolkit: same as no GPU
        return "none"

dot = shutil.which("dot")
print("Graphviz dot:", dot or "MISSING")
if not dot:
    print("  -> install it: sudo apt-get install graphviz | brew install graphviz |"
          " conda install -c conda-forge python-graphviz")
backend = gpu_backend()
print("GPU backend: ", backend)
print({"real": "  -> minitf places ops on /GPU:0 by default, as TensorFlow does.",
       "simulated": "  -> GPU kernels run in numba's simulator: correct but slow; keep tensors small.",
       "none": "  -> fine: everything runs on the CPU. To try the GPU kernels without a GPU,"
               " start Jupyter with NUMBA_ENABLE_CUDASIM=1."}[backend])

# %% [markdown] slideshow={"slide_type": "skip"}
# What matters for the course, checked (this cell must stay silent):

# %% slideshow={"slide_type": "skip"}
assert tuple(map(int, platform.python_version_tuple()[:2])) >= (3, 10), "minitf needs Python 3.10+"
assert dot is not None, "Graphviz's dot is missing: graph pictures will show as text (see above)"
assert backend in ("real", "simulated", "none")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A first graph 第一个计算图  (编程模型)
#
# A TensorFlow program has two stages:
# 1. **draw a picture** 画个图: describe the computation as a graph;
# 2. **write the script** 写个执行剧本: a session 会话 runs the graph and hands back numbers.

# %% slideshow={"slide_type": "-"}
a = tf.constant(2.0, name="a")
b = tf.constant(3.0, name="b")
product = a * b
product

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Ask the room what `product` is before running the cell. Most will say 6. The output is a
# symbol: a tensor named `mul:0` with shape `()` and dtype float32. Nothing has been multiplied yet.

# %% [markdown] slideshow={"slide_type": "fragment"}
# `product` is a *symbol* in the graph, not the number 6.  A session computes it, and hands back a
# numpy value:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    value = sess.run(product)
print(value, type(value))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Under the hood (引擎内部)
#
# *Not needed for the exercises.*  minitf is a small package.  Its folders follow the path a program
# takes: **build → place → plan → execute**.
#
# | folder | holds |
# |---|---|
# | `minitf/framework/` | `Graph`, `Operation`, `Tensor`, dtypes, shapes, name scopes |
# | `minitf/ops/` | the ops (`add`, `matmul`, `Variable` ...), each declared once with its gradient |
# | `minitf/client/` | `Session`: prune, place, plan, execute |
# | `minitf/kernels/` | the compute kernels: numba on the CPU, numba.cuda on the GPU |
# | `minitf/autodiff/`, `minitf/train/` | `tf.gradients` and the optimizers |
# | `minitf/viz.py`, `minitf/datasets.py` | the course's pictures and data |

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* One slide only, for the curious: the course teaches TensorFlow, and minitf is the engine
# under it. Everything in this table can be read in an afternoon; the notebook prints the package's own
# description below.

# %% slideshow={"slide_type": "skip"}
print(tf.__doc__)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# Two short exercises.  Write your code in the answer cell, then run the check below it.

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Give five minutes for both. Exercise 1 is the first graph again with three constants.
# Exercise 2 is an open question: predict first, then run and look.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1 · A first graph of your own (练习 1)
#
# Build a graph for $3 \times 4 + 5$ from three `tf.constant`s with `*` and `+`, and call the last
# tensor `total`.  Then run `total` in a session and store the value the session returns in `answer1`.
#
# Set: `total` (a tensor), `answer1` (what `sess.run(total)` returned).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* The check looks at the graph (an Add whose input is a Mul of the constants 3 and 4) and
# at the type of `answer1`: a number typed by hand, or the tensor itself, is rejected with a sentence
# saying why.

# %% nbgrader={"grade": false, "grade_id": "ch00-ex1-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
total = None
answer1 = None
### BEGIN SOLUTION
three, four, five = tf.constant(3.0), tf.constant(4.0), tf.constant(5.0)
total = three * four + five
with tf.Session() as sess:
    answer1 = sess.run(total)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch00-ex1-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(total, tf.Tensor), \
    f"total should be the tensor your graph computes, got {type(total).__name__}"
assert total.op.type in ("Add", "AddV2"), \
    f"total should come from an addition (+), but its op is a {total.op.type}"
_products = [t for t in total.op.inputs if t.op.type == "Mul"]
assert _products, "one input of the + should be the product 3 × 4 (a Mul op), built with *"
_factors = sorted(float(t.op.get_attr("value")) for t in _products[0].op.inputs
                  if t.op.type == "Const")
assert _factors == [3.0, 4.0], f"the * should multiply the constants 3 and 4, got {_factors}"
assert not isinstance(answer1, tf.Tensor), \
    "answer1 is still a tensor (a symbol): store what sess.run(total) returns"
assert isinstance(answer1, np.number), \
    f"answer1 should be the value sess.run(total) returned (a numpy number), got {type(answer1).__name__}"
with tf.Session(graph=total.graph) as _sess:
    assert answer1 == _sess.run(total), f"answer1 = {answer1} is not what the graph computes"
print("Exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · What happens if you mix an integer and a float? (练习 2)
#
# Predict first: what does `tf.constant(3) * tf.constant(4.0)` give?  Then try it, catching what
# happens:
# ```python
# try:
#     ...                      # the product
# except Exception as error:
#     mixed_error = error
# ```
# Then build `fixed`, the same product written so that it works, and store its value in `fixed_value`.
#
# Set: `mixed_error` (what was raised), `fixed` (a tensor), `fixed_value` (its value from a session).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Collect predictions: 12? 12.0? an error? TensorFlow never converts dtypes silently:
# `3` is an int32 tensor, `4.0` a float32 one, and `Mul` needs both inputs of one dtype. The fix is to
# write `3.0`, or `tf.cast`. The check compares the error the student caught with the one TensorFlow raises.

# %% nbgrader={"grade": false, "grade_id": "ch00-ex2-solution", "locked": false, "schema_version": 3, "solution": true, "task": false} slideshow={"slide_type": "skip"}
mixed_error = None
fixed = None
fixed_value = None
### BEGIN SOLUTION
try:
    tf.constant(3) * tf.constant(4.0)
except Exception as error:
    mixed_error = error
fixed = tf.constant(3.0) * tf.constant(4.0)
with tf.Session() as sess:
    fixed_value = sess.run(fixed)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "ch00-ex2-check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} slideshow={"slide_type": "skip"}
# Check (autograded)
assert isinstance(mixed_error, BaseException), \
    f"mixed_error should be the exception the mixed product raised, got {mixed_error!r}"
try:                                   # the same experiment, to compare with what you caught
    with tf.Graph().as_default():
        tf.constant(3) * tf.constant(4.0)
except Exception as _expected:
    assert type(mixed_error) is type(_expected) and str(mixed_error) == str(_expected), \
        f"mixed_error should be what tf.constant(3) * tf.constant(4.0) raises, got {mixed_error!r}"
assert isinstance(fixed, tf.Tensor) and fixed.op.type == "Mul", \
    "fixed should be a tensor made by * (a Mul op)"
assert isinstance(fixed_value, np.number) and fixed_value == 12.0, \
    f"fixed_value should be what sess.run(fixed) returned (a numpy 12.0), got {fixed_value!r}"
print("Exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - A toolkit (TensorFlow, Caffe, PyTorch ...) saves writing deep learning by hand; TensorFlow 1.x uses
#   a static graph and comes with TensorBoard for pictures.
# - TensorFlow is a Python library: `import tensorflow as tf` (here `import minitf as tf`).
# - A program first **builds a graph**, then **runs it in a session**; Python values become tensors with
#   a dtype, and TensorFlow does not mix dtypes silently.
# - Terms: the [glossary 术语表](glossary.md).  Next: [01 · computation graphs](01_computation_graphs.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Recap the two stages once more; chapter 01 opens with them. Remind students to run the
# environment check at home before the next session.
