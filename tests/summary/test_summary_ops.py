"""Summary ops: TF's op types, attrs, tags, values and errors."""

import io
import struct
import subprocess
import sys
import wave

import numpy as np
import pytest
from PIL import Image

import minitf as tf
from minitf.io.histogram import DBL_MAX, default_bucket_limits, histogram_proto
from minitf.io.tensor_proto import make_ndarray
from minitf.ops.summary_ops import scalar_summary


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def _run(fetch, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetch, feed)


def _summary(fetch, feed=None) -> tf.summary.Summary:
    return tf.summary.Summary.FromString(_run(fetch, feed))


# --- graph structure: what TF builds -----------------------------------------------------------------
def test_scalar_builds_tf_nodes_and_joins_the_summaries_collection():
    loss = tf.constant(0.5, name="loss")
    s = tf.summary.scalar("loss", loss)
    assert s.op.type == "ScalarSummary" and s.dtype == tf.string and s.shape.ndims == 0
    assert s.op.name == "loss_1"                      # 'loss' was taken by the constant
    assert [t.op.name for t in s.op.inputs] == ["loss_1/tags", "loss"]
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s]
    node = tf.get_default_graph().as_graph_def().node[-1]
    assert node.op == "ScalarSummary" and set(node.attr) == {"T"}


def test_tags_follow_name_scopes_and_duplicates_get_suffixes():
    x = tf.constant([1.0, 2.0])
    with tf.name_scope("layer1"):
        h1 = tf.summary.histogram("weights", x)
        h2 = tf.summary.histogram("weights", x)
    m = tf.summary.scalar("mean", tf.reduce_mean(x), family="stats")
    bad = tf.summary.scalar("bad name:1", tf.reduce_max(x))
    tags = [v.tag for v in _summary(tf.summary.merge([h1, h2, m, bad])).value]
    # family: the op is named family/name and the tag repeats the family (TF's quirk), so
    # TensorBoard files it under the family's section.
    assert tags == ["layer1/weights", "layer1/weights_1", "stats/stats/mean", "bad_name_1"]
    assert m.op.name == "stats/mean"


def test_merge_all_merges_the_collection_in_order_and_is_none_when_empty():
    assert tf.summary.merge_all() is None
    a = tf.summary.scalar("a", tf.constant(1.0))
    b = tf.summary.scalar("b", tf.constant(2.0), collections=["other"])
    c = tf.summary.scalar("c", tf.constant(3.0))
    merged = tf.summary.merge_all()
    assert merged.op.type == "MergeSummary" and merged.op.name == "Merge/MergeSummary"
    assert merged.op.get_attr("N") == 2 and list(merged.op.inputs) == [a, c]
    assert [(v.tag, v.simple_value) for v in _summary(merged).value] == [("a", 1.0), ("c", 3.0)]
    assert tf.summary.merge_all("other").op.inputs[0] is b
    with pytest.raises(ValueError, match="Attr 'N' of 'MergeSummary' Op passed 0 less than minimum 1"):
        tf.summary.merge([])


def test_merge_refuses_duplicate_tags_at_run_time():
    a = tf.summary.scalar("x", tf.constant(1.0))
    b = tf.summary.scalar("y", tf.constant(2.0))
    merged = tf.summary.merge([a, b, a])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag x found in summary inputs"):
        _run(merged)


def test_summary_graph_def_has_tf_attrs():
    img = tf.zeros([2, 4, 4, 3])
    tf.summary.image("img", img, max_outputs=2)
    tf.summary.audio("clip", tf.zeros([1, 10]), 8000.0)
    tf.summary.text("note", tf.constant("hi"))
    tf.summary.merge_all()
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert set(nodes["img"].attr) == {"max_images", "T", "bad_color"}
    assert nodes["img"].attr["max_images"].i == 2
    assert make_ndarray(nodes["img"].attr["bad_color"].tensor).tolist() == [255, 0, 0, 255]
    assert nodes["clip"].op == "AudioSummaryV2" and set(nodes["clip"].attr) == {"max_outputs"}
    assert list(nodes["clip"].input) == ["clip/tag", "zeros_1", "clip/sample_rate"]
    assert nodes["note"].op == "TensorSummaryV2"
    assert list(nodes["note"].input) == ["note/tag", "Const", "note/serialized_summary_metadata"]
    assert set(nodes["Merge/MergeSummary"].attr) == {"N"}


