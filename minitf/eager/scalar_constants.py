"""Python numbers as eager operands, converted once.

``a * 2.0`` in eager mode turns ``2.0`` into a float32 tensor on every call:
a numpy array, a dtype check, an EagerTensor.  That cost as much as the
multiplication itself.  Eager tensors never change, so the converted constant
can be kept and reused: keyed by the number's type and value, the dtype it
was converted to, and the device scope (a constant made under
``tf.device("/gpu:0")`` lives in GPU memory).

Only plain finite ``int``/``float``/``bool`` values are kept (``-0.0`` equals
``0.0`` as a key, and NaN never equals itself), and the table is bounded.
"""

from __future__ import annotations

import math

from . import device_scope

_LIMIT = 1024
_cache: dict = {}
_PLAIN = (int, float, bool)


def cached_scalar(value, dtype, convert):
    """``convert(value, dtype)`` (an EagerTensor), reused for equal plain numbers."""
    kind = type(value)
    if kind not in _PLAIN or (kind is float and (value == 0.0 or not math.isfinite(value))):
        return convert(value, dtype)
    key = (kind, value, dtype, device_scope.current())
    tensor = _cache.get(key)
    if tensor is None:
        tensor = convert(value, dtype)             # conversion errors are raised, never kept
        if len(_cache) >= _LIMIT:
            _cache.clear()
        _cache[key] = tensor
    return tensor
