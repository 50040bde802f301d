"""A running pipeline: what one iterator holds while it walks a dataset.

A ``Dataset`` is only a description (a Python object, never graph nodes).  When
an iterator is initialized, in a Session or eagerly, it starts a ``Pipeline``:
the values of the graph tensors the dataset captured (placeholders fed to the
initializer, constants), and the state its stages keep between epochs (a
shuffle's random generator, the private Session that runs a ``map`` function).
Running the initializer again starts a fresh Pipeline, so the data restarts.
"""

from __future__ import annotations

import threading

from .structure import is_graph_tensor


class Pipeline:
    """The captured values and per-stage state of one iterator's walk through a dataset."""

    def __init__(self, dataset, values: dict):
        self.dataset = dataset
        self.values = values              # captured graph Tensor -> numpy value
        self.types = list(dataset._flat_types)
        self._state: dict = {}            # stage -> whatever it keeps across epochs
        self._stream = dataset._stream(self)
        self.lock = threading.Lock()      # Session.run may pull from several threads

    def value(self, param):
        """A stage's parameter: its captured value when it is a graph tensor."""
        return self.values[param] if is_graph_tensor(param) else param

    def state(self, stage, make):
        """The state ``stage`` keeps for this pipeline, made by ``make()`` on first use."""
        key = id(stage)
        if key not in self._state:
            self._state[key] = (stage, make())    # the stage is kept so its id stays unique
        return self._state[key][1]

    def next(self):
        """The next element as a flat list of arrays; StopIteration at the end."""
        with self.lock:
            return next(self._stream)
