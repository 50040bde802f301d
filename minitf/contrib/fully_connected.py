"""``tf.contrib.layers.fully_connected`` and ``flatten``: the contrib spellings of dense and flatten.

contrib's fully connected layer is ``tf.layers.Dense`` under other names: its
variables are ``fully_connected/weights`` and ``fully_connected/biases`` (also
in ``tf.GraphKeys.MODEL_VARIABLES``), its activation defaults to ReLU and its
weights to Xavier (Glorot uniform) initialization.
"""

from __future__ import annotations

from ..framework.graph import GraphKeys, add_to_collection, get_collection
from ..framework.scopes import name_scope
from ..layers.core import Dense, flatten as _layers_flatten
from ..ops.activation_ops import relu
from ..ops.constant_op import convert_to_tensor
from ..ops.init_ops import xavier_initializer, zeros_initializer
from ..ops.variable_scope import variable_scope

_CONTRIB_NAMES = {"kernel": "weights", "bias": "biases"}


class _ContribDense(Dense):
    """Dense whose variables carry contrib's names and are model variables."""

    def add_weight(self, name, shape, **kwargs):
        var = super().add_weight(_CONTRIB_NAMES.get(name, name), shape, **kwargs)
        if var not in get_collection(GraphKeys.MODEL_VARIABLES):     # reused: listed already
            add_to_collection(GraphKeys.MODEL_VARIABLES, var)
        return var


def fully_connected(inputs, num_outputs, activation_fn=relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=None, weights_regularizer=None,
                    biases_initializer=zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """activation_fn(inputs @ weights + biases), in variable scope ``scope`` (default fully_connected)."""
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of (int, long), got {type(num_outputs)}.")
    if weights_initializer is None:
        weights_initializer = xavier_initializer()
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        use_bias = normalizer_fn is None and biases_initializer is not None
        layer = _ContribDense(num_outputs, use_bias=use_bias, kernel_initializer=weights_initializer,
                              bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
                              bias_regularizer=biases_regularizer, trainable=trainable,
                              name=sc.name.split("/")[-1], dtype=inputs.dtype.base_dtype, _scope=sc,
                              _reuse=reuse)
        outputs = layer(inputs)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return outputs


def flatten(inputs, outputs_collections=None, scope=None):
    """(batch, ...) -> (batch, k), under the name scope ``Flatten``."""
    with name_scope(scope, "Flatten"):
        return _layers_flatten(convert_to_tensor(inputs))
