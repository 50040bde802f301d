"""``with tf.Graph().as_default():`` in an eager program is graph mode inside, eager again after.

The expected outputs were recorded from TensorFlow 2.21 (``tensorflow.compat.v1`` with
``enable_eager_execution()``) running the same programs; each program runs in a fresh child
(eager_harness), since enabling eager execution is for the whole process.
"""

from eager_harness import run_ok

_GRAPH_INSIDE_EAGER = """
    import minitf as tf
    tf.enable_eager_execution()
    print(tf.executing_eagerly())
    print((tf.constant(2.0) * 3.0).numpy())
    g = tf.Graph()
    with g.as_default():
        print(tf.executing_eagerly())
        x = tf.placeholder(tf.float32, [None], name="x")
        y = x * 2.0 + tf.constant(1.0)
        print(isinstance(y, tf.Tensor), y.graph is g, y.name)
        v = tf.Variable(3.0, name="v")
        print(v.name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(y, {x: [1.0, 2.0]}), sess.run(v))
        with tf.Graph().as_default():
            print("nested", tf.executing_eagerly())
        print("after nested", tf.executing_eagerly())
    print(tf.executing_eagerly())
    print((tf.constant([1.0]) + 1.0).numpy())
    with tf.Session(graph=g) as sess:
        print("outside", sess.run(y, {x: [0.0]}))
"""


def test_graph_block_in_an_eager_program_builds_a_graph_a_session_runs():
    out = run_ok(_GRAPH_INSIDE_EAGER)
    assert out.splitlines() == [
        "True", "6.0",
        "False", "True True add:0", "v:0", "[3. 5.] 3.0", "nested False", "after nested False",
        "True", "[2.]", "outside [1.]",
    ]


def test_an_eager_tensor_cannot_enter_a_graph_block():
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution()
        b = tf.constant([1.0])
        with tf.Graph().as_default():
            try:
                tf.add(b, 1.0)
            except RuntimeError as e:
                print(e)
        print(tf.executing_eagerly(), (b + 1.0).numpy())
    """)
    # TF 2.21 prefixes the input's name ("x: "); TF 1.x's words are the rest.
    assert out == "Attempting to capture an EagerTensor without building a function.\nTrue [2.]\n"


def test_graph_mode_program_is_unchanged_by_graph_blocks():
    out = run_ok("""
        import minitf as tf
        with tf.Graph().as_default():
            print(tf.executing_eagerly())
        print(tf.executing_eagerly(), type(tf.constant(1.0)).__name__)
    """)
    assert out == "False\nFalse Tensor\n"


def test_global_step_stays_eager_in_an_eager_program():
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution()
        step = tf.train.get_or_create_global_step()
        print(step.numpy(), tf.train.get_or_create_global_step() is step)
    """)
    assert out == "0 True\n"


def test_op_type_constraints_in_eager_mode_are_tfs_kernel_check():
    # Eager ops skip TF's Python check and meet the C++ NodeDef check: InvalidArgumentError,
    # C++ dtype names.  TF's message goes on with "; Op<name=Mean; signature=...>", left out.
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution()
        try:
            tf.reduce_mean(tf.constant([True, False]))
        except tf.errors.InvalidArgumentError as e:
            print(e)
    """)
    assert out == ("Value for attr 'T' of bool is not in the list of allowed values: float, double, int32, uint8, "
                   "int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, uint16, "
                   "complex128, half, uint32, uint64\n\t; NodeDef: {{node Mean}} [Op:Mean]\n")
