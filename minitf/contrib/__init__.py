"""``tf.contrib``: the contrib modules TF 1.x lectures use, ``tf.contrib.eager`` and ``tf.contrib.summary``.

    import minitf.contrib.eager as tfe      # as: import tensorflow.contrib.eager as tfe
    tfe.enable_eager_execution()
"""

from . import eager, layers, summary  # noqa: F401
from . import data  # noqa: F401,E402
from . import rnn  # noqa: F401,E402
