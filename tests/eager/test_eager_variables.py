"""Eager ``tf.Variable``: a value you read and assign now, printed as TF 1.x prints it."""

import pytest

from eager_harness import outcome, run_scenarios

SCENARIOS = {
    "repr": """
        v = tf.Variable([1.0])
        print(repr(v))
        print(v)
        print(tfe.Variable(2.0, name="w"))
    """,
    "identity": """
        v = tf.Variable(np.zeros((2, 3), np.float32), name="W")
        print(v.name, v.shape, v.dtype, v.trainable, isinstance(v, tf.Variable), v.initializer)
        print(tf.Variable(1, trainable=False).trainable, tf.trainable_variables())
    """,
    "assign": """
        v = tf.Variable([1.0, 2.0])
        print(v.assign([3.0, 4.0]) is v, v.numpy().tolist())
        v.assign_add([1.0, 1.0]); print(v.numpy().tolist())
        v.assign_sub([0.5, 0.5]); print(v.numpy().tolist())
        print(v.read_value().numpy().tolist(), v.value().numpy().tolist())
        tf.assign(v, [0.0, 0.0]); tf.assign_add(v, [2.0, 2.0]); print(v.numpy().tolist())
    """,
    "assign_checks_shapes": """
        v = tf.Variable([1.0, 2.0])
        try:
            v.assign([1.0, 2.0, 3.0])
        except (ValueError, tf.errors.InvalidArgumentError) as e:
            print(type(e).__name__)
    """,
    "reads_are_snapshots": """
        v = tf.Variable([1.0])
        before = v.read_value()
        v.assign([5.0])
        print(before.numpy().tolist(), v.numpy().tolist())
    """,
    "math_with_variables": """
        v = tf.Variable([[1.0, 2.0]])
        print((v + 1).numpy().tolist(), (2 * v).numpy().tolist(),
              tf.matmul(v, tf.transpose(v)).numpy().tolist(), np.array(v).tolist(), v[0, 1].numpy())
    """,
    "callable_initial_value_and_dtype": """
        v = tf.Variable(lambda: tf.ones([2]), name="ones")
        w = tf.Variable([1, 2], dtype=tf.float64)
        print(v.numpy().tolist(), w.dtype)
    """,
    "global_step": """
        gs = tf.train.get_or_create_global_step()
        print(gs.name, gs.dtype, int(gs), tf.train.get_or_create_global_step() is gs)
        gs.assign_add(1); print(int(gs))
    """,
    "initializer_is_a_no_op": """
        v = tf.Variable(3.0)
        print(tf.global_variables_initializer(), v.numpy())
    """,
}

EXPECTED = {
    "repr": ("<tf.Variable 'Variable:0' shape=(1,) dtype=float32, numpy=array([1.], dtype=float32)>\n"
             "<tf.Variable 'Variable:0' shape=(1,) dtype=float32, numpy=array([1.], dtype=float32)>\n"
             "<tf.Variable 'w:0' shape=() dtype=float32, numpy=2.0>\n"),
    "identity": "W:0 (2, 3) <dtype: 'float32'> True True None\nFalse []\n",
    "assign": "True [3.0, 4.0]\n[4.0, 5.0]\n[3.5, 4.5]\n[3.5, 4.5] [3.5, 4.5]\n[2.0, 2.0]\n",
    "assign_checks_shapes": "InvalidArgumentError\n",
    "reads_are_snapshots": "[1.0] [5.0]\n",
    "math_with_variables": "[[2.0, 3.0]] [[2.0, 4.0]] [[5.0]] [[1.0, 2.0]] 2.0\n",
    "callable_initial_value_and_dtype": "[1.0, 1.0] <dtype: 'float64'>\n",
    "global_step": "global_step:0 <dtype: 'int64'> 0 True\n1\n",
    "initializer_is_a_no_op": "None 3.0\n",
}


@pytest.fixture(scope="module")
def results():
    return run_scenarios(SCENARIOS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variable_scenario(results, name):
    assert outcome(results, name) == EXPECTED[name]
