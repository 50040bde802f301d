"""Every op in the registry, driven by one table (``ops_table.py``).

For each row: the forward value matches numpy in float32, float64 (and int32
where the op takes ints); the float64 gradient matches central differences;
static shape inference agrees with the computed shape, also when the first
dimension is unknown while the graph is built; the gradient check is repeated
with the first, then every, dimension unknown.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import minitf as tf
from minitf.framework.registry import get_op_def, registered_ops

from ops_helpers import F64, as_list, assert_close, check_gradients, evaluate, op_types, sample
from ops_table import CASES, ELSEWHERE

FORWARD = [pytest.param(c, np.dtype(d), id=f"{c.id}-{np.dtype(d).name}") for c in CASES for d in c.dtypes]
GRADIENT = [pytest.param(c, id=c.id) for c in CASES if c.grad]
SHAPES = [pytest.param(c, id=c.id) for c in CASES if c.partial]
# Unpack must know the unpacked dimension while the graph is built (TF: "Cannot infer num").
NEEDS_STATIC_DIMS = {"Unpack"}
PARTIAL_GRADIENT = [pytest.param(c, mode, id=f"{c.id}-{mode}") for c in CASES if c.grad and c.partial
                    for mode in ("first", "all") if not (mode == "all" and c.op in NEEDS_STATIC_DIMS)]


def test_every_registered_op_has_a_case():
    covered = {c.op for c in CASES} | set(ELSEWHERE)
    missing = [op for op in registered_ops() if op not in covered]
    assert not missing, f"ops with no row in tests/ops/ops_table.py: {missing}"


def test_every_elsewhere_entry_names_an_existing_test():
    for op, where in ELSEWHERE.items():
        module_file, test_name = where.split("::")
        module = importlib.import_module(module_file.removesuffix(".py"))
        assert hasattr(module, test_name), f"{op}: {where} does not exist"


def test_cases_with_a_gradient_check_are_differentiable_ops():
    for case in CASES:
        if case.grad:
            assert get_op_def(case.op).differentiable, case.id


@pytest.mark.parametrize("case, dtype", FORWARD)
def test_forward_matches_numpy(case, dtype):
    arrays = sample(case, dtype)
    outputs, values, graph = evaluate(case, arrays)
    assert case.op in op_types(graph), f"{case.id} built {sorted(op_types(graph))}"
    expected = as_list(case.ref(*arrays))
    assert len(values) == len(expected)
    for i, (out, got, want) in enumerate(zip(outputs, values, expected)):
        assert np.asarray(got).dtype == out.dtype.np_dtype, f"output {i}: dtype of value vs tensor"
        assert_close(got, want, dtype, case.rtol32, what=f"{case.id} output {i}")
        if case.static:
            assert out.shape.is_fully_defined(), f"output {i}: static shape {out.shape}"
        assert out.shape.is_compatible_with(np.shape(got)), f"output {i}: {out.shape} vs {np.shape(got)}"
        if out.shape.is_fully_defined():
            assert tuple(out.shape.as_list()) == np.shape(got)


@pytest.mark.parametrize("case", GRADIENT)
def test_gradient_matches_central_differences(case):
    check_gradients(case)


@pytest.mark.parametrize("case, mode", PARTIAL_GRADIENT)
def test_gradient_with_unknown_dimensions(case, mode):
    """The gradient graph built without static shapes (first or every dimension unknown) still agrees."""
    check_gradients(case, partial=mode)


@pytest.mark.parametrize("case", SHAPES)
def test_unknown_first_dimension(case):
    """Built on placeholders of shape [None, ...]: static shapes stay compatible, values agree."""
    dtype = case.dtypes[-1] if F64 not in case.dtypes else F64
    arrays = sample(case, dtype)
    _, full, _ = evaluate(case, arrays)
    outputs, partial, _ = evaluate(case, arrays, partial=True)
    for out, got, want in zip(outputs, partial, full):
        assert out.shape.is_compatible_with(np.shape(got)), f"{out.shape} vs {np.shape(got)}"
        np.testing.assert_array_equal(got, want)


def test_unknown_first_dimension_leaves_known_dimensions_known():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        assert tf.matmul(x, tf.zeros([3, 4])).shape.as_list() == [None, 4]
        assert tf.concat([x, x], 1).shape.as_list() == [None, 6]
        assert tf.transpose(x).shape.as_list() == [3, None]
        assert tf.reduce_sum(x, 0).shape.as_list() == [3]
        assert x[:, 1:].shape.as_list() == [None, 2]
        assert tf.expand_dims(x, 0).shape.as_list() == [1, None, 3]
        assert tf.tile(x, [2, 2]).shape.as_list() == [None, 6]
        assert tf.nn.softmax(x).shape.as_list() == [None, 3]
        assert tf.gather(x, [0, 1]).shape.as_list() == [2, 3]
        assert tf.one_hot(tf.placeholder(tf.int32, [None]), 4).shape.as_list() == [None, 4]
