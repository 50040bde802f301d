"""Saver behaviours no other test reached: var_list as a dict, duplicate names,
recover_last_checkpoints, and latest_checkpoint when the files are gone."""

from __future__ import annotations

import os

import numpy as np
import pytest

import minitf as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_saver_var_list_dict_chooses_the_checkpoint_names(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    saver = tf.train.Saver({"model/weights": w})
    with tf.Session() as sess:
        sess.run(w.initializer)
        prefix = saver.save(sess, str(tmp_path / "ckpt"))
    names = dict(tf.train.list_variables(prefix))
    assert names == {"model/weights": [2]}
    with tf.Graph().as_default():
        other = tf.Variable([0.0, 0.0], name="completely_different")
        with tf.Session() as sess:
            tf.train.Saver({"model/weights": other}).restore(sess, prefix)
            np.testing.assert_array_equal(sess.run(other), [1.0, 2.0])


def test_saver_refuses_two_variables_of_one_name():
    w = tf.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="At least two variables have the same name: w"):
        tf.train.Saver([w, w])


def test_saver_refuses_what_is_not_a_variable():
    with pytest.raises(TypeError, match="Variable to save is not a Variable"):
        tf.train.Saver([tf.constant(1.0)])


def test_recover_last_checkpoints_keeps_existing_ones_and_deletes_beyond_max(tmp_path):
    v = tf.Variable(0.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = tf.train.Saver(max_to_keep=5)
        paths = [first.save(sess, str(tmp_path / "m"), global_step=i) for i in range(3)]
        # A new process: a fresh Saver that knows nothing until told.
        saver = tf.train.Saver(max_to_keep=2)
        assert saver.last_checkpoints == []
        saver.recover_last_checkpoints(paths + [str(tmp_path / "m-99")])  # the missing one is dropped
        assert saver.last_checkpoints == paths
        newest = saver.save(sess, str(tmp_path / "m"), global_step=3)
    assert saver.last_checkpoints == [paths[2], newest]
    for gone in paths[:2]:
        assert not os.path.exists(gone + ".index"), gone
    assert os.path.exists(paths[2] + ".index") and os.path.exists(newest + ".index")


def test_latest_checkpoint_when_files_are_missing(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path)) is None             # no state file at all
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        prefix = tf.train.Saver().save(sess, str(tmp_path / "model"), global_step=7)
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    for name in os.listdir(tmp_path):
        if name.startswith("model-7.") and not name.endswith(".meta"):
            os.remove(tmp_path / name)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None             # named, but its files are gone
