"""``tf.nn``: the neural-network namespace (re-exports only; the ops live in ``ops/nn_ops.py``)."""

from .ops.array_ops_extra import gather as _gather
from .ops.conv_ops import avg_pool, conv1d, conv2d, conv2d_transpose, max_pool  # noqa: F401
from .ops.math_ops import sigmoid, tanh  # noqa: F401
from .ops.normalization_ops import batch_normalization, l2_normalize  # noqa: F401
from .ops.nn_ops import (bias_add, dropout, elu, l2_loss, leaky_relu, log_softmax,  # noqa: F401
                         moments, relu, relu6, sigmoid_cross_entropy_with_logits, softmax,
                         softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                         softplus, sparse_softmax_cross_entropy_with_logits, xw_plus_b)
from .ops.topk_ops import in_top_k, top_k  # noqa: F401
from .ops.fused_batch_norm_ops import fused_batch_norm  # noqa: F401


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of ``params`` at ``ids`` (one unpartitioned table: a ``gather``)."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("minitf's embedding_lookup takes a single params tensor")
        params = params[0]
    return _gather(params, ids, name=name or "embedding_lookup")
from .ops.candidate_sampling_ops import compute_accidental_hits, log_uniform_candidate_sampler  # noqa: F401,E402
from .ops.sampled_losses import nce_loss, sampled_softmax_loss  # noqa: F401,E402
from .ops import rnn_cell  # noqa: F401,E402  (tf.nn.rnn_cell.BasicLSTMCell, ...)
from .ops.rnn import (bidirectional_dynamic_rnn, dynamic_rnn, static_bidirectional_rnn,  # noqa: F401,E402
                      static_rnn)
