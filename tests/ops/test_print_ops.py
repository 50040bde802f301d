"""``tf.Print`` and ``tf.print``: what they write, where, and when.

The expected text was recorded by running the same calls with TF 2.21
(``tensorflow.compat.v1``, graph mode) and copying what it wrote to stderr.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

import minitf as tf

# Recorded from TF 2.21 compat.v1 (tf.Print's and tf.print's stderr for the tensors in ``_tensors``).
TF_PRINT = ("msg: [1 2 3...][[1.5 2][3.25...]...][7]\n"
            "s10 [1 2 3 4 5]\n"
            "big [[[0 1 2...]]...][hi][1 0]\n")
TF_PRINT_V2 = ('x: [1 2 3 4 5] [[1.5 2]\n [3.25 -4]] 7 "hi" [1 0]\n'
               "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]\n"
               "[0 1 2 ... 7 8 9]\n"
               "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
               " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]\n"
               "a|b!\n"
               "{'k': [1 2 3 4 5]}\n"
               "[0.1 1e-07 123456792 0.333333343]\n"
               "[0.1 0.33333333333333331]\n"
               "[1 2 ... 4 5]\n")


def _tensors():
    return (tf.constant([1, 2, 3, 4, 5]), tf.constant([[1.5, 2.0], [3.25, -4.0]]), tf.constant(7.0),
            tf.constant("hi"), tf.constant([True, False]), tf.reshape(tf.range(24), [2, 3, 4]))


def test_print_writes_tfs_format_to_stderr_and_returns_its_input(capsys):
    with tf.Graph().as_default():
        a, b, c, s, bo, big = _tensors()
        first = tf.Print(a, [a, b, c], message="msg: ")
        assert first.op.type == "Print" and first.dtype == tf.int32 and first.shape.as_list() == [5]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(first), [1, 2, 3, 4, 5])
            sess.run(tf.Print(a, [a], message="s10 ", summarize=10))
            sess.run(tf.Print(a, [big, s, bo], message="big "))
    out = capsys.readouterr()
    assert out.err == TF_PRINT and out.out == ""


def test_print_v2_writes_tfs_format(capsys):
    with tf.Graph().as_default():
        a, b, c, s, bo, big = _tensors()
        ops = [tf.print("x:", a, b, c, s, bo), tf.print(big), tf.print(tf.range(10)),
               tf.print(tf.reshape(tf.range(100), [10, 10])), tf.print("a", "b", sep="|", end="!\n"),
               tf.print({"k": a}), tf.print(tf.constant([0.1, 1e-7, 123456789.0, 1.0 / 3])),
               tf.print(tf.constant([0.1, 1.0 / 3], tf.float64)), tf.print(a, summarize=2)]
        assert [op.type for op in ops] == ["PrintV2"] * len(ops)
        assert ops[0].inputs[0].op.type == "StringFormat"
        with tf.Session() as sess:
            for op in ops:
                assert sess.run(op) is None
    assert capsys.readouterr().err == TF_PRINT_V2


def test_print_v2_to_stdout_and_under_control_dependencies(capsys):
    with tf.Graph().as_default():
        x = tf.constant([1, 2])
        with tf.control_dependencies([tf.print("x =", x, output_stream=sys.stdout)]):
            y = x * 2
        with tf.Session() as sess:
            sess.run(y)
            sess.run(y)
    assert capsys.readouterr().out == "x = [1 2]\nx = [1 2]\n"


def test_print_first_n_and_gradient_passes_through(capsys):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        y = tf.Print(x, [x], "x", first_n=2)
        g, = tf.gradients(tf.reduce_sum(y * y), x)
        with tf.Session() as sess:
            for _ in range(3):
                got = sess.run(g, {x: [1.0, -2.0]})
    np.testing.assert_allclose(got, [2.0, -4.0])
    assert capsys.readouterr().err.count("x[1 -2]") == 2


def test_print_in_eager_mode_prints_at_once():
    from tests.eager.eager_harness import EAGER_SETUP, run_script
    done = run_script(EAGER_SETUP + "tf.print('now', tf.constant([3, 4]))\n"
                      "y = tf.Print(tf.constant([1.5]), [tf.constant(2)], 'p')\nprint(y.numpy())\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("now [3 4]\np[2]\n") and done.stdout == "[1.5]\n"


def test_unsupported_output_stream_is_refused():
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print("x", output_stream="somewhere")


def test_print_v2_to_tf_logging_writes_to_stderr(capsys):
    with tf.Graph().as_default():
        op = tf.print("logged", tf.constant(1.5), output_stream=tf.logging.info)
        assert op.get_attr("output_stream") == "log(info)"
        with tf.Session() as sess:
            sess.run(op)
    assert capsys.readouterr().err == "logged 1.5\n"
