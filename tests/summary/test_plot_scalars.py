"""``minitf.viz.plot_scalars``: a logdir's scalar curves in a notebook, read by minitf itself."""

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import minitf as tf  # noqa: E402
from minitf import viz  # noqa: E402
from minitf.summary.scalars import read_scalars  # noqa: E402


def _log(logdir, run, losses, extra=None):
    with tf.Graph().as_default():
        loss = tf.placeholder(tf.float32, [])
        merged = tf.summary.merge([tf.summary.scalar("loss", loss)]
                                  + ([tf.summary.scalar(extra, loss * 2)] if extra else []))
        with tf.Session() as sess, tf.summary.FileWriter(str(logdir / run), sess.graph) as writer:
            for step, value in enumerate(losses):
                writer.add_summary(sess.run(merged, {loss: value}), step * 10)


def test_read_scalars_finds_runs_like_tensorboard(tmp_path):
    _log(tmp_path, "train", [3.0, 2.0, 1.0], extra="double")
    _log(tmp_path, "eval/a", [4.0, 3.5])
    data = read_scalars(tmp_path)
    assert list(data) == ["eval/a", "train"]
    assert data["train"]["loss"] == ([0, 10, 20], [3.0, 2.0, 1.0])
    assert data["train"]["double"] == ([0, 10, 20], [6.0, 4.0, 2.0])
    assert set(data["eval/a"]) == {"loss"}


def test_read_scalars_stops_quietly_at_a_record_cut_short(tmp_path):
    _log(tmp_path, "run", [3.0, 2.0, 1.0])
    (path,) = (tmp_path / "run").iterdir()
    path.write_bytes(path.read_bytes()[:-5])        # a writer caught in the middle of a record
    assert read_scalars(tmp_path / "run")["."]["loss"] == ([0, 10], [3.0, 2.0])   # logdir is the run


def test_plot_scalars_one_axes_per_tag_one_line_per_run(tmp_path):
    _log(tmp_path, "train", [3.0, 2.0, 1.0], extra="double")
    _log(tmp_path, "test", [4.0, 3.5, 3.0])
    fig = viz.plot_scalars(tmp_path)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["double", "loss"]
    loss_ax = visible[1]
    assert [line.get_label() for line in loss_ax.lines] == ["test", "train"]
    assert list(loss_ax.lines[1].get_xdata()) == [0, 10, 20]
    assert list(loss_ax.lines[1].get_ydata()) == [3.0, 2.0, 1.0]
    only = viz.plot_scalars(tmp_path, tags=["loss"], runs=["train"])
    assert len(only.axes) == 1 and len(only.axes[0].lines) == 1
    with pytest.raises(ValueError, match="No scalar summaries"):
        viz.plot_scalars(tmp_path, tags=["nope"])
    with pytest.raises(tf.errors.NotFoundError):
        viz.plot_scalars(tmp_path / "missing")
    for f in (fig, only):
        plt.close(f)
