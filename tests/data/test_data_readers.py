"""TextLineDataset and TFRecordDataset: lines and records of files, the file names possibly fed."""

import gzip

import numpy as np
import pytest

import minitf as tf
from data_helpers import drain, elements


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


@pytest.fixture
def text_files(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(b"x,1\ny,2\r\n\nlast")            # no final newline, a CRLF line, an empty line
    second.write_bytes(b"z,3\n")
    return str(first), str(second)


def test_text_lines_without_line_endings(text_files):
    ds = tf.data.TextLineDataset(list(text_files))
    assert (ds.output_types, ds.output_shapes.as_list()) == (tf.string, [])
    assert elements(ds) == [b"x,1", b"y,2", b"", b"last", b"z,3"]


def test_file_names_can_be_fed_to_the_initializer(text_files):
    names = tf.placeholder(tf.string, [None])
    iterator = tf.data.TextLineDataset(names).skip(1).make_initializable_iterator()
    line = iterator.get_next()
    with tf.Session() as sess:
        sess.run(iterator.initializer, {names: [text_files[1]]})
        assert drain(sess, line) == []
        sess.run(iterator.initializer, {names: list(text_files)})
        assert drain(sess, line) == [b"y,2", b"", b"last", b"z,3"]


def test_missing_file_is_not_found_when_read():
    line = tf.data.TextLineDataset("/no/such/file.txt").make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError) as info:
            sess.run(line)
    assert info.value.message.startswith("/no/such/file.txt; No such file or directory")


def test_tfrecords_round_trip_plain_and_gzip(tmp_path):
    records = [b"one", b"", bytes(range(256))]
    plain = str(tmp_path / "data.tfrecord")
    with tf.python_io.TFRecordWriter(plain) as writer:
        for r in records:
            writer.write(r)
    packed = str(tmp_path / "data.tfrecord.gz")
    with open(plain, "rb") as src, gzip.open(packed, "wb") as dst:
        dst.write(src.read())
    assert elements(tf.data.TFRecordDataset(plain)) == records
    assert elements(tf.data.TFRecordDataset([packed], compression_type="GZIP")) == records


def test_interleave_reads_files_in_turn(text_files):
    ds = tf.data.Dataset.from_tensor_slices(np.array(text_files)).interleave(
        lambda name: tf.data.TextLineDataset(name), cycle_length=2)
    assert elements(ds) == [b"x,1", b"z,3", b"y,2", b"", b"last"]


def test_list_files_matches_a_pattern(text_files, tmp_path):
    pattern = str(tmp_path / "*.csv")
    assert elements(tf.data.Dataset.list_files(pattern, shuffle=False)) == [n.encode() for n in sorted(text_files)]
    shuffled = elements(tf.data.Dataset.list_files(pattern, seed=3))
    assert sorted(shuffled) == [n.encode() for n in sorted(text_files)]
    assert elements(tf.data.Dataset.list_files(str(tmp_path / "*.none"))) == []
    lines = tf.data.Dataset.list_files(pattern, shuffle=False).flat_map(tf.data.TextLineDataset)
    assert elements(lines) == [b"x,1", b"y,2", b"", b"last", b"z,3"]
