"""Eager mode: tf.cond, tf.case, tf.while_loop and tf.map_fn just run Python, as in TF.

Each scenario runs in one child interpreter (eager mode is a one-way switch).
"""

from __future__ import annotations

from eager_harness import outcome, run_scenarios

SCENARIOS = {
    "cond": """
x = tf.constant(3.0)
print(tf.cond(x > 2.0, lambda: x * 10.0, lambda: x).numpy())
print(tf.cond(x > 5.0, lambda: x * 10.0, lambda: x).numpy())
""",
    "case": """
x = tf.constant(0)
print(tf.case([(x < 0, lambda: tf.constant(-1)), (tf.equal(x, 0), lambda: tf.constant(0))],
              default=lambda: tf.constant(1)).numpy())
""",
    "while_loop": """
i, a = tf.while_loop(lambda i, a: i < 4, lambda i, a: (i + 1, a * 2.0), [tf.constant(0), tf.constant(1.0)])
print(i.numpy(), a.numpy())
print(tf.while_loop(lambda i: i < 10, lambda i: i + 3, [0], maximum_iterations=2).numpy())
""",
    "map_fn": """
print(tf.map_fn(lambda r: tf.reduce_sum(r), tf.constant([[1, 2], [3, 4]])).numpy().tolist())
""",
    "scan": """
print(tf.scan(lambda a, v: a + v, tf.constant([1, 2, 3])).numpy().tolist())
""",
    "gradient_tape": """
x = tf.constant(2.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, tf.constant(1.0)])[1]
print(tape.gradient(y, x).numpy())
""",
}


def test_control_flow_runs_python_in_eager_mode():
    results = run_scenarios(SCENARIOS)
    assert outcome(results, "cond").split() == ["30.0", "3.0"]
    assert outcome(results, "case").split() == ["0"]
    assert outcome(results, "while_loop").split() == ["4", "16.0", "6"]
    assert outcome(results, "map_fn").strip() == "[3, 7]"
    assert outcome(results, "gradient_tape").split() == ["12.0"]
    assert outcome(results, "scan").strip() == "[1, 3, 6]"
