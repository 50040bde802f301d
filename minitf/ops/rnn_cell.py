"""RNN cells (``tf.nn.rnn_cell``): one time step of a recurrent network, thin Python over ops.

A cell maps ``(input, state)`` to ``(output, new_state)``.  Its weights are
``get_variable``s made on the first call, under a variable scope named after
the cell (``basic_lstm_cell``), inside whatever scope the caller opened
(``rnn``): so the names are TF's (``rnn/basic_lstm_cell/kernel``) and
checkpoints move between minitf and TensorFlow.  Later calls reuse the same
variables, as TF's cells (which are layers) do.
"""

from __future__ import annotations

import collections

from ..framework import nest
from ..framework.tensor import Tensor
from . import init_ops
from .array_ops import zeros
from .concat_split_ops import concat, split, stack
from .math_ops import add, clip_by_value, multiply, sigmoid, tanh
from .matmul_op import matmul
from .nn_ops import dropout
from .variable_scope import get_variable, variable_scope


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: the cell ``c`` and the output ``h``."""
    __slots__ = ()

    @property
    def dtype(self):
        return self.c.dtype


class RNNCell:
    """The base: ``cell(inputs, state) -> (output, new_state)``; subclasses define ``call``."""

    _base_name = "rnn_cell"

    def __init__(self, reuse=None, name=None, dtype=None):
        self._name = name
        self._reuse = reuse
        self._scope = None                           # the variable scope of the first call

    @property
    def state_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    def __call__(self, inputs, state, scope=None):
        if self._scope is not None:                  # the weights exist: use them again
            with variable_scope(self._scope, reuse=True):
                return self.call(inputs, state)
        name = scope if scope is not None else self._name
        with variable_scope(name, default_name=self._base_name, reuse=self._reuse) as vs:
            self._scope = vs
            return self.call(inputs, state)

    def zero_state(self, batch_size, dtype):
        """All-zero states shaped like ``state_size`` for ``batch_size`` rows."""
        return nest.map_structure(lambda n: _zeros(batch_size, n, dtype), self.state_size)


def _zeros(batch_size, n, dtype):
    if isinstance(batch_size, Tensor):
        state = zeros(stack([batch_size, n]), dtype=dtype)
        state.set_shape([None, n])
        return state
    return zeros([batch_size, n], dtype=dtype)


def _linear(args, output_size, bias_initializer=None, kernel_initializer=None, bias_start=0.0,
            kernel_name="kernel", bias_name="bias"):
    """``concat(args) @ kernel + bias``: the affine map every cell uses."""
    args = list(args)
    x = args[0] if len(args) == 1 else concat(args, 1)
    in_size = x.shape[1].value
    if in_size is None:
        raise ValueError(f"linear expects shape[1] of arguments: {x.shape}")
    kernel = get_variable(kernel_name, [in_size, output_size], dtype=x.dtype.base_dtype,
                          initializer=kernel_initializer)
    bias = get_variable(bias_name, [output_size], dtype=x.dtype.base_dtype,
                        initializer=bias_initializer or init_ops.constant_initializer(bias_start))
    return add(matmul(x, kernel), bias)


class BasicRNNCell(RNNCell):
    """``h' = tanh([x, h] @ kernel + bias)``."""

    _base_name = "basic_rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(reuse, name, dtype)
        self._num_units = num_units
        self._activation = activation or tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        output = self._activation(_linear([inputs, state], self._num_units))
        return output, output


