"""The op registry: every op type is declared once, here is the record.

An ``OpDef`` says everything the engine needs to know about an op type:

* ``infer``   static shapes and dtypes of the outputs (graph building, plan time);
* ``kernel``  how to compute it: a factory that, given the Operation and the
              runtime state, returns a plain function of numpy arrays;
* ``gpu_kernel`` the same for the GPU device (numba.cuda), when there is one;
* ``grad``    the gradient, written with minitf ops so it works in graph mode
              (building ``gradients/...`` nodes) and in eager mode alike;
* ``attrs``   the NodeDef attrs TensorFlow requires, for serialization.

Graph mode, eager mode, autodiff, the placer and the serializers all read this
one record, so adding an op is one small ``register_op(...)`` call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from . import dtypes
from .tensor_shape import TensorShape, as_shape


@dataclass
class OpDef:
    type: str
    infer: Callable                     # (InferContext) -> (shape, dtype) or [(shape, dtype), ...]
    kernel: Optional[Callable] = None   # (op, runtime) -> fn(*arrays) -> array | tuple
    gpu_kernel: Optional[Callable] = None
    grad: Optional[Callable] = None     # (op, *output_grads) -> [input_grad | None, ...]
    attrs: Sequence[str] = ()           # TF NodeDef attr names, in the order TF lists them
    stateful: bool = False              # never folded, cached or pruned away when fetched
    aliases_input: bool = False         # output may share memory with input 0 (Identity, Reshape)
    differentiable: bool = True         # False: gradient is None (Shape, ArgMax, ...)
    ref_inputs: Sequence[int] = ()      # input positions that take a variable reference
    extra: dict = field(default_factory=dict)


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
