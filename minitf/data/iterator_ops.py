"""Iterators in graph mode: the ops ``IteratorV2``, ``MakeIterator``, ``OneShotIterator``, ``IteratorGetNext``.

They carry TensorFlow's op types and attrs.  The graph holds only the iterator:
``IteratorV2`` names one, ``MakeIterator`` (its ``initializer``) starts a fresh
pipeline over a dataset, ``IteratorGetNext`` pulls the next element.  Like
variable values, a running pipeline lives in the Session (``runtime.iterators``),
so two Sessions on one graph iterate independently, and running the initializer
again starts over.  An iterator's resource handle is the key of its pipeline
there (its ``shared_name``, else its op name); ``IteratorToStringHandle`` and
``IteratorFromStringHandleV2`` turn it into a string and back, which is all a
*feedable* iterator (``Iterator.from_string_handle``) needs.

On a GPU device the four ops run on the host, as TF keeps them in host memory;
the elements are copied to the GPU where a GPU op reads them.

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

from ..framework import dtypes, errors
from ..framework.registry import register_op
from ..framework.tensor_shape import TensorShape, as_shape
from ..ops.array_ops import node_suffix
from .pipeline import Pipeline

_NOT_INITIALIZED = ("GetNext() failed because the iterator has not been initialized. Ensure that you have "
                    "run the initializer operation for this iterator before getting the next element.")


def _key(op) -> str:
    """The name an iterator's pipeline is kept under in the Session: its shared_name, else its op name."""
    return op._attrs.get("shared_name") or op.name


def _handle_kernel(op, runtime):
    handle = np.array(_key(op), dtype=object)      # a resource handle's value: the pipeline's key
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
            differentiable=False, num_inputs=0, host_outputs=True)


# --- MakeIterator: (re)start the iterator over a dataset -----------------------------------------
def _make_iterator_kernel(op, runtime):
    def make_iterator(handle, *captured):
        _start(op, runtime, handle.item(), captured)
    return make_iterator


register_op("MakeIterator", lambda ctx: [], kernel=_make_iterator_kernel, stateful=True, differentiable=False,
            host_outputs=True)


# --- OneShotIterator: starts itself the first time it runs in a Session --------------------------
def _one_shot_kernel(op, runtime):
    key = _key(op)
    handle = np.array(key, dtype=object)

    def one_shot_iterator(*captured):
        if key not in runtime.iterators:
            _start(op, runtime, key, captured)
        return handle
    return one_shot_iterator


register_op("OneShotIterator", lambda ctx: (TensorShape([]), dtypes.resource), kernel=_one_shot_kernel,
            attrs=("output_types", "output_shapes", "container", "shared_name"), stateful=True,
            differentiable=False, host_outputs=True)


# --- IteratorGetNext: the next element -----------------------------------------------------------
def _get_next_infer(ctx):
    return [(as_shape(s), t) for t, s in zip(ctx.attr("output_types"), ctx.attr("output_shapes"))]


def _get_next_kernel(op, runtime):
    types = list(op.get_attr("output_types"))
    np_types = [t.np_dtype for t in types]

    def get_next(handle):
        pipeline = runtime.iterators.get(handle.item())
        if pipeline is None:
            raise errors.FailedPreconditionError(None, op, _NOT_INITIALIZED + node_suffix(op))
        if pipeline.types != types:                  # a feedable iterator fed another iterator's handle
            raise errors.InvalidArgumentError(None, op, _type_mismatch(types, pipeline.types) + node_suffix(op))
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
            attrs=("output_types", "output_shapes"), stateful=True, differentiable=False, num_inputs=1,
            host_outputs=True)


def _type_mismatch(expected, got) -> str:
    if len(expected) != len(got):
        return f"Number of components does not match: expected {len(expected)} types but got {len(got)}."
    i = next(i for i, (a, b) in enumerate(zip(expected, got)) if a != b)
    return f"Data type mismatch at component {i}: expected {expected[i].name} but got {got[i].name}."


# --- feedable iterators: a handle as a string, and back -----------------------------------------
register_op("IteratorToStringHandle", lambda ctx: (TensorShape([]), dtypes.string),
            kernel=lambda op, runtime: (lambda handle: np.array(handle.item().encode(), dtype=object)),
            stateful=True, differentiable=False, num_inputs=1, host_outputs=True)


def _from_string_kernel(op, runtime):
    def iterator_from_string_handle(string_handle):
        value = string_handle.item() if isinstance(string_handle, np.ndarray) else string_handle
        return np.array(value.decode() if isinstance(value, bytes) else str(value), dtype=object)
    return iterator_from_string_handle


register_op("IteratorFromStringHandleV2", lambda ctx: (TensorShape([]), dtypes.resource),
            kernel=_from_string_kernel, attrs=("output_types", "output_shapes"), stateful=True,
            differentiable=False, num_inputs=1, host_outputs=True)