class BasicLSTMCell(RNNCell):
    """The LSTM of Zaremba et al.: gates ``i, j, f, o`` from one matmul, ``forget_bias`` added to ``f``."""

    _base_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
                 name=None, dtype=None):
        super().__init__(reuse, name, dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        c, h = state if self._state_is_tuple else split(state, 2, axis=1)
        i, j, f, o = split(_linear([inputs, h], 4 * self._num_units), 4, axis=1)
        new_c = add(multiply(c, sigmoid(f + self._forget_bias)), multiply(sigmoid(i), self._activation(j)))
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(RNNCell):
    """The full LSTM: optional peephole connections, cell clipping and an output projection."""

    _base_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0,
                 state_is_tuple=True, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(reuse, name, dtype)
        self._num_units, self._use_peepholes, self._cell_clip = num_units, use_peepholes, cell_clip
        self._initializer, self._num_proj, self._proj_clip = initializer, num_proj, proj_clip
        self._forget_bias, self._state_is_tuple = forget_bias, state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self):
        out = self._num_proj or self._num_units
        return LSTMStateTuple(self._num_units, out) if self._state_is_tuple else self._num_units + out

    output_size = property(lambda self: self._num_proj or self._num_units)

    def call(self, inputs, state):
        n = self._num_units
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = split(state, [n, self.output_size], axis=1)
        gates = _linear([inputs, m_prev], 4 * n, kernel_initializer=self._initializer,
                        bias_initializer=init_ops.zeros_initializer())
        i, j, f, o = split(gates, 4, axis=1)
        if self._use_peepholes:
            dtype = inputs.dtype.base_dtype
            w_f = get_variable("w_f_diag", [n], dtype=dtype, initializer=self._initializer)
            w_i = get_variable("w_i_diag", [n], dtype=dtype, initializer=self._initializer)
            w_o = get_variable("w_o_diag", [n], dtype=dtype, initializer=self._initializer)
            c = sigmoid(f + self._forget_bias + w_f * c_prev) * c_prev + sigmoid(i + w_i * c_prev) * \
                self._activation(j)
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        m = sigmoid(o + w_o * c) * self._activation(c) if self._use_peepholes else \
            sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            with variable_scope("projection"):
                kernel = get_variable("kernel", [n, self._num_proj], dtype=m.dtype.base_dtype,
                                      initializer=self._initializer)
            m = matmul(m, kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1)
        return m, new_state


class GRUCell(RNNCell):
    """The gated recurrent unit: reset and update gates, then a candidate state."""

    _base_name = "gru_cell"

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(reuse, name, dtype)
        self._num_units, self._activation = num_units, activation or tanh
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def call(self, inputs, state):
        with variable_scope("gates"):               # TF starts the gates' bias at 1: remember by default
            gates = sigmoid(_linear([inputs, state], 2 * self._num_units,
                                    bias_initializer=self._bias_initializer or
                                    init_ops.constant_initializer(1.0),
                                    kernel_initializer=self._kernel_initializer))
        r, u = split(gates, 2, axis=1)
        with variable_scope("candidate"):
            c = self._activation(_linear([inputs, r * state], self._num_units,
                                         bias_initializer=self._bias_initializer or
                                         init_ops.zeros_initializer(),
                                         kernel_initializer=self._kernel_initializer))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Cells stacked in layers: layer k's output is layer k+1's input (scopes ``cell_0``, ``cell_1``...)."""

    _base_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        self._cells, self._state_is_tuple = list(cells), state_is_tuple

    @property
    def state_size(self):
        sizes = tuple(cell.state_size for cell in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    output_size = property(lambda self: self._cells[-1].output_size)

    def zero_state(self, batch_size, dtype):
        return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    def call(self, inputs, state):
        new_states, x = [], inputs
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                x, s = cell(x, state[i])
            new_states.append(s)
        return x, tuple(new_states)


class DropoutWrapper(RNNCell):
    """Dropout on a cell's inputs, outputs and/or state (a new mask at every step)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__()
        if variational_recurrent:
            raise NotImplementedError("minitf's DropoutWrapper draws a new mask at every step "
                                      "(variational_recurrent=False)")
        self._cell, self._seed = cell, seed
        self._keep = (input_keep_prob, output_keep_prob, state_keep_prob)

    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):     # no scope of its own: the weights are the cell's
        keep_in, keep_out, keep_state = self._keep
        inputs = self._drop(inputs, keep_in)
        output, new_state = self._cell(inputs, state, scope=scope)
        if not _is_one(keep_state):                  # as TF: an LSTM's memory cell c is never dropped
            new_state = _map_states(lambda s: self._drop(s, keep_state), new_state)
        return self._drop(output, keep_out), new_state

    def _drop(self, x, keep_prob):
        return x if _is_one(keep_prob) else dropout(x, keep_prob=keep_prob, seed=self._seed)


def _map_states(fn, state):
    if isinstance(state, LSTMStateTuple):
        return LSTMStateTuple(state.c, fn(state.h))
    if isinstance(state, (list, tuple)):
        return type(state)(_map_states(fn, s) for s in state)
    return fn(state)


def _is_one(p) -> bool:
    return isinstance(p, (int, float)) and p == 1.0


__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "LSTMStateTuple"]
