"""``tf.logging``, ``tf.app.flags`` and ``tf.app.run``: the scaffolding of TF 1.x training scripts."""

from __future__ import annotations

import pytest

import minitf as tf
from minitf.app import flags as flags_module
from tests.eager.eager_harness import run_script


@pytest.fixture
def restore_verbosity():
    level = tf.logging.get_verbosity()
    yield
    tf.logging.set_verbosity(level)


def test_logging_levels_and_tfs_line_format(capsys, restore_verbosity):
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR) == (10, 20, 30, 40)
    tf.logging.set_verbosity(tf.logging.WARN)
    tf.logging.info("hidden %d", 1)
    tf.logging.warning("shown %d", 2)
    tf.logging.set_verbosity(tf.logging.INFO)
    assert tf.logging.get_verbosity() == tf.logging.INFO
    tf.logging.info("step %d: loss %.2f", 3, 0.5)
    tf.logging.error("bad")
    tf.logging.debug("too detailed")
    assert capsys.readouterr().err == "WARNING:tensorflow:shown 2\nINFO:tensorflow:step 3: loss 0.50\n" \
                                      "ERROR:tensorflow:bad\n"


def test_logging_defaults_to_warnings_in_a_fresh_process():
    done = run_script("import minitf as tf\ntf.logging.info('no')\ntf.logging.warn('yes')\n")
    assert done.returncode == 0 and done.stderr == "WARNING:tensorflow:yes\n"


def test_flags_parse_and_read():
    fv = flags_module.FlagValues()
    for define, args in [(flags_module.DEFINE_string, ("name", "mnist", "data set")),
                         (flags_module.DEFINE_integer, ("steps", 100, "steps")),
                         (flags_module.DEFINE_float, ("lr", 0.01, "learning rate")),
                         (flags_module.DEFINE_boolean, ("fast", False, "skip eval")),
                         (flags_module.DEFINE_bool, ("shuffle", True, "shuffle"))]:
        define(*args, flag_values=fv)
    rest = fv(["prog", "--steps=500", "--lr", "0.5", "--fast", "--noshuffle", "file.txt", "--unknown=1"],
              known_only=True)
    assert (fv.name, fv.steps, fv.lr, fv.fast, fv.shuffle) == ("mnist", 500, 0.5, True, False)
    assert rest == ["prog", "file.txt", "--unknown=1"]
    fv.steps = 7
    assert fv.flag_values_dict()["steps"] == 7
    with pytest.raises(flags_module.UnrecognizedFlagError, match="Unknown command line flag 'unknown'"):
        fv(["prog", "--unknown=1"])
    with pytest.raises(flags_module.IllegalFlagValueError, match="flag --steps=many"):
        fv(["prog", "--steps=many"])
    with pytest.raises(flags_module.DuplicateFlagError, match="The flag 'steps' is defined twice"):
        flags_module.DEFINE_integer("steps", 1, "again", flag_values=fv)


def test_app_run_parses_flags_and_exits_with_mains_result():
    script = """
import sys
import minitf as tf
tf.app.flags.DEFINE_integer("epochs", 2, "passes")
tf.flags.DEFINE_string("tag", "a", "tag")
FLAGS = tf.app.flags.FLAGS

def main(argv):
    print(FLAGS.epochs, FLAGS.tag, argv[1:])
    return 3

sys.argv = ["train.py", "--epochs=5", "extra", "--tag", "b"]
tf.app.run(main)
"""
    done = run_script(script)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "5 b ['extra']\n"


def test_flags_read_before_parsing_use_sys_argv_tolerantly():
    script = """
import sys
import minitf as tf
tf.app.flags.DEFINE_float("rate", 0.1, "rate")
sys.argv = ["kernel", "-f", "/tmp/kernel.json", "--rate=0.3"]
print(tf.app.flags.FLAGS.rate)
"""
    done = run_script(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0.3\n"
