"""``tf.contrib.eager`` (``tfe``): eager execution as TF 1.x first shipped it.

Everything here is also reachable from the main namespace
(``tf.enable_eager_execution``, ``tf.GradientTape``, ``tf.Variable``); this module
keeps the ``tfe.`` spellings of older tutorials working.
"""

from ..eager.gradient_functions import (gradients_function, implicit_gradients,  # noqa: F401
                                        implicit_value_and_gradients)
from ..eager.mode import (ASYNC, DEVICE_PLACEMENT_EXPLICIT, DEVICE_PLACEMENT_SILENT,  # noqa: F401
                          DEVICE_PLACEMENT_SILENT_FOR_INT32, DEVICE_PLACEMENT_WARN, SYNC,
                          enable_eager_execution, executing_eagerly)
from ..eager.tape import GradientTape  # noqa: F401
from ..kernels.devices import gpu_count as num_gpus  # noqa: F401
from ..ops.variables import Variable  # noqa: F401

in_eager_mode = executing_eagerly     # the name TF 1.5-1.6 used
from ..data.eager_iterator import EagerIterator as Iterator  # noqa: F401,E402
