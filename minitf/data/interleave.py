"""Datasets of datasets: ``flat_map`` and ``interleave``.

The function gets an element and returns a *dataset* (say, the lines of the
file it names).  In graph mode it is traced once into a private graph, like a
``map`` function; for each element the private Session computes the tensors
the returned dataset captured (its arguments, or values made from them), and a
small pipeline walks it.  In eager mode the function runs on EagerTensors and
its dataset is walked directly.
"""

from __future__ import annotations

from ..client.session import Session
from ..framework import context, errors
from ..framework.graph import Graph
from ..ops.array_ops import placeholder
from .dataset_ops import Dataset, UnaryDataset, int_param
from .functions import call_with_element, eager_args
from .pipeline import Pipeline


class _DatasetFunction:
    """``fn(element) -> Dataset``, traced once (graph mode) or called per element (eager mode)."""

    def __init__(self, fn, structure, types, shapes, what: str):
        if not callable(fn):
            raise TypeError(f"`map_func` given to {what}() must be callable, got {fn!r}.")
        self.fn, self.structure, self.what = fn, structure, what
        self.dataset, self.captures = None, []
        if context.executing_eagerly():
            return
        self.graph = Graph()
        with self.graph.as_default():
            self.args = [placeholder(t, s, name=f"arg{i}") for i, (t, s) in enumerate(zip(types, shapes))]
            self.dataset = self._checked(call_with_element(fn, structure, self.args))
        self.captures = self.dataset._captures()

    def _checked(self, result):
        if not isinstance(result, Dataset):
            raise TypeError(f"`map_func` given to {self.what}() must return a `Dataset` object, got "
                            f"{type(result).__name__}.")
        return result

    def runner(self):
        """What computes the captured values for one element (a private Session), if anything must."""
        if not self.captures:
            return None
        return Session(graph=self.graph).make_callable(self.captures, feed_list=self.args)

    def pipeline_for(self, runner, element) -> Pipeline:
        """A pipeline over the dataset the function returns for ``element``."""
        if self.dataset is None:                                   # eager mode: call it now
            return Pipeline(self._checked(call_with_element(self.fn, self.structure, eager_args(element))), {})
        values = runner(*element) if runner is not None else []
        return Pipeline(self.dataset, dict(zip(self.captures, values)))


def _elements(pipeline):
    while True:
        try:
            yield pipeline.next()
        except StopIteration:
            return


class FlatMapDataset(UnaryDataset):
    """``flat_map``: the elements of ``map_func(x)`` for each x, one dataset after another."""

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._fn = _DatasetFunction(map_func, *input_dataset._spec(), "flat_map")

    def _compute_spec(self):
        return _result_spec(self._fn, self._input)

    def _stream(self, pipeline):
        runner = pipeline.state(self, self._fn.runner)
        for element in self._input._stream(pipeline):
            yield from _elements(self._fn.pipeline_for(runner, element))


class InterleaveDataset(UnaryDataset):
    """``interleave``: ``cycle_length`` of the returned datasets at once, ``block_length`` elements each in turn.

    The order is TF's: when one dataset ends, the turn passes on, and its slot is
    refilled from the next input element when the turn comes back to it.
    """

    def __init__(self, input_dataset, map_func, cycle_length, block_length=1):
        super().__init__(input_dataset)
        self._fn = _DatasetFunction(map_func, *input_dataset._spec(), "interleave")
        self._cycle_length, self._block_length = int_param(cycle_length), int_param(block_length)

    def _params(self) -> list:
        return [self._cycle_length, self._block_length]

    def _compute_spec(self):
        return _result_spec(self._fn, self._input)

    def _stream(self, pipeline):
        cycle, block_length = int(pipeline.value(self._cycle_length)), int(pipeline.value(self._block_length))
        if cycle <= 0 or block_length <= 0:
            raise errors.InvalidArgumentError(None, None, "cycle_length and block_length must be greater "
                                                          "than zero.")
        runner = pipeline.state(self, self._fn.runner)
        source = self._input._stream(pipeline)
        slots, index, block, source_done = [None] * cycle, 0, 0, False
        while True:
            if slots[index] is not None:
                element = next(slots[index], None)
                if element is None:                      # this dataset is done: the turn passes on
                    slots[index], index, block = None, (index + 1) % cycle, 0
                    continue
                yield element
                block += 1
                if block == block_length:
                    index, block = (index + 1) % cycle, 0
            elif not source_done:
                element = next(source, None)
                if element is None:
                    source_done = True
                else:
                    slots[index] = _elements(self._fn.pipeline_for(runner, element))
            elif all(s is None for s in slots):
                return
            else:
                index, block = (index + 1) % cycle, 0


def _result_spec(fn, input_dataset):
    """The returned datasets' element spec (eager mode: that of the first element's result)."""
    if fn.dataset is not None:
        return fn.dataset._spec()
    first = next(_elements(Pipeline(input_dataset, {})), None)
    if first is None:
        raise ValueError("minitf cannot tell the element types of an empty dataset's flat_map/interleave "
                         "in eager mode.")
    return fn.pipeline_for(None, first).dataset._spec()
