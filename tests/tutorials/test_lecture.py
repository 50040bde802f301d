"""The lecture's graph-mode code blocks (../shared/seed), run unchanged with ``import minitf as tf``.

Only Python 2 ``print x`` statements were turned into ``print(x)``; each block runs
in a fresh default graph and we compare what it prints with what TF 1.x prints.
"""

import textwrap

import numpy as np
import pytest

import minitf


@pytest.fixture
def run_block(capsys, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "tensorflow", minitf)

    def run(source, extra_globals=None):
        with minitf.Graph().as_default():
            env = dict(extra_globals or {})
            exec(textwrap.dedent(source), env)
        return capsys.readouterr().out, env
    return run


def test_static_graph_printing(run_block):
    out, _ = run_block("""
        import  tensorflow as tf
        v1 = tf.Variable(tf.random_uniform([3]))
        v2 = tf.Variable(tf.random_uniform([3]))
        sum2 = tf.add(v1,v2)
        print(v1)
        print(v2)
        print(sum2)
    """)
    assert out.splitlines() == ["<tf.Variable 'Variable:0' shape=(3,) dtype=float32_ref>",
                                "<tf.Variable 'Variable_1:0' shape=(3,) dtype=float32_ref>",
                                'Tensor("Add:0", shape=(3,), dtype=float32)']


def test_static_graph_in_session(run_block):
    out, env = run_block("""
        import tensorflow as tf
        v1 = tf.Variable(tf.random_uniform([3]))
        v2 = tf.Variable(tf.random_uniform([3]))
        sum2 = tf.add(v1, v2)
        with tf.Session() as sess:
            sess.run(tf.initialize_all_variables())
            a = sess.run(v1); b = sess.run(v2); c = sess.run(sum2)
            print(a); print(b); print(c)
    """)
    np.testing.assert_allclose(env["c"], env["a"] + env["b"], rtol=1e-6)
    assert len(out.splitlines()) == 3 and all(0 <= x < 1 for x in np.r_[env["a"], env["b"]])


def test_device_blocks(run_block):
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    out, _ = run_block("""
        import tensorflow as tf
        with tf.device('/CPU:0'):
            v1 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v1')
            v2 = tf.constant([1.0, 2.0, 3.0], shape=[3], name='v2')
            sum12 = v1 + v2
            with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
                print(sess.run(sum12))
    """)
    assert out.splitlines()[1:] == [f"add: (Add): {cpu}", f"v2: (Const): {cpu}", f"v1: (Const): {cpu}",
                                    "[2. 4. 6.]"]


def test_session_modes_and_eval(run_block):
    out, _ = run_block("""
        import tensorflow as tf
        import numpy as np
        a = tf.constant(1.,name='const1')
        b = tf.constant(2.,name='const2')
        c = tf.add(a,b)
        sess = tf.Session()
        print(sess.run(c))
        sess.close()
        with tf.Session() as sess:
            print(sess.run(c))
            print(c.eval)
    """)
    assert out.splitlines() == ["3.0", "3.0",
                                "<bound method Tensor.eval of <tf.Tensor 'Add:0' shape=() dtype=float32>>"]


def test_numpy_vs_tf_random(run_block):
    out, _ = run_block("""
        import  tensorflow as tf
        a = tf.random_normal([1],name = "random")
        with tf.Session() as sess:
            for i in range(5):
                print(sess.run(a))
    """)
    lines = out.splitlines()
    assert len(lines) == 5 and len(set(lines)) == 5 and all(l.startswith("[") for l in lines)


def test_placeholders_and_variables(run_block):
    _, env = run_block("""
        import  tensorflow as tf
        import numpy as np
        data = tf.placeholder(tf.float32,[None,4])
        real_label = tf.placeholder(tf.float32,[None,1])
        w=tf.Variable(initial_value=np.random.randint(10, size=(2,1)), name='col_vector', trainable=True)
        weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
        bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
    """)
    assert str(env["data"]) == 'Tensor("Placeholder:0", shape=(?, 4), dtype=float32)'
    assert env["w"].name == "col_vector:0"


def test_eager_debugging_problem_in_graph_mode(run_block):
    out, _ = run_block("""
        import tensorflow as tf
        import numpy as np
        x = tf.placeholder(tf.float32, [None, 1])
        m = tf.matmul(x, x)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            m_out = sess.run(m, feed_dict={x: [[2.]]})
        print(m_out)
        x = [[2.]]
        m = tf.matmul(x, x)
        print(m)
    """)
    assert out.splitlines() == ["[[4.]]", 'Tensor("MatMul_1:0", shape=(1, 1), dtype=float32)']


def test_complete_linear_regression_framework(run_block):
    rng = np.random.RandomState(0)
    X = rng.randn(1000, 4).astype(np.float32)
    y = (X @ np.array([[1.5], [-2.0], [0.5], [3.0]]) + 0.7 + 0.1 * rng.randn(1000, 1)).astype(np.float32)
    _, env = run_block("""
        import  tensorflow as tf
        X_train, X_test, y_train, y_test = X[:800], X[800:], y[:800], y[800:]
        data = tf.placeholder(tf.float32, [None, 4])
        real_label = tf.placeholder(tf.float32, [None, 1])
        weight = tf.Variable(tf.random_normal([4, 1]), dtype=tf.float32)
        bias = tf.Variable(tf.ones([1]), dtype=tf.float32)
        y_label = tf.add(tf.matmul(data, weight), bias)
        loss = tf.reduce_mean(tf.square(real_label - y_label))
        train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(1000):
                sess.run(train, feed_dict={data: X_train, real_label: y_train})
            forecast_set = sess.run(y_label, feed_dict={data: X_test})
            w_out = sess.run(weight)
        accuracy = tf.reduce_mean(tf.square(forecast_set - y_test))
    """, {"X": X, "y": y})
    A = np.c_[X[:800], np.ones(800)]
    best = np.linalg.lstsq(A, y[:800], rcond=None)[0]
    np.testing.assert_allclose(env["w_out"], best[:4], atol=1e-3)
    mse = np.mean((env["forecast_set"] - env["y_test"]) ** 2)
    assert mse < 0.02
    assert str(env["accuracy"]).startswith('Tensor("Mean_1:0", shape=(), dtype=float32)')
