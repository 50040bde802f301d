"""The `checkpoint` state file: TF's text, TF's path rules, atomic updates."""

from __future__ import annotations

import logging
import os
import pathlib

import pytest

from minitf.framework import errors
from minitf.io import checkpoint_state as cs

CKPT = pathlib.Path(__file__).parents[1] / "fixtures" / "tf" / "linreg_ckpt"


def test_reads_tensorflows_state_file():
    state = cs.read_checkpoint_state(str(CKPT / "checkpoint"))
    assert state.model_checkpoint_path == "model.ckpt-300"
    assert list(state.all_model_checkpoint_paths) == ["model.ckpt-200", "model.ckpt-300"]
    joined = cs.get_checkpoint_state(str(CKPT))
    assert joined.model_checkpoint_path == os.path.join(str(CKPT), "model.ckpt-300")
    assert list(joined.all_model_checkpoint_paths)[0] == os.path.join(str(CKPT), "model.ckpt-200")


def test_relative_save_dir_writes_tensorflows_exact_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("train")
    cs.update_checkpoint_state("train", "train/model.ckpt-300",
                               ["train/model.ckpt-200", "train/model.ckpt-300"])
    assert (tmp_path / "train" / "checkpoint").read_bytes() == (CKPT / "checkpoint").read_bytes()


def test_absolute_save_dir_keeps_absolute_paths_and_appends_the_newest(tmp_path):
    save_dir = str(tmp_path)
    cs.update_checkpoint_state(save_dir, os.path.join(save_dir, "m-2"), [os.path.join(save_dir, "m-1")])
    state = cs.read_checkpoint_state(os.path.join(save_dir, "checkpoint"))
    assert state.model_checkpoint_path == os.path.join(save_dir, "m-2")
    assert list(state.all_model_checkpoint_paths) == [os.path.join(save_dir, "m-1"),
                                                      os.path.join(save_dir, "m-2")]
    assert not state.all_model_checkpoint_timestamps  # TF1's Saver writes none


def test_save_relative_paths_and_latest_filename(tmp_path):
    save_dir = str(tmp_path)
    cs.update_checkpoint_state(save_dir, os.path.join(save_dir, "m-1"), [], latest_filename="latest",
                               save_relative_paths=True)
    assert (tmp_path / "latest").read_text() == ('model_checkpoint_path: "m-1"\n'
                                                 'all_model_checkpoint_paths: "m-1"\n')
    assert cs.get_checkpoint_state(save_dir) is None  # no "checkpoint" file
    assert cs.get_checkpoint_state(save_dir, "latest").model_checkpoint_path == os.path.join(save_dir, "m-1")


def test_garbage_is_data_loss_naming_the_file_and_ignored_by_get(tmp_path, caplog):
    path = tmp_path / "checkpoint"
    for garbage in (b"model_checkpoint_path: 3 {", b"\xff\xfe\x00", b"no_such_field: 1"):
        path.write_bytes(garbage)
        with pytest.raises(errors.DataLossError, match=str(path)):
            cs.read_checkpoint_state(str(path))
        with caplog.at_level(logging.WARNING):
            assert cs.get_checkpoint_state(str(tmp_path)) is None
        assert "Checkpoint ignored" in caplog.text


def test_state_without_a_model_path_is_a_value_error_like_tf(tmp_path):
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "a"\n')
    with pytest.raises(ValueError, match="Invalid checkpoint state loaded from"):
        cs.get_checkpoint_state(str(tmp_path))


def test_missing_state_file(tmp_path):
    with pytest.raises(errors.NotFoundError):
        cs.read_checkpoint_state(str(tmp_path / "checkpoint"))


def test_save_path_may_not_be_the_state_file(tmp_path):
    with pytest.raises(RuntimeError, match="conflicts with path used for checkpoint state"):
        cs.update_checkpoint_state(str(tmp_path), os.path.join(str(tmp_path), "checkpoint"))


def test_timestamps_must_match_paths(tmp_path):
    with pytest.raises(ValueError, match="must match checkpoint paths"):
        cs.update_checkpoint_state(str(tmp_path), "m-2", ["m-1"], all_model_checkpoint_timestamps=[1.0])
    cs.update_checkpoint_state(str(tmp_path), os.path.join(str(tmp_path), "m-2"), [],
                               all_model_checkpoint_timestamps=[5.0], last_preserved_timestamp=1.0)
    state = cs.read_checkpoint_state(str(tmp_path / "checkpoint"))
    assert list(state.all_model_checkpoint_timestamps) == [5.0] and state.last_preserved_timestamp == 1.0
