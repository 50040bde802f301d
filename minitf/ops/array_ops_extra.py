"""More array ops: moving, joining, cutting and picking elements of tensors.

Every op here only moves data, so each kernel is a line or two of numpy; the
interesting parts are the shape functions (what can be known before running)
and the gradients, which send each gradient element back to where its value
came from: a transpose transposes back, a concat splits, a gather scatters.

The ops live in one file per idea; this module gathers their public functions:

    reshape_ops.py       ExpandDims, Squeeze, Transpose, InvertPermutation, Tile
    concat_split_ops.py  ConcatV2, Pack (stack), Unpack (unstack), Split, SplitV
    slice_pad_ops.py     Slice, Pad, PadV2
    gather_ops.py        GatherV2, UnsortedSegmentSum, OneHot, Where, boolean_mask
    sequence_ops.py      Range, LinSpace, eye
    strided_slice_op.py  StridedSlice and ``tensor[...]``
"""

from .concat_split_ops import concat, split, stack, unstack  # noqa: F401
from .gather_ops import boolean_mask, gather, one_hot, unsorted_segment_sum, where_indices  # noqa: F401
from .reshape_ops import expand_dims, invert_permutation, squeeze, tile, transpose  # noqa: F401
from .sequence_ops import eye, lin_space, linspace, range  # noqa: F401,A004
from .slice_pad_ops import pad, slice  # noqa: F401,A004
from .strided_slice_op import strided_slice  # noqa: F401
