"""Reading checkpoints without a graph: ``list_variables``, ``load_checkpoint``, ``NewCheckpointReader``."""

from __future__ import annotations

import os

from ..framework import errors
from ..io.tensor_bundle import BundleReader, index_filename
from .saver import latest_checkpoint


def _prefix(ckpt_dir_or_file) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = latest_checkpoint(path)
        if found is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return found
    return path


class CheckpointReader:
    """TF's ``CheckpointReader``: names, shapes, dtypes and values of a checkpoint's tensors."""

    def __init__(self, prefix: str):
        if not os.path.exists(index_filename(prefix)):
            raise errors.NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: Failed "
                                                   f"to find any matching files for {prefix}")
        self._reader = BundleReader(prefix)

    def get_variable_to_shape_map(self) -> dict:
        return {k: list(v) for k, v in self._reader.variable_to_shape_map().items()}

    def get_variable_to_dtype_map(self) -> dict:
        return self._reader.variable_to_dtype_map()

    def has_tensor(self, name: str) -> bool:
        return name in self._reader

    def get_tensor(self, name: str):
        return self._reader.get(name)

    def debug_string(self) -> bytes:
        lines = [f"{k} ({d.name}) {list(s)}" for k, (d, s) in
                 ((k, self._reader.dtype_and_shape(k)) for k in self._reader.keys())]
        return ("\n".join(lines) + "\n").encode("utf-8")


def NewCheckpointReader(filepattern) -> CheckpointReader:  # noqa: N802 - TF's name
    return CheckpointReader(os.fspath(filepattern))


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A reader for the checkpoint (a prefix, or a directory's latest checkpoint)."""
    return CheckpointReader(_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file) -> list:
    """``[(name, shape), ...]`` of every tensor in the checkpoint, sorted by name."""
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name: str):
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
