"""Datasets that read files: ``TextLineDataset`` (one element per line) and ``TFRecordDataset``,
and the names of files that match a pattern (``Dataset.list_files``).

``filenames`` may be a string, a list of them, or a string tensor (a
placeholder fed to the iterator's initializer, as TF 1.x's guide does).  The
files are opened when the pipeline reaches them, so a missing file is a
``NotFoundError`` from ``get_next()``, as in TF.
"""

from __future__ import annotations

import glob
import gzip
import os

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor_shape import TensorShape
from ..io.tfrecord import read_records
from . import structure as S
from .dataset_ops import Dataset


def _open(path: str, compression_type):
    """The file as a binary stream, uncompressed as asked; TF's NotFoundError when it is missing."""
    if compression_type not in (None, "", "GZIP"):
        raise errors.InvalidArgumentError(None, None, f"Unsupported compression_type: {compression_type!r} "
                                                      "(minitf reads '' and 'GZIP')")
    try:
        return gzip.open(path, "rb") if compression_type == "GZIP" else open(path, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None


class _FileDataset(Dataset):
    """One string element per unit read from each file in turn."""

    def __init__(self, filenames, compression_type=None):
        self._filenames = S.component(filenames, dtypes.string)
        if S.shape_of(self._filenames).ndims not in (None, 0, 1):
            raise ValueError("`filenames` must be a `tf.Tensor` of rank 0 or 1")
        self._compression = compression_type

    def _compute_spec(self):
        return None, [dtypes.string], [TensorShape([])]

    def _params(self) -> list:
        return [self._filenames]

    def _stream(self, pipeline):
        for name in np.asarray(pipeline.value(self._filenames), dtype=object).reshape(-1):
            path = os.fsdecode(name)
            with _open(path, self._compression) as f:
                for unit in self._read(f, path):
                    yield [np.array(unit, dtype=object)]

    def _read(self, f, path):
        raise NotImplementedError


class TextLineDataset(_FileDataset):
    """``tf.data.TextLineDataset``: each line of each file, without its line ending, as a string."""

    def __init__(self, filenames, compression_type=None, buffer_size=None):
        super().__init__(filenames, compression_type)

    def _read(self, f, path):
        for line in f:
            yield line.rstrip(b"\n").rstrip(b"\r")


class TFRecordDataset(_FileDataset):
    """``tf.data.TFRecordDataset``: each record of each TFRecord file, as a string."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        super().__init__(filenames, compression_type)

    def _read(self, f, path):
        return read_records(f, path)


class MatchingFilesDataset(Dataset):
    """The names of the files matching ``file_pattern`` (a glob, or several), sorted; none is no element."""

    def __init__(self, file_pattern):
        self._patterns = S.component(file_pattern, dtypes.string)

    def _compute_spec(self):
        return None, [dtypes.string], [TensorShape([])]

    def _params(self) -> list:
        return [self._patterns]

    def _stream(self, pipeline):
        patterns = np.asarray(pipeline.value(self._patterns), dtype=object).reshape(-1)
        names = sorted({name for p in patterns for name in glob.glob(os.fsdecode(p))})
        for name in names:
            yield [np.array(os.fsencode(name), dtype=object)]