def test_graph_with_summaries_imports_back_and_runs():
    x = tf.placeholder(tf.float32, [3], name="x")
    tf.summary.scalar("mean", tf.reduce_mean(x))
    tf.summary.histogram("x", x)
    tf.summary.merge_all()
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        got = tf.Session().run("Merge/MergeSummary:0", {"x:0": [1.0, 2.0, 6.0]})
    summary = tf.summary.Summary.FromString(got)
    assert summary.value[0].simple_value == 3.0 and summary.value[1].histo.num == 3


# --- values --------------------------------------------------------------------------------------------
def test_scalar_value_and_vector_of_tags():
    x = tf.placeholder(tf.float64, [])
    assert _summary(tf.summary.scalar("x", x), {x: 2.5}).value[0].simple_value == 2.5
    # TF's ScalarSummary op also takes a vector of tags with a vector of values.
    both = scalar_summary(["a", "b"], tf.constant([1, 2]))
    assert [(v.tag, v.simple_value) for v in _summary(both).value] == [("a", 1.0), ("b", 2.0)]


def test_scalar_of_a_vector_fails_at_run_time_with_tf_wording():
    x = tf.placeholder(tf.float32, None)
    s = tf.summary.scalar("x", x)          # TF's shape function does not check: building works
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"tags and values not the same shape: \[\] != \[2\] \(tag 'x'\)"):
        _run(s, {x: [1.0, 2.0]})


def test_histogram_matches_tf_buckets():
    limits = default_bucket_limits()
    assert len(limits) == 1551 and limits[775] == 0.0
    assert limits[776] == 1e-12 and limits[-1] == DBL_MAX and limits[0] == -DBL_MAX
    values = np.array([0.0, 1.0, 1.0, -3.5, 100.0], np.float32)
    histo = _summary(tf.summary.histogram("h", tf.constant(values))).value[0].histo
    assert (histo.min, histo.max, histo.num, histo.sum, histo.sum_squares) == (-3.5, 100.0, 5, 98.5, 10014.25)
    counts = dict(zip(histo.bucket_limit, histo.bucket))
    for v, n in ((0.0, 1), (1.0, 2), (-3.5, 1), (100.0, 1)):
        right = limits[np.searchsorted(limits, v, side="right")]   # bucket i holds [limit[i-1], limit[i])
        assert counts[right] == n
    assert sum(histo.bucket) == 5
    # Runs of empty buckets are one entry; the last one ends at DBL_MAX.
    assert histo.bucket_limit[-1] == DBL_MAX and histo.bucket[-1] == 0
    assert all(a != 0 or b != 0 for a, b in zip(histo.bucket[:-1], histo.bucket[1:]))


def test_histogram_of_empty_tensor_is_tf_empty_histogram():
    histo = _summary(tf.summary.histogram("h", tf.zeros([0, 3]))).value[0].histo
    assert (histo.min, histo.max, histo.num, histo.sum) == (DBL_MAX, -DBL_MAX, 0, 0)
    assert list(histo.bucket_limit) == [DBL_MAX] and list(histo.bucket) == [0.0]


@pytest.mark.parametrize("bad, word", [(np.nan, "Nan"), (np.inf, "Infinity")])
def test_histogram_of_nan_or_inf_raises_like_tf(bad, word):
    x = tf.placeholder(tf.float32, [2])
    with tf.name_scope("layer"):
        h = tf.summary.histogram("w", x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"{word} in summary histogram for: layer/w"):
        _run(h, {x: [1.0, bad]})


def _png(value) -> np.ndarray:
    return np.array(Image.open(io.BytesIO(value.image.encoded_image_string)))


