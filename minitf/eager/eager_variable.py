"""``tf.Variable`` in eager mode: a named value you can read and assign, right now.

A graph variable is four nodes whose value lives in a Session.  An eager
variable's value lives in the eager runtime (``runtime.variables[key]``), the
same dictionary shape a Session has, so the registry's stateful kernels
(``Assign``, ``AssignAdd``, ``ApplyAdam``...) update it unchanged: they find
the storage through ``variable_op_of(ref)``, which here reaches a small
``VariableV2``-like handle instead of a graph node.

Reading a variable gives an EagerTensor and tells the recording tapes, which
is how ``GradientTape`` differentiates with respect to variables.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np

from ..client import memory
from ..framework.graph import GraphKeys, get_default_graph
from ..framework.tensor_shape import TensorShape
from ..kernels import devices
from ..ops import state_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.state_ops import VARIABLE_OP
from ..ops.variables import Variable
from . import device_scope, placement, tape
from .eager_tensor import EagerTensor, _numpy_text
from .runtime import runtime

_uids = itertools.count()


class _HandleOp:
    """What ``variable_op_of`` finds for an eager variable: its storage key, dtype and shape."""

    type = VARIABLE_OP.type
    inputs: list = []

    def __init__(self, key: str, dtype, shape: TensorShape):
        self.name = key
        self._attrs = {"dtype": dtype, "shape": shape, "container": "", "shared_name": key}

    def get_attr(self, name: str):
        return self._attrs[name]


class _VariableRef:
    """A variable passed by reference to an update op (``Assign``'s first input)."""

    __slots__ = ("op", "dtype", "shape", "device")
    _is_eager_tensor = True     # convert_to_tensor passes it through, as it does tensors

    def __init__(self, handle: _HandleOp, dtype, shape, device):
        self.op = handle
        self.dtype = dtype._as_ref
        self.shape = shape
        self.device = device

    def numpy(self):
        """The variable's current value (what ``constant_value`` reads of any eager tensor)."""
        return devices.to_host(runtime.variables[self.op.name])


class EagerVariable(Variable):
    """A variable of an eager program (what ``tf.Variable(...)`` builds after enable_eager_execution)."""

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)
        self._name = name or "Variable"
        self._dtype = value.dtype.base_dtype
        self._shape = value.shape
        self._trainable = trainable
        self._constraint = constraint
        self._device = device_scope.current() or value.device
        if memory.host_dtype(self._dtype):
            self._device = devices.CPU                  # int32 lives on the host (TF's rule)
        key = f"{self._name}_{next(_uids)}"            # unique: eager names need not be
        self._handle = _HandleOp(key, self._dtype, self._shape)
        self._ref = _VariableRef(self._handle, self._dtype, self._shape, self._device)
        stored = devices.copy_to(value._value, self._device)
        runtime.variables[key] = np.array(stored) if devices.on_host(stored) else stored
        weakref.finalize(self, runtime.variables.pop, key, None)   # free the storage with us
        if collections and GraphKeys.GLOBAL_STEP in collections:
            get_default_graph().add_to_collection(GraphKeys.GLOBAL_STEP, self)   # as TF eager does
        if self._device != devices.CPU:
            placement.note_gpu_in_use()

    # --- identity ------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name + ":0"

    @property
    def op(self):
        return self._handle

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def device(self) -> str:
        return self._device

    @property
    def graph(self):
        raise AttributeError("Variable.graph is meaningless when eager execution is enabled.")

    @property
    def initializer(self):
        return None                      # eager variables are initialized when created

    @property
    def initial_value(self):
        raise RuntimeError("initial_value not supported in EAGER mode.")

    # --- reading -----------------------------------------------------------------
    def value(self) -> EagerTensor:
        """The current value as an EagerTensor (watched by recording tapes)."""
        stored = runtime.variables[self._handle.name]
        if type(stored) is not np.ndarray and devices.on_host(stored):
            stored = runtime.variables[self._handle.name] = np.asarray(stored)  # a numpy scalar
        if self._device != devices.CPU and devices.on_host(stored):
            stored = runtime.variables[self._handle.name] = devices.to_device(stored)
        t = EagerTensor(stored, self._dtype, self._device)
        if tape.recording:
            tape.variable_accessed(self, t)
        return t

    read_value = value
    initialized_value = value

    def numpy(self):
        return self.value().numpy()

    def __array__(self, dtype=None, copy=None):
        return self.value().__array__(dtype)

    # No __bool__: a variable is always true, as in graph mode (``get_global_step() or ...``).

    def __float__(self) -> float:
        return float(self.numpy())

    def __int__(self) -> int:
        return int(self.numpy())

    @property
    def _snapshot(self):                 # what convert_to_tensor(variable) returns
        return self.value()

    @property
    def _variable(self):                 # what convert_to_tensor(variable, as_ref=True) returns
        return self._ref

    def __getitem__(self, item):
        return self.value()[item]

    def eval(self, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, "
                                  "is .numpy() what you're looking for?")

    # --- updates: the registry's Assign kernels, run eagerly -----------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        state_ops.assign(self, value, use_locking=use_locking, name=name)
        return self if read_value else None

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        state_ops.assign_add(self, delta, use_locking=use_locking, name=name)
        return self if read_value else None

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        state_ops.assign_sub(self, delta, use_locking=use_locking, name=name)
        return self if read_value else None

    def load(self, value, session=None):
        self.assign(value)

    # --- printing ------------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}, "
                f"numpy={_numpy_text(self.value(), is_repr=True)}>")

    def __str__(self) -> str:
        return repr(self)
