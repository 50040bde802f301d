"""The classic TensorBoard tutorial programs (tensorboard_tutorials.py) run on minitf.

Their logs are read back by minitf, by TensorBoard's own reader (EventAccumulator),
and by a real TensorBoard server over HTTP.
"""

import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest

import minitf as tf

from tensorboard_tutorials import (FLAGS, INPUT_DIM, IMAGE_SIZE, mnist_with_summaries,
                                   tensorboard_advanced, tensorboard_basic)


# --- running them once -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run the three programs into one logdir; return (logdir, printed lines per program)."""
    logdir = tmp_path_factory.mktemp("logs")
    printed = {}
    for name, program in [("mnist_with_summaries", mnist_with_summaries),
                          ("basic", lambda: tensorboard_basic(str(logdir / "basic"))),
                          ("advanced", lambda: tensorboard_advanced(str(logdir / "advanced")))]:
        FLAGS.log_dir = str(logdir / "mnist_with_summaries")
        out = io.StringIO()
        with tf.Graph().as_default(), contextlib.redirect_stdout(out):
            tf.set_random_seed(1)
            program()
        printed[name] = out.getvalue().splitlines()
    return logdir, printed


def _read(run_dir) -> list:
    (path,) = [os.path.join(run_dir, f) for f in os.listdir(run_dir) if "tfevents" in f]
    return list(tf.train.summary_iterator(path))


def _scalars(events, tag) -> list:
    return [(e.step, v.simple_value) for e in events if e.HasField("summary")
            for v in e.summary.value if v.tag == tag]


def test_mnist_with_summaries_trains_and_logs_train_and_test_runs(runs):
    logdir, printed = runs
    lines = printed["mnist_with_summaries"]
    assert lines[0].startswith("Accuracy at step 0: ") and "Adding run metadata for 99" in lines
    accuracies = [float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("Accuracy")]
    assert len(accuracies) == 12 and accuracies[-1] > 0.8 > 0.2 > accuracies[0]

    train = _read(logdir / "mnist_with_summaries" / "train")
    test = _read(logdir / "mnist_with_summaries" / "test")
    assert [e.WhichOneof("what") for e in train[:3]] == ["file_version", "graph_def", "meta_graph_def"]
    assert not any(e.HasField("graph_def") for e in test)        # only the train writer got the graph
    assert [s for s, _ in _scalars(train, "accuracy_1")] == [i for i in range(120) if i % 10]
    assert [s for s, _ in _scalars(test, "accuracy_1")] == list(range(0, 120, 10))
    assert [a for _, a in _scalars(test, "accuracy_1")] == pytest.approx(accuracies)
    assert [e.tagged_run_metadata.tag for e in train if e.HasField("tagged_run_metadata")] == ["step099"]

    tags = {v.tag: v.WhichOneof("value") for e in test if e.HasField("summary") for v in e.summary.value}
    # variable_summaries under the layer's name scopes.  Each tag is a unique op name, and
    # TF's names are unique case-insensitively: 'mean' meets the op 'Mean' of reduce_mean
    # and becomes mean_1 ('stddev' meets the name scope stddev), as in TensorFlow.
    for layer in ("layer1", "layer2"):
        for part in ("weights", "biases"):
            for stat in ("mean_1", "stddev_1", "max_1", "min_1"):
                assert tags[f"{layer}/{part}/summaries/{stat}"] == "simple_value"
            assert tags[f"{layer}/{part}/summaries/histogram"] == "histo"
        assert tags[f"{layer}/Wx_plus_b/pre_activations"] == "histo"
        assert tags[f"{layer}/activations"] == "histo"
    assert tags["dropout/dropout_keep_probability"] == "simple_value"
    assert tags["cross_entropy_1"] == "simple_value"
    images = sorted(t for t, kind in tags.items() if kind == "image")
    assert images == [f"input_reshape/input/image/{i}" for i in range(10)]


