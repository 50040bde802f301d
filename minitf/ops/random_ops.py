"""Random tensors: ``random_normal``, ``random_uniform``, ``truncated_normal``...

A random op draws new numbers at every ``Session.run`` (unlike a numpy value
computed once).  Its generator lives in the Session, seeded from the op's
``seed``/``seed2`` attrs (see ``framework/random_seed.py``).
"""

from __future__ import annotations

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework.random_seed import get_seed
from ..framework import type_lists as L
from ..framework.registry import allowed, register_op
from ..framework.scopes import name_scope
from ..framework.tensor_shape import TensorShape, unknown_shape
from .array_ops import index_tensor
from .constant_op import convert_to_tensor
from .math_ops import add, multiply, subtract


def _shape_from_input(ctx):
    dims = ctx.const(0)
    if dims is None:
        n = ctx.shape(0)[0] if ctx.shape(0).ndims == 1 else None
        return unknown_shape(n)
    return TensorShape([int(d) for d in np.asarray(dims).reshape(-1)])


def _random_kernel(draw):
    """Kernel factory: ``draw(generator, shape, op)`` with the session's generator for this op."""
    def factory(op, runtime):
        dtype = op.get_attr("dtype").np_dtype

        def run(shape):
            rng = runtime.random_generator(op)
            return np.asarray(draw(rng, tuple(int(d) for d in shape), op), dtype=dtype)
        return run
    return factory


def _truncated(rng, shape, op):
    """Normal samples redrawn until they lie within two standard deviations."""
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return out


_RANDOM_ATTRS = ("seed", "seed2", "dtype", "T")
for _type, _draw in [("RandomStandardNormal", lambda rng, s, op: rng.standard_normal(s)),
                     ("RandomUniform", lambda rng, s, op: rng.random(s)),
                     ("TruncatedNormal", _truncated)]:
    register_op(_type, lambda ctx: (_shape_from_input(ctx), ctx.attr("dtype")),
                kernel=_random_kernel(_draw), attrs=_RANDOM_ATTRS, stateful=True, differentiable=False,
                gpu_kernel="minitf.ops.random_ops_gpu:drawn_on_host", host_inputs=(0,),
                type_constraints=allowed("shape", L.INDEX))


def _uniform_int_kernel(op, runtime):
    dtype = op.get_attr("Tout").np_dtype

    def run(shape, minval, maxval):
        rng = runtime.random_generator(op)
        return rng.integers(int(minval), int(maxval), size=tuple(int(d) for d in shape)).astype(dtype)
    return run


register_op("RandomUniformInt", lambda ctx: (_shape_from_input(ctx), ctx.attr("Tout")),
            kernel=_uniform_int_kernel, attrs=("seed", "seed2", "Tout", "T"), stateful=True,
            differentiable=False, gpu_kernel="minitf.ops.random_ops_gpu:drawn_on_host",
            host_inputs=(0, 1, 2),
            type_constraints=allowed("shape", L.INDEX) + allowed("minval", L.INDEX, 1, "Tout"))


def _random_op(op_type, shape_t, dtype, seed):
    seed1, seed2 = get_seed(seed)
    return apply_op(op_type, [shape_t], {"seed": seed1 or 0, "seed2": seed2 or 0,
                                         "dtype": dtype, "T": shape_t.dtype.base_dtype})


def _float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Invalid dtype {dtype.name}: a float type is required")
    return dtype


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution, drawn anew at every run."""
    dtype = _float_dtype(dtype)
    with name_scope(name, "random_normal") as scope:
        shape_t = index_tensor(shape, name="shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _random_op("RandomStandardNormal", shape_t, dtype, seed)
        return add(multiply(rnd, std_t, name="mul"), mean_t, name=scope)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal samples, redrawn when more than two standard deviations from the mean."""
    dtype = _float_dtype(dtype)
    with name_scope(name, "truncated_normal") as scope:
        shape_t = index_tensor(shape, name="shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        std_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = _random_op("TruncatedNormal", shape_t, dtype, seed)
        return add(multiply(rnd, std_t, name="mul"), mean_t, name=scope)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform samples in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "random_uniform") as scope:
        if dtype.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {dtype.name}")
            seed1, seed2 = get_seed(seed)
            shape_t = index_tensor(shape, name="shape")
            lo = convert_to_tensor(minval, dtype=dtype, name="min")
            hi = convert_to_tensor(maxval, dtype=dtype, name="max")
            return apply_op("RandomUniformInt", [shape_t, lo, hi],
                            {"seed": seed1 or 0, "seed2": seed2 or 0, "Tout": dtype, "T": shape_t.dtype.base_dtype},
                            name=scope)
        dtype = _float_dtype(dtype)
        shape_t = index_tensor(shape, name="shape")
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(1.0 if maxval is None else maxval, dtype=dtype, name="max")
        rnd = _random_op("RandomUniform", shape_t, dtype, seed)
        return add(multiply(rnd, subtract(hi, lo, name="sub"), name="mul"), lo, name=scope)
