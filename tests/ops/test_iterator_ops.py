"""The graph ops of tf.data iterators: IteratorV2, MakeIterator, OneShotIterator, IteratorGetNext.

Their state (the running pipeline) lives in the Session, like variable values.
"""

import numpy as np
import pytest

import minitf as tf


def _drain(sess, tensor, feed_dict=None) -> list:
    out = []
    while True:
        try:
            out.append(sess.run(tensor, feed_dict))
        except tf.errors.OutOfRangeError:
            return out


def test_get_next_reports_end_of_sequence():
    with tf.Graph().as_default():
        x = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
        assert x.op.type == "IteratorGetNext" and x.op.inputs[0].op.type == "OneShotIterator"
        assert (x.dtype, x.shape.as_list()) == (tf.int64, [])
        with tf.Session() as sess:
            assert [sess.run(x) for _ in range(3)] == [0, 1, 2]
            for _ in range(2):                   # stays at the end
                with pytest.raises(tf.errors.OutOfRangeError) as info:
                    sess.run(x)
                assert info.value.message == "End of sequence\n\t [[{{node IteratorGetNext}}]]"
                assert info.value.op is x.op


def test_one_shot_iterator_runs_once_per_session():
    with tf.Graph().as_default():
        x = tf.data.Dataset.from_tensor_slices(tf.constant([10, 20, 30])).make_one_shot_iterator().get_next()
        with tf.Session() as a, tf.Session() as b:
            assert a.run(x) == 10 and a.run(x) == 20
            assert b.run(x) == 10                # b has its own pipeline
            assert a.run(x) == 30
            assert _drain(b, x) == [20, 30]


def test_initializable_iterator_restarts_when_initialized_again():
    with tf.Graph().as_default():
        data = tf.placeholder(tf.float32, [None])
        iterator = tf.data.Dataset.from_tensor_slices(data).make_initializable_iterator()
        x = iterator.get_next()
        init = iterator.initializer
        assert init.type == "MakeIterator"
        assert [t.op.type for t in init.inputs] == ["IteratorV2", "Placeholder"]
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="has not been initialized"):
                sess.run(x)
            sess.run(init, {data: [1.0, 2.0, 3.0]})
            assert sess.run(x) == 1.0
            sess.run(init, {data: [7.0, 8.0]})       # a new pipeline over the new feed
            assert _drain(sess, x) == [7.0, 8.0]


def test_iterator_resource_has_tf_attrs_and_dtype():
    with tf.Graph().as_default() as g:
        ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 3), np.float32), np.arange(4))).batch(2)
        iterator = ds.make_initializable_iterator()
        handle = iterator._resource
        assert handle.dtype == tf.dtypes.resource and handle.op.type == "IteratorV2"
        assert handle.op.get_attr("output_types") == [tf.float32, tf.int64]
        assert [s.as_list() for s in handle.op.get_attr("output_shapes")] == [[None, 3], [None]]
        node = g.as_graph_def().node
        by_name = {n.name: n for n in node}
        assert sorted(by_name["IteratorV2"].attr) == ["container", "output_shapes", "output_types",
                                                      "shared_name"]
        assert "_dataset" not in by_name["MakeIterator"].attr      # the pipeline is not serialized


def test_imported_iterator_has_no_pipeline():
    with tf.Graph().as_default() as g:
        iterator = tf.data.Dataset.range(3).make_initializable_iterator()
        iterator.get_next()
        graph_def = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="not written into GraphDefs"):
                sess.run(g2.get_operation_by_name("MakeIterator"))


def test_feedable_iterator_reads_the_fed_handle():
    """The TF1 guide's feedable iterator: one get_next, switched by feeding a string handle."""
    with tf.Graph().as_default():
        training = tf.data.Dataset.range(100).map(lambda x: x * 2).repeat()
        validation = tf.data.Dataset.range(3)
        handle = tf.placeholder(tf.string, shape=[])
        iterator = tf.data.Iterator.from_string_handle(handle, training.output_types, training.output_shapes)
        x = iterator.get_next()
        assert iterator._resource.op.type == "IteratorFromStringHandleV2"
        training_iterator = training.make_one_shot_iterator()
        validation_iterator = validation.make_initializable_iterator()
        assert training_iterator.string_handle().op.type == "IteratorToStringHandle"
        floats = tf.data.Dataset.from_tensors(1.0).make_one_shot_iterator()
        with tf.Session() as sess:
            training_handle = sess.run(training_iterator.string_handle())
            validation_handle = sess.run(validation_iterator.string_handle())
            assert [sess.run(x, {handle: training_handle}) for _ in range(3)] == [0, 2, 4]
            sess.run(validation_iterator.initializer)
            assert _drain(sess, x, {handle: validation_handle}) == [0, 1, 2]
            assert sess.run(x, {handle: training_handle}) == 6          # training went on where it was
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Data type mismatch at component 0: expected int64 but got float32."):
                sess.run(x, {handle: sess.run(floats.string_handle())})


def test_shared_name_shares_the_pipeline_in_a_session():
    with tf.Graph().as_default():
        a = tf.data.Dataset.range(4).make_initializable_iterator(shared_name="data")
        b = tf.data.Iterator.from_structure(tf.int64, [], shared_name="data")
        with tf.Session() as sess:
            sess.run(a.initializer)
            assert [sess.run(a.get_next()), sess.run(b.get_next())] == [0, 1]