def test_stddev_summary_is_the_weights_spread(runs):
    logdir, _ = runs
    test = _read(logdir / "mnist_with_summaries" / "test")
    first = {v.tag: v for v in next(e for e in test if e.HasField("summary")).summary.value}
    histo = first["layer1/weights/summaries/histogram"].histo
    mean = histo.sum / histo.num
    assert first["layer1/weights/summaries/mean_1"].simple_value == pytest.approx(mean, rel=1e-4)
    std = np.sqrt(histo.sum_squares / histo.num - mean ** 2)
    assert first["layer1/weights/summaries/stddev_1"].simple_value == pytest.approx(std, rel=1e-3)
    assert first["layer1/weights/summaries/max_1"].simple_value == pytest.approx(histo.max)
    assert -0.2 <= histo.min < histo.max <= 0.2                       # truncated_normal(stddev=0.1)
    assert histo.num == INPUT_DIM * 100


def test_tensorboard_basic_logs_graph_loss_and_accuracy(runs):
    logdir, printed = runs
    lines = printed["basic"]
    costs = [float(line.split("cost= ")[1]) for line in lines if line.startswith("Epoch:")]
    assert len(costs) == 5 and costs[-1] < costs[0]
    assert lines[5] == "Optimization Finished!" and float(lines[6].split()[1]) > 0.85
    events = _read(logdir / "basic")
    # The name scope 'Loss' took the name 'loss' (names are unique regardless of case), so the
    # summary's tag is loss_1, as in TensorFlow; likewise accuracy_1.
    loss = _scalars(events, "loss_1")
    assert [s for s, _ in loss] == list(range(75))                  # 5 epochs of 15 batches
    assert len(_scalars(events, "accuracy_1")) == 75
    assert np.mean([c for _, c in loss[-15:]]) == pytest.approx(costs[-1], rel=1e-5)
    graph = tf.GraphDef.FromString(next(e.graph_def for e in events if e.HasField("graph_def")))
    names = {n.name for n in graph.node}
    assert {"InputData", "Weights", "Model/Softmax", "Loss/Mean", "SGD/GradientDescent",
            "Accuracy/Mean", "loss_1", "accuracy_1", "Merge/MergeSummary"} <= names


def test_tensorboard_advanced_logs_weight_and_gradient_histograms(runs):
    logdir, printed = runs
    assert printed["advanced"][2] == "Optimization Finished!"
    events = _read(logdir / "advanced")
    histos = {v.tag for e in events if e.HasField("summary") for v in e.summary.value
              if v.WhichOneof("value") == "histo"}
    # var.name is 'W1:0'; ':' is not allowed in a tag, so TF (and minitf) log it as 'W1_0'.
    assert {"W1_0", "W1_0/gradient", "b3_0", "b3_0/gradient", "Model/relu1", "Model/relu2"} <= histos
    first = {v.tag: v.histo for v in next(e for e in events if e.HasField("summary")).summary.value
             if v.WhichOneof("value") == "histo"}
    assert first["W1_0/gradient"].num == INPUT_DIM * 32 and first["W1_0/gradient"].sum_squares > 0


# --- read back by TensorBoard ------------------------------------------------------------------------------
def test_tensorboard_event_accumulator_reads_the_runs(runs):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    logdir, _ = runs
    train = EventAccumulator(str(logdir / "mnist_with_summaries" / "train"),
                             size_guidance={"scalars": 0, "histograms": 0, "images": 0})
    train.Reload()
    tags = train.Tags()
    assert tags["graph"] and tags["meta_graph"] and tags["run_metadata"] == ["step099"]
    assert "layer1/weights/summaries/histogram" in tags["histograms"]
    assert "input_reshape/input/image/9" in tags["images"]
    accuracy = train.Scalars("accuracy_1")
    assert [e.step for e in accuracy] == [i for i in range(120) if i % 10]
    histogram = train.Histograms("layer2/activations")[-1].histogram_value
    assert histogram.num == 100 * 10 and sum(histogram.bucket) == 100 * 10
    image = train.Images("input_reshape/input/image/0")[0]
    assert (image.width, image.height) == (IMAGE_SIZE, IMAGE_SIZE)
    graph_nodes = {n.name for n in train.Graph().node}
    assert "layer1/weights/summaries/histogram" in graph_nodes and "train/Adam" in graph_nodes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tensorboard_command() -> list:
    script = shutil.which("tensorboard", path=os.path.dirname(sys.executable)) or shutil.which("tensorboard")
    if script:
        return [script]
    return [sys.executable, "-c", "from tensorboard.main import run_main; run_main()"]


