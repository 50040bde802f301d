"""Constants (常量) and ``convert_to_tensor``.

``tf.constant`` bakes a numpy value into the graph as a ``Const`` node.  Any op
argument that is not yet a Tensor (a Python number, a list, a numpy array, a
Variable) goes through ``convert_to_tensor``.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape


def _const_infer(ctx):
    value = ctx.attr("value")
    return TensorShape(value.shape), ctx.attr("dtype")


def _const_kernel(op, runtime):
    # The same array serves every run.  Kernels never write to their inputs and
    # fetched constants are copied, so it stays intact; it is not marked read-only
    # because numba would compile a second signature of every kernel for that.
    value = op.get_attr("value")
    return lambda: value


register_op("Const", _const_infer, kernel=_const_kernel, gpu_kernel="minitf.ops.array_ops_gpu:const",
            attrs=("value", "dtype"), differentiable=False, constant=True, num_inputs=0,
            required_attrs=("value", "dtype"))


def _numpy_value(value, dtype) -> np.ndarray:
    """Convert Python/numpy data to an array of ``dtype`` (inferred like TF when None)."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype is dtypes.string:
            return _bytes_array(value)
        arr = np.asarray(value)
        if arr.dtype.kind in "fc" and dtype.is_integer and arr.size:   # [] is fine for any dtype
            raise TypeError(f"Expected {dtype.name}, got {value!r} of type "
                            f"'{type(value).__name__}' instead.")
        return np.asarray(value, dtype=dtype.np_dtype)
    arr = np.asarray(value)
    if arr.dtype.kind in "US":
        return _bytes_array(value)
    if arr.dtype == np.float64 and not isinstance(value, np.ndarray) and not isinstance(value, np.floating):
        return arr.astype(np.float32)      # Python floats become float32, as in TF
    if arr.dtype == np.int64 and not isinstance(value, np.ndarray) and not isinstance(value, np.integer):
        if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
            return arr                     # too big for int32: TF picks int64
        return arr.astype(np.int32)        # Python ints become int32
    if arr.dtype == object:
        raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. "
                        f"Contents: {value!r}. Consider casting elements to a supported type.")
    dtypes.as_dtype(arr.dtype)   # raises TypeError for unsupported numpy types
    return arr


def _bytes_array(value) -> np.ndarray:
    """Strings as TF holds them: an object array of ``bytes`` (a ``str`` is UTF-8 encoded)."""
    arr = np.array(value, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    out.reshape(-1)[:] = [v.encode("utf-8") if isinstance(v, str) else v for v in arr.reshape(-1)]
    return out


def constant(value, dtype=None, shape=None, name: str = "Const", verify_shape: bool = False) -> Tensor:
    """A tensor whose value is fixed when the graph is built."""
    if isinstance(value, Tensor):
        raise TypeError("tf.constant expects a Python value or numpy array, not a Tensor "
                        f"({value.name}); use tf.identity to copy a tensor.")
    arr = _numpy_value(value, dtype)
    if shape is not None:
        arr = _fit_shape(arr, as_shape(shape), verify_shape)
    if not arr.flags.c_contiguous:
        arr = arr.copy(order="C")    # (np.ascontiguousarray would turn a scalar into 1-D)
    return apply_op("Const", [], {"value": arr, "dtype": dtypes.as_dtype(arr.dtype)}, name=name)


def _fit_shape(arr: np.ndarray, shape: TensorShape, verify_shape: bool) -> np.ndarray:
    target = tuple(shape.as_list())
    if arr.shape == target:
        return arr
    if verify_shape:
        raise TypeError(f"Expected Tensor's shape: {target}, got {arr.shape}.")
    if arr.size == 1:
        return np.full(target, arr.reshape(()), dtype=arr.dtype)     # broadcast one value
    n = int(np.prod(target))
    if arr.size == n:
        return arr.reshape(target)
    if arr.size < n and arr.ndim <= 1:                               # pad with the last value (TF)
        flat = np.concatenate([arr.ravel(), np.repeat(arr.ravel()[-1:], n - arr.size)])
        return flat.reshape(target)
    raise ValueError(f"Too many elements provided. Needed at most {n}, but received {arr.size}")


_conversion_functions: list = []


def register_tensor_conversion_function(base_type, conversion_func) -> None:
    """Teach convert_to_tensor a new type (Variables register themselves this way)."""
    _conversion_functions.append((base_type, conversion_func))


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False) -> Tensor:
    """Return ``value`` as a Tensor, adding a Const node when it is plain data."""
    for base_type, func in _conversion_functions:
        if isinstance(value, base_type):
            value = func(value, dtype=dtype, name=name, as_ref=as_ref)
            break
    if isinstance(value, Tensor) or hasattr(value, "_is_eager_tensor"):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for "
                             f"Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    if value is None:
        raise ValueError("None values not supported.")
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        return _autopack(value, dtype, name or "packed")
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name or "Const")


def _holds_tensor(value) -> bool:
    """Whether a (nested) list holds a Tensor: ``[tf.shape(x)[0], -1]``."""
    if isinstance(value, (list, tuple)):
        return any(_holds_tensor(v) for v in value)
    return isinstance(value, Tensor) or hasattr(value, "_is_eager_tensor") or any(
        isinstance(value, base) for base, _ in _conversion_functions)


def _first_dtype(value):
    if isinstance(value, (list, tuple)):
        return next((d for d in map(_first_dtype, value) if d is not None), None)
    if isinstance(value, Tensor) or hasattr(value, "_is_eager_tensor"):
        return value.dtype.base_dtype
    return None


def _autopack(value, dtype, name):
    """A list mixing numbers and tensors becomes one ``Pack`` op, as TF 1.x packs it (``packed``)."""
    dtype = dtypes.as_dtype(dtype) if dtype is not None else _first_dtype(value)
    with name_scope(name) as scope:
        parts = []
        for i, v in enumerate(value):
            if isinstance(v, (list, tuple)) and _holds_tensor(v):
                parts.append(_autopack(v, dtype, "packed"))
            else:
                parts.append(convert_to_tensor(v, dtype=dtype, name=str(i)))
        if len({p.dtype.base_dtype for p in parts}) > 1:
            raise TypeError(f"Cannot convert a list containing a tensor of dtype "
                            f"{parts[0].dtype.base_dtype.name} to {dtype.name} (Tensor is: {parts[0]!r})")
        return apply_op("Pack", parts, {"N": len(parts), "axis": 0}, name=scope)


def convert_n_to_tensor(values, dtype=None, name=None) -> list:
    return [convert_to_tensor(v, dtype=dtype) for v in values]
