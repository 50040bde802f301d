"""Event files: TFRecord framing, FileWriter events, the background writer, bad logdirs."""

import glob
import io
import os
import socket
import struct
import time

import numpy as np
import pytest

import minitf as tf
from minitf.io import crc32c
from minitf.io.event_file_writer import EventFileWriter
from minitf.io.tensor_proto import make_tensor_proto
from minitf.io.tfrecord import TFRecordWriter, encode_record, tf_record_iterator


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def _events(logdir) -> list:
    files = sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*")))
    return [e for f in files for e in tf.train.summary_iterator(f)]


def _scalar(tag: str, value: float) -> tf.summary.Summary:
    return tf.summary.Summary(value=[tf.summary.Summary.Value(tag=tag, simple_value=value)])


# --- TFRecord framing --------------------------------------------------------------------------------
def test_record_layout_is_length_crc_data_crc():
    record = encode_record(b"hello")
    length, length_crc = struct.unpack("<QI", record[:12])
    assert length == 5 and record[12:17] == b"hello" and len(record) == 21
    assert length_crc == crc32c.mask(crc32c.crc32c(record[:8]))
    assert struct.unpack("<I", record[17:])[0] == crc32c.mask(crc32c.crc32c(b"hello"))


def test_records_round_trip_and_damage_is_data_loss(tmp_path):
    path = str(tmp_path / "data.tfrecord")
    assert tf.python_io.TFRecordWriter is TFRecordWriter and tf.python_io.tf_record_iterator is tf_record_iterator
    assert tf.Summary is tf.summary.Summary and tf.SessionLog is tf.summary.SessionLog
    with TFRecordWriter(path) as w:
        for r in (b"", b"a", b"x" * 1000):
            w.write(r)
    assert list(tf_record_iterator(path)) == [b"", b"a", b"x" * 1000]
    data = bytearray(open(path, "rb").read())
    data[-100] ^= 1                                   # a flipped bit in the last record's data
    open(path, "wb").write(bytes(data))
    got = []
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at 33"):
        for r in tf_record_iterator(path):
            got.append(r)
    assert got == [b"", b"a"]                         # the records before the damage still read
    open(path, "wb").write(bytes(data[:40]))
    with pytest.raises(tf.errors.DataLossError, match="truncated record at 33"):
        list(tf_record_iterator(path))


# --- what a FileWriter writes -----------------------------------------------------------------------
def test_file_name_version_record_graph_and_summaries(tmp_path):
    x = tf.placeholder(tf.float32, [], name="x")
    merged = tf.summary.merge([tf.summary.scalar("x", x)])
    before = time.time()
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(str(tmp_path), sess.graph)
        for step in range(3):
            writer.add_summary(sess.run(merged, {x: step * 1.5}), global_step=10 * step)
        writer.close()
    (name,) = os.listdir(tmp_path)
    seconds, host = name[len("events.out.tfevents."):].split(".", 1)
    assert len(seconds) == 10 and abs(int(seconds) - before) <= 2 and host == socket.gethostname()
    events = _events(tmp_path)
    assert [e.WhichOneof("what") for e in events] == [
        "file_version", "graph_def", "meta_graph_def", "summary", "summary", "summary"]
    assert events[0].file_version == "brain.Event:2"
    graph_def = tf.GraphDef.FromString(events[1].graph_def)
    assert {"x", "x_1", "Merge/MergeSummary"} <= {n.name for n in graph_def.node}
    assert all("_output_shapes" in n.attr for n in graph_def.node)      # add_shapes=True, as TF
    assert [(e.step, e.summary.value[0].simple_value) for e in events[3:]] == [(0, 0), (10, 1.5), (20, 3)]
    assert all(before <= e.wall_time <= time.time() for e in events)