@contextlib.contextmanager
def _tensorboard(logdir):
    """A headless TensorBoard on 127.0.0.1 and a free port; yields a GET function; stopped by PID."""
    port = _free_port()
    proc = subprocess.Popen(
        _tensorboard_command() + ["--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(port),
                                  "--load_fast", "false", "--reload_interval", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": ""})

    def get(path, **query):
        url = f"http://127.0.0.1:{port}{path}" + ("?" + urllib.parse.urlencode(query) if query else "")
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read()
    try:
        yield proc, get
    finally:
        os.kill(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, 9)
            proc.wait()
        proc.stdout.close()


def _wait_for_runs(proc, get, wanted, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail("tensorboard exited: " + proc.stdout.read().decode(errors="replace")[-2000:])
        try:
            runs = json.loads(get("/data/runs"))
            if set(wanted) <= set(runs):
                tags = json.loads(get("/data/plugin/scalars/tags"))
                if all(tags.get(r) for r in wanted):
                    return
        except OSError:
            pass                                     # not listening yet
        time.sleep(0.5)
    pytest.fail(f"tensorboard did not list the runs {wanted} within {timeout}s")


@pytest.mark.tensorboard
@pytest.mark.slow
def test_real_tensorboard_serves_scalars_histograms_images_and_graphs(runs):
    pytest.importorskip("tensorboard")
    logdir, printed = runs
    with _tensorboard(logdir) as (proc, get):
        train, test, basic = "mnist_with_summaries/train", "mnist_with_summaries/test", "basic"
        _wait_for_runs(proc, get, [train, test, basic, "advanced"])

        # Scalars: [wall_time, step, value] per point.
        points = json.loads(get("/data/plugin/scalars/scalars", run=test, tag="accuracy_1"))
        assert [p[1] for p in points] == list(range(0, 120, 10))
        accuracies = [float(line.rsplit(" ", 1)[1]) for line in printed["mnist_with_summaries"]
                      if line.startswith("Accuracy")]
        assert [p[2] for p in points] == pytest.approx(accuracies)
        loss = json.loads(get("/data/plugin/scalars/scalars", run=basic, tag="loss_1"))
        assert len(loss) == 75 and loss[-1][2] < loss[0][2]

        # Histograms: [wall_time, step, [[left, right, count], ...]].
        histos = json.loads(get("/data/plugin/histograms/histograms", run=train,
                                tag="layer1/weights/summaries/histogram"))
        assert histos and sum(b[2] for b in histos[-1][2]) == pytest.approx(INPUT_DIM * 100)
        gradient = json.loads(get("/data/plugin/histograms/histograms", run="advanced", tag="W1_0/gradient"))
        assert len(gradient) > 0

        # Images: the list, then one PNG.
        images = json.loads(get("/data/plugin/images/images", run=test, tag="input_reshape/input/image/3",
                                sample=0))
        steps = [i["step"] for i in images]              # TensorBoard keeps a sample of 10 by default
        assert steps == sorted(steps) and set(steps) <= set(range(0, 120, 10)) and steps[-1] == 110
        png = get("/data/plugin/images/individualImage?" + images[0]["query"])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")

        # Graphs: TensorBoard sends the GraphDef as protobuf text.
        graph = get("/data/plugin/graphs/graph", run=train).decode()
        assert 'name: "layer1/Wx_plus_b/MatMul"' in graph and 'op: "HistogramSummary"' in graph
        assert 'name: "Model/Softmax"' in get("/data/plugin/graphs/graph", run=basic).decode()
