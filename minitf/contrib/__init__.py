"""``tf.contrib``: the one contrib module TF 1.x lectures use, ``tf.contrib.eager``.

    import minitf.contrib.eager as tfe      # as: import tensorflow.contrib.eager as tfe
    tfe.enable_eager_execution()
"""

from . import eager  # noqa: F401
