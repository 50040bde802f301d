"""ndarray <-> TensorProto like TF, checked against TensorFlow's own frozen graphs."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from minitf.framework import errors
from minitf.io import tensor_proto
from minitf.io.protos import graph_pb2, tensor_pb2, types_pb2
from minitf.io.tensor_proto import (make_ndarray, make_tensor_proto, shape_from_proto,
                                    shape_to_proto)

FIXTURES = pathlib.Path(__file__).parents[1] / "fixtures" / "tf"
FROZEN = ["seed_add", "linreg_frozen", "mlp_frozen", "elementwise_frozen"]


def _consts(case: str) -> dict:
    graph = graph_pb2.GraphDef.FromString((FIXTURES / case / "model.pb").read_bytes())
    return {n.name: n.attr["value"].tensor for n in graph.node if n.op == "Const"}


@pytest.mark.parametrize("case", FROZEN)
def test_tensorflows_constants_are_reproduced_exactly(case):
    consts = _consts(case)
    assert consts
    for name, proto in consts.items():
        assert make_tensor_proto(make_ndarray(proto)) == proto, name


def test_decoded_constants_compute_what_tensorflow_computed():
    seed = {k: make_ndarray(v) for k, v in _consts("seed_add").items()}
    np.testing.assert_allclose(seed["x"] + seed["y"], np.load(FIXTURES / "seed_add/expected.npz")["z"],
                               rtol=1e-6)
    lin = {k: make_ndarray(v) for k, v in _consts("linreg_frozen").items()}
    data = np.load(FIXTURES / "linreg_frozen/inputs.npz")["data"]
    expected = np.load(FIXTURES / "linreg_frozen/expected.npz")["y_label"]
    np.testing.assert_allclose(data @ lin["weight"] + lin["bias"], expected, rtol=1e-5)


def test_tensor_content_only_for_more_than_one_element():
    assert make_tensor_proto(2.0) == tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT, tensor_shape={}, float_val=[2.0])
    assert make_tensor_proto([7]).int_val == [7]
    assert make_tensor_proto([[1, 2], [3, 4]]).tensor_content == np.arange(1, 5, dtype="<i4").tobytes()
    # TF writes bool and uint16 with their typed fields even when large.
    assert make_tensor_proto(np.array([True, False])).bool_val == [True, False]
    assert make_tensor_proto(np.array([1, 2], np.uint16)).int_val == [1, 2]
    assert make_tensor_proto(["a", b"b"]).string_val == [b"a", b"b"]


def test_python_values_default_to_32_bits_like_tf():
    assert make_tensor_proto(1.5).dtype == types_pb2.DT_FLOAT
    assert make_tensor_proto(3).dtype == types_pb2.DT_INT32
    assert make_tensor_proto(2**40).dtype == types_pb2.DT_INT64
    assert make_tensor_proto(np.float64(1.5)).dtype == types_pb2.DT_DOUBLE
    with pytest.raises(TypeError):
        make_tensor_proto([1.5], dtype="int32")


def test_shape_larger_than_values_stores_only_the_values():
    proto = make_tensor_proto(0.5, shape=[2, 3])
    assert list(proto.float_val) == [0.5] and not proto.tensor_content
    np.testing.assert_array_equal(make_ndarray(proto), np.full((2, 3), 0.5, np.float32))
    with pytest.raises(ValueError):
        make_tensor_proto([1, 2, 3], shape=[2])


def test_reading_repeats_the_last_value_zero_fills_and_ignores_extras():
    proto = tensor_pb2.TensorProto(dtype=types_pb2.DT_INT32, tensor_shape=shape_to_proto((5,)),
                                   int_val=[1, 2])
    np.testing.assert_array_equal(make_ndarray(proto), [1, 2, 2, 2, 2])
    proto.ClearField("int_val")
    np.testing.assert_array_equal(make_ndarray(proto), np.zeros(5, np.int32))
    proto.int_val.extend(range(9))
    np.testing.assert_array_equal(make_ndarray(proto), [0, 1, 2, 3, 4])
    strings = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=shape_to_proto((3,)))
    assert make_ndarray(strings).tolist() == [b"", b"", b""]
    strings.string_val.append(b"hi")
    assert make_ndarray(strings).tolist() == [b"hi", b"hi", b"hi"]


def test_half_values_are_bit_patterns():
    proto = tensor_pb2.TensorProto(dtype=types_pb2.DT_HALF, tensor_shape=shape_to_proto(()),
                                   half_val=[0x3E00])
    assert make_ndarray(proto) == np.float16(1.5)
    assert list(make_tensor_proto(np.float16(1.5)).half_val) == [0x3E00]


DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8,
          np.uint16, np.bool_]


@settings(max_examples=150)
@given(st.sampled_from(DTYPES).flatmap(
    lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))))
def test_round_trip_every_dtype_and_shape(array):
    back = make_ndarray(tensor_pb2.TensorProto.FromString(make_tensor_proto(array).SerializeToString()))
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


@settings(max_examples=50)
@given(st.lists(st.binary(max_size=10) | st.text(max_size=5), max_size=6))
def test_round_trip_strings(values):
    back = make_ndarray(make_tensor_proto(np.array(values, dtype=object).reshape(-1)))
    assert back.tolist() == [v.encode() if isinstance(v, str) else v for v in values]


def _invalid(proto) -> str:
    with pytest.raises(errors.InvalidArgumentError) as info:
        make_ndarray(proto)
    return str(info.value)


def test_content_shorter_or_longer_than_the_shape_is_refused():
    proto = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=shape_to_proto((3, 2)),
                                   tensor_content=bytes(20))
    assert "20 bytes of tensor_content" in _invalid(proto) and "needs 24" in _invalid(proto)
    proto.tensor_content = bytes(28)
    _invalid(proto)


def test_bad_shapes_and_dtypes_are_refused_before_allocating():
    huge = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_shape=shape_to_proto((2**16, 2**16)),
                                  double_val=[1.0])
    assert "too large" in _invalid(huge)  # 2**32 elements: refused, not allocated
    zero_times_huge = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT,
                                             tensor_shape=shape_to_proto((0, 2**62, 2**62)))
    _invalid(zero_times_huge)
    for shape in [(-2,), (None, 3), None]:
        _invalid(tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=shape_to_proto(shape)))
    for enum in [0, 8, 20, 101, 777]:
        _invalid(tensor_pb2.TensorProto(dtype=enum, tensor_shape=shape_to_proto(())))
    _invalid(tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=shape_to_proto((2,)),
                                    tensor_content=bytes(16)))


def test_shapes_round_trip():
    assert shape_to_proto((None, 3)).dim[0].size == -1
    for shape in [(), (0,), (None, 3), (2, None, 4), None]:
        assert shape_from_proto(shape_to_proto(shape)) == shape
    assert shape_to_proto(None).unknown_rank

    class FakeTensorShape:
        def as_tuple(self):
            return (None, 7)

    assert shape_from_proto(shape_to_proto(FakeTensorShape())) == (None, 7)


def test_limit_is_the_documented_one():
    assert tensor_proto.MAX_ELEMENTS == 2**31
