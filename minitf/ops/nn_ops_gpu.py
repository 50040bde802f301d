"""GPU kernels for the neural-network ops, built from the kernel library's GPU functions.

Softmax and the cross-entropies are ``minitf.kernels.gpu`` kernels already;
``BiasAdd`` is a broadcasting add, ``BiasAddGrad`` a sum over every axis but
the channels, ``L2Loss`` a square and a sum.  The op records name these
factories (``gpu_kernel="minitf.ops.nn_ops_gpu:softmax"``); this file is
imported the first time one of them is built.
"""

from __future__ import annotations

import numpy as np

from ..framework import errors
from ..kernels import gpu
from .array_ops import node_suffix


def _channel_axis(op, rank: int) -> int:
    return 1 if op.get_attr("data_format") == "NCHW" and rank > 2 else rank - 1


def _softmax_kernel(name: str):
    return lambda op, runtime: getattr(gpu, name)


def softmax_xent(op, runtime):
    def xent_on_gpu(logits, labels):
        if tuple(labels.shape) != tuple(logits.shape):
            raise errors.InvalidArgumentError(None, op, (
                f"logits and labels must be the same size: logits_size={list(logits.shape)} "
                f"labels_size={list(labels.shape)}" + node_suffix(op)))
        return gpu.softmax_cross_entropy(logits, labels)
    return xent_on_gpu


def sparse_softmax_xent(op, runtime):
    return lambda logits, labels: gpu.sparse_softmax_cross_entropy(logits, labels)


def bias_add(op, runtime):
    add = gpu.binary("add")

    def bias_add_on_gpu(value, bias):
        rank = len(value.shape)
        c = _channel_axis(op, rank)
        return add(value, bias.reshape((bias.size,) + (1,) * (rank - 1 - c)))
    return bias_add_on_gpu


def bias_add_grad(op, runtime):
    total = gpu.reduce("sum")

    def bias_add_grad_on_gpu(g):
        rank = len(g.shape)
        c = _channel_axis(op, rank)
        return total(g, tuple(a for a in range(rank) if a != c), False)
    return bias_add_grad_on_gpu


def l2_loss(op, runtime):
    square, total, mul = gpu.unary("square"), gpu.reduce("sum"), gpu.binary("mul")
    half = gpu.to_device(np.array(0.5, dtype=op.get_attr("T").np_dtype))   # copied once

    def l2_loss_on_gpu(t):
        return mul(total(square(t), tuple(range(len(t.shape))), False), half)
    return l2_loss_on_gpu


softmax = _softmax_kernel("softmax")
log_softmax = _softmax_kernel("log_softmax")
