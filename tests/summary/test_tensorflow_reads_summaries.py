"""TensorFlow reads minitf's event files and runs minitf's summary graphs (marker ``tensorflow``).

The other direction (minitf reads TF's event file) is in test_event_files.py and
runs everywhere; this one needs the real ``tensorflow`` package, in TF1 mode.
"""

import glob
import os

import numpy as np
import pytest

import minitf

pytestmark = pytest.mark.tensorflow


def _log_with_minitf(logdir):
    """A small minitf program with every kind of summary; returns its merged summary per step."""
    g = minitf.Graph()
    with g.as_default():
        x = minitf.placeholder(minitf.float32, [None, 3], name="x")
        w = minitf.Variable([[1.0], [-2.0], [0.5]], name="w")
        with minitf.name_scope("model"):
            y = minitf.matmul(x, w)
            loss = minitf.reduce_mean(minitf.square(y), name="loss")
        minitf.summary.scalar("loss", loss)
        minitf.summary.histogram("w", w)
        minitf.summary.image("x_img", minitf.reshape(x, [-1, 1, 3, 1]), max_outputs=2)
        minitf.summary.audio("x_audio", x / 10.0, 8000.0)
        minitf.summary.text("note", minitf.constant("minitf"))
        merged = minitf.summary.merge_all()
        data = np.arange(6, dtype=np.float32).reshape(2, 3)
        with minitf.Session() as sess:
            sess.run(minitf.global_variables_initializer())
            writer = minitf.summary.FileWriter(str(logdir), sess.graph)
            summaries = []
            for step in range(3):
                summaries.append(sess.run(merged, {x: data + step}))
                writer.add_summary(summaries[-1], step)
            writer.close()
    return data, summaries


def test_tensorflow_reads_the_event_file(real_tf, tmp_path):
    _, summaries = _log_with_minitf(tmp_path)
    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))
    events = list(real_tf.train.summary_iterator(path))
    assert events[0].file_version == "brain.Event:2"
    assert events[1].HasField("graph_def") and events[2].HasField("meta_graph_def")
    got = [e.summary for e in events if e.HasField("summary")]
    want = [real_tf.Summary.FromString(s) for s in summaries]
    assert got[0] == want[0]
    for summary in got[1:] + want[1:]:     # the writer keeps plugin metadata with a tag's first value only
        for value in summary.value:
            value.ClearField("metadata")
    assert got[1:] == want[1:]


def test_tensorflow_imports_and_runs_the_summary_graph(real_tf, tmp_path):
    data, summaries = _log_with_minitf(tmp_path)
    (path,) = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))
    event = [e for e in minitf.train.summary_iterator(path) if e.HasField("graph_def")][0]
    graph_def = real_tf.GraphDef.FromString(event.graph_def)
    with real_tf.Graph().as_default() as g:
        real_tf.import_graph_def(graph_def, name="")
        with real_tf.Session(graph=g) as sess:
            sess.run("w/Assign")
            theirs = real_tf.Summary.FromString(sess.run("Merge/MergeSummary:0", {"x:0": data}))
    ours = real_tf.Summary.FromString(summaries[0])
    assert [v.tag for v in theirs.value] == [v.tag for v in ours.value]
    for mine, tf_value in zip(ours.value, theirs.value):
        kind = mine.WhichOneof("value")
        if kind == "image":              # PNG bytes may differ (zlib settings); the header must not
            assert (mine.image.height, mine.image.width, mine.image.colorspace) == \
                (tf_value.image.height, tf_value.image.width, tf_value.image.colorspace)
        elif kind == "simple_value":
            assert mine.simple_value == pytest.approx(tf_value.simple_value, rel=1e-6)
        else:
            assert mine == tf_value, mine.tag


_TAGS_OF_TUTORIALS = """
import contextlib, glob, io, os, sys
engine, out = sys.argv[1], sys.argv[2]
if engine == "tensorflow":             # the same program text, with TensorFlow behind 'minitf'
    import tensorflow
    tensorflow.compat.v1.disable_v2_behavior()
    sys.modules["minitf"] = tensorflow.compat.v1
sys.path.insert(0, os.path.join("tests", "tutorials"))
import tensorboard_tutorials as programs
import minitf as tf
programs.FLAGS.log_dir = os.path.join(out, "mnist")
for run in (programs.mnist_with_summaries,
            lambda: programs.tensorboard_basic(os.path.join(out, "basic")),
            lambda: programs.tensorboard_advanced(os.path.join(out, "advanced"))):
    with tf.Graph().as_default(), contextlib.redirect_stdout(io.StringIO()):
        run()
for path in sorted(glob.glob(os.path.join(out, "**", "*tfevents*"), recursive=True)):
    tags = {(v.tag, v.WhichOneof("value")) for e in tf.train.summary_iterator(path) for v in e.summary.value}
    print(os.path.relpath(os.path.dirname(path), out), sorted(tags))
"""


def test_tutorial_programs_log_the_same_tags_as_tensorflow(real_tf, tmp_path):
    """The TensorBoard tutorials (tests/tutorials/tensorboard_tutorials.py) on TF and on minitf."""
    import subprocess
    import sys
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    listings = {}
    for engine in ("tensorflow", "minitf"):
        done = subprocess.run([sys.executable, "-c", _TAGS_OF_TUTORIALS, engine, str(tmp_path / engine)],
                              cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        listings[engine] = done.stdout.splitlines()
    assert len(listings["minitf"]) == 4            # mnist/train, mnist/test, basic, advanced
    assert listings["minitf"] == listings["tensorflow"]
