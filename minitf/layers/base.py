"""``tf.layers.Layer``: a callable that owns its variables, as TF 1.x's layers are.

A layer makes its variables with ``tf.get_variable`` inside a variable scope
of its own: ``dense/kernel``, then ``dense_1/kernel`` for the next unnamed
dense layer.  The scope is chosen on the first call and kept, so calling the
same layer object again reuses its variables (the ops of later calls get the
same name scope, ``dense/MatMul_1``).  The functional forms
(``tf.layers.dense(x, 10, name="fc", reuse=...)``) build a layer whose scope is
exactly ``name``: a second ``fc`` without ``reuse`` is TF's "already exists"
error, with ``reuse=True`` it shares ``fc/kernel``.
"""

from __future__ import annotations

import contextlib
import re

from ..framework.graph import GraphKeys, add_to_collection
from ..framework.scopes import name_scope
from ..ops.constant_op import convert_to_tensor
from ..ops.variable_scope import VariableScope, get_variable, variable_scope


def to_snake_case(name: str) -> str:
    """``BatchNormalization`` -> ``batch_normalization``, ``Conv2DTranspose`` -> ``conv2d_transpose``."""
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


class Layer:
    """The base of every tf.layers class: variable scope, weights, updates."""

    def __init__(self, trainable: bool = True, name: str | None = None, dtype=None, _scope=None,
                 _reuse=None, **unused):
        self.trainable = trainable
        self.dtype = dtype
        self._base_name = name or to_snake_case(type(self).__name__)
        self._given_scope, self._reuse = _scope, _reuse
        self._scope: VariableScope | None = None
        self.built = False
        self._trainable_weights: list = []
        self._non_trainable_weights: list = []
        self._updates: list = []

    # --- what TF's Layer exposes -----------------------------------------------------------------
    name = property(lambda self: self._scope.name.split("/")[-1] if self._scope else self._base_name)
    scope_name = property(lambda self: self._scope.name)
    trainable_weights = trainable_variables = property(lambda self: list(self._trainable_weights))
    non_trainable_weights = non_trainable_variables = property(
        lambda self: list(self._non_trainable_weights))
    weights = variables = property(lambda self: self._trainable_weights + self._non_trainable_weights)
    updates = property(lambda self: list(self._updates))

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=True):
        """A variable of this layer (``get_variable`` in the layer's scope); non-trainable ones stay
        out of TRAINABLE_VARIABLES, as moving averages must."""
        trainable = trainable and self.trainable
        collections = None if trainable else [GraphKeys.GLOBAL_VARIABLES]
        var = get_variable(name, shape, dtype=dtype or self.dtype, initializer=initializer,
                           regularizer=regularizer, trainable=trainable, collections=collections)
        (self._trainable_weights if trainable else self._non_trainable_weights).append(var)
        return var

    add_variable = add_weight           # TF 1.x's older name

    def add_update(self, update) -> None:
        """An op that must run with each training step (moving averages): also in UPDATE_OPS."""
        update = getattr(update, "op", update)          # TF collects the assign ops themselves
        self._updates.append(update)
        add_to_collection(GraphKeys.UPDATE_OPS, update)

    def build(self, input_shape) -> None:
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    # --- calling ----------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        with self._enter_scope():
            inputs = convert_to_tensor(inputs)
            if self.dtype is None:
                self.dtype = inputs.dtype.base_dtype
            if not self.built:
                self.build(inputs.shape)
                self.built = True
            return self.call(inputs, *args, **kwargs)

    apply = __call__

    @contextlib.contextmanager
    def _enter_scope(self):
        """First call: open (and keep) the layer's variable scope; later calls re-enter it."""
        if self._scope is None:
            with self._first_scope() as scope:
                self._scope = scope
                yield
            return
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False):
            with name_scope(self._scope.original_name_scope):
                yield

    def _first_scope(self):
        if isinstance(self._given_scope, VariableScope):       # contrib layers pass their own scope
            return _reentered(self._given_scope, self._reuse)
        if self._reuse or self._given_scope:
            return variable_scope(self._given_scope or self._base_name, reuse=self._reuse)
        return variable_scope(None, default_name=self._base_name)


@contextlib.contextmanager
def _reentered(scope: VariableScope, reuse):
    with variable_scope(scope, reuse=reuse, auxiliary_name_scope=False) as captured:
        with name_scope(scope.original_name_scope):
            yield captured
