"""Graph-only API, refusing eager mode with TensorFlow's words.

``tf.gradients`` differentiates a graph, and an eager program has none: TF
points the user to ``tf.GradientTape`` instead.  (``tf.placeholder`` is refused
by the eager executor itself, and ``tf.Session`` by its constructor.)
"""

from __future__ import annotations

from ..autodiff import gradients as _graph_gradients
from ..framework import context


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """``tf.gradients``: symbolic derivatives in graph mode; an error in eager mode."""
    if context.executing_eagerly():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    return _graph_gradients.gradients(ys, xs, grad_ys=grad_ys, name=name,
                                      colocate_gradients_with_ops=colocate_gradients_with_ops,
                                      gate_gradients=gate_gradients,
                                      aggregation_method=aggregation_method,
                                      stop_gradients=stop_gradients)


gradients.__doc__ = _graph_gradients.gradients.__doc__
