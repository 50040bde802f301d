"""``tf.py_func``: a Python function as a graph op (PyFunc / PyFuncStateless).

The op holds only a *token*; the function itself stays in this Python
process, in a table keyed by that token (TF keeps the same table).  So a graph
with a py_func runs here, but cannot be saved and run anywhere else: the
GraphDef would name a token that no other process knows.  minitf refuses to
write such a graph to a file (``tf.train.write_graph``, freezing,
``tf.saved_model``) with an error that says so (``io/graph_io.py``); TensorFlow writes the file and
fails later, in the process that loads it.  It has no gradient, as in TF.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.tensor_shape import unknown_shape
from .array_ops import node_suffix
from .constant_op import convert_to_tensor

_FUNCTIONS: dict = {}              # token -> the Python function (this process only)
_TOKENS = itertools.count()

# Python exceptions become TF error classes as TF's PyFuncOp maps them.
_ERROR_CLASSES = {ValueError: errors.InvalidArgumentError, TypeError: errors.InvalidArgumentError,
                  StopIteration: errors.OutOfRangeError, IndexError: errors.OutOfRangeError,
                  MemoryError: errors.ResourceExhaustedError, NotImplementedError: errors.UnimplementedError}


def _py_func_infer(ctx):
    return [(unknown_shape(), dt) for dt in ctx.attr("Tout")]


def _py_func_kernel(op, runtime):
    token = op.get_attr("token")
    out_types = op.get_attr("Tout")

    def call(*args):
        func = _FUNCTIONS.get(token)
        if func is None:
            raise errors.InvalidArgumentError(None, op, f"Failed to run py callback {token}: "
                                              "the function was not registered in this process"
                                              + node_suffix(op))
        try:
            results = func(*args)
        except Exception as e:      # noqa: BLE001 - any user error becomes TF's error class
            error = next((cls for py, cls in _ERROR_CLASSES.items() if isinstance(e, py)), errors.UnknownError)
            raise error(None, op, f"{type(e).__name__}: {e}" + node_suffix(op)) from e
        results = list(results) if isinstance(results, (list, tuple)) else [results]
        if len(results) != len(out_types):
            raise errors.InvalidArgumentError(None, op, f"{token} returns {len(results)} values, but "
                                              f"expects to see {len(out_types)} values." + node_suffix(op))
        arrays = tuple(_converted(r, dt, op, token) for r, dt in zip(results, out_types))
        return arrays[0] if len(arrays) == 1 else arrays
    return call


def _converted(value, dtype, op, token):
    array = np.asarray(value)
    if dtype == dtypes.string:
        return array.astype(object)
    if array.dtype != dtype.np_dtype:
        raise errors.InvalidArgumentError(None, op, f"{token} returns {array.dtype} values, but expects "
                                          f"to see {dtype.name} values." + node_suffix(op))
    return array


for _type in ("PyFunc", "PyFuncStateless"):
    register_op(_type, _py_func_infer, kernel=_py_func_kernel, attrs=("token", "Tin", "Tout"),
                stateful=_type == "PyFunc", differentiable=False)


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's argument name
    """Run ``func`` on the numpy values of ``inp`` whenever the op runs; it returns ``Tout``-typed arrays.

    Not serializable: the graph keeps a token, the function stays in this process.
    """
    inputs = [convert_to_tensor(x) for x in inp]
    single = not isinstance(Tout, (list, tuple))
    out_types = [dtypes.as_dtype(t).base_dtype for t in ([Tout] if single else Tout)]
    token = f"pyfunc_{next(_TOKENS)}"
    _FUNCTIONS[token] = func
    attrs = {"token": token, "Tin": [x.dtype.base_dtype for x in inputs], "Tout": out_types}
    result = apply_op("PyFunc" if stateful else "PyFuncStateless", inputs, attrs, name=name or "PyFunc")
    outputs = result if isinstance(result, list) else ([] if not out_types else [result])
    return outputs[0] if single else outputs
