"""Small helpers the layers share: TF's argument normalization and the training switch."""

from __future__ import annotations

from ..framework import dtypes
from ..framework.op_builder import constant_value
from ..ops.constant_op import convert_to_tensor
from ..ops.math_ops import where_v2


def normalize_tuple(value, n: int, name: str) -> tuple:
    """An int or n ints as an n-tuple (``kernel_size=5`` -> (5, 5)), with TF's error wording."""
    if isinstance(value, int):
        return (value,) * n
    try:
        value = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received: {value}") from None
    if len(value) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received: {value}")
    return value


def normalize_padding(padding: str) -> str:
    """'same' / 'valid' in any case, as the nn ops want them: 'SAME' / 'VALID'."""
    if not isinstance(padding, str) or padding.lower() not in ("same", "valid"):
        raise ValueError("The `padding` argument must be one of 'valid', 'same'. Received: " + repr(padding))
    return padding.upper()


def check_channels_last(data_format: str) -> None:
    if data_format not in ("channels_last", None):
        raise ValueError(f"minitf's layers support data_format='channels_last' only, got {data_format!r}")


def training_value(training):
    """The Python bool behind ``training`` when it is known now, else None (a bool placeholder)."""
    if isinstance(training, bool):
        return training
    value = constant_value(convert_to_tensor(training, dtype=dtypes.bool))
    return None if value is None else bool(value)


def smart_select(training, when_training, otherwise):
    """TF's smart_cond for a layer: pick a branch when ``training`` is known, else select at run time.

    Each branch is a function that builds its tensor.  With a placeholder both
    are built and ``where`` picks one per run: the same values as TF's
    ``tf.cond`` (whose Switch/Merge nodes minitf does not build here).
    """
    known = training_value(training)
    if known is not None:
        return when_training() if known else otherwise()
    return select(training, when_training(), otherwise())


def smart_select_all(training, when_training, otherwise):
    """``smart_select`` for branches that build several tensors (fused batch norm's three outputs)."""
    known = training_value(training)
    if known is not None:
        return when_training() if known else otherwise()
    return [select(training, a, b) for a, b in zip(when_training(), otherwise())]


def select(training, a, b):
    """where(training, a, b), keeping the branches' static shape (a bool placeholder may have none)."""
    out = where_v2(training, a, b)
    if a.shape.is_compatible_with(b.shape):
        out.set_shape(a.shape.merge_with(b.shape))
    return out
