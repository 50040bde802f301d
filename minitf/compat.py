"""``tf.compat.v1``: TensorFlow 2's name for the TF 1.x API, which is what minitf is.

Programs written for TF 2's compatibility layer spell the same functions
``tf.compat.v1.data.make_one_shot_iterator(ds)``; here they are minitf's own.
"""

import minitf as v1  # noqa: F401  (minitf itself; it is being imported when this runs)
