"""``tf.layers.batch_normalization`` (class ``BatchNormalization``): normalize, then learn scale and shift.

Four variables: ``gamma`` and ``beta`` (trainable), ``moving_mean`` and
``moving_variance`` (not trainable).  In training the layer normalizes with the
batch's statistics and adds two ops to ``tf.GraphKeys.UPDATE_OPS`` that move the
moving averages toward them:

    moving -= (moving - batch_statistic) * (1 - momentum)

Nothing runs them by itself: the training op must depend on them
(``with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))``).
In inference the layer normalizes with the moving averages.

``training`` may be a bool placeholder: the layer then switches with
``tf.cond`` (TF's ``smart_cond``), as TF 1.x does: ``cond`` picks the
statistics, and in the unfused layer each update is a ``cond`` too, which
assigns only when training.  A Python bool builds only the branch it names.

``fused`` (the default for 4-D inputs normalized over the channels) builds one
FusedBatchNormV3 op, whose variance is the unbiased one; otherwise
``tf.nn.moments`` and ``tf.nn.batch_normalization``, whose variance is biased:
TF's two paths, with their different moving variances, kept as they are.
"""

from __future__ import annotations

from ..framework import dtypes
from ..framework.scopes import name_scope
from ..ops.array_ops import cast, ones_like, zeros_like
from ..ops.constant_op import convert_to_tensor
from ..ops.fused_batch_norm_ops import fused_batch_norm
from ..ops.init_ops import ones_initializer, zeros_initializer
from ..ops.nn_ops import moments
from ..ops.normalization_ops import batch_normalization as nn_batch_normalization
from ..ops.state_ops import assign_sub
from .base import Layer
from .utils import smart_cond, training_value


class BatchNormalization(Layer):
    """Batch normalization over the last axis (channels_last)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(), moving_variance_initializer=ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True,
                 virtual_batch_size=None, adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("minitf's batch_normalization has no renorm, virtual_batch_size "
                                      "or adjustment")
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.initializers = dict(beta=beta_initializer, gamma=gamma_initializer,
                                 moving_mean=moving_mean_initializer,
                                 moving_variance=moving_variance_initializer)
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        rank = input_shape.ndims
        if rank is None:
            raise ValueError("Input has undefined rank.")
        axis = self.axis if isinstance(self.axis, int) else self.axis[0]
        if axis not in (-1, rank - 1):
            raise ValueError(f"minitf's batch_normalization normalizes the last axis only, got axis={self.axis}")
        channels = input_shape[-1]
        channels = getattr(channels, "value", channels)
        if channels is None:
            raise ValueError(f"Input has undefined `axis` dimension. Input shape: {input_shape}")
        if self.fused is None:
            self.fused = rank == 4
        if self.fused and rank != 4:
            raise ValueError(f"Unsupported axis, fused batch norm only supports axis == [3] or axis == [1] "
                             f"for 4D input, got rank {rank}")
        params = dict(dtype=dtypes.float32 if self.dtype in (None, dtypes.float16) else self.dtype)
        if self.scale:
            self.gamma = self.add_weight("gamma", [channels], initializer=self.initializers["gamma"],
                                         regularizer=self.gamma_regularizer, **params)
        if self.center:
            self.beta = self.add_weight("beta", [channels], initializer=self.initializers["beta"],
                                        regularizer=self.beta_regularizer, **params)
        self.moving_mean = self.add_weight("moving_mean", [channels], trainable=False,
                                           initializer=self.initializers["moving_mean"], **params)
        self.moving_variance = self.add_weight("moving_variance", [channels], trainable=False,
                                               initializer=self.initializers["moving_variance"], **params)

    def call(self, inputs, training=False):
        if self.fused:
            return self._fused(inputs, training)
        return self._unfused(inputs, training)

    # --- one FusedBatchNormV3 op ----------------------------------------------------------------------
    def _fused(self, inputs, training):
        gamma = self.gamma if self.gamma is not None else ones_like(self.moving_mean)
        beta = self.beta if self.beta is not None else zeros_like(self.moving_mean)
        output, mean, variance = smart_cond(                                  # scope "cond"
            training,
            lambda: fused_batch_norm(inputs, gamma, beta, epsilon=self.epsilon),
            lambda: fused_batch_norm(inputs, gamma, beta, self.moving_mean, self.moving_variance,
                                     epsilon=self.epsilon, is_training=False))
        known = training_value(training)
        if known is False:
            return output
        if known is None:       # "not training" at run time: momentum 1 moves nothing ("cond_1")
            momentum = smart_cond(training, lambda: self.momentum, lambda: 1.0)
        else:
            momentum = convert_to_tensor(self.momentum)
        for moving, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
            self.add_update(self._assign_moving_average(moving, value, lambda: 1.0 - momentum))
        return output

    # --- tf.nn.moments and tf.nn.batch_normalization -----------------------------------------------
    def _unfused(self, inputs, training):
        if training_value(training) is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            batch_mean, batch_variance = moments(inputs, list(range(inputs.shape.ndims - 1)))
            mean = smart_cond(training, lambda: batch_mean,                    # "cond"
                              lambda: convert_to_tensor(self.moving_mean))
            variance = smart_cond(training, lambda: batch_variance,            # "cond_1"
                                  lambda: convert_to_tensor(self.moving_variance))
            for moving, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(smart_cond(training, self._update(moving, value), lambda m=moving: m))
        return nn_batch_normalization(inputs, mean, variance, self.beta, self.gamma, self.epsilon)

    def _update(self, moving, value):
        """The training branch of an unfused update ("cond_2", "cond_3"): move ``moving`` toward ``value``."""
        decay = lambda: convert_to_tensor(1.0 - self.momentum, name="decay")    # noqa: E731
        return lambda: self._assign_moving_average(moving, value, decay)

    @staticmethod
    def _assign_moving_average(moving, value, decay):
        """moving -= (moving - value) * decay, as one AssignSub named ``AssignMovingAvg``."""
        with name_scope(None, "AssignMovingAvg") as scope:
            rate = decay()                      # first, as in TF: its ops are named before the delta's
            delta = (moving - cast(value, moving.dtype.base_dtype)) * rate
            return assign_sub(moving, delta, name=scope)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """Batch normalization; in training, run ``tf.GraphKeys.UPDATE_OPS`` with the train op."""
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               renorm=renorm, fused=fused, trainable=trainable, virtual_batch_size=virtual_batch_size,
                               adjustment=adjustment, name=name, _scope=name, _reuse=reuse)
    return layer(inputs, training=training)
