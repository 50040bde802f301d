"""Graph mode with a GPU: default placement, explicit requests, copies, logs, variables, errors."""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.gpu

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU = "/job:localhost/replica:0/task:0/device:GPU:0"


@pytest.fixture(autouse=True)
def fresh_graph(monkeypatch):
    from minitf.client import placer
    monkeypatch.setattr(placer, "SIMULATOR_AS_DEFAULT", True)   # the simulator stands in for a real GPU
    with tf.Graph().as_default() as g:
        yield g


def test_gpu_is_detected():
    assert tf.test.is_gpu_available() and tf.test.gpu_device_name() == "/device:GPU:0"
    assert tf.Session().list_devices() == [CPU, GPU]


def test_lecture_log_block_defaults_to_gpu0(capsys):
    v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
    v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
    sum12 = v1 + v2
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        print(sess.run(sum12))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Device mapping:"
    assert lines[1].startswith(f"{GPU} -> device: 0, name: ")
    assert lines[2:] == [f"add: (Add): {GPU}", f"v2: (Const): {GPU}", f"v1: (Const): {GPU}",
                         "[2. 4. 6.]"]


def test_explicit_cpu_wins_and_gpu_spellings_are_accepted(capsys):
    with tf.device('/CPU:0'):
        a = tf.constant([1.0, 2.0], name="a") * 2
    for i, spelling in enumerate(['/gpu:0', '/GPU:0', '/device:GPU:0', GPU]):
        with tf.device(spelling):
            a = tf.add(a, 1.0, name=f"g{i}")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        assert sess.run(a).tolist() == [6.0, 8.0]
    placed = dict(line.split(": (", 1)[0:1] + [line.rsplit(": ", 1)[1]]
                  for line in capsys.readouterr().out.splitlines() if ": (" in line)
    assert placed["mul"] == CPU and all(placed[f"g{i}"] == GPU for i in range(4))


def test_values_stay_on_the_gpu_between_gpu_ops():
    x = tf.placeholder(tf.float32, [None, 3])
    W = tf.constant(np.ones((3, 2), np.float32))
    y = tf.nn.softmax(tf.exp(tf.matmul(x, W) + 1.0))
    with tf.Session() as sess:
        feed = {x: np.ones((2, 3), np.float32)}
        value = sess.run(y, feed)
        listing = sess.explain(y, feed)
    assert isinstance(value, np.ndarray)
    np.testing.assert_allclose(value, np.full((2, 2), 0.5), rtol=1e-6)
    copies = [line.split()[1] for line in listing.splitlines() if "Copy" in line]
    assert copies == ["CopyHostToDevice", "CopyDeviceToHost"]     # the feed in, the fetch out
    assert "W" not in "".join(line for line in listing.splitlines() if "Copy" in line)


def test_cpu_only_op_in_the_middle_gets_copies_both_ways():
    x = tf.placeholder(tf.float32, [2, 2])
    with tf.device("/cpu:0"):
        t = tf.tile(tf.exp(x), [1, 2])
    y = t * 2.0
    with tf.Session() as sess:
        feed = {x: np.zeros((2, 2), np.float32)}
        assert sess.run(y, feed).tolist() == [[2.0] * 4] * 2
        kinds = [line.split()[1] for line in sess.explain(y, feed).splitlines() if "Copy" in line]
    assert kinds == ["CopyHostToDevice", "CopyDeviceToHost"]


def test_unavailable_gpu_index_is_tfs_error_or_cpu_with_soft_placement():
    with tf.device("/gpu:1"):
        c = tf.constant(1.0, name="c") + 1.0
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Cannot assign a device for operation 'c': Could not satisfy explicit "
                             "device specification '/device:GPU:1' because no devices matching that "
                             "specification are registered in this process; available devices: "):
        tf.Session().run(c)
    assert tf.Session(config=tf.ConfigProto(allow_soft_placement=True)).run(c) == 2.0


