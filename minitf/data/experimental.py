"""``tf.data.experimental``: the few names TF 1.x programs reach for."""

# prefetch(AUTOTUNE) and map(..., num_parallel_calls=AUTOTUNE): accepted, minitf runs on demand.
AUTOTUNE = -1
