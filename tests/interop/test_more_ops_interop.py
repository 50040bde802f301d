"""TensorFlow imports and runs graphs built with minitf's "more ops": their NodeDefs carry TF's attrs.

Marker ``tensorflow`` (run with a Python that has TF, e.g. /tmp/tfvenv/bin/python).
"""

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow

X = np.linspace(-1.5, 2.0, 24, dtype=np.float32).reshape(2, 3, 4)


def _graph():
    tf = minitf
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    outputs = {
        "erf": tf.erf(x),
        "reverse": tf.reverse(x, [0, 2]),
        "gather_nd": tf.gather_nd(x, [[0, 1], [1, 2]]),
        "scatter_nd": tf.scatter_nd([[1], [0], [1]], tf.reduce_sum(x, [0, 1])[:3], [2]),
        "tensordot": tf.tensordot(x, tf.ones([4, 3, 2]), [[1, 2], [1, 0]]),
        "einsum": tf.einsum("bij,bkj->bik", x, x),
        "logsumexp": tf.reduce_logsumexp(x, axis=2),
        "count_nonzero": tf.count_nonzero(tf.nn.relu(x), axis=1),
        "sequence_mask": tf.sequence_mask([1, 3], 4, dtype=tf.float32),
        "to_int32": tf.to_int32(x * 3),
        "print": tf.Print(x[0], [x[1]], "values: "),
    }
    loss = tf.reduce_sum(tf.gather_nd(tf.reverse(x, [1]), [[0, 0], [1, 2]]) ** 2) + \
        tf.reduce_sum(outputs["logsumexp"]) + tf.reduce_sum(outputs["einsum"])
    outputs["grad"] = tf.gradients(loss, x)[0]
    return {k: tf.identity(v, name=f"out_{k}") for k, v in outputs.items()}


def test_tensorflow_runs_minitfs_more_ops_graph(real_tf):
    with minitf.Graph().as_default() as g:
        outputs = _graph()
        with minitf.Session() as sess:
            want = sess.run(outputs, {"x:0": X})
    graph_def = real_tf.GraphDef()
    graph_def.ParseFromString(g.as_graph_def().SerializeToString())
    with real_tf.Graph().as_default() as tg:
        real_tf.import_graph_def(graph_def, name="")
        with real_tf.Session(graph=tg) as tsess:
            got = tsess.run({k: t.name for k, t in outputs.items()}, {"x:0": X})
    for key in outputs:
        np.testing.assert_allclose(got[key], want[key], rtol=2e-5, atol=1e-5, err_msg=key)
