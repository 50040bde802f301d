"""Helpers for the tf.data tests: walk a dataset in a Session and collect its elements."""

import minitf as tf


def elements(dataset, sess=None) -> list:
    """Every element of ``dataset`` (numpy values, nested like the elements), through a one-shot iterator."""
    next_element = dataset.make_one_shot_iterator().get_next()
    own = sess is None
    sess = sess or tf.Session()
    try:
        return drain(sess, next_element)
    finally:
        if own:
            sess.close()


def drain(sess, fetches, feed_dict=None) -> list:
    """``sess.run(fetches)`` until the iterator says OutOfRangeError."""
    out = []
    while True:
        try:
            out.append(sess.run(fetches, feed_dict))
        except tf.errors.OutOfRangeError:
            return out
