"""Stages over a stream of elements: batch, padded_batch, shuffle, repeat, map, filter, take, skip,
zip, concatenate, shard, prefetch.  Each is checked against the same computation in plain Python/numpy.
"""

import numpy as np
import pytest

import minitf as tf
from data_helpers import drain, elements


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default():
        yield


def _ints(dataset) -> list:
    return [v.tolist() for v in elements(dataset)]


# --- batch ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("n, size", [(10, 3), (9, 3), (2, 5), (0, 2)])
def test_batch_stacks_consecutive_elements(n, size):
    x = np.arange(2 * n, dtype=np.float32).reshape(n, 2)
    got = elements(tf.data.Dataset.from_tensor_slices(x).batch(size)) if n else []
    want = [x[i:i + size] for i in range(0, n, size)]
    assert len(got) == len(want) and all(np.array_equal(g, w) for g, w in zip(got, want))


def test_batch_shapes_have_unknown_batch_dimension_unless_remainder_dropped():
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((7, 3), np.float32), np.arange(7)))
    assert [s.as_list() for s in ds.batch(2).output_shapes] == [[None, 3], [None]]
    dropped = ds.batch(2, drop_remainder=True)
    assert [s.as_list() for s in dropped.output_shapes] == [[2, 3], [2]]
    assert [len(b) for b, _ in elements(dropped)] == [2, 2, 2]
    x, _ = dropped.make_one_shot_iterator().get_next()
    assert x.shape.as_list() == [2, 3]


def test_batch_size_can_be_fed():
    size = tf.placeholder(tf.int64, [])
    iterator = tf.data.Dataset.range(7).batch(size).make_initializable_iterator()
    nxt = iterator.get_next()
    assert nxt.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(iterator.initializer, {size: 3})
        assert [b.tolist() for b in drain(sess, nxt)] == [[0, 1, 2], [3, 4, 5], [6]]
        sess.run(iterator.initializer, {size: 4})
        assert [b.tolist() for b in drain(sess, nxt)] == [[0, 1, 2, 3], [4, 5, 6]]


def test_batch_errors_use_tf_words():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Batch size must be greater than zero."):
        elements(tf.data.Dataset.range(3).batch(0))
    ragged = tf.data.Dataset.from_generator(lambda: iter([[1, 2], [1, 2, 3]]), tf.int32, [None]).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        elements(ragged)
    assert info.value.message.startswith(
        "Cannot batch tensors with different shapes in component 0. First element had shape [2] and "
        "element 1 had shape [3].")


