"""Iterators in graph mode: the ops ``IteratorV2``, ``MakeIterator``, ``OneShotIterator``, ``IteratorGetNext``.

They carry TensorFlow's op types and attrs.  The graph holds only the iterator:
``IteratorV2`` names one, ``MakeIterator`` (its ``initializer``) starts a fresh
pipeline over a dataset, ``IteratorGetNext`` pulls the next element.  Like
variable values, a running pipeline lives in the Session (``runtime.iterators``,
keyed by the iterator op's name), so two Sessions on one graph iterate
independently, and running the initializer again starts over.

The dataset itself is a Python object (``dataset_ops.py``) that the
``MakeIterator`` / ``OneShotIterator`` op keeps in its private ``_dataset`` attr;
the graph tensors it captured are that op's inputs, so a fed placeholder reaches
the pipeline when the initializer runs.  Where TensorFlow would also write the
dataset ops (``TensorSliceDataset``, ``BatchDatasetV2``, ``MapDataset`` with its
function library) into a GraphDef, minitf writes none: an exported graph keeps
the iterator nodes but not the pipeline, so it cannot be initialized after
``import_graph_def`` (minitf raises a FailedPreconditionError that says so) and
real TensorFlow will not load its ``MakeIterator`` nodes.  Export the model
without the input pipeline (feed a placeholder instead) when the file must
travel.
"""

from __future__ import annotations

import numpy as np

from ..framework import context, dtypes, errors
from ..framework.graph import get_default_graph
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops.array_ops import node_suffix
from . import structure as S
from .eager_iterator import EagerIterator
from .pipeline import Pipeline

_NOT_INITIALIZED = ("GetNext() failed because the iterator has not been initialized. Ensure that you have "
                    "run the initializer operation for this iterator before getting the next element.")


def _iterator_op_of(handle):
    """Follow a resource handle back to the op that names the iterator."""
    op = handle.op
    while op.type == "Identity":
        op = op.inputs[0].op
    return op


def _handle_kernel(op, runtime):
    handle = np.array(op.name, dtype=object)
    return lambda: handle


def _start(op, runtime, key: str, values) -> None:
    """Start a fresh pipeline over the op's dataset, with the captured tensors' values."""
    dataset = op._attrs.get("_dataset")
    if dataset is None:
        raise errors.FailedPreconditionError(None, op, (
            f"{op.type} '{op.name}' has no input pipeline: tf.data datasets are not written into GraphDefs "
            "by minitf, so an imported iterator cannot be initialized" + node_suffix(op)))
    captured = dict(zip(op._attrs["_captures"], values))
    runtime.iterators[key] = Pipeline(dataset, captured)


# --- IteratorV2: an iterator's name (Iterator.from_structure, make_initializable_iterator) ------
register_op("IteratorV2", lambda ctx: (TensorShape([]), dtypes.resource), kernel=_handle_kernel,
            attrs=("shared_name", "container", "output_types", "output_shapes"), stateful=True,
            differentiable=False, num_inputs=0)


# --- MakeIterator: (re)start the iterator over a dataset -----------------------------------------
def _make_iterator_kernel(op, runtime):
    key = _iterator_op_of(op.inputs[0]).name

    def make_iterator(handle_unused, *captured):
        _start(op, runtime, key, captured)
    return make_iterator


register_op("MakeIterator", lambda ctx: [], kernel=_make_iterator_kernel, stateful=True, differentiable=False)


# --- OneShotIterator: starts itself the first time it runs in a Session --------------------------
def _one_shot_kernel(op, runtime):
    handle = np.array(op.name, dtype=object)

    def one_shot_iterator(*captured):
        if op.name not in runtime.iterators:
            _start(op, runtime, op.name, captured)
        return handle
    return one_shot_iterator


register_op("OneShotIterator", lambda ctx: (TensorShape([]), dtypes.resource), kernel=_one_shot_kernel,
            attrs=("output_types", "output_shapes", "container", "shared_name"), stateful=True,
            differentiable=False)


# --- IteratorGetNext: the next element -----------------------------------------------------------
def _get_next_infer(ctx):
    return [(as_shape(s), t) for t, s in zip(ctx.attr("output_types"), ctx.attr("output_shapes"))]


def _get_next_kernel(op, runtime):
    key = _iterator_op_of(op.inputs[0]).name
    np_types = [t.np_dtype for t in op.get_attr("output_types")]

    def get_next(handle_unused):
        pipeline = runtime.iterators.get(key)
        if pipeline is None:
            raise errors.FailedPreconditionError(None, op, _NOT_INITIALIZED + node_suffix(op))
        try:
            element = pipeline.next()
        except StopIteration:
            raise errors.OutOfRangeError(None, op, "End of sequence" + node_suffix(op)) from None
        except errors.OpError as e:         # raised inside the pipeline: name the op that asked
            raise type(e)(None, op, e.message + node_suffix(op)) from None
        values = tuple(np.asarray(v, dtype=t) for v, t in zip(element, np_types))
        return values if len(values) > 1 else values[0]
    return get_next


register_op("IteratorGetNext", _get_next_infer, kernel=_get_next_kernel,
            attrs=("output_types", "output_shapes"), stateful=True, differentiable=False, num_inputs=1)


