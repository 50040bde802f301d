"""TensorFlow's ``word2vec_basic.py`` tutorial, written as it is, on a small synthetic corpus.

Skip-gram with ``tf.nn.nce_loss`` (negative classes drawn by the log-uniform
sampler), embeddings looked up with ``tf.nn.embedding_lookup``, cosine
similarity through normalized embeddings.  The corpus has two topics whose
words only appear next to each other, so after training each word's nearest
neighbour must come from its own topic (the draws are minitf's own, so the
numbers are not TF's: the test checks what the tutorial checks by eye).
"""

from __future__ import annotations

import numpy as np

import minitf as tf

VOCABULARY = 20            # words 0-9: topic A, words 10-19: topic B
EMBEDDING = 8


def _skip_gram_pairs(rng, n_sentences=400, length=6, window=1):
    inputs, labels = [], []
    for _ in range(n_sentences):
        topic = rng.integers(2) * 10
        sentence = topic + rng.integers(10, size=length)
        for i, word in enumerate(sentence):
            for j in range(max(0, i - window), min(length, i + window + 1)):
                if j != i:
                    inputs.append(word)
                    labels.append(sentence[j])
    return np.array(inputs, np.int32), np.array(labels, np.int32)[:, None]


def test_word2vec_with_nce_loss_learns_the_two_topics():
    rng = np.random.default_rng(0)
    pairs, contexts = _skip_gram_pairs(rng)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        train_inputs = tf.placeholder(tf.int32, shape=[None])
        train_labels = tf.placeholder(tf.int32, shape=[None, 1])
        embeddings = tf.Variable(tf.random_uniform([VOCABULARY, EMBEDDING], -1.0, 1.0))
        embed = tf.nn.embedding_lookup(embeddings, train_inputs)
        nce_weights = tf.Variable(tf.truncated_normal([VOCABULARY, EMBEDDING], stddev=1.0 / np.sqrt(EMBEDDING)))
        nce_biases = tf.Variable(tf.zeros([VOCABULARY]))
        loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels,
                                             inputs=embed, num_sampled=6, num_classes=VOCABULARY))
        optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
        norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
        normalized_embeddings = embeddings / norm
        similarity = tf.matmul(normalized_embeddings, normalized_embeddings, transpose_b=True)
        with tf.Session() as session:
            tf.global_variables_initializer().run()
            losses = []
            for step in range(300):
                batch = rng.integers(len(pairs), size=64)
                _, value = session.run([optimizer, loss], {train_inputs: pairs[batch],
                                                           train_labels: contexts[batch]})
                losses.append(value)
            sim = similarity.eval()
    assert np.mean(losses[-30:]) < 0.75 * np.mean(losses[:30])         # (0.54 with these seeds)
    np.fill_diagonal(sim, -np.inf)
    nearest = sim.argmax(1)
    same_topic = (nearest // 10) == (np.arange(VOCABULARY) // 10)
    assert same_topic.mean() >= 0.9, f"nearest neighbours: {nearest.tolist()}"