def test_padded_batch_pads_to_the_longest_or_to_a_fixed_size():
    rows = [np.arange(n) for n in (2, 4, 1)]
    ds = tf.data.Dataset.from_generator(lambda: iter(rows), tf.int64, [None])
    got = elements(ds.padded_batch(3, padded_shapes=[None]))
    assert got[0].tolist() == [[0, 1, 0, 0], [0, 1, 2, 3], [0, 0, 0, 0]]
    fixed = ds.padded_batch(2, padded_shapes=[5], padding_values=np.int64(-1))
    assert fixed.output_shapes.as_list() == [None, 5]
    assert [b.tolist() for b in elements(fixed)] == [[[0, 1, -1, -1, -1], [0, 1, 2, 3, -1]],
                                                      [[0, -1, -1, -1, -1]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="pad to a smaller size"):
        elements(ds.padded_batch(2, padded_shapes=[3]))


# --- shuffle -----------------------------------------------------------------------------------
def test_shuffle_is_a_permutation_and_seeded_runs_agree():
    ds = tf.data.Dataset.range(50).shuffle(10, seed=3)
    first, again = _ints(ds), _ints(ds)
    assert sorted(first) == list(range(50)) and first != list(range(50))
    assert first == again                       # same seed, new session: same order


def test_shuffle_only_reaches_buffer_size_ahead():
    order = _ints(tf.data.Dataset.range(100).shuffle(5, seed=1))
    assert all(v <= i + 4 for i, v in enumerate(order))     # element i comes from the first i + 5
    assert _ints(tf.data.Dataset.range(10).shuffle(1, seed=1)) == list(range(10))


def test_reshuffle_each_iteration_draws_new_orders_per_epoch():
    reshuffled = _ints(tf.data.Dataset.range(20).shuffle(20, seed=5).repeat(2))
    assert sorted(reshuffled[:20]) == sorted(reshuffled[20:]) == list(range(20))
    assert reshuffled[:20] != reshuffled[20:]
    fixed = _ints(tf.data.Dataset.range(20).shuffle(20, seed=5, reshuffle_each_iteration=False).repeat(2))
    assert fixed[:20] == fixed[20:]


def test_graph_seed_makes_shuffle_deterministic():
    def order():
        with tf.Graph().as_default():
            tf.set_random_seed(11)
            return _ints(tf.data.Dataset.range(30).shuffle(30))
    assert order() == order()


def test_reinitializing_restarts_the_shuffled_sequence():
    iterator = tf.data.Dataset.range(10).shuffle(10, seed=2).repeat(2).make_initializable_iterator()
    nxt = iterator.get_next()
    with tf.Session() as sess:
        sess.run(iterator.initializer)
        first = [int(v) for v in drain(sess, nxt)]
        sess.run(iterator.initializer)
        assert [int(v) for v in drain(sess, nxt)] == first


def test_shuffle_buffer_must_be_positive():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be greater than zero"):
        elements(tf.data.Dataset.range(3).shuffle(0))


# --- repeat, take, skip, shard, concatenate, prefetch -------------------------------------------
@pytest.mark.parametrize("count", [0, 1, 3])
def test_repeat_count(count):
    assert _ints(tf.data.Dataset.range(3).repeat(count)) == list(range(3)) * count


def test_repeat_forever_with_take():
    assert _ints(tf.data.Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert _ints(tf.data.Dataset.range(0).repeat()) == []          # nothing, forever, ends


@pytest.mark.parametrize("take, skip", [(2, 1), (-1, 0), (10, -1), (0, 2), (3, 4)])
def test_take_and_skip_slice_like_python(take, skip):
    data = list(range(6))
    want = data[skip:] if skip >= 0 else []
    want = want if take < 0 else want[:take]
    assert _ints(tf.data.Dataset.range(6).skip(skip).take(take)) == want


def test_shard_concatenate_prefetch():
    assert _ints(tf.data.Dataset.range(10).shard(3, 1)) == [1, 4, 7]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Index must be between 0 and 1 \(currently index = 3\)"):
        elements(tf.data.Dataset.range(10).shard(2, 3))
    joined = tf.data.Dataset.from_tensor_slices([[1], [2]]).concatenate(tf.data.Dataset.from_tensors([3, 4]))
    assert joined.output_shapes.as_list() == [None]
    assert _ints(joined) == [[1], [2], [3, 4]]
    with pytest.raises(TypeError, match="different types"):
        tf.data.Dataset.range(2).concatenate(tf.data.Dataset.from_tensors(1.0))
    assert _ints(tf.data.Dataset.range(4).prefetch(tf.data.experimental.AUTOTUNE)) == [0, 1, 2, 3]


# --- map and filter ---------------------------------------------------------------------------
def test_map_spreads_tuples_over_arguments_and_infers_static_specs():
    x, y = np.arange(6, dtype=np.float32).reshape(3, 2), np.array([0, 1, 2])
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(
        lambda a, b: {"sum": tf.reduce_sum(a), "label": tf.one_hot(b, 3)})
    assert ds.output_types == {"label": tf.float32, "sum": tf.float32}
    assert ds.output_shapes["label"].as_list() == [3] and ds.output_shapes["sum"].as_list() == []
    got = elements(ds)
    np.testing.assert_allclose([g["sum"] for g in got], x.sum(1))
    np.testing.assert_array_equal([g["label"] for g in got], np.eye(3))


def test_map_after_batch_sees_the_unknown_batch_dimension():
    ds = tf.data.Dataset.range(5).batch(2).map(lambda v: tf.cast(v, tf.float32) * 2.0)
    assert (ds.output_types, ds.output_shapes.as_list()) == (tf.float32, [None])
    assert _ints(ds) == [[0.0, 2.0], [4.0, 6.0], [8.0]]


def test_map_dict_element_and_list_result():
    ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).map(lambda d: [d["a"] + d["b"], d["a"]])
    assert ds.output_types == (tf.int32, tf.int32)
    assert [(int(s), int(a)) for s, a in elements(ds)] == [(4, 1), (6, 2)]


def test_map_with_python_and_numpy_values():
    mean = np.float32(1.5)
    ds = tf.data.Dataset.from_tensor_slices(np.array([1.0, 2.0], np.float32)).map(lambda v: (v - mean, 7))
    assert ds.output_types == (tf.float32, tf.int32)
    assert [(float(a), int(b)) for a, b in elements(ds)] == [(-0.5, 7), (0.5, 7)]


def test_map_function_cannot_read_the_users_graph():
    outside = tf.constant(2.0)
    with pytest.raises(ValueError, match="uses a tensor of the default graph"):
        tf.data.Dataset.range(3).map(lambda v: tf.cast(v, tf.float32) * outside)


def test_filter_keeps_elements_where_the_predicate_holds():
    ds = tf.data.Dataset.range(20).filter(lambda v: tf.equal(v % 3, 0))
    assert _ints(ds) == [v for v in range(20) if v % 3 == 0]
    with pytest.raises(ValueError, match=r"must return a `tf.bool` scalar tensor, but its return type is "
                                         r"TensorSpec\(shape=\(\), dtype=tf.int64, name=None\)"):
        tf.data.Dataset.range(3).filter(lambda v: v)


# --- zip ---------------------------------------------------------------------------------------
def test_zip_pairs_elements_and_stops_at_the_shortest():
    a, b = tf.data.Dataset.range(5), tf.data.Dataset.from_tensor_slices(np.array([10.0, 20.0, 30.0]))
    zipped = tf.data.Dataset.zip((a, b))
    assert zipped.output_types == (tf.int64, tf.float64)
    assert [(int(i), float(v)) for i, v in elements(zipped)] == [(0, 10.0), (1, 20.0), (2, 30.0)]
    nested = tf.data.Dataset.zip({"x": a, "y": tf.data.Dataset.zip((a, a))})
    assert [e["y"][1].tolist() for e in elements(nested)] == [0, 1, 2, 3, 4]
    with pytest.raises(TypeError, match="structure of `Dataset` objects"):
        tf.data.Dataset.zip((a, [1, 2]))


# --- datasets of datasets ------------------------------------------------------------------------
# The interleave orders were recorded from TensorFlow 2.21 (compat.v1): range(1, 6).interleave(
# lambda x: from_tensors(x).repeat(x), cycle_length, block_length), drained through a one-shot iterator.
TF_INTERLEAVE = {(2, 2): [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5],
                 (3, 1): [1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 4, 5, 5, 5]}


@pytest.mark.parametrize("cycle, block", sorted(TF_INTERLEAVE))
def test_interleave_follows_tf_order(cycle, block):
    ds = tf.data.Dataset.range(1, 6).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x),
                                                cycle_length=cycle, block_length=block)
    assert ds.output_types == tf.int64 and ds.output_shapes.as_list() == []
    assert _ints(ds) == TF_INTERLEAVE[(cycle, block)]


