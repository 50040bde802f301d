"""GPU kernels for the neural-network ops, built from the kernel library's GPU functions.

Softmax and the cross-entropies are ``minitf.kernels.gpu`` kernels already;
``BiasAdd`` is a broadcasting add, ``BiasAddGrad`` a sum over every axis but
the channels, ``L2Loss`` a square and a sum.  Each is attached only where
``nn_ops.py`` has not given the op a GPU kernel itself.
"""

from __future__ import annotations

import numpy as np

from ..framework import errors
from . import nn_ops  # noqa: F401  (registers the nn ops first)
from .array_ops import node_suffix
from .gpu_support import add_gpu_kernel


def _gpu():
    from ..kernels import gpu
    return gpu


def _channel_axis(op, rank: int) -> int:
    return 1 if op.get_attr("data_format") == "NCHW" and rank > 2 else rank - 1


def _softmax_kernel(name: str):
    return lambda op, runtime: getattr(_gpu(), name)


def _xent_kernel(op, runtime):
    def xent_on_gpu(logits, labels):
        if tuple(labels.shape) != tuple(logits.shape):
            raise errors.InvalidArgumentError(None, op, (
                f"logits and labels must be the same size: logits_size={list(logits.shape)} "
                f"labels_size={list(labels.shape)}" + node_suffix(op)))
        return _gpu().softmax_cross_entropy(logits, labels)
    return xent_on_gpu


def _sparse_xent_kernel(op, runtime):
    return lambda logits, labels: _gpu().sparse_softmax_cross_entropy(logits, labels)


def _bias_add_kernel(op, runtime):
    add = _gpu().binary("add")

    def bias_add_on_gpu(value, bias):
        rank = len(value.shape)
        c = _channel_axis(op, rank)
        return add(value, bias.reshape((bias.size,) + (1,) * (rank - 1 - c)))
    return bias_add_on_gpu


def _bias_add_grad_kernel(op, runtime):
    total = _gpu().reduce("sum")

    def bias_add_grad_on_gpu(g):
        rank = len(g.shape)
        c = _channel_axis(op, rank)
        return total(g, tuple(a for a in range(rank) if a != c), False)
    return bias_add_grad_on_gpu


def _l2_loss_kernel(op, runtime):
    gpu = _gpu()
    square, total, mul = gpu.unary("square"), gpu.reduce("sum"), gpu.binary("mul")
    half = gpu.to_device(np.array(0.5, dtype=op.get_attr("T").np_dtype))   # copied once

    def l2_loss_on_gpu(t):
        return mul(total(square(t), tuple(range(len(t.shape))), False), half)
    return l2_loss_on_gpu


add_gpu_kernel("Softmax", _softmax_kernel("softmax"))
add_gpu_kernel("LogSoftmax", _softmax_kernel("log_softmax"))
add_gpu_kernel("SoftmaxCrossEntropyWithLogits", _xent_kernel)
add_gpu_kernel("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_kernel)
add_gpu_kernel("BiasAdd", _bias_add_kernel)
add_gpu_kernel("BiasAddGrad", _bias_add_grad_kernel)
add_gpu_kernel("L2Loss", _l2_loss_kernel)
