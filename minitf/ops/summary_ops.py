"""Summary ops: graph ops whose output is a serialized ``Summary`` protocol buffer.

A summary op does not write anything.  Running it returns a string tensor
holding a ``Summary`` (minitf/io/protos/summary.proto); a ``FileWriter`` then
wraps it in an ``Event`` with the step and wall time and appends it to an
event file for TensorBoard.  So logging is ordinary graph work: ``merge_all``
is one ``MergeSummary`` op, fetched with the train op in the same ``run``.

The op types, inputs and attrs are TF 1.x's (core/ops/logging_ops.cc), so a
GraphDef with summaries imports into TensorFlow, and the kernels reproduce TF's
(core/kernels/summary_*.cc): same tags, values, histogram buckets, error words.
The Python API with name scopes and collections is minitf/summary/summary.py.
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes, errors
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.tensor_shape import TensorShape
from ..io.histogram import histogram_proto
from ..io.png import encode_png
from ..io.protos.summary_pb2 import Summary, SummaryMetadata
from ..io.protos.tensor_pb2 import TensorProto
from ..io.tensor_proto import make_tensor_proto, shape_to_proto
from ..io.wav import encode_wav
from .array_ops import node_suffix
from .constant_op import convert_to_tensor

# ImageSummary's default colour for non-finite pixels: opaque red (RGBA).
BAD_COLOR = np.array([255, 0, 0, 255], dtype=np.uint8)


def _summary_infer(ctx):
    """Every summary op returns one scalar string: the serialized Summary."""
    return TensorShape([]), dtypes.string


def _as_output(summary: Summary) -> np.ndarray:
    return np.array(summary.SerializeToString(), dtype=object)


def _text(value) -> str:
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _shape_text(shape) -> str:
    """A shape as TF's ``TensorShape::DebugString`` prints it: ``[]``, ``[2,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _invalid(op, message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, op, message + node_suffix(op))


def _scalar_tag(op, tag: np.ndarray, what: str) -> str:
    if np.ndim(tag) != 0:
        raise _invalid(op, f"{what} must be a scalar")
    return _text(tag)


# --- ScalarSummary: one float per tag -------------------------------------------------------------
def _scalar_kernel(op, runtime):
    def scalar_summary(tags, values):
        tags, values = np.asarray(tags), np.asarray(values)
        if tags.shape != values.shape:
            single = f" (tag '{_text(tags.reshape(-1)[0])}')" if tags.size == 1 else ""
            raise _invalid(op, f"tags and values not the same shape: {_shape_text(tags.shape)} != "
                               f"{_shape_text(values.shape)}{single}")
        summary = Summary()
        for tag, value in zip(tags.reshape(-1), values.reshape(-1)):
            summary.value.add(tag=_text(tag), simple_value=float(value))
        return _as_output(summary)
    return scalar_summary


# --- HistogramSummary: TF's fixed exponential buckets ----------------------------------------------
def _histogram_kernel(op, runtime):
    def histogram_summary(tag, values):
        tag = _scalar_tag(op, tag, "tags")
        values = np.asarray(values, dtype=np.float64)
        if np.isnan(values).any():
            raise _invalid(op, f"Nan in summary histogram for: {op.name}")
        if np.isinf(values).any():
            raise _invalid(op, f"Infinity in summary histogram for: {op.name}")
        summary = Summary()
        summary.value.add(tag=tag, histo=histogram_proto(values))
        return _as_output(summary)
    return histogram_summary


# --- ImageSummary: PNG images; floats are rescaled to 0..255 --------------------------------------
def _image_kernel(op, runtime):
    max_images = op.get_attr("max_images")
    bad_color = np.asarray(op.get_attr("bad_color"), dtype=np.uint8).reshape(-1)

    def image_summary(tag, tensor):
        tag = _scalar_tag(op, tag, "Tags")
        tensor = np.asarray(tensor)
        if tensor.ndim != 4 or tensor.shape[3] not in (1, 3, 4):
            raise _invalid(op, "Tensor must be 4-D with last dim 1, 3, or 4, not "
                               + _shape_text(tensor.shape))
        depth = tensor.shape[3]
        if tensor.dtype != np.uint8 and len(bad_color) < depth:
            raise _invalid(op, f"expected depth <= bad_color.size, got depth = {depth}, "
                               f"bad_color.size = {len(bad_color)}")
        summary = Summary()
        for i in range(min(max_images, tensor.shape[0])):
            # The tag depends on how many images were asked for, not on how many there are.
            name = f"{tag}/image/{i}" if max_images > 1 else f"{tag}/image"
            pixels = tensor[i] if tensor.dtype == np.uint8 else _to_uint8(tensor[i], bad_color[:depth])
            value = summary.value.add(tag=name)
            value.image.height, value.image.width, value.image.colorspace = tensor.shape[1:]
            value.image.encoded_image_string = encode_png(pixels)
        return _as_output(summary)
    return image_summary


