"""``Graph`` (计算图): the container of Operations, and the default-graph stack.

A Graph owns its operations, hands out unique names (TF's rules), keeps the
current name scope, device scope and control dependencies while ops are being
built, and holds named collections (``tf.GraphKeys``).  Values never live here.
"""

from __future__ import annotations

import contextlib
import re
import threading

from . import context, hooks
from .device_spec import canonical_device, merge_devices
from .operation import Operation
from .tensor import Tensor

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class GraphKeys:
    """Standard collection names (``tf.GraphKeys``)."""
    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    MODEL_VARIABLES = "model_variables"
    GLOBAL_STEP = "global_step"
    SUMMARIES = "summaries"
    TRAIN_OP = "train_op"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    SAVERS = "savers"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    QUEUE_RUNNERS = "queue_runners"


class Graph:
    """A TensorFlow computation graph."""

    def __init__(self):
        self._ops_by_name: dict[str, Operation] = {}
        self._ops: list[Operation] = []
        self._names_in_use: dict[str, int] = {}
        self._name_stack = ""
        self._device_stack: list = []
        self._control_stack: list = []      # list of lists of ops (None entry clears)
        self._collections: dict[str, list] = {}
        self._last_id = 0
        self._finalized = False
        self._unfeedable: set = set()
        self._unfetchable: set = set()
        self.seed = None
        self._version = 0                   # bumps on every new op (for plan caches)

    # --- creating ops ------------------------------------------------------
    def _next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def _create_op(self, op_type, inputs, attrs, output_types, output_shapes, name,
                   control_inputs=()) -> Operation:
        """Add an op with an already-unique ``name`` (see ``unique_name``)."""
        self._check_not_finalized()
        if name in self._ops_by_name:
            raise ValueError(f"Duplicate node name in graph: '{name}'")
        controls = list(control_inputs) + self._current_control_inputs(inputs)
        op = Operation(self, op_type, name, inputs, attrs, output_types, output_shapes,
                       control_inputs=_dedupe(controls), device=self._current_device())
        if any(callable(entry) for entry in self._device_stack):
            op._set_device(self._device_from_functions(op))
        self._ops_by_name[name] = op
        self._ops.append(op)
        self._version += 1
        return op

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    def finalize(self) -> None:
        self._finalized = True

    @property
    def finalized(self) -> bool:
        return self._finalized

    @property
    def version(self) -> int:
        return self._version

    # --- names and scopes ------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """Prefix ``name`` with the scope and make it unique (case-insensitively)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:   # skip names a user already took, e.g. foo_1
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def get_name_scope(self) -> str:
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """Open a name scope; reopening ``s`` gives ``s_1``; ``"s/"`` reuses ``s`` exactly."""
        if name:
            pattern = _VALID_SCOPE_NAME if self._name_stack else _VALID_OP_NAME
            if not pattern.match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
        old = self._name_stack
        if not name:
            new_stack, scope = "", ""
        elif name.endswith("/"):
            new_stack, scope = name[:-1], name
        else:
            new_stack = self.unique_name(name)
            scope = new_stack + "/"
        self._name_stack = new_stack
        try:
            yield scope
        finally:
            self._name_stack = old

    # --- devices ---------------------------------------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Request a device (``'/CPU:0'``, ``'/gpu:0'``) for the ops built inside.

        As in TF, a function of the op may stand in for the name: it is called with each new
        op and returns the op's device (a replica's variables on ``/cpu:0``, its math on a GPU)."""
        entry = device_name_or_function
        if not callable(entry):
            entry = canonical_device(entry) if entry else ""
        self._device_stack.append(entry)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _current_device(self) -> str:
        top = self._device_stack[-1] if self._device_stack else ""
        return "" if callable(top) else top

    def _device_from_functions(self, op) -> str:
        """TF's order: innermost first; a name fills only the fields still unset, a function
        (called with the op as placed so far) replaces the device; a cleared scope stops."""
        device = ""
        for entry in reversed(self._device_stack):
            if callable(entry):
                chosen = entry(op)
                if not isinstance(chosen, str):
                    raise TypeError(f"Expected binary or unicode string, got {chosen!r}")
                device = canonical_device(chosen)
            elif not entry:
                break
            else:
                device = merge_devices(entry, device)
            op._set_device(device)
        return device

    # --- control dependencies -----------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops built inside run only after ``control_inputs`` ran (None clears)."""
        if control_inputs is None:
            self._control_stack.append(None)
        else:
            ops = []
            for c in control_inputs:
                if hasattr(c, "_as_graph_element"):
                    c = c._as_graph_element()
                if isinstance(c, Tensor):
                    c = c.op
                if not isinstance(c, Operation):
                    raise TypeError(f"Control input must be Operation or Tensor: {c}")
                if c.graph is not self:
                    raise ValueError(f"Control input {c.name} is not an element of this graph.")
                ops.append(c)
            self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    def _current_control_inputs(self, inputs) -> list:
        controls = []
        for entry in reversed(self._control_stack):
            if entry is None:
                break
            controls = entry + controls
        input_ops = {t.op for t in inputs}
        return [c for c in controls if c not in input_ops]

    # --- lookup ------------------------------------------------------------
    def get_operations(self) -> list:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolve a name, Tensor, Operation or Variable to an element of this graph."""
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        wanted = " or ".join(w for w, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {wanted}.")

    def _element_by_name(self, name, allow_tensor, allow_operation):
        if ":" in name and allow_tensor:
            op_name, _, index = name.rpartition(":")
            try:
                index = int(index)
            except ValueError:
                raise ValueError(f"The name {name!r} looks a like a Tensor name, but is not a valid one. "
                                 "Tensor names must be of the form \"<op_name>:<output_index>\".") from None
            if op_name not in self._ops_by_name:
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. "
                               f"The operation, {op_name!r}, does not exist in the graph.")
            op = self._ops_by_name[op_name]
            if index >= len(op.outputs) or index < 0:
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. "
                               f"The operation, {op_name!r}, exists but only has "
                               f"{len(op.outputs)} outputs.")
            return op.outputs[index]
        if ":" in name:
            raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a Operation.")
        if name not in self._ops_by_name:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
        if not allow_operation:
            raise ValueError(f"The name {name!r} refers to an Operation, not a Tensor. Tensor names "
                             "must be of the form \"<op_name>:<output_index>\".")
        return self._ops_by_name[name]

    # --- collections -------------------------------------------------------
    def add_to_collection(self, name: str, value) -> None:
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value) -> None:
        for n in ([names] if isinstance(names, str) else set(names)):
            self.add_to_collection(n, value)

    def get_collection(self, name: str, scope=None) -> list:
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and pattern.match(i.name)]

    def get_collection_ref(self, name: str) -> list:
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self) -> list:
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name: str) -> None:
        self._collections.pop(name, None)

    # --- feeding ---------------------------------------------------------
    def prevent_feeding(self, tensor) -> None:
        self._unfeedable.add(tensor)

    def is_feedable(self, tensor) -> bool:
        return tensor not in self._unfeedable

    def prevent_fetching(self, op) -> None:
        self._unfetchable.add(op)

    def is_fetchable(self, tensor_or_op) -> bool:
        op = tensor_or_op.op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op not in self._unfetchable

    # --- default graph ---------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Make this the default graph of this thread inside a ``with`` block.

        The block is graph mode even in an eager program (TF's rule): ops built
        inside are nodes of this graph, run by a Session.
        """
        stack = _stack.graphs
        stack.append(self)
        try:
            with context.graph_mode():
                yield self
        finally:
            for i in range(len(stack) - 1, -1, -1):   # the innermost entry: a graph may be entered twice
                if stack[i] is self:
                    del stack[i]
                    break

    def as_graph_def(self, from_version=None, add_shapes=False):
        """This graph as a TensorFlow GraphDef protobuf (written by io/graph_io.py)."""
        return hooks.call("graph_def", self, add_shapes=add_shapes)

    @property
    def graph_def_versions(self):
        return hooks.call("versions_def")

    def __repr__(self) -> str:
        return f"<minitf.Graph object with {len(self._ops)} ops>"


