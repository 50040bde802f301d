"""EagerTensor and the eager executor: printing, conversions, operators, errors.

All scenarios run in one child interpreter with eager execution enabled
(``eager_harness.run_scenarios``); each test checks its scenario's output.
"""

import pytest

from eager_harness import outcome, run_scenarios

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"

SCENARIOS = {
    "str": """
        print(tf.constant([[4.]]))
        print(tf.constant([[1, 2], [3, 4]]))
        print(tf.constant(3.5))
    """,
    "repr": """
        t = tf.constant([[4.]])
        r = repr(t)
        print(r.startswith("<tf.Tensor: id=") and r.endswith(
            ", shape=(1, 1), dtype=float32, numpy=array([[4.]], dtype=float32)>"))
        print(repr(tf.constant([1, 2])).split(", ", 1)[1])
    """,
    "numpy_and_array": """
        t = tf.constant([[1., 2.], [3., 4.]])
        a = t.numpy()
        print(type(a).__name__, a.dtype, a.tolist())
        print(np.array(t).tolist(), np.asarray(t, dtype=np.float64).dtype)
        print((np.ones(2, np.float32) + tf.constant([1., 2.])).numpy().tolist())
    """,
    "shape_dtype_device": """
        t = tf.constant(np.zeros((2, 3), np.float64))
        print(t.shape, t.shape.as_list(), t.get_shape(), t.dtype, t.ndim, t.device)
        print(t.cpu() is t, t.cpu().device)
    """,
    "python_protocols": """
        s = tf.constant(3.0)
        print(float(s), int(tf.constant(7)), bool(tf.constant(True)), [10, 20, 30][tf.constant(1)])
        print(len(tf.constant([1, 2, 3])), f"{s:.2f}")
        print([x.numpy().tolist() for x in tf.constant([[1, 2], [3, 4]])])
        try:
            len(s)
        except TypeError as e:
            print("TypeError", e)
    """,
    "operators": """
        a = tf.constant([1., 2.]); b = tf.constant([3., 4.])
        for t in (a + b, a - b, a * b, a / b, -a, a ** 2, 2 * a, 1 - a, a // b, abs(-a)):
            print(t.numpy().tolist())
        print((a < b).numpy().tolist(), (a >= 2).numpy().tolist())
        m = tf.constant([[1., 2.], [3., 4.]])
        print((m @ m).numpy().tolist())
    """,
    "getitem": """
        m = tf.constant([[1, 2, 3], [4, 5, 6]])
        print(m[1].numpy().tolist(), m[:, 1:].numpy().tolist(), m[1, 2].numpy())
    """,
    "convert_to_tensor": """
        t = tf.convert_to_tensor([[1., 2.]])
        print(type(t).__name__, t.dtype, tf.convert_to_tensor(t) is t, isinstance(t, tf.Tensor))
        print(tf.convert_to_tensor(np.arange(3)).dtype, tf.convert_to_tensor(5).dtype)
    """,
    "ops_run_at_once": """
        x = tf.constant([[1., 2.], [3., 4.]])
        print(tf.reduce_sum(x).numpy(), tf.reduce_mean(x, axis=0).numpy().tolist())
        print(tf.argmax(x, 1).numpy().tolist(), tf.reshape(x, [4]).numpy().tolist())
        print(tf.nn.softmax(tf.constant([0., 0.])).numpy().tolist())
        print(tf.cast(x, tf.int32).numpy().tolist(), tf.zeros([2]).numpy().tolist())
    """,
    "constants_are_copies": """
        a = np.array([1., 2.], np.float32)
        t = tf.constant(a)
        a[0] = 100.
        print(t.numpy().tolist())
    """,
    "shape_error_is_invalid_argument": """
        try:
            tf.matmul(tf.constant([[1., 2.]]), tf.constant([[1., 2.]]))
        except tf.errors.InvalidArgumentError as e:
            text = str(e)
            print("InvalidArgumentError", text)
    """,
    "kernel_error_names_the_op": """
        try:
            tf.reshape(tf.constant([1., 2., 3.]), [2, 2])
        except tf.errors.InvalidArgumentError as e:
            print("InvalidArgumentError", "Reshape" in str(e))
    """,
    "placeholder_refused": """
        try:
            tf.placeholder(tf.float32, [None, 1])
        except RuntimeError as e:
            print(e)
    """,
    "gradients_refused": """
        try:
            tf.gradients(tf.constant(1.), tf.constant(1.))
        except RuntimeError as e:
            print(e)
    """,
    "session_refused": """
        try:
            tf.Session()
        except RuntimeError as e:
            print("RuntimeError")
    """,
    "eval_refused": """
        try:
            tf.constant(1.).eval()
        except NotImplementedError as e:
            print(e)
    """,
    "name_scope_and_group_are_harmless": """
        with tf.name_scope("scope"):
            t = tf.add(1., 2., name="three")
        print(t.numpy(), tf.group(t), tf.global_variables_initializer())
    """,
    "log_device_placement": """
        # enable_eager_execution(config=...) was not used here: nothing is logged.
        tf.constant(1.) + 1.
        print("quiet")
    """,
    "gpu_without_a_gpu": """
        if tf.test.is_gpu_available():
            print("skip")
        else:
            try:
                tf.constant([1.]).gpu()
            except tf.errors.InvalidArgumentError as e:
                print("InvalidArgumentError", "unknown device" in str(e), "NUMBA_ENABLE_CUDASIM" in str(e))
            try:
                with tf.device("/gpu:0"):
                    pass
            except tf.errors.InvalidArgumentError as e:
                print("InvalidArgumentError", "GPU:0" in str(e))
    """,
    "cpu_scope": """
        with tf.device("/cpu:0"):
            t = tf.constant([1.]) * 2
        print(t.device, t.numpy().tolist())
    """,
    "random_seeds": """
        tf.set_random_seed(7)
        a = tf.random_uniform([3], seed=1)
        b = tf.random_uniform([3], seed=1)
        print(np.array_equal(a.numpy(), b.numpy()))
        tf.set_random_seed(7)
        c = tf.random_uniform([3], seed=1)
        print(np.array_equal(a.numpy(), c.numpy()), a.dtype, a.shape)
    """,
}