# --- the Python side ---------------------------------------------------------------------------
class Iterator:
    """A graph-mode iterator (TF 1.x's ``tf.data.Iterator``): ``get_next()``, ``initializer``."""

    def __init__(self, iterator_resource, initializer, output_types, output_shapes, output_classes=None):
        self._resource = iterator_resource
        self._initializer = initializer
        self._structure = output_types
        self._types = [dtypes.as_dtype(t) for t in S.flatten(output_types)]
        self._shapes = [as_shape(s) for s in S.flatten(output_shapes)] if S.is_structure(output_types) \
            else [as_shape(output_shapes)]

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator not bound to a dataset: ``make_initializer(dataset)`` gives each dataset's initializer."""
        _check_graph_mode("tf.data.Iterator.from_structure")
        flat_types = [dtypes.as_dtype(t) for t in S.flatten(output_types)]
        if output_shapes is None:
            output_shapes = S.pack(output_types, [TensorShape(None)] * len(flat_types))
        if S.is_structure(output_types) and not S.same_structure(output_types, output_shapes):
            raise TypeError("The two structures don't have the same nested structure.")
        iterator = Iterator(None, None, output_types, output_shapes)
        iterator._resource = _iterator_handle(get_default_graph(), "IteratorV2", iterator, shared_name)
        return iterator

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    @property
    def output_types(self):
        return S.pack(self._structure, self._types)

    @property
    def output_shapes(self):
        return S.pack(self._structure, self._shapes)

    @property
    def output_classes(self):
        return S.pack(self._structure, [Tensor] * len(self._types))

    def make_initializer(self, dataset, name=None):
        """An op that starts this iterator over ``dataset`` (its types must match)."""
        if dataset._flat_types != self._types or not S.same_structure(dataset._structure, self._structure):
            raise TypeError(f"Expected output types {self.output_types!r} but got dataset with output types "
                            f"{dataset.output_types!r}.")
        if not all(a.is_compatible_with(b) for a, b in zip(dataset._flat_shapes, self._shapes)):
            raise TypeError(f"Expected output shapes compatible with {self.output_shapes!r} but got dataset "
                            f"with output shapes {dataset.output_shapes!r}.")
        captures = dataset._captures()
        return apply_op("MakeIterator", [self._resource] + captures,
                        {"_dataset": dataset, "_captures": captures}, name=name or "MakeIterator")

    def get_next(self, name=None):
        """The next element's tensors, nested like the dataset's elements (a new op per call, as in TF)."""
        outputs = apply_op("IteratorGetNext", [self._resource],
                           {"output_types": list(self._types), "output_shapes": list(self._shapes)},
                           name=name or "IteratorGetNext")
        outputs = outputs if isinstance(outputs, list) else [outputs]
        return S.pack(self._structure, outputs)

    def string_handle(self, name=None):
        raise NotImplementedError("minitf does not support feedable iterators (string_handle); use "
                                  "Iterator.from_structure with one initializer per dataset instead.")


def _iterator_handle(graph, op_type, iterator, shared_name, inputs=(), private=None):
    attrs = {"output_types": list(iterator._types), "output_shapes": list(iterator._shapes),
             "container": "", "shared_name": shared_name or ""}
    attrs.update(private or {})
    with graph.as_default():
        return apply_op(op_type, list(inputs), attrs, name=op_type)


def _check_graph_mode(what: str) -> None:
    if context.executing_eagerly():
        raise RuntimeError(f"{what} is not supported when eager execution is enabled. Use `for element in "
                           "dataset` (or tf.contrib.eager.Iterator) instead.")


def _graph_for(captures):
    return captures[0].graph if captures else get_default_graph()


def make_initializable_iterator(dataset, shared_name=None) -> Iterator:
    """``dataset.make_initializable_iterator()``: run ``iterator.initializer`` (with feeds) first."""
    _check_graph_mode("dataset.make_initializable_iterator")
    captures = dataset._captures()
    graph = _graph_for(captures)
    iterator = Iterator(None, None, dataset.output_types, dataset.output_shapes)
    iterator._resource = _iterator_handle(graph, "IteratorV2", iterator, shared_name)
    with graph.as_default():
        iterator._initializer = iterator.make_initializer(dataset)
    return iterator


def make_one_shot_iterator(dataset):
    """``dataset.make_one_shot_iterator()``: starts on its first run in each Session; eager: a Python iterator."""
    if context.executing_eagerly():
        return EagerIterator(dataset)
    captures = dataset._captures()
    _check_capturable(captures)
    iterator = Iterator(None, None, dataset.output_types, dataset.output_shapes)
    iterator._resource = _iterator_handle(_graph_for(captures), "OneShotIterator", iterator, None, captures,
                                          {"_dataset": dataset, "_captures": captures})
    return iterator


def _check_capturable(captures) -> None:
    """TF's rule: a one-shot iterator's dataset is fixed, so it cannot read placeholders or variables."""
    stack, seen = [t.op for t in captures], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type == "Placeholder":
            raise ValueError(f"Cannot capture a placeholder (name:{op.name}, type:{op.type}) by value.")
        if op.type in ("VariableV2", "VarHandleOp"):
            raise ValueError("Failed to create a one-shot iterator for a dataset. "
                             "`Dataset.make_one_shot_iterator()` does not support datasets that capture "
                             "stateful objects, such as a `Variable` or `LookupTable`. In these cases, use "
                             "`Dataset.make_initializable_iterator()`. (Original error: Cannot capture a "
                             f"stateful node (name:{op.name}, type:{op.type}) by value.)")
        stack.extend(t.op for t in op.inputs)
