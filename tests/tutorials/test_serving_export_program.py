"""A TF Serving-style export program, run unchanged: flags, tf.logging, training, SavedModelBuilder, loading.

The program below is the shape of TensorFlow Serving's ``mnist_saved_model.py``
tutorial (``tf.app.flags``, ``tf.app.run``, ``tf.logging``, a softmax
classifier, ``SavedModelBuilder`` with a predict signature), with MNIST
replaced by 60 random points.  It runs as a script, with command-line flags.
The expected stdout and stderr were recorded by running the same program with
``import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()`` under TF 2.21:

    /tmp/tfvenv/bin/python program.py --training_iteration=41 --work_dir=out --model_version=2
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = '''"""Train a softmax classifier, then export it for serving (the TF Serving tutorial's shape)."""
import os
import sys

import numpy as np
import minitf as tf

tf.app.flags.DEFINE_integer("training_iteration", 50, "number of training iterations.")
tf.app.flags.DEFINE_integer("model_version", 1, "version number of the model.")
tf.app.flags.DEFINE_string("work_dir", "/tmp", "Working directory.")
FLAGS = tf.app.flags.FLAGS


def main(_):
    tf.logging.set_verbosity(tf.logging.INFO)
    rng = np.random.RandomState(0)
    data = rng.randn(60, 4).astype(np.float32)
    labels = (data[:, 0] + data[:, 1] > 0).astype(np.int64)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y_ = tf.placeholder(tf.int64, [None], name="y_")
    w = tf.Variable(tf.zeros([4, 2]), name="w")
    b = tf.Variable(tf.zeros([2]), name="b")
    logits = tf.matmul(x, w) + b
    y = tf.nn.softmax(logits, name="y")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    sess = tf.InteractiveSession()
    sess.run(tf.global_variables_initializer())
    for i in range(FLAGS.training_iteration):
        _, value = sess.run([train_step, loss], {x: data, y_: labels})
        if i % 20 == 0:
            tf.logging.info("step %d, loss %.4f", i, value)
    export_path = os.path.join(FLAGS.work_dir, str(FLAGS.model_version))
    tf.logging.info("Exporting trained model to %s", os.path.basename(export_path))
    builder = tf.saved_model.builder.SavedModelBuilder(export_path)
    signature = tf.saved_model.signature_def_utils.predict_signature_def(
        inputs={"images": x}, outputs={"scores": y})
    builder.add_meta_graph_and_variables(
        sess, [tf.saved_model.tag_constants.SERVING],
        signature_def_map={tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature})
    builder.save()
    sess.close()
    tf.logging.info("Done exporting!")

    with tf.Session(graph=tf.Graph()) as served:
        meta = tf.saved_model.loader.load(served, [tf.saved_model.tag_constants.SERVING], export_path)
        sig = meta.signature_def[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        scores = served.run(sig.outputs["scores"].name, {sig.inputs["images"].name: data[:3]})
        print(np.round(scores, 4).tolist())
        accuracy = (served.run(sig.outputs["scores"].name, {sig.inputs["images"].name: data}).argmax(1)
                    == labels).mean()
        print("accuracy %.3f" % accuracy)


if __name__ == "__main__":
    tf.app.run()
'''

# Recorded from TF 2.21 (see the module docstring); deprecation warnings left out.
TF_STDOUT = ("[[0.0020000000949949026, 0.9980000257492065], [0.04230000078678131, 0.9577000141143799], "
             "[0.3237000107765198, 0.6762999892234802]]\n"
             "accuracy 0.983\n")
TF_STDERR = """INFO:tensorflow:step 0, loss 0.6931
INFO:tensorflow:step 20, loss 0.1904
INFO:tensorflow:step 40, loss 0.1418
INFO:tensorflow:Exporting trained model to 2
INFO:tensorflow:No assets to save.
INFO:tensorflow:No assets to write.
INFO:tensorflow:SavedModel written to: out/2/saved_model.pb
INFO:tensorflow:Done exporting!
INFO:tensorflow:Restoring parameters from out/2/variables/variables
"""


def test_the_export_program_runs_unchanged_and_prints_what_tensorflow_prints(tmp_path):
    (tmp_path / "program.py").write_text(PROGRAM)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "program.py", "--training_iteration=41", "--work_dir=out",
                           "--model_version=2"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout == TF_STDOUT
    assert done.stderr == TF_STDERR
    assert sorted(str(p.relative_to(tmp_path / "out" / "2")) for p in (tmp_path / "out" / "2").rglob("*")) == [
        "saved_model.pb", "variables", "variables/variables.data-00000-of-00001", "variables/variables.index"]