def test_image_uint8_and_float_scaling_like_tf():
    pixels = np.arange(2 * 3 * 2 * 3, dtype=np.uint8).reshape(2, 3, 2, 3) * 7
    summary = _summary(tf.summary.image("u8", tf.constant(pixels)))
    assert [v.tag for v in summary.value] == ["u8/image/0", "u8/image/1"]
    v = summary.value[1]
    assert (v.image.height, v.image.width, v.image.colorspace) == (3, 2, 3)
    np.testing.assert_array_equal(_png(v), pixels[1])

    positive = np.array([0.0, 0.25, 0.5, 2.0], np.float32).reshape(1, 2, 2, 1)
    got = _png(_summary(tf.summary.image("pos", positive, max_outputs=1)).value[0])
    np.testing.assert_array_equal(got.ravel(), [0, 31, 63, 255])        # x * 255 / max, truncated
    signed = np.array([-1.0, 0.0, 0.5, np.nan], np.float32).reshape(1, 2, 2, 1)
    v = _summary(tf.summary.image("signed", signed, max_outputs=1)).value[0]
    assert v.tag == "signed/image"                                      # max_outputs=1: no index
    np.testing.assert_array_equal(_png(v).ravel(), [1, 128, 191, 255])  # x*127/max|x| + 128; NaN → red


def test_image_rgba_and_bad_shapes():
    rgba = np.zeros((1, 2, 2, 4), np.float32)
    rgba[..., 3] = 1.0
    assert _png(_summary(tf.summary.image("rgba", rgba)).value[0]).shape == (2, 2, 4)
    x = tf.placeholder(tf.float32, None)
    s = tf.summary.image("bad", x)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Tensor must be 4-D with last dim 1, 3, or 4, not \[2,2\]"):
        _run(s, {x: np.zeros((2, 2))})
    with pytest.raises(TypeError, match="has DataType int32 not in list of allowed values"):
        tf.summary.image("int", tf.zeros([1, 2, 2, 1], tf.int32))


def test_audio_is_16_bit_wav():
    t = np.linspace(-1.0, 1.0, 11, dtype=np.float32)
    clips = np.stack([t, -t])                                          # [batch, frames]
    summary = _summary(tf.summary.audio("clip", clips, 16000, max_outputs=5))
    assert [v.tag for v in summary.value] == ["clip/audio/0", "clip/audio/1"]
    a = summary.value[0].audio
    assert (a.sample_rate, a.num_channels, a.length_frames, a.content_type) == (16000, 1, 11, "audio/wav")
    with wave.open(io.BytesIO(a.encoded_audio_string)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 16000, 11)
        samples = struct.unpack("<11h", w.readframes(11))
    assert samples[0] == -32768 and samples[-1] == 32767 and samples[5] == 0
    assert samples[1] == round(-0.8 * 32768)


def test_text_summary_is_a_string_tensor_for_the_text_plugin():
    summary = _summary(tf.summary.text("note", tf.constant(["a", "**b**"])))
    value = summary.value[0]
    assert value.tag == "note" and value.metadata.plugin_data.plugin_name == "text"
    assert list(value.tensor.string_val) == [b"a", b"**b**"]
    with pytest.raises(ValueError, match="to have dtype string"):
        tf.summary.text("n", tf.constant(1.0))


def test_histogram_proto_matches_the_tf_written_fixture():
    # The fixture's step 0 logged the variable [[-2], [1]]; TF wrote these buckets.
    proto = histogram_proto(np.array([[-2.0], [1.0]], np.float32))
    assert list(proto.bucket_limit) == [-2.1628190051144287, -1.9661990955585713, 0.917246389039776,
                                        1.0089710279437536, DBL_MAX]
    assert list(proto.bucket) == [0, 1, 0, 1, 0]


# --- eager mode -------------------------------------------------------------------------------------
def test_eager_mode_runs_summary_ops_and_refuses_merge_and_file_writer(tmp_path):
    code = f"""
import minitf as tf
tf.enable_eager_execution()
s = tf.summary.scalar("loss", tf.constant(0.25))
print(tf.summary.Summary.FromString(s.numpy()).value[0].tag)
for call in (tf.summary.merge_all, lambda: tf.summary.FileWriter({str(tmp_path)!r})):
    try:
        call()
    except RuntimeError as e:
        print(e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "loss",
        "Merging tf.summary.* ops is not compatible with eager execution. Use tf.contrib.summary instead.",
        "tf.summary.FileWriter is not compatible with eager execution. Use tf.contrib.summary instead."]
