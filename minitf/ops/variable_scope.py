"""``tf.get_variable`` and ``tf.variable_scope`` (变量作用域): variables shared by name.

``tf.Variable`` always makes a new variable.  ``tf.get_variable("w", shape)`` looks
the full name (``<variable scope>/w``) up in the graph's variable store: it creates
the variable the first time, and hands back the same one when the scope says
``reuse=True`` (or ``AUTO_REUSE``).  That is how two towers of a model share weights.

A variable scope also opens a name scope of the same name for the ops built
inside, so ops get ``foo/...`` (and ``foo_1/...`` when the scope is reopened),
while the variables' names depend on the variable scope only.
"""

from __future__ import annotations

import contextlib
import weakref

import numpy as np

from ..framework import context, dtypes
from ..framework.func_graph import FuncGraph, outside_functions
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.tensor import Tensor
from ..framework.tensor_shape import as_shape
from . import init_ops
from .constant_op import convert_to_tensor
from .variables import Variable


class _ReuseMode:
    """The type of ``tf.AUTO_REUSE``: create the variable when missing, reuse it otherwise."""

    def __repr__(self) -> str:
        return "AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """What ``get_variable`` reads: the scope's name, reuse flag and default initializer/regularizer."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._reuse, self._name, self._name_scope = reuse, name, name_scope
        self._initializer, self._regularizer, self._dtype = initializer, regularizer, dtype
        self._caching_device, self._partitioner = caching_device, partitioner
        self._custom_getter, self._use_resource, self._constraint = custom_getter, use_resource, constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self) -> None:
        """From now on, ``get_variable`` in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer) -> None:
        self._initializer = initializer

    def set_regularizer(self, regularizer) -> None:
        self._regularizer = regularizer

    def set_dtype(self, dtype) -> None:
        self._dtype = dtype

    def set_caching_device(self, caching_device) -> None:
        self._caching_device = caching_device

    def set_partitioner(self, partitioner) -> None:
        self._partitioner = partitioner

    def set_use_resource(self, use_resource) -> None:
        self._use_resource = use_resource

    def global_variables(self) -> list:
        return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, self._scope_prefix())

    def trainable_variables(self) -> list:
        return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, self._scope_prefix())

    def _scope_prefix(self):
        return self._name + "/" if self._name else None

    def get_variable(self, name, shape=None, dtype=None, initializer=None, regularizer=None, reuse=None,
                     trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                     **_kwargs):
        """Find or make ``<scope name>/<name>``; the scope's defaults fill what is not given."""
        if regularizer is None:
            regularizer = self._regularizer
        if reuse is None:
            reuse = self._reuse
        if context.executing_eagerly():
            reuse = False           # TF's eager get_variable always creates
        full_name = f"{self._name}/{name}" if self._name else name
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = convert_to_tensor(initializer).dtype.base_dtype
            if init_dtype != dtypes.as_dtype(dtype):
                raise ValueError(f"Initializer type '{init_dtype.name}' and explicit dtype "
                                 f"'{dtypes.as_dtype(dtype).name}' don't match.")
        if initializer is None:
            initializer = self._initializer
        if constraint is None:
            constraint = self._constraint
        if dtype is None:
            dtype = self._dtype
        getter = custom_getter or self._custom_getter
        kwargs = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      reuse=reuse, trainable=trainable, collections=collections,
                      validate_shape=validate_shape, constraint=constraint)
        store = _variable_store()
        if getter is not None:
            return getter(store.get_variable, full_name, **kwargs)
        return store.get_variable(full_name, **kwargs)


