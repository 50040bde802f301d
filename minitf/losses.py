"""``tf.losses``: standard losses, weighted and reduced to a scalar, collected in LOSSES.

Every loss here is two steps: compute a per-element loss with ops, then
``compute_weighted_loss`` multiplies by ``weights`` and reduces.  TF 1.x's
default reduction, SUM_BY_NONZERO_WEIGHTS, divides the weighted sum by the
number of elements whose weight is not zero, so with ``weights=1.0`` it is
the plain mean.
"""

from __future__ import annotations

from .framework import context, dtypes
from .framework.graph import GraphKeys, get_default_graph
from .framework.scopes import name_scope
from .ops.array_ops import cast, ones_like, shape, size, stop_gradient, zeros_like
from .ops.array_ops_extra import squeeze
from .ops.constant_op import convert_to_tensor
from .ops.math_ops import abs as _abs, add_n, equal, multiply, squared_difference, subtract, where
from .ops.nn_ops import (div_no_nan, sigmoid_cross_entropy_with_logits,
                         softmax_cross_entropy_with_logits_v2, sparse_softmax_cross_entropy_with_logits)
from .ops.reduction_ops import reduce_sum

__all__ = ["Reduction", "absolute_difference", "add_loss", "compute_weighted_loss", "get_losses",
           "get_regularization_loss", "get_regularization_losses", "get_total_loss",
           "mean_squared_error", "sigmoid_cross_entropy", "softmax_cross_entropy",
           "sparse_softmax_cross_entropy"]


class Reduction:
    """How a weighted loss tensor becomes the loss (TF's string constants)."""
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


# --- the LOSSES collection -------------------------------------------------------------------
def add_loss(loss, loss_collection=GraphKeys.LOSSES) -> None:
    """Remember ``loss`` in a collection (``get_total_loss`` adds them up)."""
    if loss_collection and not context.executing_eagerly():
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES) -> list:
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None) -> list:
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    losses = get_regularization_losses(scope)
    if not losses:
        return convert_to_tensor(0.0)   # TF: an unnamed Const
    return add_n(losses, name=name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the collected losses (and regularization losses)."""
    losses = get_losses(scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found to compute total loss")
    return add_n(losses, name=name)


# --- weighting and reducing ------------------------------------------------------------------
def _num_present(losses, weights):
    """How many elements of ``losses`` carry a nonzero weight (weights broadcast to losses)."""
    with name_scope(None, "num_present") as scope:
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        present = multiply(present, ones_like(losses))           # broadcast to the losses' shape
        return reduce_sum(present, name=scope)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``losses * weights`` reduced as ``reduction`` says, added to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss"):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        losses = cast(losses, dtypes.float32)
        weights = cast(convert_to_tensor(weights, dtype=None), dtypes.float32)
        if weights.shape.ndims and losses.shape.ndims is not None \
                and weights.shape.ndims > losses.shape.ndims:
            raise ValueError(f"weights can not be broadcast to values. values.rank={losses.shape.ndims}."
                             f" weights.rank={weights.shape.ndims}.")
        weighted = multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = div_no_nan(loss, reduce_sum(multiply(ones_like(losses), weights)), name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, _num_present(losses, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, cast(size(losses), dtypes.float32), name="value")
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


# --- the losses ------------------------------------------------------------------------------
def _check_not_none(labels, predictions, what="predictions"):
    if labels is None:
        raise ValueError("labels must not be None.")
    if predictions is None:
        raise ValueError(f"{what} must not be None.")


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The (weighted) mean of (predictions - labels)²."""
    _check_not_none(labels, predictions)
    with name_scope(scope, "mean_squared_error") as scope:
        predictions = cast(predictions, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        predictions.shape.assert_is_compatible_with(labels.shape)
        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The (weighted) mean of |predictions - labels|."""
    _check_not_none(labels, predictions)
    with name_scope(scope, "absolute_difference") as scope:
        predictions = cast(predictions, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        predictions.shape.assert_is_compatible_with(labels.shape)
        losses = _abs(subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross-entropy against one-hot labels (optionally smoothed), averaged."""
    _check_not_none(onehot_labels, logits, "logits")
    with name_scope(scope, "softmax_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        onehot_labels = cast(onehot_labels, logits.dtype.base_dtype)
        logits.shape.assert_is_compatible_with(onehot_labels.shape)
        if label_smoothing > 0:
            num_classes = cast(shape(onehot_labels)[-1], logits.dtype.base_dtype)
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        onehot_labels = stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross-entropy against class indices, averaged."""
    _check_not_none(labels, logits, "logits")
    with name_scope(scope, "sparse_softmax_cross_entropy_loss") as scope:
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        if labels.shape.ndims is not None and labels.shape.ndims == logits.shape.ndims \
                and labels.shape[-1] in (1, None):
            labels = squeeze(labels, [-1])          # [batch, 1] labels are accepted, as in TF
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Per-class logistic loss (independent yes/no labels), averaged."""
    _check_not_none(multi_class_labels, logits, "logits")
    with name_scope(scope, "sigmoid_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = cast(multi_class_labels, logits.dtype.base_dtype)
        logits.shape.assert_is_compatible_with(labels.shape)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)
