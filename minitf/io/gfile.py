"""TF's file API (``tf.gfile`` in TF1, ``tf.io.gfile`` in TF2), over Python's ``open`` and ``os``.

TF routes file access through its own layer so that the same code can read
local files, GCS or HDFS.  minitf reads local files only, so each function here
is a thin wrapper whose real job is to raise TF's error classes
(``NotFoundError``, ``AlreadyExistsError``, ...) instead of ``OSError``, so
that ``except tf.errors.NotFoundError`` works as in TF.

TF1 spells the functions ``Exists``, ``MakeDirs``...; TF2 ``exists``,
``makedirs``...  Both spellings are provided.
"""

from __future__ import annotations

import glob as _glob
import os
import shutil
from typing import Iterator

from minitf.framework import errors


def _translate(err: OSError, path: str) -> errors.OpError:
    """The TF error for an ``OSError`` about ``path``."""
    if isinstance(err, FileNotFoundError):
        return errors.NotFoundError(None, None, f"{path}; No such file or directory")
    if isinstance(err, FileExistsError):
        return errors.AlreadyExistsError(None, None, f"{path}; File exists")
    if isinstance(err, PermissionError):
        return errors.PermissionDeniedError(None, None, f"{path}; Permission denied")
    if isinstance(err, (IsADirectoryError, NotADirectoryError)):
        return errors.FailedPreconditionError(None, None, f"{path}; {err.strerror}")
    return errors.UnknownError(None, None, f"{path}; {err.strerror or err}")


class GFile:
    """A file object with TF's errors (``tf.gfile.GFile``); usable as a context manager.

    Modes are Python's (``"r"``, ``"rb"``, ``"w"``, ``"wb"``, ``"a"``, ...).
    Text mode uses UTF-8 and leaves line endings alone, as TF does.
    """

    def __init__(self, name: str, mode: str = "r"):
        self.name = os.fspath(name)
        self.mode = mode
        try:
            if "b" in mode:
                self._file = open(self.name, mode)
            else:
                self._file = open(self.name, mode, encoding="utf-8", newline="")
        except OSError as e:
            raise _translate(e, self.name) from None

    def read(self, n: int = -1):
        return self._file.read(n)

    def readline(self):
        return self._file.readline()

    def readlines(self) -> list:
        return self._file.readlines()

    def write(self, data) -> None:
        self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def size(self) -> int:
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator:
        return iter(self._file)

    def __enter__(self) -> "GFile":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class FastGFile(GFile):
    """TF1's ``tf.gfile.FastGFile``: the same as ``GFile`` here."""


Open = GFile


def exists(path: str) -> bool:
    """Whether ``path`` exists (a file or a directory)."""
    return os.path.exists(path)


def isdir(path: str) -> bool:
    return os.path.isdir(path)


def makedirs(path: str) -> None:
    """Create ``path`` and any missing parents; fine if it exists already."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise _translate(e, path) from None


def mkdir(path: str) -> None:
    """Create one directory; its parent must exist and it must not."""
    try:
        os.mkdir(path)
    except OSError as e:
        raise _translate(e, path) from None


def remove(path: str) -> None:
    """Delete a file."""
    try:
        os.remove(path)
    except OSError as e:
        raise _translate(e, path) from None


def rmtree(path: str) -> None:
    """Delete a directory and everything in it."""
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory")
    shutil.rmtree(path)


def listdir(path: str) -> list[str]:
    """The names in a directory, sorted."""
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return sorted(os.listdir(path))


def glob(pattern: str) -> list[str]:
    """The paths matching a shell pattern such as ``ckpt/model.ckpt-*.index``, sorted."""
    return sorted(_glob.glob(pattern))


def rename(src: str, dst: str, overwrite: bool = False) -> None:
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {dst}")
    try:
        os.replace(src, dst)
    except OSError as e:
        raise _translate(e, src) from None


def copy(src: str, dst: str, overwrite: bool = False) -> None:
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {dst}")
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        raise _translate(e, src) from None


def walk(top: str, topdown: bool = True) -> Iterator[tuple[str, list, list]]:
    """(dirpath, subdirectory names, file names) for each directory under ``top``."""
    yield from os.walk(top, topdown=topdown)


# TF1's capitalised names (tf.gfile.Exists, ...).
Exists = exists
IsDirectory = isdir
MakeDirs = makedirs
MkDir = mkdir
Remove = remove
DeleteRecursively = rmtree
ListDirectory = listdir
Glob = glob
Rename = rename
Copy = copy
Walk = walk
