"""Where a convolution or pooling window sits: TensorFlow's output sizes and SAME padding.

Plain Python, no numba: the ops' shape functions (graph building) and the CPU
and GPU kernel factories (run time) all use these two functions, so a shape
inferred when the graph is built is the shape the kernels produce.
"""

from __future__ import annotations

from ..framework import errors
from ..framework.tensor_shape import dimension_value


def window(size, k, stride, dilation, padding):
    """(output size, zeros before) along one spatial axis, as TensorFlow computes them.

    VALID: only windows that fit, ceil((size - k_eff + 1) / stride).
    SAME:  ceil(size / stride) outputs, padded by what they need, half (rounded down) before,
           so an odd total puts the extra zero at the bottom/right.
    ``k_eff = (k - 1) * dilation + 1`` is the span a dilated filter covers.
    ``None`` (an unknown size) gives ``(None, None)``.
    """
    size, k = dimension_value(size), dimension_value(k)   # static shapes index to Dimensions
    if size is None or k is None:
        return None, None
    k_eff = (k - 1) * dilation + 1
    if padding == "VALID":
        if size < k_eff:
            raise ValueError(f"Negative dimension size caused by subtracting {k_eff} from {size}")
        return (size - k_eff) // stride + 1, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + k_eff - size, 0)
    return out, total // 2


def op_geometry(op, in_hw, k_hw):
    """((oh, ow), (pad_top, pad_left)) of a conv or pool op for these input and window sizes."""
    s, d = op.get_attr("strides"), op.attrs.get("dilations", [1, 1, 1, 1])
    rows = window(in_hw[0], k_hw[0], s[1], d[1], op.get_attr("padding"))
    cols = window(in_hw[1], k_hw[1], s[2], d[2], op.get_attr("padding"))
    return (rows[0], cols[0]), (rows[1], cols[1])


def spatial(op, name):
    """The (height, width) entries of a 4-entry NHWC attr, as a tuple (what numba kernels take)."""
    v = op.attrs.get(name, [1, 1, 1, 1])
    return (int(v[1]), int(v[2]))


def check_out_backprop(op, in_hw, k_hw, dy_hw) -> None:
    """The gradient fed to a backprop op must have the size the forward conv would produce.

    (conv2d_transpose with an ``output_shape`` that does not fit its input fails here, as in TF.)
    """
    s, d = spatial(op, "strides"), spatial(op, "dilations")
    for axis in range(2):
        computed, _ = window(in_hw[axis], k_hw[axis], s[axis], d[axis], op.get_attr("padding"))
        if computed != dy_hw[axis]:
            raise errors.InvalidArgumentError(None, op, (
                f"{op.type}: Size of out_backprop doesn't match computed: actual = {dy_hw[axis]}, "
                f"computed = {computed} spatial_dim: {axis + 1} input: {in_hw[axis]} filter: {k_hw[axis]} "
                f"output: {dy_hw[axis]} stride: {s[axis]} dilation: {d[axis]}"
                f"\n\t [[{{{{node {op.name}}}}}]]"))
