"""``SaveV2`` and ``RestoreV2``: the graph ops a Saver runs to write and read checkpoints.

As in TF, saving is just running an op: ``sess.run(save/control_dependency,
{save/Const: prefix})`` makes ``SaveV2`` write the V2 tensor bundle
(``prefix.index`` + ``prefix.data-00000-of-00001``, see minitf/io/tensor_bundle.py).
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.tensor_shape import unknown_shape
from ..io.tensor_bundle import BundleReader, BundleWriter
from . import shape_fns


def _text(value) -> str:
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _save_kernel(op, runtime):

    def save(prefix, names, shape_and_slices, *tensors):
        writer = BundleWriter(_text(prefix))
        for name, value in zip(names.reshape(-1), tensors):
            writer.add(_text(name), value)
        writer.finish()
    return save


def _restore_infer(ctx):
    return [(unknown_shape(), d) for d in ctx.attr("dtypes")]


def _restore_kernel(op, runtime):
    wanted = op.get_attr("dtypes")

    def restore(prefix, names, shape_and_slices):
        reader = BundleReader(_text(prefix))
        out = []
        for name, dtype in zip(names.reshape(-1), wanted):
            value = reader.get(_text(name))
            if value.dtype != dtype.np_dtype:
                raise errors.InvalidArgumentError(None, op, (
                    f"tensor_name = {_text(name)}; expected dtype {dtype.name} does not equal "
                    f"original dtype {dtypes.as_dtype(value.dtype).name}"))
            out.append(value)
        return tuple(out) if len(out) != 1 else out[0]
    return restore


register_op("SaveV2", shape_fns.no_outputs, kernel=_save_kernel, attrs=("dtypes",), stateful=True,
            differentiable=False)
register_op("RestoreV2", _restore_infer, kernel=_restore_kernel, attrs=("dtypes",), stateful=True,
            differentiable=False)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    dtype_list = [t.dtype.base_dtype for t in tensors]
    return apply_op("SaveV2", [prefix, tensor_names, shape_and_slices] + list(tensors),
                    {"dtypes": dtype_list}, name=name or "SaveV2")


def restore_v2(prefix, tensor_names, shape_and_slices, dtype_list, name=None):
    out = apply_op("RestoreV2", [prefix, tensor_names, shape_and_slices],
                   {"dtypes": list(dtype_list)}, name=name or "RestoreV2")
    return out if isinstance(out, list) else [out]
