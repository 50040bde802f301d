"""``tf.initializers``: TF 1.x's short names for the initializers (``tf.initializers.zeros()``...)."""

from .ops.init_ops import (Constant as constant, GlorotNormal as glorot_normal,  # noqa: F401
                           GlorotUniform as glorot_uniform, Ones as ones, Orthogonal as orthogonal,
                           RandomNormal as random_normal, RandomUniform as random_uniform,
                           TruncatedNormal as truncated_normal, VarianceScaling as variance_scaling,
                           Zeros as zeros, he_normal, he_uniform, lecun_normal, lecun_uniform)
from .ops.variables import (global_variables_initializer as global_variables,  # noqa: F401
                            local_variables_initializer as local_variables,
                            variables_initializer as variables)
