"""Write a file so that readers see either the old contents or the new, never a mix.

The recipe (TF's ``file_io.atomic_write_string_to_file``): write a temporary
file ``<name>.tmp<uuid4hex>`` in the *same directory* (a rename is atomic only
within one file system), flush and fsync it (so its bytes are on disk before
its name is), rename it over the target with ``os.replace``, then fsync the
directory (so the rename itself survives a power cut).  A crash at any point
leaves the old file or the new one, plus at worst a stray temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from typing import BinaryIO, Iterator

from minitf.framework import errors


@contextlib.contextmanager
def atomic_writer(path: str) -> Iterator[BinaryIO]:
    """Yield a binary file; on normal exit it atomically becomes ``path``.

    If the body raises, the temporary file is removed and ``path`` is untouched.
    """
    temp = f"{path}.tmp{uuid.uuid4().hex}"
    try:
        with open(temp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.remove(temp)
        if isinstance(e, OSError):
            raise write_error(e, path) from None
        raise
    fsync_directory(os.path.dirname(path) or ".")


def write_error(err: OSError, path: str) -> errors.OpError:
    """TF's error class for a failed write: a read-only folder, a full disk, ..."""
    if isinstance(err, PermissionError) or err.errno == errno.EROFS:
        return errors.PermissionDeniedError(None, None, f"{path}; {err.strerror or 'Permission denied'}")
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return errors.ResourceExhaustedError(None, None,
                                             f"{path}; {err.strerror or 'No space left on device'}")
    if isinstance(err, FileNotFoundError):
        return errors.NotFoundError(None, None, f"{path}; No such file or directory")
    if isinstance(err, (IsADirectoryError, NotADirectoryError)):
        return errors.FailedPreconditionError(None, None, f"{path}; {err.strerror}")
    return errors.UnknownError(None, None, f"{path}; {err.strerror or err}")


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_writer(path) as f:
        f.write(data)


def atomic_write_text(path: str, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_string_to_file(filename: str, contents, overwrite: bool = True) -> None:
    """TF's ``file_io.atomic_write_string_to_file`` (str or bytes contents)."""
    if not overwrite and os.path.exists(filename):
        raise errors.AlreadyExistsError(None, None, f"file already exists: {filename}")
    data = contents.encode("utf-8") if isinstance(contents, str) else bytes(contents)
    atomic_write_bytes(filename, data)


def fsync_directory(directory: str) -> None:
    """Flush a directory entry change (a create or rename) to disk, where the OS allows it."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot open a directory to fsync it
        return
    # Best effort: the rename has happened; some file systems refuse to fsync a
    # directory, and that must not turn a finished save into an error.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