EXPECTED = {
    "str": ("tf.Tensor([[4.]], shape=(1, 1), dtype=float32)\n"
            "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)\n"
            "tf.Tensor(3.5, shape=(), dtype=float32)\n"),
    "repr": "True\nshape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>\n",
    "numpy_and_array": ("ndarray float32 [[1.0, 2.0], [3.0, 4.0]]\n"
                        "[[1.0, 2.0], [3.0, 4.0]] float64\n[2.0, 3.0]\n"),
    "shape_dtype_device": f"(2, 3) [2, 3] (2, 3) <dtype: 'float64'> 2 {CPU}\nTrue {CPU}\n",
    "python_protocols": ("3.0 7 True 20\n3 3.00\n[[1, 2], [3, 4]]\n"
                         "TypeError Scalar tensor has no `len()`\n"),
    "operators": ("[4.0, 6.0]\n[-2.0, -2.0]\n[3.0, 8.0]\n[0.3333333432674408, 0.5]\n[-1.0, -2.0]\n"
                  "[1.0, 4.0]\n[2.0, 4.0]\n[0.0, -1.0]\n[0.0, 0.0]\n[1.0, 2.0]\n"
                  "[True, True] [False, True]\n[[7.0, 10.0], [15.0, 22.0]]\n"),
    "getitem": "[4, 5, 6] [[2, 3], [5, 6]] 6\n",
    "convert_to_tensor": "EagerTensor <dtype: 'float32'> True True\n<dtype: 'int64'> <dtype: 'int32'>\n",
    "ops_run_at_once": ("10.0 [2.0, 3.0]\n[1, 1] [1.0, 2.0, 3.0, 4.0]\n[0.5, 0.5]\n"
                        "[[1, 2], [3, 4]] [0.0, 0.0]\n"),
    "constants_are_copies": "[1.0, 2.0]\n",
    # TF eager runs MatMul's kernel, whose words these are (TF 2.21 prefixes a {{function_node ...}}).
    "shape_error_is_invalid_argument": ("InvalidArgumentError Matrix size-incompatible: In[0]: [1,2], "
                                        "In[1]: [1,2] [Op:MatMul]\n"),
    "kernel_error_names_the_op": "InvalidArgumentError True\n",
    "placeholder_refused": "tf.placeholder() is not compatible with eager execution.\n",
    "gradients_refused": ("tf.gradients is not supported when eager execution is enabled. "
                          "Use tf.GradientTape instead.\n"),
    "session_refused": "RuntimeError\n",
    "eval_refused": ("eval is not supported when eager execution is enabled, is .numpy() what "
                     "you're looking for?\n"),
    "name_scope_and_group_are_harmless": "3.0 None None\n",
    "log_device_placement": "quiet\n",
    "cpu_scope": f"{CPU} [2.0]\n",
    "random_seeds": "False\nTrue <dtype: 'float32'> (3,)\n",
}


@pytest.fixture(scope="module")
def results():
    return run_scenarios(SCENARIOS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_prints_what_tf_prints(results, name):
    assert outcome(results, name) == EXPECTED[name]


def test_gpu_request_without_a_gpu_names_what_is_missing(results):
    out = outcome(results, "gpu_without_a_gpu")
    if out == "skip\n":
        pytest.skip("this machine has a GPU (or runs the CUDA simulator)")
    assert out == "InvalidArgumentError True True\nInvalidArgumentError True\n"


def test_every_scenario_is_checked():
    assert set(SCENARIOS) == set(EXPECTED) | {"gpu_without_a_gpu"}
