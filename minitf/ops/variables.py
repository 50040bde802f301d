"""``tf.Variable`` (变量): a named value that persists across ``Session.run`` calls.

Building ``tf.Variable(init, name="W")`` adds TF 1.x's four nodes:
``W/initial_value`` (when init is plain data), ``W`` (VariableV2), ``W/Assign``
(the initializer) and ``W/read`` (Identity, what other ops consume).
"""

from __future__ import annotations

from ..framework import context, dtypes
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.scopes import name_scope
from ..framework.session_stack import get_default_session
from ..io.meta_graph import variable_to_proto
from . import state_ops
from .array_ops import identity
from .constant_op import convert_to_tensor, register_tensor_conversion_function
from .control_flow_ops import group, no_op, report_uninitialized
from .math_ops import install_operators


class Variable:
    """A variable in the graph (TF 1.x ``RefVariable``)."""

    def __new__(cls, *args, **kwargs):
        """In eager mode ``tf.Variable(...)`` builds an eager variable, as TF 1.x does."""
        executor = context.executor()
        if cls is Variable and executor is not None:
            return object.__new__(executor.variable_class)   # eager/eager_variable.py
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None):
        if variable_def is not None:
            self._init_from_graph(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        graph = get_default_graph()
        # TF's init_scope: a variable's initializer never waits for the caller's control
        # dependencies (an optimizer's slots built under ``control_dependencies(UPDATE_OPS)``).
        with graph.control_dependencies(None), name_scope(name, "Variable") as scope:
            self._initial_value = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
            shape = self._initial_value.shape
            if validate_shape and not shape.is_fully_defined():
                raise ValueError(f"initial_value must have a shape specified: {self._initial_value}")
            var_shape = shape if validate_shape else shape.__class__(None)
            self._variable = state_ops.variable_op_v2(var_shape, self._initial_value.dtype.base_dtype,
                                                      name=scope)
            self._initializer_op = state_ops.assign(self._variable, self._initial_value,
                                                    validate_shape=validate_shape, name="Assign").op
            self._snapshot = identity(self._variable, name="read")
        self._trainable = trainable
        self._graph = graph
        self._constraint = constraint
        self._save_slice_info = None
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections = list(collections) + [GraphKeys.TRAINABLE_VARIABLES]
        graph.add_to_collections(collections, self)

    def _init_from_graph(self, variable_def, import_scope=None):
        """Rebuild the Python object for a variable that already is in the graph (import)."""
        graph = get_default_graph()

        def find(name):
            if import_scope:
                name = f"{import_scope}/{name}"
            return graph.as_graph_element(name)
        self._variable = find(variable_def.variable_name)
        self._initializer_op = find(variable_def.initializer_name)
        self._snapshot = find(variable_def.snapshot_name)
        init_name = getattr(variable_def, "initial_value_name", "")
        self._initial_value = find(init_name) if init_name else None
        self._trainable = getattr(variable_def, "trainable", True)
        self._graph = graph
        self._constraint = None
        self._save_slice_info = None

    # --- identity ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def graph(self):
        return self._graph

    @property
    def device(self) -> str:
        return self._variable.device

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    @property
    def constraint(self):
        return self._constraint

    def value(self):
        """The ``W/read`` snapshot other ops consume."""
        return self._snapshot

    def read_value(self):
        return identity(self._variable, name="read")

    def initialized_value(self):
        """The variable's value once initialized: its value if it is, else its initial value.

        As TF 1.x: ``tf.cond(is_variable_initialized(v), v.read_value, lambda: v.initial_value)``.
        ``tf.Variable(w.initialized_value() * 2)`` can then be initialized in the same run
        as ``w``, in either order: both see the same initial value.
        """
        from .cond import cond              # here, not at the top: cond's modules import this one
        with self._graph.control_dependencies(None):     # TF's init_scope
            return cond(state_ops.is_variable_initialized(self._variable), self.read_value,
                        lambda: self._initial_value)

    def _as_graph_element(self):
        return self._variable

    def _ref(self):
        return self._variable

    # --- updates ------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        out = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        out = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        out = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def load(self, value, session=None):
        """Assign ``value`` directly in ``session`` (no new graph nodes)."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session should be "
                             "established")
        session._runtime.set_variable(self.op, value)

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def __getitem__(self, item):
        return self._snapshot[item]

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __hash__ = object.__hash__

    def to_proto(self, export_scope=None):
        return variable_to_proto(self, export_scope)

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        return Variable(variable_def=variable_def, import_scope=import_scope)


def _variable_to_tensor(v, dtype=None, name=None, as_ref=False):
    return v._variable if as_ref else v._snapshot


register_tensor_conversion_function(Variable, _variable_to_tensor)


def _install_operators():
    install_operators(Variable)


_install_operators()


# --- collections and initializers -------------------------------------------------------
def global_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of ``var_list``."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    """Initialize every global variable: ``sess.run(tf.global_variables_initializer())``."""
    return variables_initializer(global_variables())


def initialize_all_variables():
    """Deprecated TF 1.x name for ``global_variables_initializer``."""
    return global_variables_initializer()


def local_variables_initializer():
    return variables_initializer(local_variables())


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor with the names of the variables not yet initialized."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    return report_uninitialized(var_list, name)


def assert_variables_initialized(var_list=None):
    return group(*[is_variable_initialized(v) for v in (var_list or global_variables())])