class _VariableStore:
    """The variables made by ``get_variable`` in one graph, by full name."""

    def __init__(self):
        self.vars: dict = {}

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, validate_shape=True, constraint=None,
                     **_kwargs):
        dtype = dtypes.as_dtype(dtype)
        from_value = isinstance(initializer, (Tensor, np.ndarray, list, tuple, int, float)) \
            or hasattr(initializer, "_is_eager_tensor")
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        shape = as_shape(shape)
        if name in self.vars:
            return self._existing(name, shape, dtype, reuse)
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        if not from_value and not shape.is_fully_defined():
            raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead "
                             f"was {shape}.")
        with outside_functions():           # a variable made inside a loop body belongs to the program
            v = self._create(name, shape, dtype, initializer, from_value, trainable, collections,
                             validate_shape, constraint)
            if not context.executing_eagerly():
                self.vars[name] = v
                _add_regularization_loss(name, v, regularizer)
        return v

    def _existing(self, name, shape, dtype, reuse):
        if reuse is not True and reuse is not AUTO_REUSE:
            raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set "
                             "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        found = self.vars[name]
        if not shape.is_compatible_with(found.get_shape()):
            raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and found "
                             f"shape {found.get_shape()}.")
        if not dtype.is_compatible_with(found.dtype.base_dtype):
            raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} and "
                             f"found dtype {found.dtype.base_dtype.name}.")
        return found

    @staticmethod
    def _create(name, shape, dtype, initializer, from_value, trainable, collections, validate_shape,
                constraint):
        if initializer is None:
            initializer = _default_initializer(name, dtype)
        if isinstance(initializer, type):
            initializer = initializer()
        # As TF (init_scope): built outside any control dependencies, so initializing the
        # variable never runs the ops a caller's control_dependencies name.
        with _no_control_dependencies():
            with _absolute_name_scope(f"{name}/Initializer/"):
                if from_value:
                    value, var_dtype = convert_to_tensor(initializer, name="initial_value"), None
                else:
                    value, var_dtype = initializer(shape.as_list(), dtype=dtype), dtype
                if var_dtype is not None and value.dtype.base_dtype != var_dtype:
                    value = convert_to_tensor(value, dtype=var_dtype)
            with _absolute_name_scope(""):
                return Variable(value, name=name, trainable=True if trainable is None else trainable,
                                collections=collections, validate_shape=validate_shape,
                                constraint=constraint)


def _default_initializer(name, dtype):
    """TF 1.x: Glorot uniform for floats, zeros for integers and bools."""
    if dtype.is_floating:
        return init_ops.glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_bool:
        return init_ops.zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype.name} is required")


def _add_regularization_loss(name, var, regularizer):
    """The regularizer's loss goes to ``GraphKeys.REGULARIZATION_LOSSES`` (built in <name>/Regularizer/)."""
    if not regularizer:
        return
    with _absolute_name_scope(f"{name}/Regularizer/"), _no_control_dependencies():
        loss = regularizer(var)
    if loss is not None:
        get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


@contextlib.contextmanager
def _absolute_name_scope(scope: str):
    """Enter exactly ``scope`` ("" = the root), whatever name scope is open."""
    if context.executing_eagerly():
        yield
        return
    with get_default_graph().name_scope(scope):
        yield


def _no_control_dependencies():
    if context.executing_eagerly():
        return contextlib.nullcontext()
    return get_default_graph().control_dependencies(None)


