"""MINITF_DEBUG: what each level prints (stdout, lines starting "[minitf]"), and nothing at 0."""

from __future__ import annotations

import numpy as np
import pytest
from eager_harness import run_ok

import minitf as tf
from minitf import debug


@pytest.fixture
def level():
    """Set the debug level for one test; restore it afterwards."""
    old = debug.level()
    yield debug.set_level
    debug.set_level(old)


def _fresh_sum():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, name="a")
        b = tf.constant(2.0, name="b")
        c = tf.add(a, b, name="c")
    return g, a, c


def _run_twice(capsys):
    g, a, c = _fresh_sum()
    with tf.Session(graph=g) as sess:
        capsys.readouterr()
        assert sess.run(c, {a: 1.0}) == 3.0
        first = capsys.readouterr().out
        sess.run(c, {a: 5.0})                       # same plan: cached, nothing new to say
        second = capsys.readouterr().out
    return first, second


def test_level_0_prints_nothing(level, capsys):
    level(0)
    first, second = _run_twice(capsys)
    assert first == "" and second == ""


def test_level_1_one_line_per_new_plan(level, capsys):
    level(1)
    first, second = _run_twice(capsys)
    lines = [line for line in first.splitlines() if line.startswith("[minitf] new plan")]
    assert len(lines) == 1, first
    assert lines[0].startswith("[minitf] new plan for [c:0] fed [a:0[]]: 1 kernel calls, built in ")
    assert lines[0].endswith(" ms")
    assert "kernel calls, 1 ops folded" not in first      # the explain listing is level 2
    assert second == ""


def test_level_2_adds_the_explain_listing(level, capsys):
    level(2)
    first, _ = _run_twice(capsys)
    assert "[minitf] 1 kernel calls, 1 ops folded to constants, 0 ops aliased, 1 feeds" in first
    assert "Add" in first and "(a:0, b:0) -> c:0" in first
    assert "def run_plan(" not in first                   # the source is level 3


def test_level_3_adds_the_generated_source(level, capsys):
    level(3)
    first, _ = _run_twice(capsys)
    assert "[minitf] def run_plan(v1, k0=k0, c2=c2):" in first
    assert "s = 0; v3 = k0(v1, c2)" in first


def test_explain_source_shows_the_generated_function():
    g, a, c = _fresh_sum()
    with tf.Session(graph=g) as sess:
        text = sess.explain(c, {a: np.float32(1.0)}, source=True)
        assert text.startswith("1 kernel calls")
        assert "def run_plan(v1, k0=k0, c2=c2):" in text
        assert "def run_plan" not in sess.explain(c, {a: np.float32(1.0)})


def test_bad_levels_are_refused():
    with pytest.raises(ValueError, match="whole number"):
        debug.set_level(-1)


# Eager misses and numba compiles happen once per process (numba caches on disk), so they
# are checked in a fresh interpreter with an empty numba cache.
_EAGER_PROGRAM = """
import minitf as tf
tf.enable_eager_execution()
x = tf.constant([1.0, 2.0])
y = x * x
y = x * x          # cached: no second miss line
print("result", y.numpy().tolist())
"""


def test_level_1_eager_misses_and_numba_compiles(tmp_path):
    out = run_ok(_EAGER_PROGRAM, env={"MINITF_DEBUG": "1", "NUMBA_CACHE_DIR": str(tmp_path)})
    misses = [line for line in out.splitlines() if line.startswith("[minitf] eager cache miss: Mul(")]
    assert misses == [misses[0]] and misses[0].startswith("[minitf] eager cache miss: Mul(float32[2], "
                                                          "float32[2]) on CPU:0, kernel built in ")
    assert any(line.startswith("[minitf] numba compiled zip_mul_") and line.endswith(" ms")
               for line in out.splitlines()), out
    assert "[minitf] numba: " not in out                  # compiler passes are level 4
    assert "result [1.0, 4.0]" in out


def test_level_4_adds_numba_compiler_events(tmp_path):
    out = run_ok(_EAGER_PROGRAM, env={"MINITF_DEBUG": "4", "NUMBA_CACHE_DIR": str(tmp_path)})
    assert "[minitf] numba: compiling zip_mul_" in out
    assert any(line.startswith("[minitf] numba: translate_bytecode [zip_mul_") for line in out.splitlines())


def test_level_is_read_from_the_environment_at_import():
    out = run_ok("import minitf; print('level', minitf.debug.level())", env={"MINITF_DEBUG": "3"})
    assert "level 3" in out
    quiet = run_ok("import minitf as tf\nprint(tf.Session().run(tf.constant(1.0) + 1.0))",
                   env={"MINITF_DEBUG": "0"})
    assert quiet.strip() == "2.0"