def _to_uint8(image: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """TF's rescaling of one float image: all >= 0 → ×255/max; else ×127/max|x| + 128.

    Pixels with a NaN or infinite channel become ``bad_color``.  The scaling
    ignores them, and the cast truncates, as TF's C++ does.
    """
    image = image.astype(np.float32)
    finite = np.isfinite(image).all(axis=-1)
    good = image[finite]
    low = good.min() if good.size else np.float32(np.inf)
    high = good.max() if good.size else np.float32(-np.inf)
    if low < 0:
        biggest = max(abs(low), abs(high))
        scale, offset = (0.0 if biggest < 1e-6 else 127.0 / biggest), 128.0
    else:
        scale, offset = (0.0 if high < 1e-6 else 255.0 / high), 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        out = (image * np.float32(scale) + np.float32(offset)).astype(np.uint8)
    out[~finite] = bad_color
    return out


# --- AudioSummaryV2: 16-bit WAV clips ------------------------------------------------------------
def _audio_kernel(op, runtime):
    max_outputs = op.get_attr("max_outputs")

    def audio_summary(tag, tensor, sample_rate):
        tag = _scalar_tag(op, tag, "Tag")
        tensor = np.asarray(tensor, dtype=np.float32)
        if tensor.ndim not in (2, 3):
            raise _invalid(op, f"Tensor must be 3-D or 2-D, got: {_shape_text(tensor.shape)}")
        rate = float(np.asarray(sample_rate).reshape(()))
        if not rate > 0:
            raise _invalid(op, "sample_rate must be > 0")
        clips = tensor if tensor.ndim == 3 else tensor[:, :, None]   # [batch, frames, channels]
        summary = Summary()
        for i in range(min(max_outputs, clips.shape[0])):
            value = summary.value.add(tag=f"{tag}/audio/{i}" if max_outputs > 1 else f"{tag}/audio")
            audio = value.audio
            audio.sample_rate = rate
            audio.num_channels = clips.shape[2]
            audio.length_frames = clips.shape[1]
            audio.content_type = "audio/wav"
            audio.encoded_audio_string = encode_wav(clips[i], max(1, int(np.rint(rate))))
        return _as_output(summary)
    return audio_summary


# --- TensorSummaryV2: any tensor plus plugin metadata (tf.summary.text uses it) -----------------
def _tensor_kernel(op, runtime):
    def tensor_summary(tag, tensor, serialized_summary_metadata):
        tag = _scalar_tag(op, tag, "tag")
        summary = Summary()
        value = summary.value.add(tag=tag)
        value.tensor.CopyFrom(_tensor_proto(np.asarray(tensor), op.get_attr("T")))
        value.metadata.CopyFrom(SummaryMetadata.FromString(_bytes(serialized_summary_metadata)))
        return _as_output(summary)
    return tensor_summary


def _tensor_proto(value: np.ndarray, dtype) -> TensorProto:
    """Strings in ``string_val``, everything else as raw ``tensor_content`` (what TF writes)."""
    if dtype.base_dtype == dtypes.string:
        return make_tensor_proto(value, dtype=dtypes.string)
    content = value.astype(dtype.np_dtype.newbyteorder("<")).tobytes()
    return TensorProto(dtype=dtype.base_dtype.enum, tensor_shape=shape_to_proto(value.shape),
                       tensor_content=content)


def _bytes(value) -> bytes:
    value = value.item() if isinstance(value, np.ndarray) else value
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# --- MergeSummary: many Summary protos into one ----------------------------------------------------
def _merge_kernel(op, runtime):
    def merge_summary(*inputs):
        summary, seen = Summary(), set()
        for serialized in inputs:
            for item in np.asarray(serialized, dtype=object).reshape(-1):
                try:
                    part = Summary.FromString(_bytes(item))
                except Exception:  # noqa: BLE001 - any parse failure is the same user error
                    raise _invalid(op, "Could not parse one of the summary inputs") from None
                for value in part.value:
                    if value.tag and value.tag in seen:
                        raise _invalid(op, f"Duplicate tag {value.tag} found in summary inputs")
                    seen.add(value.tag)
                    summary.value.add().CopyFrom(value)
        return _as_output(summary)
    return merge_summary


_COMMON = dict(differentiable=False)
register_op("ScalarSummary", _summary_infer, kernel=_scalar_kernel, attrs=("T",), **_COMMON)
register_op("HistogramSummary", _summary_infer, kernel=_histogram_kernel, attrs=("T",), **_COMMON)
register_op("ImageSummary", _summary_infer, kernel=_image_kernel,
            attrs=("max_images", "T", "bad_color"), **_COMMON)
register_op("AudioSummaryV2", _summary_infer, kernel=_audio_kernel, attrs=("max_outputs",), **_COMMON)
register_op("TensorSummaryV2", _summary_infer, kernel=_tensor_kernel, attrs=("T",), **_COMMON)
register_op("MergeSummary", _summary_infer, kernel=_merge_kernel, attrs=("N",), **_COMMON)


# --- op functions (the generated ``gen_logging_ops`` wrappers of TF) ------------------------------
# Python values are converted inside the caller's name scope, so a tag becomes ``<scope>/tag``.
_REAL = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8,
         dtypes.int64, dtypes.uint16, dtypes.float16)
