"""``FuncGraph``: the body of a function (a cond branch, a while loop's body).

TF's functional control flow ops (``If``, ``While``) do not hold their
branches as nodes of the main graph: each branch is a small graph of its own,
a *function*, named by an attr and stored in the GraphDef's ``library``.

A FuncGraph is that small graph.  Its inputs are placeholders.  When the
Python code building it uses a tensor of the graph around it (a weight, a
placeholder), the FuncGraph *captures* it: it makes an input placeholder for
it, and the control flow op passes the outer tensor in.  A variable used by
reference (``tf.assign`` inside a branch) is captured as a ``VariableV2`` of
the same name instead: it names the same storage in the Session.

Variables created while a body is built, and collections, belong to the
outermost graph, as in TF 1.x where everything is one graph.
"""

from __future__ import annotations

import contextlib
import itertools

from .graph import Graph, get_default_graph
from .tensor import Tensor

_numbers = itertools.count(1)
_taken: set = set()         # function names made or imported in this process


def unique_function_name(base: str) -> str:
    """``base_<n>``, unused by any function made or imported so far (library names must differ)."""
    name = f"{base}_{next(_numbers)}"
    while name in _taken:
        name = f"{base}_{next(_numbers)}"
    _taken.add(name)
    return name


def claim_function_name(name: str) -> None:
    """An imported function keeps its name; later functions must not take it."""
    _taken.add(name)


class FuncGraph(Graph):
    """A function body: placeholders in, ``outputs`` out, outer tensors captured."""

    def __init__(self, name: str, outer_graph: Graph):
        super().__init__()
        self.name = unique_function_name(name)        # unique in every library it may join
        self.outer_graph = outer_graph
        self.inputs: list = []                        # placeholders, in argument order
        self.outputs: list = []
        self.captures: dict = {}                      # outer Tensor -> its inner stand-in
        self.recorded: dict = {}                      # random draw -> where the op outputs its values
        self.seed = outer_graph.seed

    @property
    def root_graph(self) -> Graph:
        """The outermost (ordinary) graph: where variables and collections live."""
        g = self.outer_graph
        return g.root_graph if isinstance(g, FuncGraph) else g

    # --- capturing --------------------------------------------------------
    def capture(self, tensor: Tensor) -> Tensor:
        """The inner tensor standing for ``tensor`` of an outer graph (made on first use)."""
        if tensor.graph is self:
            return tensor
        inner = self.captures.get(tensor)
        if inner is None:
            if isinstance(self.outer_graph, FuncGraph) and tensor.graph is not self.outer_graph:
                tensor = self.outer_graph.capture(tensor)   # nested: capture through each level
                inner = self.captures.get(tensor)
                if inner is not None:
                    return inner
            inner = self._variable_twin(tensor) if tensor.dtype.is_ref else self._placeholder_for(tensor)
            self.captures[tensor] = inner
        return inner

    def _placeholder_for(self, tensor: Tensor) -> Tensor:
        name = self.unique_name(tensor.op.name.replace("/", "_") + "_captured")
        op = self._create_op("Placeholder", [], {"dtype": tensor.dtype.base_dtype, "shape": tensor.shape},
                             [tensor.dtype.base_dtype], [tensor.shape], name)
        self.inputs.append(op.outputs[0])
        return op.outputs[0]

    def _variable_twin(self, tensor: Tensor) -> Tensor:
        """A VariableV2 with the outer variable's name: the same storage, used by reference."""
        var = tensor.op
        while var.type != "VariableV2":
            var = var.inputs[0].op
        if var.name in self._ops_by_name:
            return self._ops_by_name[var.name].outputs[0]
        op = self._create_op("VariableV2", [], var.attrs, [var.outputs[0].dtype], [var.outputs[0].shape],
                             var.name)
        self._names_in_use[var.name.lower()] = 1
        return op.outputs[0]

    def is_stateful(self) -> bool:
        """Whether running this body has effects beyond its outputs (If vs StatelessIf)."""
        for op in self._ops:
            if op.type in ("Placeholder",):
                continue
            if op.op_def.stateful:
                return True
            if any(isinstance(v, FuncGraph) and v.is_stateful() for v in op.attrs.values()):
                return True
        return False

    # --- what belongs to the whole program ----------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        self.root_graph.add_to_collection(name, value)

    def get_collection(self, name: str, scope=None) -> list:
        return self.root_graph.get_collection(name, scope)

    def get_collection_ref(self, name: str) -> list:
        return self.root_graph.get_collection_ref(name)

    def __repr__(self) -> str:
        return f"<minitf FuncGraph '{self.name}' with {len(self._ops)} ops>"


def capture_inputs(graph, inputs) -> list:
    """``inputs`` as tensors of ``graph``: outer tensors are captured when it is a FuncGraph."""
    if not isinstance(graph, FuncGraph):
        return inputs
    return [graph.capture(t) if isinstance(t, Tensor) and t.graph is not graph else t for t in inputs]


def outside_functions():
    """Build in the outermost graph (TF's ``init_scope``): where a variable made in a loop body goes."""
    graph = get_default_graph()
    if isinstance(graph, FuncGraph):
        return graph.root_graph.as_default()
    return contextlib.nullcontext()
