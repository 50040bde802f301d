"""``tf.data.experimental``: the few names TF 1.x programs reach for (``dataset.apply(...)``)."""

# prefetch(AUTOTUNE) and map(..., num_parallel_calls=AUTOTUNE): accepted, minitf runs on demand.
AUTOTUNE = -1


def unbatch():
    """``dataset.apply(tf.data.experimental.unbatch())``: the same as ``dataset.unbatch()``."""
    return lambda dataset: dataset.unbatch()


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``shuffle(buffer_size, seed).repeat(count)``, each pass in a new order."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """``map(map_func).batch(batch_size, drop_remainder)``."""
    return lambda dataset: dataset.map(map_func).batch(batch_size, drop_remainder)
