"""TF's update formulas, one element at a time (``training_ops.cc``).

Each rule takes the hyperparameters ``h`` (a tuple of scalars of the
variable's dtype), one gradient element and the variable's element and slot
elements, and returns the new variable and slot elements.  The CPU kernels
(``training_kernels_cpu.py``) run a rule over every element of a dense update,
or over the rows of a sparse one, in one pass.

Constants like ``1 - beta1`` arrive in ``h`` already computed in the
variable's dtype: inside a kernel, ``1 - b1`` with a float32 ``b1`` would be
computed in float64 (numba's promotion), and the result would differ from
TF's float32 arithmetic in the last bit.
"""

from __future__ import annotations

import numpy as np


def gradient_descent(h, g, var):
    """h = (alpha,): var - alpha * grad."""
    return var - h[0] * g


def momentum(h, g, var, accum):
    """h = (lr, momentum): accum = accum * momentum + grad; var -= lr * accum."""
    accum = accum * h[1] + g
    return var - h[0] * accum, accum


def nesterov_momentum(h, g, var, accum):
    """As ``momentum``, stepping by lr * grad + lr * momentum * accum."""
    accum = accum * h[1] + g
    return var - (h[0] * g + h[0] * h[1] * accum), accum


def adam(h, g, var, m, v):
    """h = (lr_t, 1 - beta1, 1 - beta2, epsilon), lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)."""
    m = m + (g - m) * h[1]
    v = v + (g * g - v) * h[2]
    return var - h[0] * m / (np.sqrt(v) + h[3]), m, v


def adagrad(h, g, var, accum):
    """h = (lr,): accum += grad^2; var -= lr * grad / sqrt(accum)."""
    accum = accum + g * g
    return var - h[0] * g / np.sqrt(accum), accum


def rmsprop(h, g, var, ms, mom):
    """h = (lr, 1 - rho, momentum, epsilon): ms += (grad^2 - ms)(1 - rho); mom = ...; var -= mom."""
    ms = ms + (g * g - ms) * h[1]
    mom = mom * h[2] + h[0] * g / np.sqrt(ms + h[3])
    return var - mom, ms, mom


def adadelta(h, g, var, accum, accum_update):
    """h = (lr, rho, 1 - rho, epsilon)."""
    accum = accum * h[1] + g * g * h[2]
    update = np.sqrt(accum_update + h[3]) / np.sqrt(accum + h[3]) * g
    accum_update = accum_update * h[1] + update * update * h[2]
    return var - update * h[0], accum, accum_update


def centered_rmsprop(h, g, var, mg, ms, mom):
    """h = (lr, 1 - rho, momentum, epsilon); the variance ms - mg^2 goes under the root."""
    ms = ms + (g * g - ms) * h[1]
    mg = mg + (g - mg) * h[1]
    mom = mom * h[2] + h[0] * g / np.sqrt(ms - mg * mg + h[3])
    return var - mom, mg, ms, mom
