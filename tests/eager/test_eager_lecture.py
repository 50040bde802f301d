"""The lecture's "Eager Execution" blocks (../shared/seed), run unchanged.

Block (a) is the graph-mode debugging example that motivates eager mode; block
(b) turns eager execution on and prints the product at once.  The eager one
runs in a child interpreter, with ``tensorflow`` mapped to minitf so the
lecture's own import lines work.
"""

import textwrap

import minitf as tf
from eager_harness import run_ok

TF_AS_MINITF = """
import sys, minitf, minitf.contrib, minitf.contrib.eager
sys.modules.update({"tensorflow": minitf, "tensorflow.contrib": minitf.contrib,
                    "tensorflow.contrib.eager": minitf.contrib.eager})
"""


def test_placeholder_debugging_block_prints_the_product(capsys):
    with tf.Graph().as_default():
        exec(textwrap.dedent("""
            import minitf as tf
            import numpy as np
            x = tf.placeholder(tf.float32, [None, 1])
            m = tf.matmul(x, x)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                m_out = sess.run(m, feed_dict={x: [[2.]]})
            print(m_out)
        """), {})
    assert capsys.readouterr().out == "[[4.]]\n"


def test_graph_mode_prints_a_symbolic_tensor(capsys):
    with tf.Graph().as_default():
        x = [[2.]]
        m = tf.matmul(x, x)
        print(m)
    assert capsys.readouterr().out == 'Tensor("MatMul:0", shape=(1, 1), dtype=float32)\n'


def test_eager_block_as_in_the_lecture():
    out = run_ok(TF_AS_MINITF + textwrap.dedent("""
        if __name__ =="__main__":
            import  tensorflow as tf
            import  tensorflow.contrib.eager as tfe
            tfe.enable_eager_execution()
            x = [[2.]]
            m = tf.matmul(x,x)

            print(m)
    """))
    assert out == "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)\n"


def test_eager_block_with_minitf_names():
    out = run_ok("""
        import minitf as tf
        import minitf.contrib.eager as tfe
        tfe.enable_eager_execution()
        x = [[2.]]
        m = tf.matmul(x, x)
        print(m)
        print(tf.executing_eagerly(), tf.contrib.eager.executing_eagerly())
    """)
    assert out == "tf.Tensor([[4.]], shape=(1, 1), dtype=float32)\nTrue True\n"
