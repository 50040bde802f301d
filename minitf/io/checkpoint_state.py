"""The ``checkpoint`` file: which checkpoints a save directory holds, newest last.

It is a ``CheckpointState`` proto in protobuf *text* format::

    model_checkpoint_path: "model.ckpt-300"
    all_model_checkpoint_paths: "model.ckpt-200"
    all_model_checkpoint_paths: "model.ckpt-300"

The Saver rewrites it after each save, atomically, so it is the commit point
of a save: it only ever names checkpoints whose files are complete.

Errors.  ``read_checkpoint_state`` is strict: ``NotFoundError`` for a missing
file and ``DataLossError`` naming the file when it is not a CheckpointState.
``get_checkpoint_state`` behaves like TF's: a missing or unreadable file is
logged and gives None (TF catches its text-format ``ParseError`` the same
way), and a state without ``model_checkpoint_path`` raises ``ValueError``.
"""

from __future__ import annotations

import logging
import os
from typing import Optional, Sequence

from google.protobuf import text_format

from minitf.framework import errors
from minitf.io.atomic import atomic_write_text
from minitf.io.protos.checkpoint_state_pb2 import CheckpointState

_log = logging.getLogger(__name__)


def checkpoint_state_path(save_dir: str, latest_filename: Optional[str] = None) -> str:
    return os.path.join(save_dir, latest_filename or "checkpoint")


def read_checkpoint_state(path: str) -> CheckpointState:
    """Parse the state file at ``path``, paths exactly as stored."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        return text_format.Merge(text, CheckpointState())
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except OSError as e:                  # a directory, no permission...
        raise errors.FailedPreconditionError(None, None, f"{path}; {e.strerror or e}") from None
    except (UnicodeDecodeError, text_format.ParseError) as e:
        raise errors.DataLossError(
            None, None, f"{path} is not a valid checkpoint state file: {e}") from None


def get_checkpoint_state(checkpoint_dir: str,
                         latest_filename: Optional[str] = None) -> Optional[CheckpointState]:
    """The state of ``checkpoint_dir``, relative paths joined to it; None if unavailable."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    path = checkpoint_state_path(checkpoint_dir, latest_filename)
    if not os.path.isfile(path):          # missing, or a directory by that name: no state (TF)
        return None
    try:
        ckpt = read_checkpoint_state(path)
    except errors.OpError as e:
        _log.warning("%s: %s", type(e).__name__, e)
        _log.warning("%s: Checkpoint ignored", path)
        return None
    if not ckpt.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    ckpt.model_checkpoint_path = _under(checkpoint_dir, ckpt.model_checkpoint_path)
    for i, p in enumerate(ckpt.all_model_checkpoint_paths):
        ckpt.all_model_checkpoint_paths[i] = _under(checkpoint_dir, p)
    return ckpt


def _under(directory: str, path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(directory, path)


def generate_checkpoint_state_proto(save_dir: str, model_checkpoint_path: str,
                                    all_model_checkpoint_paths: Optional[Sequence[str]] = None,
                                    all_model_checkpoint_timestamps: Optional[Sequence[float]] = None,
                                    last_preserved_timestamp: Optional[float] = None
                                    ) -> CheckpointState:
    """The CheckpointState TF would write (the newest path always last in the list)."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps and len(all_model_checkpoint_timestamps) != len(paths):
        raise ValueError(f"Checkpoint timestamps, if provided, must match checkpoint paths (got "
                         f"paths {paths} and timestamps {list(all_model_checkpoint_timestamps)})")
    if not os.path.isabs(save_dir):
        # A relative save_dir means the files are meant to move with the
        # directory, so store the paths relative to it.
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    return CheckpointState(model_checkpoint_path=model_checkpoint_path,
                           all_model_checkpoint_paths=paths,
                           all_model_checkpoint_timestamps=all_model_checkpoint_timestamps,
                           last_preserved_timestamp=last_preserved_timestamp)


def update_checkpoint_state(save_dir: str, model_checkpoint_path: str,
                            all_model_checkpoint_paths: Optional[Sequence[str]] = None,
                            latest_filename: Optional[str] = None,
                            all_model_checkpoint_timestamps: Optional[Sequence[float]] = None,
                            last_preserved_timestamp: Optional[float] = None,
                            save_relative_paths: bool = False) -> None:
    """Atomically rewrite the state file of ``save_dir`` (TF's ``update_checkpoint_state``)."""
    path = checkpoint_state_path(save_dir, latest_filename)
    if save_relative_paths:
        model_checkpoint_path = _relative_to(save_dir, model_checkpoint_path)
        all_model_checkpoint_paths = [_relative_to(save_dir, p)
                                      for p in all_model_checkpoint_paths or []]
    ckpt = generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                           all_model_checkpoint_paths,
                                           all_model_checkpoint_timestamps,
                                           last_preserved_timestamp)
    if path == ckpt.model_checkpoint_path:
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for "
                           "checkpoint state.  Please use a different save path.")
    atomic_write_text(path, text_format.MessageToString(ckpt))


def _relative_to(directory: str, path: str) -> str:
    return os.path.relpath(path, directory) if os.path.isabs(path) else path
