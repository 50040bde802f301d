"""The Python functions given to ``map`` and ``filter``, and how minitf runs them.

TensorFlow traces such a function once into a graph function and runs that
inside its C++ pipeline.  minitf does the same thing with its own parts:

* graph mode: the function is traced once, when ``map`` is called, into a
  private ``Graph`` whose inputs are placeholders shaped like the element.
  That gives the output's static dtypes and shapes (as TF infers them), and
  catches mistakes in the function at ``map`` time.  Each running pipeline
  then evaluates that graph with its own private ``Session`` (through
  ``make_callable``), one run per element (so a random op in the function restarts its sequence
  when the iterator is initialized again).
* eager mode: the function is simply called on ``EagerTensor`` arguments for
  each element.  The output's dtypes and shapes are those of the first
  element's result (eager mode cannot trace without running).

A function that reads tensors of the *user's* graph (not its arguments) is not
supported: minitf says so when it traces it.
"""

from __future__ import annotations

import numpy as np

from ..client.session import Session
from ..eager.eager_tensor import EagerTensor
from ..framework import context, dtypes
from ..framework.graph import Graph
from ..framework.tensor_shape import TensorShape
from ..ops.array_ops import placeholder
from ..ops.constant_op import convert_to_tensor
from . import structure as S


def call_with_element(fn, structure, flat):
    """``fn`` applied as TF applies it: a tuple element is spread over positional arguments."""
    element = S.pack(structure, flat)
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(*element)
    return fn(element)


def normalize_output(out):
    """A function's result as an element structure (a top-level list counts as a tuple, as in TF 1.x)."""
    if isinstance(out, list):
        out = tuple(out)
    return out


def eager_args(flat) -> list:
    """An element's arrays as EagerTensors (the arguments of a function in eager mode)."""
    arrays = [np.asarray(a) for a in flat]
    return [EagerTensor(a, dtypes.as_dtype(a.dtype)) for a in arrays]


class TracedFunction:
    """A ``map``/``filter`` function traced into a private graph (graph mode)."""

    def __init__(self, fn, structure, in_types, in_shapes, what: str):
        self.graph = Graph()
        with self.graph.as_default():
            self.args = [placeholder(t, s, name=f"arg{i}") for i, (t, s) in enumerate(zip(in_types, in_shapes))]
            try:
                out = normalize_output(call_with_element(fn, structure, self.args))
                self.structure = out
                self.outputs = [convert_to_tensor(x) for x in S.flatten(out)]
            except ValueError as e:
                if "must be from the same graph" not in str(e):
                    raise
                raise ValueError(f"The function given to {what}() uses a tensor of the default graph; "
                                 "minitf runs it in a graph of its own, so it can only compute from its "
                                 "arguments and Python/numpy values.") from None
        self.types = [t.dtype.base_dtype for t in self.outputs]
        self.shapes = [t.shape for t in self.outputs]

    def runner(self):
        """A runner with a private Session, for one pipeline (its random ops start from their seeds)."""
        return Session(graph=self.graph).make_callable(self.outputs, feed_list=self.args)

    def __call__(self, runner, flat) -> list:
        return [np.asarray(v) for v in runner(*flat)]


class EagerFunction:
    """A ``map``/``filter`` function called directly on EagerTensors (eager mode)."""

    def __init__(self, fn, structure):
        self.fn, self.in_structure = fn, structure
        self.structure = None

    def runner(self):
        return None

    def __call__(self, runner_unused, flat) -> list:
        out = normalize_output(call_with_element(self.fn, self.in_structure, eager_args(flat)))
        if self.structure is None:
            self.structure = out
        return [np.asarray(convert_to_tensor(x).numpy()) for x in S.flatten(out)]

    def spec_from(self, flat):
        """(structure, dtypes, shapes) of the result for one input element."""
        values = self(None, flat)
        return self.structure, [dtypes.as_dtype(v.dtype) for v in values], [TensorShape(v.shape) for v in values]


def make_function(fn, structure, in_types, in_shapes, what: str):
    if not callable(fn):
        raise TypeError(f"`{what}_func` must be callable, got {fn!r}.")
    if context.executing_eagerly():
        return EagerFunction(fn, structure)
    return TracedFunction(fn, structure, in_types, in_shapes, what)
