"""A TF 1.x tutorial-style program that trains from a ``tf.data`` pipeline, for either engine.

``run(tf)`` takes the module to use: ``minitf`` in test_data_pipeline.py, or real
TensorFlow (``tensorflow.compat.v1`` with v2 behaviour off) when the expected numbers are
recorded.  It is written the way TF1 tutorials write input pipelines:

* training: ``from_tensor_slices((features, labels)).shuffle(...).batch(...).repeat(...)``,
  a one-shot iterator, and ``while True: try: sess.run(train_op) except OutOfRangeError: break``;
* evaluation: an initializable iterator over placeholders, with a ``map`` that
  standardizes the features, run to the end once per data split.

The shuffle buffer is 1, so the order is the data's (TF's shuffled order cannot be
matched; a seeded minitf shuffle is deterministic but different).
"""

import numpy as np

BATCH_SIZE, EPOCHS, LEARNING_RATE = 32, 5, 0.1


def make_data(n=120, d=4, classes=3, seed=0):
    """Gaussian blobs: float32 features and int64 labels (an Iris-sized stand-in)."""
    rng = np.random.RandomState(seed)
    centers = rng.randn(classes, d) * 2
    labels = rng.randint(classes, size=n)
    return (centers[labels] + rng.randn(n, d)).astype(np.float32), labels.astype(np.int64)


def run(tf) -> dict:
    features, labels = make_data()
    mean, std = features.mean(0), features.std(0)

    def standardize(x, y):
        return (x - mean) / std, y

    # --- training pipeline ---
    dataset = tf.data.Dataset.from_tensor_slices((features, labels))
    dataset = dataset.map(standardize).shuffle(buffer_size=1, seed=7).batch(BATCH_SIZE).repeat(EPOCHS)
    x, y = dataset.make_one_shot_iterator().get_next()

    W = tf.Variable(tf.zeros([4, 3]), name="W")
    b = tf.Variable(tf.zeros([3]), name="b")
    logits = tf.matmul(x, W) + b
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)

    # --- evaluation pipeline: placeholders fed to the initializer ---
    eval_x = tf.placeholder(tf.float32, [None, 4])
    eval_y = tf.placeholder(tf.int64, [None])
    eval_iterator = (tf.data.Dataset.from_tensor_slices((eval_x, eval_y)).map(standardize)
                     .batch(50).make_initializable_iterator())
    ex, ey = eval_iterator.get_next()
    correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(tf.matmul(ex, W) + b, 1), ey), tf.int32))

    losses, batch_sizes = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        while True:
            try:
                _, loss_value, batch_x = sess.run([train_op, loss, x])
            except tf.errors.OutOfRangeError:
                break
            losses.append(float(loss_value))
            batch_sizes.append(len(batch_x))
        accuracy = {}
        for split, rows in (("first_half", slice(0, 60)), ("all", slice(None))):
            sess.run(eval_iterator.initializer, {eval_x: features[rows], eval_y: labels[rows]})
            hits = 0
            while True:
                try:
                    hits += int(sess.run(correct))
                except tf.errors.OutOfRangeError:
                    break
            accuracy[split] = hits
        weights, bias = sess.run([W, b])
    return {"losses": losses, "batch_sizes": batch_sizes, "correct": accuracy,
            "W": weights.tolist(), "b": bias.tolist()}


def run_reinitializable(tf) -> dict:
    """The TF1 guide's "reinitializable iterator": one iterator, a training and a validation dataset.

    The training data goes through ``range``/``filter``/``take``/``skip``/``zip`` and a
    ``from_generator`` source, and the validation data is padded into batches.
    """
    train = tf.data.Dataset.range(100).filter(lambda i: tf.equal(i % 3, 0)).skip(2).take(10)
    train = tf.data.Dataset.zip((train, train.map(lambda i: tf.cast(i, tf.float32) * 0.5)))

    def rows():
        for n in (3, 1, 4, 1, 5):
            yield np.arange(n, dtype=np.int64), np.float32(n)
    valid = (tf.data.Dataset.from_generator(rows, (tf.int64, tf.float32), ([None], []))
             .map(lambda v, n: (tf.reduce_sum(v), n)))

    iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    i, value = iterator.get_next()
    total = tf.Variable(0.0, name="total")
    accumulate = tf.assign_add(total, value * tf.cast(i, tf.float32))
    train_init = iterator.make_initializer(train.batch(3).map(lambda a, b: (tf.reduce_max(a), tf.reduce_sum(b))))
    valid_init = iterator.make_initializer(valid)

    padded = (tf.data.Dataset.from_generator(rows, (tf.int64, tf.float32), ([None], []))
              .padded_batch(2, padded_shapes=([None], []), padding_values=(np.int64(-1), np.float32(0))))
    padded_next = padded.make_one_shot_iterator().get_next()

    out = {"train": [], "valid": [], "padded": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for name, init in (("train", train_init), ("valid", valid_init), ("train", train_init)):
            sess.run(init)
            while True:
                try:
                    step_i, step_value, step_total = sess.run([i, value, accumulate])
                except tf.errors.OutOfRangeError:
                    break
                out[name].append([int(step_i), float(step_value), float(step_total)])
        while True:
            try:
                rows_value, sizes = sess.run(padded_next)
            except tf.errors.OutOfRangeError:
                break
            out["padded"].append([rows_value.tolist(), sizes.tolist()])
    return out


if __name__ == "__main__":          # record the expected numbers with real TensorFlow
    import json

    import tensorflow.compat.v1 as real_tf
    real_tf.disable_v2_behavior()
    print(json.dumps(run(real_tf)))
    real_tf.reset_default_graph()
    print(json.dumps(run_reinitializable(real_tf)))