def test_flat_map_chains_the_returned_datasets():
    ds = tf.data.Dataset.range(1, 4).flat_map(lambda x: tf.data.Dataset.range(x * 10, x * 10 + x))
    assert _ints(ds) == [10, 20, 21, 30, 31, 32]
    rows = tf.data.Dataset.from_tensor_slices(np.arange(6).reshape(3, 2)) \
        .flat_map(lambda r: tf.data.Dataset.from_tensor_slices(r * 2))
    assert _ints(rows) == [0, 2, 4, 6, 8, 10]
    with pytest.raises(TypeError, match="must return a `Dataset` object"):
        tf.data.Dataset.range(3).flat_map(lambda x: x)


def test_unbatch_undoes_batch():
    x = np.arange(14).reshape(7, 2)
    ds = tf.data.Dataset.from_tensor_slices(x).batch(3).unbatch()
    assert ds.output_shapes.as_list() == [2]
    assert _ints(ds) == x.tolist()
    same = tf.data.Dataset.from_tensor_slices(x).batch(3).apply(tf.data.experimental.unbatch())
    assert _ints(same) == x.tolist()


def test_cache_replays_the_first_walk():
    noisy = tf.data.Dataset.range(3).map(lambda x: tf.random_uniform([], seed=1))
    cached = _ints(noisy.cache().repeat(2))
    assert cached[:3] == cached[3:]
    fresh = _ints(noisy.repeat(2))
    assert fresh[:3] != fresh[3:]                 # without cache the map runs again


def test_experimental_helpers_are_the_plain_transformations():
    a = _ints(tf.data.Dataset.range(6).apply(tf.data.experimental.shuffle_and_repeat(6, count=2, seed=4)))
    b = _ints(tf.data.Dataset.range(6).shuffle(6, seed=4).repeat(2))
    assert a == b
    mb = tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(lambda x: x + 1, 2))
    assert _ints(mb) == [[1, 2], [3, 4], [5]]


def test_unseeded_shuffle_without_reshuffle_repeats_its_order():
    order = _ints(tf.data.Dataset.range(30).shuffle(30, reshuffle_each_iteration=False).repeat(2))
    assert order[:30] == order[30:] and sorted(order[:30]) == list(range(30))


def test_take_reads_no_more_than_it_gives():
    pulled = []

    def gen():
        for i in range(10):
            pulled.append(i)
            yield i
    assert _ints(tf.data.Dataset.from_generator(gen, tf.int64).take(3)) == [0, 1, 2]
    assert pulled == [0, 1, 2]
    assert _ints(tf.data.Dataset.from_generator(gen, tf.int64).take(0)) == [] and pulled == [0, 1, 2]


def test_string_elements_batch_and_shuffle():
    words = np.array(["a", "bb", "ccc", "dd"])
    got = elements(tf.data.Dataset.from_tensor_slices(words).shuffle(4, seed=0).batch(3))
    assert [g.dtype for g in got] == [object, object]
    assert sorted(w for g in got for w in g.tolist()) == [b"a", b"bb", b"ccc", b"dd"]
    lines = tf.data.Dataset.from_tensor_slices((words, np.arange(4))).batch(4)
    assert [w.tolist() for w, _ in elements(lines)] == [[b"a", b"bb", b"ccc", b"dd"]]


def test_unbatch_of_strings_batches_again():
    words = np.array([["a", "b"], ["c", "d"]])
    ds = tf.data.Dataset.from_tensor_slices(words).unbatch().batch(3)
    assert [g.tolist() for g in elements(ds)] == [[b"a", b"b", b"c"], [b"d"]]


def test_contrib_data_spellings():
    ds = tf.contrib.data.Dataset.range(7).apply(tf.contrib.data.batch_and_drop_remainder(3))
    assert ds.output_shapes.as_list() == [3] and _ints(ds) == [[0, 1, 2], [3, 4, 5]]
