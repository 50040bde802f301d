"""tf.gfile over local files, and atomic writes."""

from __future__ import annotations

import os

import pytest

from minitf.framework import errors
from minitf.io import atomic, gfile


def test_gfile_reads_and_writes_text_and_bytes(tmp_path):
    path = str(tmp_path / "a.txt")
    with gfile.GFile(path, "w") as f:
        f.write("line1\r\nline2\n")
    with gfile.GFile(path) as f:
        assert f.read() == "line1\r\nline2\n"  # line endings untouched, as in TF
        assert f.size() == 13
    with gfile.FastGFile(path, "rb") as f:
        assert f.read(5) == b"line1"
    with gfile.GFile(path, "a") as f:
        f.write("x")
    assert list(gfile.GFile(path)) == ["line1\r\n", "line2\n", "x"]


def test_missing_files_raise_not_found_with_tfs_wording(tmp_path):
    path = str(tmp_path / "nope")
    with pytest.raises(errors.NotFoundError, match="nope; No such file or directory"):
        gfile.GFile(path, "rb")
    with pytest.raises(errors.NotFoundError):
        gfile.Remove(path)
    with pytest.raises(errors.NotFoundError, match="Could not find directory"):
        gfile.ListDirectory(path)


def test_directory_functions(tmp_path):
    root = str(tmp_path / "a" / "b")
    gfile.MakeDirs(root)
    gfile.MakeDirs(root)  # fine when it exists
    assert gfile.Exists(root) and gfile.IsDirectory(root)
    with pytest.raises(errors.AlreadyExistsError):
        gfile.MkDir(root)
    for name in ("model.ckpt-1.index", "model.ckpt-2.index", "checkpoint"):
        with gfile.GFile(os.path.join(root, name), "w") as f:
            f.write("")
    assert gfile.ListDirectory(root) == ["checkpoint", "model.ckpt-1.index", "model.ckpt-2.index"]
    assert gfile.Glob(os.path.join(root, "model.ckpt-*.index")) == [
        os.path.join(root, "model.ckpt-1.index"), os.path.join(root, "model.ckpt-2.index")]
    with pytest.raises(errors.AlreadyExistsError):
        gfile.Rename(os.path.join(root, "checkpoint"), os.path.join(root, "model.ckpt-1.index"))
    gfile.Rename(os.path.join(root, "checkpoint"), os.path.join(root, "model.ckpt-1.index"), overwrite=True)
    gfile.Remove(os.path.join(root, "model.ckpt-2.index"))
    assert gfile.listdir(root) == ["model.ckpt-1.index"]
    gfile.DeleteRecursively(str(tmp_path / "a"))
    assert not gfile.exists(str(tmp_path / "a"))


def test_tf1_and_tf2_spellings_are_the_same_functions():
    pairs = [("Exists", "exists"), ("MakeDirs", "makedirs"), ("Glob", "glob"), ("Remove", "remove"),
             ("ListDirectory", "listdir"), ("IsDirectory", "isdir"), ("DeleteRecursively", "rmtree")]
    for tf1, tf2 in pairs:
        assert getattr(gfile, tf1) is getattr(gfile, tf2)
    assert gfile.Open is gfile.GFile


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    path = str(tmp_path / "checkpoint")
    atomic.atomic_write_text(path, "old")
    atomic.atomic_write_bytes(path, b"new")
    assert open(path, "rb").read() == b"new"
    assert os.listdir(tmp_path) == ["checkpoint"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path):
    path = str(tmp_path / "state")
    atomic.atomic_write_text(path, "old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_writer(path) as f:
            f.write(b"half of the new")
            assert any(".tmp" in n for n in os.listdir(tmp_path))  # named <name>.tmp<uuid4hex>
            raise RuntimeError("crash")
    assert open(path).read() == "old"
    assert os.listdir(tmp_path) == ["state"]


def test_atomic_write_string_to_file_can_refuse_to_overwrite(tmp_path):
    path = str(tmp_path / "f")
    atomic.atomic_write_string_to_file(path, "a")
    with pytest.raises(errors.AlreadyExistsError):
        atomic.atomic_write_string_to_file(path, "b", overwrite=False)
