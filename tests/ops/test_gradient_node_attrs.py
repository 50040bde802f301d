"""Gradient nodes carry what TensorFlow checks when it imports them (found by the SavedModel interop test).

TF validates every NodeDef's input types against its attrs: a graph minitf runs
happily can still be refused by TF when an attr is wrong.
"""

from __future__ import annotations

import minitf as tf


def test_strided_slice_grad_is_typed_by_the_gradient_not_the_shape():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 3])
        tf.gradients(tf.reduce_sum(x[:, 0]), x)
        grad_op, = [op for op in g.get_operations() if op.type == "StridedSliceGrad"]
        assert grad_op.get_attr("T") == tf.float32 and grad_op.get_attr("Index") == tf.int32
        node = [n for n in g.as_graph_def().node if n.op == "StridedSliceGrad"][0]
        assert node.attr["T"].type == tf.float32.as_datatype_enum


def test_batch_matmul_gradient_broadcasts_only_the_batch_dimensions():
    """TF's BroadcastGradientArgs refuses [2,3,4] vs [2,4,3]: only shape[:-2] may be compared."""
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 3, 4])
        y = tf.placeholder(tf.float32, [None, 4, 3])
        tf.gradients(tf.reduce_sum(tf.matmul(x, y)), [x, y])
        bga = [op for op in g.get_operations() if op.type == "BroadcastGradientArgs"]
        assert bga and all(t.op.type == "StridedSlice" for op in bga for t in op.inputs)
        with tf.Session() as sess:
            args = sess.run([t for op in bga for t in op.inputs],
                            {x: [[[1.0] * 4] * 3] * 2, y: [[[1.0] * 3] * 4] * 2})
        assert [a.tolist() for a in args] == [[2], [2]]
