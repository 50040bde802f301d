"""Index helpers shared by CPU and GPU kernels (plain Python, compiled for both).

An n-d array is stored as a flat buffer; ``strides`` say how far apart, in
elements, two neighbours along each dimension are. A stride of 0 repeats the
same element along that dimension, which is exactly what broadcasting needs.
"""


def position(index, shape, strides):
    """Storage position of element number ``index`` (C order over ``shape``)."""
    pos = 0
    for d in range(len(shape) - 1, -1, -1):
        pos += (index % shape[d]) * strides[d]
        index //= shape[d]
    return pos
