"""Row-at-a-time helpers for softmax, cross-entropy and arg-reductions.

Like ``scalar.py`` these are plain Python, compiled for the CPU (one row per
prange iteration) and for the GPU (one row per thread). Each takes 1-d views
of a row and writes its results in place. Rows are never empty: the callers
handle zero classes before any kernel runs.

Like ``scalar.py``, no function here calls another one of this file (a CUDA
device function can only call device functions), so each repeats the short
"find the row's max" loop it needs. Subtracting the max before ``exp`` keeps
every exponential <= 1: logits of 1e4 stay finite.
"""

import math


def softmax_row(x, out):
    """out = exp(x - max) / sum(exp(x - max))"""
    top = x[0]
    for i in range(1, x.size):
        if x[i] > top:
            top = x[i]
    total = 0.0
    for i in range(x.size):
        e = math.exp(x[i] - top)
        out[i] = e
        total += e
    for i in range(x.size):
        out[i] = out[i] / total


def log_softmax_row(x, out):
    """out = (x - max) - log(sum(exp(x - max)))"""
    top = x[0]
    for i in range(1, x.size):
        if x[i] > top:
            top = x[i]
    total = 0.0
    for i in range(x.size):
        total += math.exp(x[i] - top)
    log_total = math.log(total)
    for i in range(x.size):
        out[i] = (x[i] - top) - log_total     # x - top first: exact, whatever the dtype


def xent_row(logits, labels, backprop):
    """TF's SoftmaxCrossEntropyWithLogits on one row: returns the loss, writes the gradient.

    loss = -sum(labels * log_softmax(logits)); backprop = softmax(logits) - labels.
    """
    top = logits[0]
    for i in range(1, logits.size):
        if logits[i] > top:
            top = logits[i]
    total = 0.0
    for i in range(logits.size):
        total += math.exp(logits[i] - top)
    log_total = math.log(total)
    loss = 0.0
    for i in range(logits.size):
        log_p = (logits[i] - top) - log_total
        loss -= labels[i] * log_p
        backprop[i] = math.exp(log_p) - labels[i]
    return loss


def sparse_xent_row(logits, label, backprop):
    """Cross-entropy against the class index ``label``; NaN everywhere if it is out of range.

    (NaN is what TensorFlow's GPU kernel returns for a bad label; the CPU
    wrapper checks labels first and raises instead, like TF's CPU kernel.)
    """
    n = logits.size
    if label < 0 or label >= n:
        for i in range(n):
            backprop[i] = math.nan
        return math.nan
    top = logits[0]
    for i in range(1, logits.size):
        if logits[i] > top:
            top = logits[i]
    total = 0.0
    for i in range(n):
        total += math.exp(logits[i] - top)
    log_total = math.log(total)
    for i in range(n):
        backprop[i] = math.exp((logits[i] - top) - log_total)
    backprop[label] -= 1.0
    return log_total - (logits[label] - top)


def argmax_line(x):
    """Index of the largest value, the first one on ties; a NaN wins (like numpy)."""
    best = 0
    for i in range(1, x.size):
        if x[best] != x[best]:
            break
        if x[i] > x[best] or x[i] != x[i]:
            best = i
    return best


def argmin_line(x):
    """Index of the smallest value, the first one on ties; a NaN wins (like numpy)."""
    best = 0
    for i in range(1, x.size):
        if x[best] != x[best]:
            break
        if x[i] < x[best] or x[i] != x[i]:
            best = i
    return best
