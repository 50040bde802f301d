"""Graph-mode iterators as users see them: ``tf.data.Iterator`` and the ``make_*_iterator`` functions.

They build the ops of ``iterator_ops.py``: a handle op (``IteratorV2`` or
``OneShotIterator``), an initializer (``MakeIterator``) that carries the dataset,
and one ``IteratorGetNext`` per ``get_next()`` call.  In eager mode a one-shot
iterator is a plain Python iterator (``eager_iterator.py``).
"""

from __future__ import annotations

from ..framework import context, dtypes
from ..framework.graph import get_default_graph
from ..framework.op_builder import apply_op
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape, as_shape
from . import iterator_ops  # noqa: F401  (registers the ops built here)
from . import structure as S
from .eager_iterator import EagerIterator


class Iterator:
    """A graph-mode iterator (TF 1.x's ``tf.data.Iterator``): ``get_next()``, ``initializer``."""

    def __init__(self, iterator_resource, initializer, output_types, output_shapes, output_classes=None):
        self._resource = iterator_resource          # the handle tensor (IteratorV2, OneShotIterator, ...)
        self._initializer = initializer
        self._string_handle = None
        self._structure = output_types
        self._types, self._shapes = _flat_spec(output_types, output_shapes)

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator not bound to a dataset: ``make_initializer(dataset)`` gives each dataset's initializer."""
        _check_graph_mode("tf.data.Iterator.from_structure")
        handle = _handle_op("IteratorV2", get_default_graph(), output_types, output_shapes, shared_name)
        return Iterator(handle, None, output_types, output_shapes)

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("The iterator does not have an initializer. This means it was likely created "
                             "using `tf.data.Dataset.make_one_shot_iterator()`. For an initializable "
                             "iterator, use `tf.data.Dataset.make_initializable_iterator()` instead.")
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
            raise TypeError(f"Expected output types {S.types_text(self._structure, self._types)} but got "
                            f"dataset with output types {S.types_text(dataset._structure, dataset._flat_types)}.")
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

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """A feedable iterator: it reads from whichever iterator's ``string_handle()`` is fed."""
        _check_graph_mode("tf.data.Iterator.from_string_handle")
        types, shapes = _flat_spec(output_types, output_shapes)
        handle = apply_op("IteratorFromStringHandleV2", [string_handle],
                          {"output_types": types, "output_shapes": shapes}, name="IteratorFromStringHandleV2")
        return Iterator(handle, None, output_types, output_shapes)

    def string_handle(self, name=None):
        """A string tensor naming this iterator, to feed to a ``from_string_handle`` iterator."""
        if self._string_handle is None:
            self._string_handle = apply_op("IteratorToStringHandle", [self._resource],
                                           name=name or "IteratorToStringHandle")
        return self._string_handle


def _flat_spec(output_types, output_shapes) -> tuple:
    """Flat lists of the element's dtypes and static shapes (unknown shapes when none are given)."""
    types = [dtypes.as_dtype(t) for t in S.flatten(output_types)]
    if output_shapes is None:
        return types, [TensorShape(None)] * len(types)
    return types, [as_shape(s) for s in S.flatten_up_to(output_types, output_shapes)]


def _handle_op(op_type, graph, output_types, output_shapes, shared_name=None, inputs=(), private=None):
    """The op that names an iterator (its resource handle), with TF's attrs."""
    types, shapes = _flat_spec(output_types, output_shapes)
    attrs = {"output_types": types, "output_shapes": shapes, "container": "", "shared_name": shared_name or ""}
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
    handle = _handle_op("IteratorV2", graph, dataset.output_types, dataset.output_shapes, shared_name)
    iterator = Iterator(handle, None, dataset.output_types, dataset.output_shapes)
    with graph.as_default():
        iterator._initializer = iterator.make_initializer(dataset)
    return iterator


def make_one_shot_iterator(dataset):
    """``dataset.make_one_shot_iterator()``: starts on its first run in each Session; eager: a Python iterator."""
    if context.executing_eagerly():
        return EagerIterator(dataset)
    captures = dataset._captures()
    _check_capturable(captures)
    handle = _handle_op("OneShotIterator", _graph_for(captures), dataset.output_types, dataset.output_shapes,
                        inputs=captures, private={"_dataset": dataset, "_captures": captures})
    return Iterator(handle, None, dataset.output_types, dataset.output_shapes)


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
