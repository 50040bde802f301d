"""``tf.train``: optimizers, the global step, and (with minitf.io) Saver and checkpoints."""

from .optimizer import Optimizer  # noqa: F401
from .optimizers import (AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer,  # noqa: F401
                         MomentumOptimizer, RMSPropOptimizer)
from .training_util import (create_global_step, get_global_step,  # noqa: F401
                            get_or_create_global_step, global_step)
