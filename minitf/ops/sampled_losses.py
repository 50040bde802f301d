"""``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``: training a huge softmax on a sample of classes.

Both score each example's true class(es) and ``num_sampled`` classes drawn by
a candidate sampler (log-uniform by default), then subtract log(expected
count) from every logit so the sample stands in fairly for all classes.
``nce_loss`` treats each logit as its own yes/no question (sigmoid
cross-entropy, summed); ``sampled_softmax_loss`` runs a softmax over the
true + sampled logits.  Built from ordinary ops, node by node as TF 1.x's
``_compute_sampled_logits`` builds them, so the gradients reach only the rows
of ``weights`` and ``biases`` that were looked up.
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.scopes import name_scope
from .array_ops import cast, ones, ones_like, reshape, shape, stop_gradient, zeros_like
from .candidate_sampling_ops import compute_accidental_hits, log_uniform_candidate_sampler
from .concat_split_ops import concat, stack
from .constant_op import convert_to_tensor
from .gather_ops import gather
from .math_ops import log, multiply
from .matmul_op import matmul
from .nd_index_ops import scatter_nd
from .reshape_ops import expand_dims
from .slice_pad_ops import slice as tf_slice
from .xent_ops import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2


def _sum_rows(x):
    """Row sums as a matmul with a column of ones (TF's way: a reduction gradient would be denser)."""
    cols = shape(x)[1]
    return reshape(matmul(x, ones(stack([cols, 1]), x.dtype.base_dtype)), [-1])


def _lookup(params, ids):
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("minitf's sampled losses take one weights tensor, not a partitioned list")
        params = params[0]
    return gather(params, ids)


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                            sampled_values, subtract_log_q, remove_accidental_hits, name, seed=None):
    """(logits, labels) of shape [batch, num_true + num_sampled]: true classes first."""
    with name_scope(name, "compute_sampled_logits"):
        labels = convert_to_tensor(labels, name="labels")
        inputs = convert_to_tensor(inputs, name="inputs")
        if labels.dtype.base_dtype != dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True, num_classes,
                                                           seed=seed)
        sampled, true_expected_count, sampled_expected_count = (stop_gradient(s) for s in sampled_values)
        sampled = cast(sampled, dtypes.int64)
        all_ids = concat([labels_flat, sampled], 0)
        n_true = shape(labels_flat)[0]

        all_w = _lookup(weights, all_ids)
        true_w = tf_slice(all_w, [0, 0], stack([n_true, -1]))
        sampled_w = tf_slice(all_w, stack([n_true, 0]), [-1, -1])
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)       # [batch, num_sampled]
        all_b = _lookup(biases, all_ids)
        true_b = tf_slice(all_b, [0], shape(labels_flat))
        sampled_b = tf_slice(all_b, shape(labels_flat), [-1])

        # Each example dotted with its own true rows: [batch, 1, dim] * [batch, num_true, dim].
        dim = shape(true_w)[1:2]
        row_wise_dots = multiply(expand_dims(inputs, 1), reshape(true_w, concat([[-1, num_true], dim], 0)))
        dots_as_matrix = reshape(row_wise_dots, concat([[-1], dim], 0))
        true_logits = reshape(_sum_rows(dots_as_matrix), [-1, num_true]) + reshape(true_b, [-1, num_true])
        sampled_logits = sampled_logits + sampled_b

        if remove_accidental_hits:
            sampled_logits = sampled_logits + _accidental_hit_mask(labels, sampled, num_true, num_sampled,
                                                                   sampled_logits.dtype.base_dtype)
        if subtract_log_q:
            true_logits = true_logits - log(true_expected_count)
            sampled_logits = sampled_logits - log(sampled_expected_count)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def _accidental_hit_mask(labels, sampled, num_true, num_sampled, dtype):
    """-FLT_MAX where a sampled class is also a true class of that row, else 0 (a dense [batch, num_sampled])."""
    indices, ids, weights = compute_accidental_hits(labels, sampled, num_true=num_true)
    sparse_indices = concat([reshape(indices, [-1, 1]), reshape(cast(ids, dtypes.int32), [-1, 1])], 1,
                            name="sparse_indices")
    dense_shape = concat([shape(labels)[:1], [num_sampled]], 0)
    return scatter_nd(sparse_indices, cast(weights, dtype), dense_shape)


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, partition_strategy="mod", name="nce_loss"):
    """Noise-contrastive estimation loss per example: [batch] (TF 1.x's ``tf.nn.nce_loss``)."""
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                             num_true, sampled_values, True, remove_accidental_hits, name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """Softmax cross-entropy over the true and the sampled classes, per example: [batch]."""
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                             num_true, sampled_values, True, remove_accidental_hits, name,
                                             seed=seed)
    labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
