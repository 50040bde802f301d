"""Small helpers the layers share: TF's argument normalization and the training switch (``smart_cond``)."""

from __future__ import annotations

from ..ops.smart_cond import smart_cond, smart_constant_value  # noqa: F401  (the layers' training switch)


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
    return smart_constant_value(training)
