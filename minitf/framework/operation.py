"""``Operation``: a node of the graph (an 算子).

An Operation has a type (``Add``), a unique name, input tensors, control
inputs (ops that must run first), attrs, a requested device, and output
tensors.  It never holds values: those live in a Session.
"""

from __future__ import annotations

from . import hooks
from .registry import get_op_def
from .session_stack import run_with_default_session
from .tensor import Tensor


class Operation:
    """A node in a minitf Graph."""

    def __init__(self, graph, op_type: str, name: str, inputs, attrs: dict,
                 output_types, output_shapes, control_inputs=(), device: str = ""):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = list(inputs)
        self._control_inputs = list(control_inputs)
        self._attrs = dict(attrs)
        self._device = device
        self._id = graph._next_id()
        self._outputs = [Tensor(self, i, t, s) for i, (t, s) in enumerate(zip(output_types, output_shapes))]
        self._op_def = get_op_def(op_type)
        for t in self._inputs:
            t._consumers.append(self)
        self._control_outputs = []
        for c in self._control_inputs:
            c._control_outputs.append(self)

    # --- identity --------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def op_def(self):
        return self._op_def

    @property
    def inputs(self) -> list:
        return list(self._inputs)

    @property
    def outputs(self) -> list:
        return list(self._outputs)

    @property
    def control_inputs(self) -> list:
        return list(self._control_inputs)

    @property
    def device(self) -> str:
        return self._device

    def _set_device(self, device: str) -> None:
        self._device = device

    @property
    def node_def(self):
        """This op as a TensorFlow NodeDef protobuf (written by io/graph_io.py)."""
        return hooks.call("node_def", self)

    def values(self) -> tuple:
        return tuple(self._outputs)

    def get_attr(self, name: str):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    @property
    def attrs(self) -> dict:
        return dict(self._attrs)

    def _add_control_input(self, op: "Operation") -> None:
        if op not in self._control_inputs:
            self._control_inputs.append(op)
            op._control_outputs.append(self)

    # --- running ---------------------------------------------------------
    def run(self, feed_dict=None, session=None) -> None:
        """Run this op in ``session`` (default: the default session)."""
        run_with_default_session(self, feed_dict, session, "Operation.run")

    # --- printing --------------------------------------------------------
    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self) -> str:
        lines = [f'name: "{self._name}"', f'op: "{self._type}"']
        lines += [f'input: "{_input_name(t)}"' for t in self._inputs]
        lines += [f'input: "^{c.name}"' for c in self._control_inputs]
        if self._device:
            lines.append(f'device: "{self._device}"')
        return "\n".join(lines) + "\n"


def _input_name(t: Tensor) -> str:
    return t.op.name if t.value_index == 0 else t.name
