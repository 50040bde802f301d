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
# # 0 · Welcome to minitf 欢迎
#
# This course follows the lecture *深度学习 | 工具及实践（TensorFlow）*: TensorFlow 1.x basics, from the
# computation graph (计算图) to a trained linear regression.  Everything runs on **minitf**, a small engine
# you can read, written so that TensorFlow 1.x code runs unchanged with `import minitf as tf`.
#
# **Goals of this notebook**
# - know what the chapters cover and how the notebooks work;
# - check that your machine has everything the course needs;
# - run a first graph (图) in a session (会话).

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* Welcome everyone. Tell them: every code block of the lecture runs here as it is, only the import changes.
# Run the environment check together; the most common problem is a missing Graphviz `dot`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## The chapters
#
# | notebook | topic | lecture section |
# |---|---|---|
# | 01 | computation graphs 计算图: tensors 张量, operations 算子, static vs dynamic 静态图/动态图 | TensorFlow 基本原理, 计算图定义, 静态图机制 |
# | 02 | sessions 会话 and devices (CPU/GPU), random numbers | 运行模型-会话, 编程基本流程, Numpy vs TensorFlow |
# | 03 | feed and fetch 喂/取, placeholders 占位符 | 1 创建数据，定义输入输出 |
# | 04 | variables 变量 and their initialization | 2 定义模型主要部分计算图, 5 初始化参数 |
# | 05 | automatic differentiation and optimizers 优化器 | TensorFlow 的优化机制, 3&4 损失函数、优化器 |
# | 06 | linear regression end to end | TensorFlow 机器学习编程框架, 6 训练脚本 |
#
# Each chapter has goals, the lecture's idea, a demonstration, a look underneath minitf,
# exercises with hidden solutions and self-check cells, and a summary.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## How to use these notebooks
#
# - Run the cells from top to bottom (Shift+Enter).  Later cells use names defined earlier.
# - Exercise solutions are **collapsed**: write your own answer first, then expand the solution.
# - A *self-check* cell follows each exercise.  It stays silent on mistakes only if your answer is right:
#   it raises an `AssertionError` otherwise.
# - The same notebooks are the slides: `./dev slides` (or JupyterLab's RISE button).

# %% slideshow={"slide_type": "skip"}
import importlib.metadata
import platform
import shutil

import numpy as np
import minitf as tf

np.set_printoptions(legacy="1.25")  # scalars print as 1.0, as in TF 1.x days

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Environment check
#
# The course needs Python 3.10+, **numpy**, **numba** (minitf compiles its kernels with it),
# **Graphviz** (its `dot` program draws the graph pictures) and matplotlib.
# A GPU is optional: minitf runs its GPU kernels on a real NVIDIA card, or on numba's CUDA *simulator*.
#
# The next two cells print what *your* machine has, so their output differs from machine to machine.

# %% slideshow={"slide_type": "-"}
# NBVAL_IGNORE_OUTPUT
print("python    ", platform.python_version())
for package in ["numpy", "numba", "graphviz", "matplotlib", "scikit-learn"]:
    print(f"{package:10}", importlib.metadata.version(package))
print("minitf    ", tf.__version__, "(imitates TensorFlow", tf.VERSION + ")")


# %% slideshow={"slide_type": "-"}
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

# %% [markdown] slideshow={"slide_type": "-"}
# What matters for the course, checked (this cell must stay silent):

# %% slideshow={"slide_type": "-"}
assert tuple(map(int, platform.python_version_tuple()[:2])) >= (3, 10), "minitf needs Python 3.10+"
assert dot is not None, "Graphviz's dot is missing: graph pictures will show as text (see above)"
assert backend in ("real", "simulated", "none")

# %% [markdown] slideshow={"slide_type": "notes"}
# *Speaker notes:* If `dot` is missing, graph pictures still work as text: minitf prints the DOT source and the install hint
# instead of failing. Students on Windows: `winget install graphviz`, then restart Jupyter.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A first graph 第一个计算图
#
# TensorFlow programs have two stages (the lecture's 编程模型):
# 1. **draw a picture** 画个图: describe the computation as a graph;
# 2. **write the script** 写个执行剧本: a session runs the graph and hands back numbers.

# %% slideshow={"slide_type": "-"}
a = tf.constant(2.0, name="a")
b = tf.constant(3.0, name="b")
product = a * b
product

# %% [markdown] slideshow={"slide_type": "fragment"}
# `product` is a *symbol* in the graph, not the number 6.  A session computes it:

# %% slideshow={"slide_type": "-"}
with tf.Session() as sess:
    print(sess.run(product))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A look underneath: what is in minitf
#
# minitf is a small package.  Its files follow the path a program takes:
# **build → place → plan → execute**.
#
# | folder | holds |
# |---|---|
# | `minitf/framework/` | `Graph`, `Operation`, `Tensor`, dtypes, shapes, name scopes |
# | `minitf/ops/` | the ops (`add`, `matmul`, `Variable` ...), each declared once with its gradient |
# | `minitf/client/` | `Session`: prune, place, plan, execute |
# | `minitf/kernels/` | the compute kernels: numba on the CPU, numba.cuda on the GPU |
# | `minitf/autodiff/`, `minitf/train/` | `tf.gradients` and the optimizers |
# | `minitf/viz.py`, `minitf/datasets.py` | the course's pictures and data |
#
# The package's own description:

# %% slideshow={"slide_type": "-"}
print(tf.__doc__)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises 练习
#
# **Exercise 1.** Build a graph that computes 3 × 4 + 5 with `tf.constant`, `*` and `+`, and store the
# value a session computes for it in `answer1`.

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
three, four, five = tf.constant(3.0), tf.constant(4.0), tf.constant(5.0)
total = three * four + five
with tf.Session() as sess:
    answer1 = sess.run(total)

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert answer1 == 17.0, f"expected 17.0, got {answer1}"
print("exercise 1 ok")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Which TensorFlow version does minitf imitate? Store the string in `answer2`
# (hint: TensorFlow 1.x calls it `tf.VERSION`).

# %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
# Solution (click to expand; try it yourself first)
answer2 = tf.VERSION

# %% slideshow={"slide_type": "skip"} tags=["self-check"]
# Self-check
assert answer2.startswith("1."), f"minitf imitates TensorFlow 1.x, got {answer2!r}"
print("exercise 2 ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary 小结
#
# - TensorFlow (and minitf) is a Python library: `import minitf as tf`.
# - A program first **builds a graph**, then **runs it in a session**.
# - The environment check tells you what to install; graph pictures need Graphviz's `dot`.
#
# Next: [01 · computation graphs](01_computation_graphs.ipynb).