_IMAGE = (dtypes.uint8, dtypes.float32, dtypes.float16, dtypes.float64)


def _string(value, name):
    return convert_to_tensor(value, dtype=dtypes.string, name=name)


def _typed(value, name, allowed, dtype=None):
    """``value`` as a tensor whose dtype is one of ``allowed`` (TF's TypeError otherwise)."""
    tensor = convert_to_tensor(value, dtype=dtype, name=name)
    if tensor.dtype.base_dtype not in allowed:
        raise TypeError(f"Value passed to parameter '{name}' has DataType {tensor.dtype.base_dtype.name} "
                        f"not in list of allowed values: {', '.join(d.name for d in allowed)}")
    return tensor


def scalar_summary(tags, values, name=None):
    tags, values = _string(tags, "tags"), _typed(values, "values", _REAL)
    return apply_op("ScalarSummary", [tags, values], {"T": values.dtype.base_dtype}, name=name)


def histogram_summary(tag, values, name=None):
    tag, values = _string(tag, "tag"), _typed(values, "values", _REAL)
    return apply_op("HistogramSummary", [tag, values], {"T": values.dtype.base_dtype}, name=name)


def image_summary(tag, tensor, max_images=3, bad_color=BAD_COLOR, name=None):
    if int(max_images) < 1:
        raise ValueError(f"Attr 'max_images' of 'ImageSummary' Op passed {max_images} less than "
                         f"minimum 1.")
    tag, tensor = _string(tag, "tag"), _typed(tensor, "tensor", _IMAGE)
    return apply_op("ImageSummary", [tag, tensor],
                    {"max_images": int(max_images), "T": tensor.dtype.base_dtype,
                     "bad_color": np.asarray(bad_color, dtype=np.uint8)}, name=name)


def audio_summary_v2(tag, tensor, sample_rate, max_outputs=3, name=None):
    if int(max_outputs) < 1:
        raise ValueError(f"Attr 'max_outputs' of 'AudioSummaryV2' Op passed {max_outputs} less than "
                         f"minimum 1.")
    tag = _string(tag, "tag")
    tensor = _typed(tensor, "tensor", (dtypes.float32,), dtype=dtypes.float32)
    sample_rate = _typed(sample_rate, "sample_rate", (dtypes.float32,), dtype=dtypes.float32)
    return apply_op("AudioSummaryV2", [tag, tensor, sample_rate], {"max_outputs": int(max_outputs)},
                    name=name)


def tensor_summary_v2(tag, tensor, serialized_summary_metadata, name=None):
    tag = _string(tag, "tag")
    tensor = convert_to_tensor(tensor, name="tensor")
    metadata = _string(serialized_summary_metadata, "serialized_summary_metadata")
    return apply_op("TensorSummaryV2", [tag, tensor, metadata], {"T": tensor.dtype.base_dtype},
                    name=name)


def merge_summary(inputs, name=None):
    if not inputs:
        raise ValueError("Attr 'N' of 'MergeSummary' Op passed 0 less than minimum 1.")
    inputs = [_typed(x, "inputs", (dtypes.string,)) for x in inputs]
    return apply_op("MergeSummary", inputs, {"N": len(inputs)}, name=name)
