"""The switch itself: once, at startup, with TF's options and errors (each test is a fresh child)."""

from eager_harness import run_ok

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_enabling_after_graph_use_is_an_error():
    out = run_ok("""
        import minitf as tf
        tf.constant(1.0)
        try:
            tf.enable_eager_execution()
        except ValueError as e:
            print(e)
        print(tf.executing_eagerly())
    """)
    assert out == "tf.enable_eager_execution must be called at program startup.\nFalse\n"


def test_enabling_twice_is_fine_but_options_cannot_change():
    out = run_ok("""
        import minitf as tf
        import minitf.contrib.eager as tfe
        print(tf.executing_eagerly())
        tf.enable_eager_execution()
        tfe.enable_eager_execution()
        print(tf.executing_eagerly())
        try:
            tf.enable_eager_execution(device_policy=tfe.DEVICE_PLACEMENT_SILENT)
        except ValueError as e:
            print("ValueError", str(e).startswith("Trying to change the options"))
    """)
    assert out == "False\nTrue\nValueError True\n"


def test_device_policies_are_tfs_values_and_checked():
    out = run_ok("""
        import minitf.contrib.eager as tfe
        print(tfe.DEVICE_PLACEMENT_EXPLICIT, tfe.DEVICE_PLACEMENT_WARN, tfe.DEVICE_PLACEMENT_SILENT,
              tfe.DEVICE_PLACEMENT_SILENT_FOR_INT32, tfe.SYNC, tfe.ASYNC)
        try:
            tfe.enable_eager_execution(device_policy=17)
        except ValueError as e:
            print("ValueError")
        print(tfe.executing_eagerly())
    """)
    assert out == "0 1 2 3 0 1\nValueError\nFalse\n"


def test_log_device_placement_reports_each_op():
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution(config=tf.ConfigProto(log_device_placement=True))
        x = tf.constant([1., 2.])
        y = x + x
    """)
    assert out == f"Executing op Add in device {CPU}\n"


def test_tf_and_tfe_names_are_the_same_objects():
    out = run_ok("""
        import minitf as tf
        import minitf.contrib.eager as tfe
        print(tfe.GradientTape is tf.GradientTape, tfe.Variable is tf.Variable,
              tfe.enable_eager_execution is tf.enable_eager_execution, tf.contrib.eager is tfe)
    """)
    assert out == "True True True True\n"


def test_device_functions_are_refused_in_eager_mode():
    out = run_ok("""
        import minitf as tf
        tf.enable_eager_execution()
        try:
            with tf.device(lambda op: "/cpu:0"):
                pass
        except RuntimeError as e:
            print(e)
    """)
    assert out == "tf.device does not support functions when eager execution is enabled.\n"
