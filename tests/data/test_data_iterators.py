"""Iterators: one-shot and initializable in graph mode, from_structure, per-Session state, errors,
and eager iteration (``for x in dataset``, ``tf.contrib.eager.Iterator``) in a child interpreter."""

import threading

import numpy as np
import pytest

import minitf as tf
from data_helpers import drain, elements
from eager_harness import outcome, run_scenarios


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def test_get_next_tensors_follow_the_element_structure():
    ds = tf.data.Dataset.from_tensor_slices({"x": np.zeros((4, 2), np.float32), "y": np.arange(4)}).batch(2)
    iterator = ds.make_one_shot_iterator()
    nxt = iterator.get_next()
    assert set(nxt) == {"x", "y"}
    assert nxt["x"].name == "IteratorGetNext:0" and nxt["y"].name == "IteratorGetNext:1"
    assert (nxt["x"].dtype, nxt["x"].shape.as_list()) == (tf.float32, [None, 2])
    assert iterator.output_types == ds.output_types and tf.data.get_output_shapes(iterator) == ds.output_shapes
    single = tf.data.Dataset.range(2).make_one_shot_iterator().get_next()
    assert isinstance(single, tf.Tensor) and single.name == "IteratorGetNext_1:0"


def test_function_forms_match_the_methods():
    ds = tf.data.Dataset.range(3)
    assert [int(v) for v in drain(tf.Session(), tf.data.make_one_shot_iterator(ds).get_next())] == [0, 1, 2]
    iterator = tf.data.make_initializable_iterator(ds)
    nxt = iterator.get_next()
    with tf.Session() as sess:
        sess.run(iterator.initializer)
        assert [int(v) for v in drain(sess, nxt)] == [0, 1, 2]


def test_every_run_pulls_one_element_for_all_fetches():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(3), np.arange(3) * 10))
    x, y = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run([x, y, x + y]) == [0, 0, 0]
        assert sess.run([x, y]) == [1, 10]


def test_training_loop_consumes_every_example_once_per_epoch():
    data = np.arange(10, dtype=np.float32)
    x = tf.data.Dataset.from_tensor_slices(data).shuffle(4, seed=0).batch(3).repeat(2) \
        .make_one_shot_iterator().get_next()
    total = tf.Variable(0.0)
    step = tf.assign_add(total, tf.reduce_sum(x))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        steps = len(drain(sess, step))
        assert steps == 8 and sess.run(total) == 2 * data.sum()


def test_sessions_iterate_independently_and_close_drops_the_pipeline():
    iterator = tf.data.Dataset.range(3).make_initializable_iterator()
    nxt = iterator.get_next()
    a, b = tf.Session(), tf.Session()
    a.run(iterator.initializer)
    assert a.run(nxt) == 0
    with pytest.raises(tf.errors.FailedPreconditionError, match="has not been initialized"):
        b.run(nxt)
    b.run(iterator.initializer)
    assert (b.run(nxt), a.run(nxt)) == (0, 1)
    a.close()
    b.close()


def test_threads_share_one_pipeline_without_losing_elements():
    nxt = tf.data.Dataset.range(400).make_one_shot_iterator().get_next()
    seen, sess = [], tf.Session()

    def worker():
        seen.extend(int(v) for v in drain(sess, nxt))
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(400))


def test_initializer_needs_its_feeds():
    data = tf.placeholder(tf.float32, [None, 2])
    iterator = tf.data.Dataset.from_tensor_slices(data).make_initializable_iterator()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="You must feed a value for placeholder tensor 'Placeholder' with dtype float "
                                 r"and shape \[\?,2\]"):
            sess.run(iterator.initializer)
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3, 3\)"):
            sess.run(iterator.initializer, {data: np.zeros((3, 3))})


def test_one_shot_iterators_cannot_capture_placeholders_or_variables():
    p = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match=r"Cannot capture a placeholder \(name:Placeholder, type:Placeholder\) "
                                         "by value."):
        tf.data.Dataset.from_tensor_slices(p * 2.0).make_one_shot_iterator()
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="does not support datasets that capture stateful objects"):
        tf.data.Dataset.from_tensor_slices(v).make_one_shot_iterator()
    with pytest.raises(ValueError, match="The iterator does not have an initializer"):
        tf.data.Dataset.range(2).make_one_shot_iterator().initializer


def test_graph_mode_datasets_are_not_python_iterables():
    with pytest.raises(RuntimeError, match="only supports Python-style iteration in eager mode"):
        iter(tf.data.Dataset.range(3))
    with pytest.raises(RuntimeError, match="only be used when eager execution is enabled"):
        tf.contrib.eager.Iterator(tf.data.Dataset.range(3))


def test_reinitializable_iterator_from_structure():
    train = tf.data.Dataset.range(5).map(lambda v: v * 2)
    valid = tf.data.Dataset.range(3)
    iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    nxt = iterator.get_next()
    assert nxt.op.inputs[0].op.type == "IteratorV2"
    train_init, valid_init = iterator.make_initializer(train), iterator.make_initializer(valid)
    with tf.Session() as sess:
        sess.run(train_init)
        assert [int(v) for v in drain(sess, nxt)] == [0, 2, 4, 6, 8]
        sess.run(valid_init)
        assert [int(v) for v in drain(sess, nxt)] == [0, 1, 2]
    with pytest.raises(TypeError, match="Expected output types tf.int64 but got dataset with output types "
                                        "tf.float32."):
        iterator.make_initializer(tf.data.Dataset.from_tensors(1.0))
    with pytest.raises(TypeError, match="Expected output shapes compatible with"):
        iterator.make_initializer(tf.data.Dataset.from_tensors(np.int64([1, 2])))


