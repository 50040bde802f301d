"""Running an RNN cell over a sequence: ``static_rnn``, ``dynamic_rnn`` and their bidirectional forms.

``static_rnn`` unrolls the cell in Python, one copy per time step.
``dynamic_rnn`` runs it inside one ``tf.while_loop``: the loop variables are the
time step, the cell state and the ``[time, batch, units]`` outputs, whose row
``t`` the body writes (``loop_rows.write_row``).  With ``sequence_length``, a
sequence that has ended keeps its state and outputs zeros, as in TF.
Everything runs under the variable scope ``rnn`` (or ``bidirectional_rnn/fw``
and ``/bw``), so the weights get TF's names.
"""

from __future__ import annotations

from ..framework import dtypes, nest
from .array_ops import cast, reshape, shape, zeros
from .concat_split_ops import concat, stack
from .constant_op import constant, convert_to_tensor
from .gather_ops import gather
from .loop_rows import write_row
from .math_ops import less, maximum, subtract
from .reshape_ops import expand_dims, transpose
from .sequence_ops import range as tf_range
from .variable_scope import variable_scope
from .while_loop import while_loop


def _initial_state(cell, initial_state, batch_size, dtype):
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch_size, dtypes.as_dtype(dtype))


def _batch_size(x):
    """The batch dimension of a ``[batch, ...]`` tensor: a number when known, else a tensor."""
    n = x.shape[0].value if x.shape.ndims else None
    return n if n is not None else shape(x)[0]


def _still_running(t, sequence_length, dtype):
    """A ``[batch, 1]`` mask: 1 for sequences longer than ``t``, else 0."""
    return expand_dims(cast(less(t, sequence_length), dtype), 1)


def _carry(mask, new, old):
    """``new`` where the sequence runs, ``old`` where it has ended (leaf by leaf)."""
    return nest.map_structure(lambda n, o: n * mask + o * (1 - mask), new, old)


