"""Functional control flow ops: ``If``, ``StatelessIf``, ``While``, ``StatelessWhile``.

These are the ops TF 2 (and TF 1.15's ``control_flow_v2``) build for ``tf.cond``
and ``tf.while_loop``.  Their branches and loop bodies are functions
(``FuncGraph``s named by attrs; in a GraphDef they are FunctionDefs in the
``library``).  The kernel runs only the chosen branch, so a branch that would
fail, or assign to a variable, does nothing unless it is taken.  ``If``/``While``
are the stateful variants (a body with an ``Assign`` or a random op).

Placed on a GPU (``tf.device('/gpu:0')``), the op itself runs on the host
(``host_outputs``: its values come back to host memory, like TF's HostMemory
kernels); the ops inside its bodies are placed on their own, by default rules.

The gradients live in ``autodiff/control_flow_grad.py``: they call
``tf.gradients`` on the bodies, and autodiff is a layer above ops, so the
record names them ("module:name") and they are imported on first use.
"""

from __future__ import annotations

import importlib

import numpy as np

from ..framework import hooks
from ..framework.registry import register_op


class _LazyGrad:
    """A gradient function named "module:name", imported the first time it is called."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, op, *grads):
        module, _, name = self.path.partition(":")
        return getattr(importlib.import_module(module), name)(op, *grads)


def _outputs_from_attrs(types_attr: str):
    def infer(ctx):
        shapes = ctx.attr("output_shapes") or [None] * len(ctx.attr(types_attr))
        return [(s, t) for s, t in zip(shapes, ctx.attr(types_attr))]
    return infer


def _single_or_tuple(values):
    return values[0] if len(values) == 1 else tuple(values)


def _truth(pred) -> bool:
    """TF's rule for a non-bool predicate: a scalar is true when non-zero."""
    pred = np.asarray(pred)
    if pred.size != 1:
        raise ValueError(f"The predicate must be a scalar, but has shape {list(pred.shape)}")
    return bool(pred.reshape(()))


# --- If ----------------------------------------------------------------------------
def _if_kernel(op, runtime):
    then_branch, else_branch = op.get_attr("then_branch"), op.get_attr("else_branch")

    def run(pred, *args):
        branch = then_branch if _truth(pred) else else_branch
        return _single_or_tuple(hooks.call("run_function", branch, runtime, args))
    return run


_IF_ATTRS = ("Tcond", "Tin", "Tout", "then_branch", "else_branch", "output_shapes")
for _name, _stateful in (("If", True), ("StatelessIf", False)):
    register_op(_name, _outputs_from_attrs("Tout"), kernel=_if_kernel, attrs=_IF_ATTRS,
                stateful=_stateful, host_outputs=True, grad=_LazyGrad("minitf.autodiff.control_flow_grad:if_grad"),
                required_attrs=("Tin", "Tout", "then_branch", "else_branch"))


# --- While -------------------------------------------------------------------------
def _while_kernel(op, runtime):
    cond, body = op.get_attr("cond"), op.get_attr("body")

    def run(*loop_vars):
        while _truth(hooks.call("run_function", cond, runtime, loop_vars)[0]):
            loop_vars = hooks.call("run_function", body, runtime, loop_vars)
        return _single_or_tuple(list(loop_vars))
    return run


_WHILE_ATTRS = ("T", "cond", "body", "output_shapes", "parallel_iterations")
for _name, _stateful in (("While", True), ("StatelessWhile", False)):
    register_op(_name, _outputs_from_attrs("T"), kernel=_while_kernel, attrs=_WHILE_ATTRS,
                stateful=_stateful, host_outputs=True, grad=_LazyGrad("minitf.autodiff.control_flow_grad:while_grad"),
                required_attrs=("T", "cond", "body"))
