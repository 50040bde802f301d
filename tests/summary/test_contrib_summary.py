"""``tf.contrib.summary``: writing summaries in eager mode (each case in its own process)."""

import subprocess
import sys
import textwrap


def _run_eager(code: str) -> list:
    program = "import minitf as tf\ntf.enable_eager_execution()\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_eager_summaries_are_written_only_while_recording(tmp_path):
    out = _run_eager(f"""
        writer = tf.contrib.summary.create_file_writer({str(tmp_path)!r})
        with writer.as_default():
            print(tf.contrib.summary.scalar("off", 1.0, step=0))        # recording is off by default
            with tf.contrib.summary.always_record_summaries():
                for step in range(3):
                    tf.contrib.summary.scalar("loss", tf.constant(1.0 / (step + 1)), step=step)
                tf.contrib.summary.histogram("w", tf.constant([1.0, 2.0, 3.0]), step=2)
                tf.contrib.summary.image("img", tf.zeros([1, 2, 2, 1]), family="pics", step=2)
                print(tf.contrib.summary.generic("t", tf.constant([1, 2]), step=2))
        writer.close()
        import glob
        (path,) = glob.glob({str(tmp_path)!r} + "/events.out.tfevents.*.v2")
        for e in tf.train.summary_iterator(path):
            for v in e.summary.value:
                print(e.step, v.tag, v.WhichOneof("value"), round(v.simple_value, 3))
    """)
    assert out == ["False", "True",
                   "0 loss simple_value 1.0", "1 loss simple_value 0.5", "2 loss simple_value 0.333",
                   "2 w histo 0.0", "2 pics/img/image/0 image 0.0", "2 t tensor 0.0"]


def test_every_n_global_steps_uses_the_global_step(tmp_path):
    out = _run_eager(f"""
        step = tf.train.get_or_create_global_step()
        writer = tf.contrib.summary.create_file_writer({str(tmp_path)!r})
        with writer.as_default(), tf.contrib.summary.record_summaries_every_n_global_steps(2):
            for _ in range(5):
                tf.contrib.summary.scalar("x", tf.constant(float(step.numpy())))
                step.assign_add(1)
        import glob
        (path,) = glob.glob({str(tmp_path)!r} + "/events.out.tfevents.*")
        print([e.step for e in tf.train.summary_iterator(path) if e.HasField("summary")])
    """)
    assert out == ["[0, 2, 4]"]


def test_contrib_summary_in_graph_mode_is_a_clear_error():
    import pytest

    import minitf as tf
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="eager mode only in minitf; in graph mode use tf.summary"):
            tf.contrib.summary.scalar("x", 1.0)
