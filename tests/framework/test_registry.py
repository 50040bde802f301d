"""The op record is the one place an op's facts live (issue: one record per op)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pathlib

import pytest

import minitf  # noqa: F401  (registers every op)
from minitf.framework.registry import LazyFactory, OpDef, get_op_def, registered_ops

PACKAGE = pathlib.Path(minitf.__file__).parent


def _string_literals(path: pathlib.Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


@pytest.mark.parametrize("layer", ["client", "eager"])
def test_engine_layers_name_no_op_types(layer):
    """The planner, placer and eager executor read facts from OpDef fields, never from op-type tables."""
    names = set(registered_ops())
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
             for path in sorted((PACKAGE / layer).rglob("*.py"))
             for line, text in _string_literals(path) if text in names]
    assert not found, "op types named outside their register_op record:\n" + "\n".join(found)


def test_op_records_are_frozen():
    op_def = get_op_def("Add")
    with pytest.raises(dataclasses.FrozenInstanceError):
        op_def.gpu_kernel = None


def test_no_extra_field():
    assert "extra" not in {f.name for f in dataclasses.fields(OpDef)}


def test_gpu_kernel_names_resolve_without_building_anything():
    """Every "module:name" GPU factory exists; naming it imported nothing at registration."""
    lazy = {t: get_op_def(t).gpu_kernel for t in registered_ops()
            if isinstance(get_op_def(t).gpu_kernel, LazyFactory)}
    assert {"Const", "VariableV2", "Softmax", "ApplyAdam", "RandomUniform"} <= set(lazy)
    for op_type, factory in lazy.items():
        module, _, name = factory.path.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), op_type


def test_memory_and_folding_facts_live_on_the_record():
    assert get_op_def("Reshape").host_inputs == (1,)
    assert get_op_def("Shape").host_outputs and get_op_def("Shape").shape_only_inputs == (0,)
    assert get_op_def("SparseSoftmaxCrossEntropyWithLogits").device_inputs == (1,)
    assert get_op_def("Const").constant
    assert get_op_def("VariableV2").variable
    identity = get_op_def("Identity").forwards_input
    assert identity is not None and identity([], [], [])
