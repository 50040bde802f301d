"""tf.cond, tf.case, tf.while_loop and tf.map_fn: TF 1.x semantics, errors and gradients.

Expected error texts are TF 1.x's (recorded with TF 2.21's compat.v1 graph mode).
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import minitf as tf

Pair = collections.namedtuple("Pair", "a b")


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


# --- cond ---------------------------------------------------------------------------
def test_cond_picks_the_branch_at_run_time():
    x = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0)
    with tf.Session() as sess:
        assert sess.run(y, {x: 5.0, p: True}) == 10.0
        assert sess.run(y, {x: 5.0, p: False}) == 4.0
    assert y.op.type == "StatelessIf" and y.op.name == "cond"


def test_only_the_taken_branch_assigns():
    v = tf.Variable(1.0)
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.assign(v, 10.0), lambda: tf.identity(v))
    assert y.op.type == "If"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y, {p: False}) == 1.0 and sess.run(v) == 1.0
        assert sess.run(y, {p: True}) == 10.0 and sess.run(v) == 10.0


def test_a_branch_that_would_fail_does_not_run_when_not_taken():
    i = tf.placeholder(tf.int32, [])
    table = tf.constant([1.0, 2.0, 3.0])
    safe = tf.cond(i < 3, lambda: tf.gather(table, i), lambda: tf.constant(-1.0))
    with tf.Session() as sess:
        assert sess.run(safe, {i: 2}) == 3.0
        assert sess.run(safe, {i: 7}) == -1.0


def test_cond_returns_nested_structures():
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: {"s": Pair(tf.constant(1), tf.constant(2.0)), "t": [tf.constant(3)]},
                  lambda: {"s": Pair(tf.constant(4), tf.constant(5.0)), "t": [tf.constant(6)]})
    assert isinstance(out["s"], Pair) and isinstance(out["t"], list)
    with tf.Session() as sess:
        assert sess.run(out, {p: False}) == {"s": Pair(4, 5.0), "t": [6]}


def test_cond_unpacks_a_single_element_list_unless_strict():
    p = tf.constant(True)
    assert isinstance(tf.cond(p, lambda: [tf.constant(1)], lambda: [tf.constant(2)]), tf.Tensor)
    assert isinstance(tf.cond(p, lambda: [tf.constant(1)], lambda: [tf.constant(2)], strict=True), list)


def test_cond_errors_have_tfs_words():
    with pytest.raises(TypeError, match="'pred' must not be a Python bool."):
        tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(3))
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure."):
        tf.cond(tf.constant(True), lambda: (tf.constant(1.0), tf.constant(2.0)), lambda: tf.constant(3.0))
    with pytest.raises(ValueError, match=r"Outputs of 'true_fn' and 'false_fn' must have the same type\(s\). "
                                         "Received int32 from 'true_fn' and float32 from 'false_fn'."):
        tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(3.0))
    with pytest.raises(TypeError, match="true_fn must be callable."):
        tf.cond(tf.constant(True), 1, lambda: 2)


def test_cond_output_shape_is_what_both_branches_agree_on():
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.ones([2, 4]))
    assert y.shape.as_list() == [2, None]


def test_case_takes_the_first_true_predicate_or_the_default():
    x = tf.placeholder(tf.int32, [])
    y = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)), (tf.equal(x, 0), lambda: tf.constant(0))],
                default=lambda: tf.constant(1))
    z = tf.case({tf.less(x, 0): lambda: tf.constant(-1)}, default=lambda: tf.constant(1))
    with tf.Session() as sess:
        assert [sess.run(y, {x: v}) for v in (-5, 0, 5)] == [-1, 0, 1]
        assert [sess.run(z, {x: v}) for v in (-5, 5)] == [-1, 1]


def test_case_without_default_uses_the_last_function():
    x = tf.placeholder(tf.int32, [])
    y = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)), (tf.greater_equal(x, 0), lambda: tf.constant(7))])
    with tf.Session() as sess:
        assert sess.run(y, {x: -1}) == -1 and sess.run(y, {x: 3}) == 7


# --- while_loop ---------------------------------------------------------------------
def test_while_loop_single_variable_returns_a_tensor():
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 3, [tf.constant(0)])
    assert isinstance(r, tf.Tensor)
    with tf.Session() as sess:
        assert sess.run(r) == 12


def test_while_loop_nested_loop_vars_and_maximum_iterations():
    start = (tf.constant(0), Pair(tf.constant(1.0), tf.constant([1.0, 1.0])))
    out = tf.while_loop(lambda i, p: i < 100, lambda i, p: (i + 1, Pair(p.a * 2.0, p.b + p.a)), start,
                        maximum_iterations=4)
    with tf.Session() as sess:
        i, p = sess.run(out)
    assert i == 4 and p.a == 16.0 and p.b.tolist() == [16.0, 16.0]


def test_shape_invariants_let_a_loop_variable_grow():
    x = tf.while_loop(lambda x: tf.size(x) < 8, lambda x: tf.concat([x, x], 0), [tf.constant([1])],
                      shape_invariants=[tf.TensorShape([None])])
    assert x.shape.as_list() == [None]
    with tf.Session() as sess:
        assert sess.run(x).tolist() == [1] * 8


def test_while_loop_errors_have_tfs_words():
    with pytest.raises(ValueError, match=r"Input tensor 'Const:0' enters the loop with shape \(1,\), but has "
                                         r"shape \(2,\) after one iteration. To allow the shape to vary"):
        tf.while_loop(lambda x: tf.reduce_sum(x) < 10, lambda x: tf.concat([x, x], 0), [tf.constant([1])])
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure."):
        tf.while_loop(lambda x: x < 10, lambda x: (x, x), [tf.constant(1)])
    with pytest.raises(TypeError, match="Input 'input' of 'LoopCond' Op has type int32 that does not match "
                                        "expected type of bool."):
        tf.while_loop(lambda x: x + 1, lambda x: x + 1, [tf.constant(1)])
    with pytest.raises(TypeError, match="body must be callable."):
        tf.while_loop(lambda x: x < 1, None, [tf.constant(1)])


def test_loop_body_assigns_every_iteration():
    v = tf.Variable(0.0)
    n = tf.while_loop(lambda i: i < 5, lambda i: tf.tuple([i + 1], control_inputs=[tf.assign_add(v, 2.0)])[0],
                      [tf.constant(0)])
    assert n.op.type == "While"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(n) == 5 and sess.run(v) == 10.0


def test_loop_body_reads_outer_tensors_and_variables():
    x = tf.placeholder(tf.float32, [3])
    w = tf.Variable([1.0, 2.0, 3.0])
    _, acc = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a + x * w), [0, tf.zeros([3])])
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(acc, {x: [1.0, 1.0, 2.0]}).tolist() == [2.0, 4.0, 12.0]


# --- gradients ----------------------------------------------------------------------
def _numeric(f, x0, eps=1e-6):
    g = np.zeros_like(x0)
    for i in np.ndindex(x0.shape):
        d = np.zeros_like(x0)
        d[i] = eps
        g[i] = (f(x0 + d) - f(x0 - d)) / (2 * eps)
    return g


def test_gradient_through_cond_inside_while_matches_numeric():
    x = tf.placeholder(tf.float64, [3])

    def body(i, a):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: a * x, lambda: tf.sin(a) + x)
    _, y = tf.while_loop(lambda i, a: i < 4, body, [0, tf.ones([3], tf.float64)])
    loss = tf.reduce_sum(y * y)
    grad = tf.gradients(loss, x)[0]
    x0 = np.array([0.3, -0.7, 1.1])
    with tf.Session() as sess:
        analytic = sess.run(grad, {x: x0})
        numeric = _numeric(lambda v: sess.run(loss, {x: v}), x0)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_gradient_of_a_nested_loop_matches_numeric():
    x = tf.placeholder(tf.float64, [2])

    def outer(i, a):
        inner = tf.while_loop(lambda j, b: j < 2, lambda j, b: (j + 1, b * x + 0.1), [0, a])[1]
        return i + 1, inner
    y = tf.while_loop(lambda i, a: i < 3, outer, [0, x])[1]
    grad = tf.gradients(tf.reduce_sum(y), x)[0]
    x0 = np.array([0.9, -0.4])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad, {x: x0}),
                                   _numeric(lambda v: sess.run(tf.reduce_sum(y), {x: v}), x0), rtol=1e-6)


def test_optimizer_trains_a_variable_used_in_cond_and_while():
    w = tf.Variable(2.0)
    p = tf.placeholder(tf.bool, [])
    pred = tf.cond(p, lambda: w * 3.0, lambda: w * w)
    _, y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + w), [0, pred])
    loss = tf.square(y - 1.0)
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(step, {p: True})          # y = 6w, dloss/dw = 2 (6w - 1) 6 = 132
        assert sess.run(w) == pytest.approx(2.0 - 0.01 * 132)


def test_back_prop_false_stops_the_gradient():
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda a: a < 10.0, lambda a: a * 2.0, [x], back_prop=False)
    assert tf.gradients(y, x) == [None]


# --- map_fn -------------------------------------------------------------------------
def test_map_fn_with_a_different_output_structure():
    x = tf.placeholder(tf.float32, [None, 2])
    doubled, total = tf.map_fn(lambda r: (r * 2.0, tf.reduce_sum(r)), x, dtype=(tf.float32, tf.float32))
    with tf.Session() as sess:
        d, t = sess.run([doubled, total], {x: [[1, 2], [3, 4], [5, 6]]})
    assert d.tolist() == [[2, 4], [6, 8], [10, 12]] and t.tolist() == [3, 7, 11]


def test_map_fn_over_a_tuple_of_elements():
    a, b = tf.constant([1, 2, 3]), tf.constant([10, 20, 30])
    out = tf.map_fn(lambda ab: ab[0] * ab[1], (a, b), dtype=tf.int32)
    with tf.Session() as sess:
        assert sess.run(out).tolist() == [10, 40, 90]


# --- saving, meta graphs and freezing -------------------------------------------------
def test_meta_graph_and_checkpoint_round_trip_keep_cond_and_loop(tmp_path):
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.Variable([1.5, -2.0], name="w")
    p = tf.placeholder_with_default(True, [], name="p")
    y = tf.cond(p, lambda: x * w, lambda: x + w)
    _, out = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * 2.0 + w), [0, y])
    out = tf.identity(out, name="out")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(w, [0.5, 3.0]))
        want = [sess.run(out, {x: [1.0, 2.0], p: v}) for v in (True, False)]
        path = saver.save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(path + ".meta")
        with tf.Session() as sess:
            restorer.restore(sess, path)
            got = [sess.run("out:0", {"x:0": [1.0, 2.0], "p:0": v}) for v in (True, False)]
    np.testing.assert_allclose(got, want)


def test_frozen_graph_with_control_flow_imports_and_runs():
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.Variable(3.0, name="w")
    y = tf.map_fn(lambda v: tf.cond(v > 0, lambda: v * w, lambda: -v), x)
    y = tf.identity(y, name="y")
    with tf.Session() as sess:
        sess.run(w.initializer)
        frozen = tf.graph_util.convert_variables_to_constants(sess, tf.get_default_graph().as_graph_def(), ["y"])
    assert {n.op for n in frozen.node} >= {"StatelessWhile"} and "VariableV2" not in {n.op for n in frozen.node}
    with tf.Graph().as_default():
        tf.import_graph_def(frozen, name="")
        with tf.Session() as sess:
            assert sess.run("y:0", {"x:0": [2.0, -1.0, 0.5]}).tolist() == [6.0, 1.0, 1.5]


def test_case_exclusive_fails_the_run_when_two_predicates_hold():
    x = tf.placeholder(tf.int32, [])
    y = tf.case([(x > 0, lambda: tf.constant(1)), (x > 1, lambda: tf.constant(2))],
                default=lambda: tf.constant(0), exclusive=True)
    with tf.Session() as sess:
        assert sess.run(y, {x: 1}) == 1 and sess.run(y, {x: -1}) == 0
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[Input error: exclusive=True: more than 1 conditions "
                                 r"\(Greater:0, Greater_1:0\) evaluated as True:\] \[1 1\]"):
            sess.run(y, {x: 3})


def test_assert_reports_its_data_in_tfs_words():
    x = tf.placeholder(tf.int32, [])
    check = tf.Assert(x > 5, [x, tf.constant([1.5, 2.0])])
    with tf.control_dependencies([check]):
        y = tf.identity(x)
    with tf.Session() as sess:
        assert sess.run(y, {x: 9}) == 9
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[3\] \[1.5 2\]"):
            sess.run(y, {x: 3})


def test_branches_returning_ops_follow_tf1s_rules():
    """An op made inside a branch runs only when taken; one made outside runs either way (TF 1.x's pitfall).

    The numbers were checked against TF 1.x: the outer train op moves v from 0 to 0.6 even when p is False.
    """
    v = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, [])
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(v - 3.0))
    outer = tf.cond(p, lambda: train, lambda: tf.no_op())
    inner = tf.cond(p, lambda: tf.assign_add(v, 10.0).op, lambda: tf.no_op())
    assert outer.dtype == tf.bool
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(outer, {p: False}) == False  # noqa: E712 - a numpy bool
        assert sess.run(v) == pytest.approx(0.6)
        sess.run(inner, {p: False})
        assert sess.run(v) == pytest.approx(0.6)
        sess.run(inner, {p: True})
        assert sess.run(v) == pytest.approx(10.6)


def test_scan_and_folds_match_tensorflow():
    """Values recorded by running the same graph under TF 1.x (compat.v1)."""
    x = tf.placeholder(tf.float64, [None])
    s = tf.scan(lambda a, v: a * 0.5 + v, x)
    s2 = tf.scan(lambda a, v: a + v, x, initializer=tf.constant(10.0, tf.float64), reverse=True)
    f = tf.foldl(lambda a, v: a * v, x)
    fr = tf.foldr(lambda a, v: a - v, x, initializer=tf.constant(0.0, tf.float64))
    g = tf.gradients(tf.reduce_sum(s * s), x)[0]
    with tf.Session() as sess:
        got = sess.run([s, s2, f, fr, g], {x: [1.0, 2.0, 3.0, 4.0]})
    want = [[1.0, 2.5, 4.25, 6.125], [20.0, 19.0, 17.0, 14.0], 24.0, -10.0, [8.15625, 12.3125, 14.625, 12.25]]
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b)


def test_functions_built_after_an_import_get_new_library_names():
    """A graph written by another process may use the names this process would make next."""
    from minitf.framework.func_graph import unique_function_name
    tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(2))
    graph_def = tf.get_default_graph().as_graph_def()
    k = int(unique_function_name("probe").rsplit("_", 1)[1])
    renames = {f.signature.name: f"cond_{kind}_{k + 2 + i}"   # importing uses up k+1 and k+2
               for i, (f, kind) in enumerate(zip(graph_def.library.function, ("true", "false")), 1)}
    for f in graph_def.library.function:
        f.signature.name = renames[f.signature.name]
    for node in graph_def.node:
        for attr in ("then_branch", "else_branch"):
            if attr in node.attr:
                node.attr[attr].func.name = renames[node.attr[attr].func.name]
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="")
        tf.cond(tf.constant(False), lambda: tf.constant(3), lambda: tf.constant(4))
        names = [f.signature.name for f in g.as_graph_def().library.function]
    assert len(names) == 4 and len(set(names)) == 4


def test_gradient_of_a_random_branch_uses_the_forward_draw():
    """The gradient replays the branch; it must reuse the forward run's dropout mask, not draw a new one."""
    x = tf.placeholder(tf.float64, [1000])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.nn.dropout(x * 3.0, keep_prob=0.5), lambda: x)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as sess:
        y_value, g_value = sess.run([y, g], {x: np.ones(1000), p: True})
    np.testing.assert_array_equal(g_value, y_value)          # d(3 x m / 0.5)/dx = 6 m = y at x = 1
    assert 0.4 < np.mean(y_value == 0) < 0.6


def test_gradient_of_a_loop_with_dropout_uses_every_forward_draw():
    x = tf.placeholder(tf.float64, [1000])
    _, y = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, tf.nn.dropout(a, keep_prob=0.5)), [0, x])
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as sess:
        y_value, g_value = sess.run([y, g], {x: np.ones(1000)})
    np.testing.assert_array_equal(g_value, y_value)          # two masks, each scaled by 2
    assert 0.15 < np.mean(y_value != 0) < 0.35


def test_gradient_does_not_repeat_a_branchs_variable_update():
    v = tf.Variable(1.0)
    x = tf.placeholder(tf.float32, [])
    y = tf.cond(x > 0, lambda: tf.assign_add(v, 1.0) * x, lambda: x)
    g = tf.gradients(y, x)[0]
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([y, g], {x: 3.0}) == [6.0, 2.0]
        assert sess.run(v) == 2.0                          # updated once, by the forward branch
