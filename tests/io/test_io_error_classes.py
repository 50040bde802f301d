"""I/O failures come out as TF's error classes (issue 10)."""

import errno
import os

import numpy as np
import pytest

import minitf as tf
from minitf import errors
from minitf.io import atomic


@pytest.fixture
def saver_graph():
    with tf.Graph().as_default():
        v = tf.Variable(np.ones(3, np.float32), name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            yield sess, saver


def _failing_open(err_no):
    real_open = open

    def fake_open(path, mode="r", *args, **kwargs):
        if "w" in mode and ".tmp" in os.fspath(path):
            raise OSError(err_no, os.strerror(err_no), path)
        return real_open(path, mode, *args, **kwargs)
    return fake_open


def test_save_into_a_read_only_folder_is_permission_denied(saver_graph, tmp_path, monkeypatch):
    sess, saver = saver_graph
    monkeypatch.setattr(atomic, "open", _failing_open(errno.EACCES), raising=False)
    with pytest.raises(errors.PermissionDeniedError):
        saver.save(sess, str(tmp_path / "model.ckpt"))


def test_save_on_a_full_disk_is_resource_exhausted(saver_graph, tmp_path, monkeypatch):
    sess, saver = saver_graph
    monkeypatch.setattr(atomic, "open", _failing_open(errno.ENOSPC), raising=False)
    with pytest.raises(errors.ResourceExhaustedError):
        saver.save(sess, str(tmp_path / "model.ckpt"))
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name], "temporary files are removed"


def test_export_meta_graph_and_write_graph_raise_tf_errors(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with tf.Graph().as_default():
        tf.constant(1.0)
        with pytest.raises(errors.OpError):
            tf.train.export_meta_graph(str(blocker / "x.meta"))
        with pytest.raises(errors.OpError):
            tf.train.write_graph(tf.get_default_graph(), str(blocker / "sub"), "g.pbtxt")


def test_checkpoint_state_file_that_is_a_directory_gives_none(tmp_path):
    (tmp_path / "checkpoint").mkdir()
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
