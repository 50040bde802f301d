"""``EagerOp``: the little op-like record eager mode hands to kernels and gradients.

Registry code was written against graph Operations: a kernel factory reads
``op.get_attr("transpose_a")``, a gradient function reads ``op.inputs`` and
``op.outputs``.  Eager mode has no graph, so it gives them this record with
the same names instead.  Its inputs and outputs are EagerTensors, which is
what makes a gradient function's ops run eagerly too.
"""

from __future__ import annotations


class EagerOp:
    """One eager op call: type, attrs, input and output tensors."""

    __slots__ = ("op_def", "type", "name", "inputs", "outputs", "_attrs")

    def __init__(self, op_def, attrs: dict, inputs, name: str | None = None, outputs=()):
        self.op_def = op_def
        self.type = op_def.type
        self.name = name or op_def.type
        self._attrs = attrs
        self.inputs = list(inputs)
        self.outputs = list(outputs)

    def get_attr(self, name: str):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.") from None

    @property
    def attrs(self) -> dict:
        return dict(self._attrs)

    @property
    def device(self) -> str:
        return ""

    @property
    def control_inputs(self) -> list:
        return []

    def __repr__(self) -> str:
        return f"<eager op '{self.name}' type={self.type}>"


class StaticOutput:
    """An output a kernel factory may inspect before the op has run: dtype and shape only."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype = dtype
        self.shape = shape

    def get_shape(self):
        return self.shape