def test_errors_inside_the_pipeline_name_the_get_next_op():
    nxt = tf.data.Dataset.range(3).batch(0).make_one_shot_iterator().get_next(name="batches")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(nxt)
    assert info.value.op is nxt.op
    assert info.value.message == "Batch size must be greater than zero.\n\t [[{{node batches}}]]"


def test_dataset_repr_shows_shapes_and_types():
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), np.arange(4))).batch(2)
    assert repr(ds) == "<BatchDataset shapes: ((?, 2), (?,)), types: (tf.float32, tf.int64)>"


def test_elements_helper_agrees_with_a_manual_loop():
    assert [int(v) for v in elements(tf.data.Dataset.range(4))] == [0, 1, 2, 3]


# --- eager mode ---------------------------------------------------------------------------------
EAGER = {
    "for_loop": """
        ds = tf.data.Dataset.from_tensor_slices((np.arange(6.0).reshape(3, 2), np.arange(3))).batch(2)
        for x, y in ds:
            print(type(x).__name__, x.numpy().tolist(), y.numpy().tolist(), x.dtype.name)
    """,
    "map_filter_shuffle": """
        ds = tf.data.Dataset.range(10).map(lambda v: v * 3).filter(lambda v: tf.equal(v % 2, 0))
        print([int(v) for v in ds])
        print(ds.output_types.name, ds.output_shapes.as_list())
        once = [int(v) for v in ds.shuffle(5, seed=1)]
        print(sorted(once) == [0, 6, 12, 18, 24], once == [int(v) for v in ds.shuffle(5, seed=1)])
    """,
    "tfe_iterator": """
        it = tfe.Iterator(tf.data.Dataset.range(2))
        print(int(it.next()), int(it.get_next()))
        try:
            it.get_next()
        except tf.errors.OutOfRangeError as e:
            print("OutOfRangeError", e)
        print(list(tfe.Iterator(tf.data.Dataset.range(0))))
    """,
    "one_shot_in_eager": """
        it = tf.data.Dataset.from_tensors({"a": 1.5}).make_one_shot_iterator()
        print(it.get_next()["a"].numpy())
    """,
    "initializable_in_eager": """
        tf.data.Dataset.range(2).make_initializable_iterator()
    """,
    "flat_map_interleave": """
        ds = tf.data.Dataset.range(1, 4).flat_map(lambda x: tf.data.Dataset.range(x * 10, x * 10 + x))
        print([int(v) for v in ds], ds.output_types.name)
        ds = tf.data.Dataset.range(1, 6).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x),
                                                    cycle_length=2, block_length=2)
        print([int(v) for v in ds])
    """,
    "train_from_dataset": """
        w = tf.Variable(0.0)
        opt = tf.train.GradientDescentOptimizer(0.1)
        ds = tf.data.Dataset.from_tensor_slices((np.array([1.0, 2.0, 3.0], np.float32),
                                                 np.array([2.0, 4.0, 6.0], np.float32))).repeat(20)
        for x, y in ds:
            with tf.GradientTape() as tape:
                loss = tf.square(w * x - y)
            opt.apply_gradients([(tape.gradient(loss, w), w)])
        print(round(float(w.numpy()), 4))
    """,
}


@pytest.fixture(scope="module")
def eager_results():
    return run_scenarios(EAGER)


def test_eager_for_loop_gives_eager_tensors(eager_results):
    assert outcome(eager_results, "for_loop").splitlines() == [
        "EagerTensor [[0.0, 1.0], [2.0, 3.0]] [0, 1] float64", "EagerTensor [[4.0, 5.0]] [2] float64"]


def test_eager_map_filter_and_shuffle(eager_results):
    assert outcome(eager_results, "map_filter_shuffle").splitlines() == [
        "[0, 6, 12, 18, 24]", "int64 []", "True True"]


def test_tfe_iterator_and_one_shot_iterator_in_eager_mode(eager_results):
    assert outcome(eager_results, "tfe_iterator").splitlines() == ["0 1", "OutOfRangeError End of sequence",
                                                                  "[]"]
    assert outcome(eager_results, "one_shot_in_eager").strip() == "1.5"
    assert eager_results["initializable_in_eager"]["error"].startswith(
        "RuntimeError: dataset.make_initializable_iterator is not supported when eager execution is enabled")


def test_eager_flat_map_and_interleave(eager_results):
    assert outcome(eager_results, "flat_map_interleave").splitlines() == [
        "[10, 20, 21, 30, 31, 32] int64", "[1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5]"]


def test_eager_training_loop_over_a_dataset(eager_results):
    assert outcome(eager_results, "train_from_dataset").strip() == "2.0"


def test_compat_v1_spelling_reaches_the_same_functions():
    ds = tf.data.Dataset.range(2)
    assert tf.compat.v1.data.make_one_shot_iterator is tf.data.make_one_shot_iterator
    nxt = tf.compat.v1.data.make_one_shot_iterator(ds).get_next()
    assert [int(v) for v in drain(tf.compat.v1.Session(), nxt)] == [0, 1]