# --- static ---------------------------------------------------------------------------
def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """The cell unrolled over ``inputs`` (a list of ``[batch, input]`` tensors): (outputs, state)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError("inputs must be a non-empty sequence")
    with variable_scope(scope or "rnn") as varscope:
        state = _initial_state(cell, initial_state, _batch_size(inputs[0]), dtype)
        if sequence_length is not None:
            sequence_length = cast(convert_to_tensor(sequence_length, name="sequence_length"), dtypes.int32)
        outputs = []
        for t, x in enumerate(inputs):
            if t > 0:
                varscope.reuse_variables()
            output, new_state = cell(x, state)
            if sequence_length is not None:
                mask = _still_running(t, sequence_length, output.dtype.base_dtype)
                output = output * mask
                new_state = _carry(mask, new_state, state)
            outputs.append(output)
            state = new_state
        return outputs, state


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None, initial_state_bw=None,
                             dtype=None, sequence_length=None, scope=None):
    """A forward and a backward ``static_rnn``; outputs are ``concat([fw, bw], 1)`` per step."""
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length,
                                          scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_list(inputs, sequence_length)
            tmp, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                                       scope=bw_scope)
        out_bw = _reverse_list(tmp, sequence_length)
        outputs = [concat([f, b], 1) for f, b in zip(out_fw, out_bw)]
        return outputs, state_fw, state_bw


def _reverse_list(steps, sequence_length):
    if sequence_length is None:
        return list(reversed(steps))
    stacked = reverse_sequence(stack(steps), sequence_length)
    return [stacked[t] for t in range(len(steps))]


# --- dynamic --------------------------------------------------------------------------
def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None, parallel_iterations=None,
                swap_memory=False, time_major=False, scope=None):
    """The cell run over ``inputs`` ``[batch, time, input]`` inside a while loop: (outputs, state)."""
    with variable_scope(scope or "rnn"):
        inputs = convert_to_tensor(inputs, name="inputs")
        if inputs.shape.ndims is not None and inputs.shape.ndims < 3:
            raise ValueError(f"Input must have rank at least 3, but saw shape: {inputs.shape}")
        x = inputs if time_major else transpose(inputs, [1, 0, 2], name="transpose")
        batch = x.shape[1].value if x.shape[1].value is not None else shape(x)[1]
        state = _initial_state(cell, initial_state, batch, dtype)
        if sequence_length is not None:
            sequence_length = cast(convert_to_tensor(sequence_length, name="sequence_length"), dtypes.int32)
        outputs, state = _time_loop(cell, x, state, sequence_length, parallel_iterations or 32)
        if not time_major:
            outputs = transpose(outputs, [1, 0, 2], name="transpose_1")
        return outputs, state


def _time_loop(cell, x, state, sequence_length, parallel_iterations):
    """The while loop over time: (outputs ``[time, batch, units]``, final state)."""
    steps = x.shape[0].value
    time = constant(steps, dtype=dtypes.int32) if steps is not None else shape(x)[0]
    batch = x.shape[1].value if x.shape[1].value is not None else shape(x)[1]
    units = cell.output_size
    dtype = nest.flatten(state)[0].dtype.base_dtype
    size = [steps if steps is not None else time, batch, units]
    all_known = all(isinstance(d, int) for d in size)
    empty = zeros(size if all_known else stack([convert_to_tensor(d) for d in size]), dtype=dtype)
    empty.set_shape([d if isinstance(d, int) else None for d in size])
    state_shapes = nest.map_structure(lambda s: s.shape, state)

    def body(t, state, outputs):
        output, new_state = cell(gather(x, t), state)
        if sequence_length is not None:
            mask = _still_running(t, sequence_length, output.dtype.base_dtype)
            output = output * mask
            new_state = _carry(mask, new_state, state)
        return t + 1, new_state, write_row(outputs, t, output)

    _, final_state, outputs = while_loop(
        lambda t, *_: less(t, time), body, (constant(0, name="time"), state, empty),
        shape_invariants=(constant(0).shape, state_shapes, empty.shape),
        parallel_iterations=parallel_iterations, name="while")
    return outputs, final_state


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None, dtype=None, parallel_iterations=None,
                              swap_memory=False, time_major=False, scope=None):
    """A forward and a backward ``dynamic_rnn``: ((out_fw, out_bw), (state_fw, state_bw))."""
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw, dtype,
                                           parallel_iterations, swap_memory, time_major, scope=fw_scope)
        time_axis = 0 if time_major else 1
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_time(inputs, sequence_length, time_axis)
            tmp, state_bw = dynamic_rnn(cell_bw, reversed_inputs, sequence_length, initial_state_bw, dtype,
                                        parallel_iterations, swap_memory, time_major, scope=bw_scope)
        out_bw = _reverse_time(tmp, sequence_length, time_axis)
        return (out_fw, out_bw), (state_fw, state_bw)


def _reverse_time(x, sequence_length, time_axis):
    x = convert_to_tensor(x)
    if time_axis == 1:
        return transpose(reverse_sequence(transpose(x, [1, 0, 2]), sequence_length), [1, 0, 2])
    return reverse_sequence(x, sequence_length)


def reverse_sequence(x, sequence_length):
    """Reverse each sequence of time-major ``x`` ``[time, batch, ...]`` within its own length.

    Built from gather: the element for (t, b) comes from row ``len_b - 1 - t`` while
    ``t < len_b``, and stays in place after the sequence ended.
    """
    time, batch = shape(x)[0], shape(x)[1]
    t = expand_dims(tf_range(time), 1)                                  # [time, 1]
    if sequence_length is None:
        source = subtract(time - 1, t) + zeros(stack([1, batch]), dtype=dtypes.int32)
    else:
        lengths = expand_dims(cast(sequence_length, dtypes.int32), 0)   # [1, batch]
        running = cast(less(t, lengths), dtypes.int32)
        source = running * maximum(lengths - 1 - t, 0) + (1 - running) * t
    flat_index = reshape(source * batch + expand_dims(tf_range(batch), 0), [-1])
    rows = reshape(x, concat([[-1], shape(x)[2:]], 0))
    reversed_x = reshape(gather(rows, flat_index), shape(x))
    reversed_x.set_shape(x.shape)                       # same shape as x, now known statically too
    return reversed_x