# --- per-graph state: the variable store and the current variable scope -------------------------------
class _ScopeStore:
    """The current variable scope and how often each scope name was opened (for default names)."""

    def __init__(self):
        self.current = VariableScope(False)
        self.counts: dict = {}

    def open(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def close_subscopes(self, name: str) -> None:
        """Leaving ``name``: its sub-scopes' counts restart (TF's rule for unique default names)."""
        for k in list(self.counts):
            if not name or k.startswith(name + "/"):
                self.counts[k] = 0


_STORES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_EAGER_KEY = type("_EagerContext", (), {})()


def _stores():
    key = _EAGER_KEY if context.executing_eagerly() else get_default_graph()
    if isinstance(key, FuncGraph):
        key = key.root_graph                # scopes opened in a loop body are the program's scopes
    if key not in _STORES:
        _STORES[key] = (_VariableStore(), _ScopeStore())
    return _STORES[key]


def _variable_store() -> _VariableStore:
    return _stores()[0]


def _scope_store() -> _ScopeStore:
    return _stores()[1]


def get_variable_scope() -> VariableScope:
    """The variable scope ``get_variable`` uses right now."""
    return _scope_store().current


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None, **kwargs):
    """Get an existing variable with these parameters or create a new one (TF 1.x rules)."""
    return get_variable_scope().get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable, collections=collections, caching_device=caching_device,
        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
        custom_getter=custom_getter, constraint=constraint, **kwargs)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       collections=None, **kwargs):
    """``get_variable`` for a non-trainable variable in ``GraphKeys.LOCAL_VARIABLES`` (counters, metrics)."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=False, collections=collections, **kwargs)


def no_regularizer(_):
    """Use as ``regularizer=tf.no_regularizer`` to switch off a scope's default regularizer."""
    return None


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    """Open a variable scope (and a name scope of the same name) for ``get_variable``."""
    if default_name is None and name_or_scope is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None            # TF: False means "inherit", like None
    if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
        raise ValueError("The reuse parameter must be True or False or None.")
    if name_or_scope is not None and not isinstance(name_or_scope, (VariableScope, str)):
        raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
    if name_or_scope is None and reuse:
        raise ValueError("reuse=True cannot be used without a name_or_scope")
    overrides = dict(initializer=initializer, regularizer=regularizer, caching_device=caching_device,
                     partitioner=partitioner, custom_getter=custom_getter, dtype=dtype,
                     use_resource=use_resource)
    store = _scope_store()
    reentry = isinstance(name_or_scope, VariableScope)
    if reentry:
        ns_name = name_or_scope.name.split("/")[-1]
    else:
        ns_name = name_or_scope if name_or_scope is not None else default_name
    with _name_scope_for(ns_name, auxiliary_name_scope) as name_scope:
        if reentry:
            new = _copy_scope(name_or_scope, reuse, constraint)
        else:
            if name_or_scope is None:
                name_or_scope = _unique_variable_scope(store, default_name)
            new = _sub_scope(store.current, name_or_scope, reuse, name_scope, constraint)
        _apply_overrides(new, overrides)
        store.open(new.name)
        # Leaving a re-entered scope restores the counts; leaving a new one resets its sub-scopes.
        old_counts = dict(store.counts) if reentry else None
        old = store.current
        store.current = new
        try:
            yield new
        finally:
            if store.current is not new:
                raise RuntimeError("Improper nesting of variable_scope.")
            store.current = old
            if reentry:
                store.counts = old_counts
            else:
                store.close_subscopes(new.name)


def _sub_scope(parent: VariableScope, name: str, reuse, name_scope: str, constraint) -> VariableScope:
    """A scope inside ``parent``: its name extends the parent's, reuse and defaults are inherited."""
    full = f"{parent.name}/{name}" if parent.name else name
    return VariableScope(reuse or parent.reuse, name=full, initializer=parent.initializer,
                         regularizer=parent.regularizer, caching_device=parent.caching_device,
                         partitioner=parent.partitioner, custom_getter=parent.custom_getter,
                         name_scope=name_scope, dtype=parent.dtype, use_resource=parent.use_resource,
                         constraint=constraint)


def _copy_scope(scope: VariableScope, reuse, constraint) -> VariableScope:
    """Re-entering a captured scope: a copy, with reuse/overrides the caller asked for."""
    return VariableScope(scope.reuse if not reuse else reuse, name=scope.name,
                         initializer=scope.initializer, regularizer=scope.regularizer,
                         caching_device=scope.caching_device, partitioner=scope.partitioner,
                         custom_getter=scope.custom_getter, name_scope=scope.original_name_scope,
                         dtype=scope.dtype, use_resource=scope.use_resource, constraint=constraint)


def _apply_overrides(scope: VariableScope, overrides: dict) -> None:
    for key, value in overrides.items():
        if value is not None:
            setattr(scope, "_" + key, value)


def _unique_variable_scope(store: _ScopeStore, prefix: str) -> str:
    """``prefix``, or ``prefix_1``, ``prefix_2``... if that scope was already opened here."""
    current = store.current.name
    name = f"{current}/{prefix}" if current else prefix
    if store.counts.get(name, 0) == 0:
        return prefix
    idx = 1
    while store.counts.get(f"{name}_{idx}", 0) > 0:
        idx += 1
    return f"{prefix}_{idx}"


@contextlib.contextmanager
def _name_scope_for(name, auxiliary_name_scope):
    """The name scope a variable scope opens: ``name/`` made unique (``foo_1/`` when reopened)."""
    if context.executing_eagerly():
        yield ""
        return
    graph = get_default_graph()
    if not auxiliary_name_scope:
        current = graph.get_name_scope()
        with graph.name_scope(current + "/" if current else ""):
            yield current + "/" if current else ""
        return
    with graph.name_scope(name) as scope:
        yield scope
