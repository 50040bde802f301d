"""``tf.summary.scalar``, ``histogram``, ``image``, ``audio``, ``text``, ``merge``, ``merge_all``.

Each function builds one summary op (minitf/ops/summary_ops.py) inside a name
scope named after the summary, and adds it to the ``GraphKeys.SUMMARIES``
collection (or to ``collections``), where ``merge_all`` finds it.

The tag is the scope's name, so it follows TF's naming: inside
``name_scope("layer1")`` a histogram ``"weights"`` is tagged
``layer1/weights``, and a second summary with the same name gets ``weights_1``
(as would any op name already taken: ``scalar("loss", loss)`` next to an op
called ``loss`` is tagged ``loss_1``).  ``family="train"`` puts the summary
in TensorBoard's ``train`` section: op ``train/loss``, tag ``train/train/loss``
(the family prefixes the scoped name once more, exactly as TF does).
"""

from __future__ import annotations

import contextlib
import re

from ..framework import context, dtypes
from ..framework.graph import GraphKeys, add_to_collections, get_collection
from ..framework.scopes import name_scope
from ..io.protos.summary_pb2 import SummaryDescription, SummaryMetadata
from ..ops import summary_ops
from ..ops.constant_op import convert_to_tensor

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name: str | None) -> str | None:
    """Replace characters TensorBoard cannot show with ``_`` and drop leading slashes (as TF)."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


@contextlib.contextmanager
def summary_scope(name: str, family: str | None = None, default_name: str | None = None, values=None):
    """Open the name scope of one summary; yield ``(tag, scope)``."""
    name, family = clean_tag(name), clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    if context.executing_eagerly():      # no graph, so no uniquified names: the tag is the name
        yield (base or default_name), None
        return
    with name_scope(base, default_name, values) as scope:
        tag = scope.rstrip("/")
        yield (tag if family is None else f"{family}/{tag}"), scope


def _collect(op, collections, default_collections) -> None:
    if context.executing_eagerly():      # eager mode has no graph collections to merge from
        return
    add_to_collections(list(collections) if collections is not None else default_collections, op)


def scalar(name: str, tensor, collections=None, family=None):
    """A summary of one scalar value (a point of a TensorBoard curve)."""
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.scalar_summary(tags=tag, values=tensor, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram(name: str, values, collections=None, family=None):
    """A summary of the distribution of ``values`` (TensorBoard's histograms and distributions)."""
    with summary_scope(name, family, default_name="HistogramSummary", values=[values]) as (tag, scope):
        val = summary_ops.histogram_summary(tag=tag, values=values, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def image(name: str, tensor, max_outputs: int = 3, collections=None, family=None):
    """Up to ``max_outputs`` images of a ``[batch, height, width, 1|3|4]`` tensor, as PNG.

    uint8 pixels are stored as they are; float images are rescaled to 0..255
    (by 255/max when all values are >= 0, else centred on 128).
    """
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.image_summary(tag=tag, tensor=tensor, max_images=max_outputs, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def audio(name: str, tensor, sample_rate, max_outputs: int = 3, collections=None, family=None):
    """Up to ``max_outputs`` clips of a ``[batch, frames(, channels)]`` float tensor, as WAV."""
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        sample_rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        val = summary_ops.audio_summary_v2(tag=tag, tensor=tensor, sample_rate=sample_rate,
                                           max_outputs=max_outputs, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def tensor_summary(name: str, tensor, summary_description=None, collections=None,
                   summary_metadata=None, family=None, display_name=None):
    """A summary holding a whole tensor, with metadata saying which plugin shows it."""
    metadata = SummaryMetadata() if summary_metadata is None else summary_metadata
    if summary_description is not None:
        metadata.summary_description = summary_description
    if display_name is not None:
        metadata.display_name = display_name
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.tensor_summary_v2(tag=tag, tensor=tensor, name=scope,
                                            serialized_summary_metadata=metadata.SerializeToString())
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name: str, tensor, collections=None):
    """A string tensor shown by TensorBoard's text plugin (Markdown)."""
    tensor = convert_to_tensor(tensor) if not hasattr(tensor, "dtype") else tensor
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, summary_metadata=metadata, collections=collections)


def merge(inputs, collections=None, name=None):
    """One summary with the values of all ``inputs`` (a ``MergeSummary`` op)."""
    if context.executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.contrib.summary instead.")
    with name_scope(name, "Merge", inputs):
        val = summary_ops.merge_summary(inputs=inputs, name=name)
        _collect(val, collections, [])
    return val


def merge_all(key: str = GraphKeys.SUMMARIES, scope=None, name=None):
    """``merge`` of every summary in collection ``key``; None when there is none."""
    if context.executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.contrib.summary instead.")
    summary_ops_ = get_collection(key, scope=scope)
    if not summary_ops_:
        return None
    return merge(summary_ops_, name=name)


def get_summary_description(node_def):
    """The SummaryDescription stored in a TensorSummary NodeDef's ``description`` attr."""
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    description = SummaryDescription()
    description.ParseFromString(node_def.attr["description"].s)
    return description