def test_explicit_gpu_for_an_op_without_gpu_kernel():
    x = tf.constant([[1.0, 2.0]])
    with tf.device("/gpu:0"):
        t = tf.tile(x, [2, 1], name="tiled")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Cannot assign a device for operation 'tiled': Could not satisfy explicit "
                             "device specification '/device:GPU:0' because no supported kernel for "
                             "GPU devices is available."):
        tf.Session().run(t)
    soft = tf.Session(config=tf.ConfigProto(allow_soft_placement=True))
    assert soft.run(t).tolist() == [[1.0, 2.0], [1.0, 2.0]]


def test_without_request_ops_lacking_gpu_kernels_fall_back_silently():
    y = tf.tile(tf.constant([[1.0]]) * 3.0, [1, 2])
    with tf.Session() as sess:
        assert sess.run(y).tolist() == [[3.0, 3.0]]


def test_variables_live_on_the_gpu_and_optimizers_update_them_there():
    results = {}
    for device in ("/cpu:0", "/gpu:0"):
        with tf.Graph().as_default():
            with tf.device(device):
                x = tf.placeholder(tf.float32, [None, 2])
                W = tf.Variable([[1.0], [-1.0]], name="W")
                b = tf.Variable(0.5, name="b")
                loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - 1.0))
                opts = [tf.train.GradientDescentOptimizer(0.1), tf.train.MomentumOptimizer(0.1, 0.9),
                        tf.train.AdamOptimizer(0.1), tf.train.AdagradOptimizer(0.1),
                        tf.train.RMSPropOptimizer(0.1)]
                train = [o.minimize(loss) for o in opts]
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                feed = {x: np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)}
                for _ in range(2):
                    for op in train:
                        sess.run(op, feed)
                results[device] = sess.run([W, b, loss], feed)
                listing = sess.explain(train[2], feed)
    for got, want in zip(results["/gpu:0"], results["/cpu:0"]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    applies = [line for line in listing.splitlines() if "ApplyAdam" in line]
    assert applies and all(line.endswith("[GPU:0]") for line in applies)
    assert "CopyDeviceToHost" not in listing          # the update never leaves the GPU


def test_variable_assignments_and_load_on_the_gpu():
    v = tf.Variable([1.0, 2.0], name="v")
    inc = v.assign_add([1.0, 1.0])
    dec = tf.assign_sub(v, [0.5, 0.5])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(inc).tolist() == [2.0, 3.0]
        assert sess.run(dec).tolist() == [1.5, 2.5]
        v.load([10.0, 20.0], sess)                    # stored on the host, moved on first GPU read
        assert sess.run(v * 2).tolist() == [20.0, 40.0]
        assert sess.run(v.assign([0.0, 1.0])).tolist() == [0.0, 1.0]
        assert sess.run(tf.is_variable_initialized(v))


def test_random_ops_on_gpu_draw_the_cpu_numbers():
    values = {}
    for device in ("/cpu:0", "/gpu:0"):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            with tf.device(device):
                r = [tf.random_normal([2, 2]), tf.random_uniform([3], seed=1),
                     tf.truncated_normal([2]), tf.random_uniform([2], 0, 9, dtype=tf.int64)]
            with tf.Session() as sess:
                values[device] = sess.run(r)
    for got, want in zip(values["/gpu:0"], values["/cpu:0"]):
        np.testing.assert_array_equal(got, want)


def test_fetching_the_same_gpu_value_twice_copies_once():
    p = tf.placeholder(tf.float32, [4])
    x = p * 2.0
    feed = {p: np.arange(4, dtype=np.float32)}
    with tf.Session() as sess:
        a, b = sess.run([x, x], feed)
        assert a.tolist() == b.tolist() == [0.0, 2.0, 4.0, 6.0]
        listing = sess.explain([x, x], feed).splitlines()
        assert sum(line.split()[1] == "CopyDeviceToHost" for line in listing[1:-1]) == 1
