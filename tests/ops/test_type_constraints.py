"""Op type constraints: TF's ``T: {...}`` lists, checked when an op is built, in TF's words.

The expected messages were recorded from TensorFlow 2.21 (``tensorflow.compat.v1`` with
``disable_v2_behavior()``), building each expression in a graph and printing ``str(e)`` of the
TypeError it raised.  TF prints the op's whole allowed list in its own order, including dtypes
minitf does not have.
"""

from __future__ import annotations

import numpy as np
import pytest

import minitf as tf
from minitf.framework import type_lists
from minitf.framework.registry import get_op_def, registered_ops

from ops_helpers import F64, as_list, build, sample
from ops_table import CASES

_NUMBER = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, "
           "qint16, quint16, uint16, complex128, float16, uint32, uint64")
_FLOAT_COMPLEX = "bfloat16, float16, float32, float64, complex64, complex128"
_FLOAT = "float16, bfloat16, float32, float64"
_FLOAT_ROUNDING = "bfloat16, float16, float32, float64"


def _b():
    return tf.constant([[True]])


def _b4():
    return tf.constant([[[[True]]]])


def _i():
    return tf.constant([[1]])


def _f():
    return tf.constant([[1.0]])


# (what, expression, TF's message), one or more per constrained family.
TF_MESSAGES = [
    ("reduce_mean-bool", lambda: tf.reduce_mean(_b()),
     f"Value passed to parameter 'input' has DataType bool not in list of allowed values: {_NUMBER}"),
    ("reduce_sum-float-axis", lambda: tf.reduce_sum(_f(), axis=tf.constant(0.0)),
     "Value passed to parameter 'reduction_indices' has DataType float32 not in list of allowed values: "
     "int32, int64"),
    ("argmax-string", lambda: tf.argmax(tf.constant(["a"])),
     "Value passed to parameter 'input' has DataType string not in list of allowed values: float32, "
     "float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8, quint8, "
     "qint32, qint16, quint16, bool"),
    ("matmul-bool", lambda: tf.matmul(_b(), _b()),
     "Value passed to parameter 'a' has DataType bool not in list of allowed values: bfloat16, float16, "
     "float32, float64, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128"),
    ("relu-bool", lambda: tf.nn.relu(_b()),
     "Value passed to parameter 'features' has DataType bool not in list of allowed values: float32, "
     "float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64, qint8"),
    ("softmax-int32", lambda: tf.nn.softmax(_i()),
     f"Value passed to parameter 'logits' has DataType int32 not in list of allowed values: {_FLOAT}"),
    ("exp-int32", lambda: tf.exp(_i()),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_COMPLEX}"),
    ("log-int32", lambda: tf.log(_i()),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_COMPLEX}"),
    ("sqrt-int32", lambda: tf.sqrt(_i()),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_COMPLEX}"),
    ("sigmoid-int32", lambda: tf.sigmoid(_i()),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_COMPLEX}"),
    ("tanh-int32", lambda: tf.tanh(_i()),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_COMPLEX}"),
    ("bias_add-bool", lambda: tf.nn.bias_add(_b(), tf.constant([True])),
     f"Value passed to parameter 'value' has DataType bool not in list of allowed values: {_NUMBER}"),
    ("softmax_xent-int32", lambda: tf.nn.softmax_cross_entropy_with_logits_v2(labels=_i(), logits=_i()),
     f"Value passed to parameter 'features' has DataType int32 not in list of allowed values: {_FLOAT}"),
    ("sparse_xent-float-labels",
     lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0.0]), logits=_f()),
     "Value passed to parameter 'labels' has DataType float32 not in list of allowed values: int32, int64"),
    ("reshape-float-shape", lambda: tf.reshape(_f(), tf.constant([1.0])),
     "Value passed to parameter 'shape' has DataType float32 not in list of allowed values: int32, int64"),
    # conv/pool, cumulative, top-k, numerics, linalg, random, strided slice and the n-d index ops,
    # recorded the same way (TF 2.21 compat.v1, graph mode).
    ("conv2d-bool", lambda: tf.nn.conv2d(_b4(), _b4(), [1, 1, 1, 1], "VALID"),
     "Value passed to parameter 'input' has DataType bool not in list of allowed values: float16, bfloat16, "
     "float32, float64, int32"),
    ("max_pool-bool", lambda: tf.nn.max_pool(_b4(), [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
     "Value passed to parameter 'input' has DataType bool not in list of allowed values: float16, bfloat16, "
     "float32, float64, int32, int64, uint8, int16, int8, uint16, qint8"),
    ("avg_pool-int32", lambda: tf.nn.avg_pool(tf.constant([[[[1]]]]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
     f"Value passed to parameter 'value' has DataType int32 not in list of allowed values: {_FLOAT}"),
    ("cumsum-bool", lambda: tf.cumsum(tf.constant([True])),
     f"Value passed to parameter 'x' has DataType bool not in list of allowed values: {_NUMBER}"),
    ("cumsum-float-axis", lambda: tf.cumsum(tf.constant([1.0]), axis=tf.constant(0.0)),
     "Value passed to parameter 'axis' has DataType float32 not in list of allowed values: int32, int64"),
    ("top_k-bool", lambda: tf.nn.top_k(tf.constant([True])),
     "Value passed to parameter 'input' has DataType bool not in list of allowed values: float32, float64, "
     "int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64"),
    ("in_top_k-float-targets", lambda: tf.nn.in_top_k(tf.constant([[1.0]]), tf.constant([0.0]), 1),
     "Value passed to parameter 'targets' has DataType float32 not in list of allowed values: int32, int64"),
    ("erf-int32", lambda: tf.erf(tf.constant([1])),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_ROUNDING}"),
    ("is_nan-int32", lambda: tf.is_nan(tf.constant([1])),
     f"Value passed to parameter 'x' has DataType int32 not in list of allowed values: {_FLOAT_ROUNDING}"),
    ("gather_nd-float-indices", lambda: tf.gather_nd(tf.constant([1.0]), tf.constant([[0.0]])),
     "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: int16, int32, "
     "int64"),
    ("scatter_nd-float-indices", lambda: tf.scatter_nd(tf.constant([[0.0]]), tf.constant([1.0]), tf.constant([1])),
     "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: int16, int32, "
     "int64"),
    ("reverse-float-axis", lambda: tf.reverse(tf.constant([1.0]), tf.constant([0.0])),
     "Value passed to parameter 'axis' has DataType float32 not in list of allowed values: int32, int64"),
    ("qr-int32", lambda: tf.qr(tf.constant([[1]])),
     "Value passed to parameter 'input' has DataType int32 not in list of allowed values: float64, float32, "
     "float16, complex64, complex128"),
    ("diag_part-bool", lambda: tf.diag_part(_b()),
     "Value passed to parameter 'input' has DataType bool not in list of allowed values: bfloat16, float16, "
     "float32, float64, int32, int64, complex64, complex128"),
    ("random_uniform-float-shape", lambda: tf.random_uniform(tf.constant([1.0])),
     "Value passed to parameter 'shape' has DataType float32 not in list of allowed values: int32, int64"),
    ("random_normal-float-shape", lambda: tf.random_normal(tf.constant([1.0])),
     "Value passed to parameter 'shape' has DataType float32 not in list of allowed values: int32, int64"),
    ("strided_slice-float-begin",
     lambda: tf.strided_slice(tf.constant([1.0]), tf.constant([0.0]), tf.constant([1.0]), tf.constant([1.0])),
     "Value passed to parameter 'begin' has DataType float32 not in list of allowed values: int16, int32, "
     "int64"),
    # TF 2.21's tf.add builds AddV2 (recorded); the Add list is checked against TF's registry below.
    ("add_v2-bool", lambda: _apply("AddV2", _b(), _b()),
     "Value passed to parameter 'x' has DataType bool not in list of allowed values: bfloat16, float16, "
     "float32, float64, uint8, uint16, uint32, uint64, int8, int16, int32, int64, complex64, complex128"),
]


def _apply(op_type, *inputs):
    from minitf.framework.op_builder import apply_op
    return apply_op(op_type, list(inputs))


@pytest.mark.parametrize("build_it, message", [pytest.param(f, m, id=w) for w, f, m in TF_MESSAGES])
def test_wrong_dtype_is_a_type_error_in_tf_words_when_built(build_it, message):
    with tf.Graph().as_default() as g:
        before = len(g.get_operations())
        with pytest.raises(TypeError) as info:
            build_it()
        assert str(info.value) == message
        # nothing half-built: only the constant inputs were added
        assert all(op.type == "Const" for op in g.get_operations()[before:])


# Ops on variables, recorded the same way (tf.raw_ops for the training ops).
VARIABLE_MESSAGES = [
    ("assign_add-bool", lambda: tf.assign_add(tf.Variable([True]), [True]),
     f"Value passed to parameter 'ref' has DataType bool not in list of allowed values: {_NUMBER}"),
    ("scatter_add-float-indices", lambda: tf.scatter_add(tf.Variable([1.0]), tf.constant([0.0]), [1.0]),
     "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: int32, int64"),
    ("apply_gradient_descent-bool",
     lambda: _apply_ref("ApplyGradientDescent", tf.Variable([True]), tf.constant(True), tf.constant([True])),
     f"Value passed to parameter 'var' has DataType bool not in list of allowed values: {_NUMBER}"),
    ("sparse_apply_momentum-float-indices",
     lambda: _apply_ref("SparseApplyMomentum", tf.Variable([[1.0]]), tf.Variable([[1.0]]), tf.constant(1.0),
                        tf.constant([[1.0]]), tf.constant([0.0]), tf.constant(1.0)),
     "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: int32, int64"),
]


def _apply_ref(op_type, *inputs):
    from minitf.framework.op_builder import apply_op
    return apply_op(op_type, [tf.convert_to_tensor(t, as_ref=isinstance(t, tf.Variable)) for t in inputs])


@pytest.mark.parametrize("build_it, message", [pytest.param(f, m, id=w) for w, f, m in VARIABLE_MESSAGES])
def test_ops_on_variables_refuse_a_wrong_dtype_in_tf_words(build_it, message):
    with tf.Graph().as_default():
        with pytest.raises(TypeError) as info:
            build_it()
        assert str(info.value) == message


def test_cast_is_unconstrained():
    with tf.Graph().as_default():
        assert tf.cast(_b(), tf.float32).dtype == tf.float32
        assert get_op_def("Cast").type_constraints == ()


def test_every_allowed_name_is_a_tf_dtype_name():
    tf_names = {"float16", "bfloat16", "float32", "float64", "complex64", "complex128", "int8", "int16",
                "int32", "int64", "uint8", "uint16", "uint32", "uint64", "qint8", "quint8", "qint16",
                "quint16", "qint32", "bool", "string", "variant"}
    for op_type in registered_ops():
        for rule in get_op_def(op_type).type_constraints:
            assert set(rule.allowed) <= tf_names, op_type
            assert len(set(rule.allowed)) == len(rule.allowed), op_type


# --- no regression: every dtype the op table builds an op in is allowed ---------------------------
_ROWS = [pytest.param(c, np.dtype(d), id=f"{c.id}-{np.dtype(d).name}") for c in CASES for d in c.dtypes]


@pytest.mark.parametrize("case, dtype", _ROWS)
def test_constraints_admit_the_dtypes_the_op_table_uses(case, dtype):
    """Building the row (and its float64 gradient) passes every op's type check."""
    with tf.Graph().as_default() as g:
        _, outputs = build(case, sample(case, dtype))
        floats = [o for o in as_list(outputs) if o.dtype.is_floating]
        if case.grad and dtype == F64 and floats:
            tf.gradients(tf.add_n([tf.reduce_sum(o) for o in floats]), g.get_operations()[0].outputs[0])
        for op in g.get_operations():
            for rule in op.op_def.type_constraints:
                if -len(op.inputs) <= rule.input < len(op.inputs):
                    assert op.inputs[rule.input].dtype.base_dtype.name in rule.allowed, (op.name, rule)


# --- the lists are TF's: compared with TF's own op registry when TF is installed ------------------
# minitf's Add is what `a + b` builds; TF 1.15's `+` builds AddV2 and so checks AddV2's list.
_CHECKED_AS = {"Add": "AddV2"}


@pytest.mark.tensorflow
def test_constraints_match_tf_op_registry():
    from tensorflow.python.framework import dtypes as tf_dtypes, op_def_registry

    checked = 0
    for op_type in registered_ops():
        for rule in get_op_def(op_type).type_constraints:
            tf_op = op_def_registry.get(_CHECKED_AS.get(op_type, op_type))
            arg = [a for a in tf_op.input_arg if a.name == rule.param]
            assert arg, f"{op_type} has no input '{rule.param}' in TF"
            attr = next(a for a in tf_op.attr if a.name == arg[0].type_attr)
            tf_allowed = tuple(tf_dtypes.as_dtype(t).name for t in attr.allowed_values.list.type)
            assert rule.allowed == tf_allowed, op_type
            assert rule.attr == arg[0].type_attr, op_type
            assert rule.input in (-1, list(tf_op.input_arg).index(arg[0])), op_type
            checked += 1
    assert checked > 50
    assert type_lists.NUMBER[0] == "float32"


def test_optimizer_refuses_an_integer_loss_in_tf_words():
    # Recorded from TF 2.21 compat.v1: GradientDescentOptimizer(0.1).minimize(reduce_sum(int32 variable)).
    with tf.Graph().as_default():
        loss = tf.reduce_sum(tf.Variable(1))
        with pytest.raises(ValueError) as info:
            tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        assert str(info.value) == ("Invalid type tf.int32 for Sum:0, expected: "
                                   "[tf.float32, tf.float64, tf.float16, tf.bfloat16].")
