"""The op registry: every op type is declared once, here is the record.

An ``OpDef`` says everything the engine needs to know about an op type:

* ``infer``   static shapes and dtypes of the outputs (graph building, plan time);
* ``kernel``  how to compute it: a factory that, given the Operation and the
              runtime state, returns a plain function of numpy arrays;
* ``gpu_kernel`` the same for the GPU device (numba.cuda), when there is one;
* ``grad``    the gradient, written with minitf ops so it works in graph mode
              (building ``gradients/...`` nodes) and in eager mode alike;
* ``attrs``   the NodeDef attrs TensorFlow requires, for serialization;
* ``type_constraints`` the dtypes an input may have (TF's ``T: {float, double}``);
* where a GPU-placed op keeps each tensor (host or device memory), and what
  the planner may skip or compute early (aliases, constants, shape-only ops);
* what an imported NodeDef of this type must carry (its input count, attrs).

Graph mode, eager mode, autodiff, the placer and the serializers all read this
one record, so adding an op is one small ``register_op(...)`` call.  The record
is frozen: nothing patches it later, so what you read here is what runs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, Union

import numpy as np

from . import dtypes
from .tensor_shape import TensorShape, as_shape


@dataclass(frozen=True)
class TypeConstraint:
    """TF's ``attr("T: {...}")``: the dtypes the input that sets a type attr may have.

    TF checks it when the op is built and names the input by its OpDef argument
    name; ``allowed`` is TF's list in TF's order, dtypes minitf lacks included,
    because TF's message prints the whole list (see framework/type_lists.py).
    """
    input: int                          # position of the first input carrying the attr (-1: last)
    param: str                          # TF's name for that input ('x', 'input', 'logits', ...)
    allowed: tuple[str, ...]            # TF's dtype names, in TF's order
    attr: str = "T"                     # the type attr it sets (eager mode's message names it)


def allowed(param: str, types: Sequence[str], input: int = 0, attr: str = "T") -> tuple[TypeConstraint, ...]:
    """``type_constraints=allowed("x", FLOAT_TYPES)``; add tuples for several inputs."""
    return (TypeConstraint(input, param, tuple(types), attr),)


@dataclass(frozen=True)
class OpDef:
    type: str
    infer: Callable                     # (InferContext) -> (shape, dtype) or [(shape, dtype), ...]
    kernel: Optional[Callable] = None   # (op, runtime) -> fn(*arrays) -> array | tuple
    # The GPU kernel factory, or "module:name" naming it: imported on first use, so that
    # ``import minitf`` never imports numba.cuda (the *_gpu.py files hold these factories).
    gpu_kernel: Union[Callable, str, None] = None
    grad: Optional[Callable] = None     # (op, *output_grads) -> [input_grad | None, ...]
    attrs: Sequence[str] = ()           # TF NodeDef attr names, in the order TF lists them
    type_constraints: Sequence[TypeConstraint] = ()   # checked when built (op_builder.py)
    # (in_shapes, attrs) -> str | None: TF's kernel's own words for shapes that disagree when they
    # are known only at run time (MatMul: "Matrix size-incompatible"); the Session's plan and
    # eager mode say it instead of the shape function's build-time words (None: keep those).
    run_time_shape_error: Optional[Callable] = None
    # What an imported NodeDef must have (io/graph_io.py checks them as TF does):
    num_inputs: Optional[int] = None    # its fixed number of data inputs (None: not checked)
    required_attrs: Sequence[str] = ()  # attrs it must carry (no default for them)
    stateful: bool = False              # never folded, cached or pruned away when fetched
    aliases_input: bool = False         # output may share memory with input 0 (Identity, Reshape)
    differentiable: bool = True         # False: gradient is None (Shape, ArgMax, ...)
    ref_inputs: Sequence[int] = ()      # input positions that take a variable reference
    ref_read_only: bool = False         # it only looks at its refs (IsVariableInitialized): writes none
    # Memory of a GPU-placed op (TF's "HostMemory", see client/memory.py):
    host_inputs: Sequence[int] = ()     # parameters read on the host: shapes, axes, a fill value
    device_inputs: Sequence[int] = ()   # int data its GPU kernel reads in device memory (labels)
    shape_only_inputs: Sequence[int] = ()   # only their shape is read: never copied
    host_outputs: bool = False          # bookkeeping answers (Shape, Size, ...) stay on the host
    # What the planner may skip or compute once (see client/plan.py):
    forwards_input: Optional[Callable] = None   # (in_shapes, in_consts, out_shapes) -> bool: the
    #                                             output is input 0 unchanged, no kernel call
    constant: bool = False              # its value is the attr "value", known when it is built
    shape_function_of_input: bool = False   # output depends on input 0's shape only (Shape, Size)
    variable: bool = False              # a variable's storage (VariableV2)
    # An input becomes session state (Assign: the value is the variable's new value), so the
    # planner never writes that input into a buffer it reuses (client/buffers.py).
    stores_input: bool = False

    def __post_init__(self):
        if isinstance(self.gpu_kernel, str):
            object.__setattr__(self, "gpu_kernel", LazyFactory(self.gpu_kernel))


class LazyFactory:
    """A kernel factory named "package.module:name", imported the first time it is called."""

    __slots__ = ("path", "_factory")

    def __init__(self, path: str):
        self.path = path
        self._factory = None

    def __call__(self, op, runtime):
        if self._factory is None:
            module, _, name = self.path.partition(":")
            self._factory = getattr(importlib.import_module(module), name)
        return self._factory(op, runtime)

    def __repr__(self) -> str:
        return f"LazyFactory({self.path!r})"


def shape_stand_in(dims) -> np.ndarray:
    """An array of shape ``dims`` that holds no memory: input for ops that read only a shape."""
    return np.lib.stride_tricks.as_strided(np.zeros(1, np.int8), shape=tuple(int(d) for d in dims),
                                           strides=(0,) * len(dims))


# Facts for ``forwards_input``: when an op's output is its input, unchanged.
def always(in_shapes, in_consts, out_shapes) -> bool:
    """Identity-like ops: the output is always the input."""
    return True


def when_shape_unchanged(in_shapes, in_consts, out_shapes) -> bool:
    """Reshape-like ops: the output is the input when the shape does not change."""
    a, b = in_shapes[0], out_shapes[0]
    return a.is_fully_defined() and b.is_fully_defined() and a == b


def when_no_axes(in_shapes, in_consts, out_shapes) -> bool:
    """Reductions: reducing over no axes at all returns the input."""
    return in_consts[1] is not None and np.size(in_consts[1]) == 0


_REGISTRY: dict[str, OpDef] = {}


def register_op(op_type: str, infer: Callable, **fields) -> OpDef:
    """Declare an op type.  Re-registering a name is an error (one definition per op)."""
    if op_type in _REGISTRY:
        raise KeyError(f"Op type '{op_type}' is already registered")
    op_def = OpDef(op_type, infer, **fields)
    _REGISTRY[op_type] = op_def
    return op_def


def get_op_def(op_type: str) -> OpDef:
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"Op type not registered '{op_type}'") from None


def has_op(op_type: str) -> bool:
    return op_type in _REGISTRY


def registered_ops() -> list[str]:
    return sorted(_REGISTRY)


class InferContext:
    """What a shape function may look at: input shapes/dtypes, attrs, constant inputs.

    The same functions run when the graph is built (static shapes, maybe with
    ``None``) and when a Session plans a run with the fed shapes known.
    """

    __slots__ = ("shapes", "dtypes", "attrs", "_consts", "op_type", "name")

    def __init__(self, op_type: str, name: str, shapes, dtypes_, attrs: dict, consts=None):
        self.op_type = op_type
        self.name = name
        self.shapes = [as_shape(s) for s in shapes]
        self.dtypes = list(dtypes_)
        self.attrs = attrs
        self._consts = consts or [None] * len(self.shapes)

    def shape(self, i: int) -> TensorShape:
        return self.shapes[i]

    def dtype(self, i: int) -> dtypes.DType:
        return self.dtypes[i].base_dtype

    def const(self, i: int):
        """The numpy value of input ``i`` when it is known before running, else None."""
        return self._consts[i]

    def attr(self, name: str, default=None):
        return self.attrs.get(name, default)


def normalize_infer_result(result) -> list:
    """Accept ``(shape, dtype)`` for one output or a list of them."""
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dtypes.DType):
        return [result]
    return list(result)