def _dedupe(ops) -> list:
    seen, out = set(), []
    for op in ops:
        if op not in seen:
            seen.add(op)
            out.append(op)
    return out


# The default graph.  TF keeps one global default graph, shared by all threads,
# plus a stack per thread of the ``as_default()`` blocks open in that thread;
# that is the only global state here.
class _ThreadStack(threading.local):
    def __init__(self):
        self.graphs: list = []


_stack = _ThreadStack()
_global_default_graph = Graph()


def get_default_graph() -> Graph:
    graphs = _stack.graphs
    return graphs[-1] if graphs else _global_default_graph


def inside_as_default() -> bool:
    """Whether this thread is inside some ``with graph.as_default():`` block."""
    return bool(_stack.graphs)


def reset_default_graph() -> None:
    """Replace the global default graph with a new, empty one."""
    global _global_default_graph
    if _stack.graphs:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need "
                             "a cleared graph, exit the nesting and create a new graph.")
    _global_default_graph = Graph()


def _graph_was_used() -> bool:
    """Whether any op was ever added to a graph (eager mode must start first)."""
    return _global_default_graph._last_id > 0 or bool(_stack.graphs)


def get_collection(key, scope=None) -> list:
    """``tf.get_collection``: items of the default graph's collection ``key``."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key) -> list:
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value) -> None:
    get_default_graph().add_to_collections(names, value)
