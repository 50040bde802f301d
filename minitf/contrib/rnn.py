"""``tf.contrib.rnn``: the same cells and unrolling functions under their contrib names."""

from ..ops.rnn import static_bidirectional_rnn, static_rnn  # noqa: F401
from ..ops.rnn_cell import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell, LSTMCell,  # noqa: F401
                            LSTMStateTuple, MultiRNNCell, RNNCell)