def test_add_summary_accepts_protos_keeps_metadata_once_and_logs_session_events(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    meta = tf.summary.SummaryMetadata(plugin_data=tf.summary.SummaryMetadata.PluginData(plugin_name="text"))
    for step in range(2):
        value = tf.summary.Summary.Value(tag="note", metadata=meta)
        value.tensor.string_val.append(b"hi")
        writer.add_summary(tf.summary.Summary(value=[value]), step)
    writer.add_session_log(tf.summary.SessionLog(status=tf.summary.SessionLog.START), 2)
    writer.add_run_metadata(tf.RunMetadata(), "step002", 2)
    with pytest.raises(ValueError, match="already in use"):
        writer.add_run_metadata(tf.RunMetadata(), "step002", 3)
    with pytest.raises(TypeError, match="must be an instance of `Graph`"):
        writer.add_graph("not a graph")
    with pytest.raises(TypeError, match="meta_graph_def must be type MetaGraphDef"):
        writer.add_meta_graph(tf.GraphDef())
    writer.close()
    events = _events(tmp_path)[1:]
    assert [e.summary.value[0].HasField("metadata") for e in events[:2]] == [True, False]
    assert events[2].session_log.status == tf.summary.SessionLog.START and events[2].step == 2
    assert events[3].tagged_run_metadata.tag == "step002"


# --- the background writer -----------------------------------------------------------------------------
def test_events_reach_the_disk_on_flush_not_before(tmp_path):
    writer = EventFileWriter(str(tmp_path), max_queue=5, flush_secs=3600)
    size = os.path.getsize(writer.path)            # just the version record, already on disk
    for step in range(20):                         # more than max_queue: add_event waits, never drops
        writer.add_event(tf.summary.Event(step=step, summary=_scalar("a", step)))
    assert writer._queue.maxsize == 5
    time.sleep(0.2)
    assert os.path.getsize(writer.path) == size    # written to the buffer, not yet flushed
    writer.flush()
    assert [e.step for e in _events(tmp_path)[1:]] == list(range(20))
    writer.close()


def test_flush_secs_flushes_in_the_background(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=0.2)
    writer.add_summary(_scalar("a", 1.0), 1)
    deadline = time.time() + 10
    while len(_events(tmp_path)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert [e.step for e in _events(tmp_path)] == [0, 1]
    writer.close()


def test_close_reopen_and_closed_writer_warns(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_summary(_scalar("a", 1.0), 1)
    first = writer.event_writer.path
    writer.close()
    with pytest.warns(UserWarning, match="Attempting to use a closed FileWriter"):
        writer.add_summary(_scalar("a", 2.0), 2)
    writer.reopen()
    writer.add_summary(_scalar("a", 3.0), 3)
    writer.close()
    assert writer.event_writer.path != first       # a new file, even within the same second
    steps = [e.step for e in _events(tmp_path) if e.HasField("summary")]
    assert steps == [1, 3]
    assert writer.get_logdir() == str(tmp_path)


def test_file_writer_cache_shares_one_writer_per_logdir(tmp_path):
    tf.constant(1.0, name="c")
    a = tf.summary.FileWriterCache.get(str(tmp_path / "a"))
    assert tf.summary.FileWriterCache.get(str(tmp_path / "a")) is a
    assert tf.summary.FileWriterCache.get(str(tmp_path / "b")) is not a
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path / "a")) is not a
    tf.summary.FileWriterCache.clear()
    kinds = [e.WhichOneof("what") for e in _events(tmp_path / "a")]
    assert kinds.count("graph_def") == 2           # each writer logged the default graph


def test_unwritable_logdir_is_permission_denied(tmp_path):
    if os.geteuid() == 0:          # root may write anywhere on a normal file system, not in /sys
        logdir = "/sys/minitf-logs/run1"
        try:
            os.makedirs(logdir)
        except PermissionError:
            pass
        except OSError as e:
            pytest.skip(f"no place refuses root with EACCES/EPERM here ({e})")
    else:
        os.chmod(tmp_path, 0o500)
        logdir = str(tmp_path / "run1")
    try:
        with pytest.raises(tf.errors.PermissionDeniedError, match="Permission denied"):
            tf.summary.FileWriter(logdir)
    finally:
        os.chmod(tmp_path, 0o700)


def test_logdir_that_is_a_file_is_an_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(tf.errors.OpError):
        tf.summary.FileWriter(str(tmp_path / "file"))


# --- files written by real TensorFlow -------------------------------------------------------------------
FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf", "summary_events")


def _tf_graph_without_linspace(graph_def):
    """TF's graph, with the image input (TF 2's linspace lowering, ops minitf lacks) as a Const."""
    ramp = make_tensor_proto(np.linspace(0, 1, 16, dtype=np.float32).reshape(1, 4, 4, 1))
    for node in graph_def.node:
        if node.name == "Reshape":
            node.op = "Const"
            del node.input[:]
            node.attr.clear()
            node.attr["dtype"].type = tf.float32.as_datatype_enum
            node.attr["value"].tensor.CopyFrom(ramp)
    return tf.graph_util.extract_sub_graph(
        graph_def, ["loss_1", "Merge/MergeSummary", "model/weight/Assign", "model/bias/Assign"])


def test_minitf_reads_the_tensorflow_event_file():
    import json
    with open(os.path.join(FIXTURE, "expected.json")) as f:
        expected = json.load(f)
    events = list(tf.train.summary_iterator(os.path.join(FIXTURE, expected["file"])))
    assert events[0].file_version == "brain.Event:2"
    kinds = [e.WhichOneof("what") for e in events]
    assert kinds[:3] == ["file_version", "graph_def", "meta_graph_def"]
    summaries = [e for e in events if e.HasField("summary")]
    assert [e.step for e in summaries] == expected["steps"]
    scalars = [v.simple_value for e in summaries for v in e.summary.value if v.tag == "loss_1"]
    np.testing.assert_allclose(scalars, expected["scalars"]["loss_1"], rtol=1e-7)
    histos = [v.histo for e in summaries for v in e.summary.value if v.tag == "weight"]
    for got, want in zip(histos, expected["histograms"]["weight"]):
        assert [got.min, got.max, got.num, got.sum, got.sum_squares] == pytest.approx(
            [want[k] for k in ("min", "max", "num", "sum", "sum_squares")], rel=1e-6)
    tags = {v.tag for e in summaries for v in e.summary.value}
    assert tags == {"loss_1", "weight", "ramp/image/0", "note"}


def test_tensorflow_graph_summaries_run_in_minitf_like_tensorflow():
    """Import TF's graph and recompute step 0's histogram, image and text summaries, byte for byte."""
    events = list(tf.train.summary_iterator(os.path.join(FIXTURE, "logdir", "events.out.tfevents.fixture")))
    graph_def = _tf_graph_without_linspace(tf.GraphDef.FromString(events[1].graph_def))
    theirs = {v.tag: v for e in events if e.HasField("summary") and e.step == 0 for v in e.summary.value}
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        assert g.get_operation_by_name("Merge/MergeSummary").type == "MergeSummary"
        with tf.Session() as sess:
            sess.run([op for op in g.get_operations() if op.type == "Assign"])   # initial values
            fetched = sess.run(["weight:0", "ramp:0", "note:0"])                 # (loss needs TF's data)
    ours = {v.tag: v for s in fetched for v in tf.summary.Summary.FromString(s).value}
    assert set(ours) == {"weight", "ramp/image/0", "note"}
    for tag in ("weight", "note"):
        assert ours[tag] == theirs[tag], tag
    # PNG bytes differ (libpng picks row filters and zlib settings); the pictures are the same.
    mine, tfs = ours["ramp/image/0"].image, theirs["ramp/image/0"].image
    assert (mine.height, mine.width, mine.colorspace) == (tfs.height, tfs.width, tfs.colorspace)
    np.testing.assert_array_equal(_pixels(mine), _pixels(tfs))


def _pixels(image) -> np.ndarray:
    from PIL import Image
    return np.array(Image.open(io.BytesIO(image.encoded_image_string)))
