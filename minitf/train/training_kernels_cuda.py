"""numba.cuda kernels for the optimizers' updates, TF's formulas one element per thread.

Each kernel reads the old variable (and slots) and the gradient, and writes
the new values into the ``new_*`` arrays, which may be the old arrays
themselves (an in-place update): every thread reads element ``i`` of an array
before it writes element ``i`` of that array, and touches no other element.  Hyperparameters (learning rate, momentum,
Adam's beta powers...) arrive as one-element device arrays, read with ``[0]``:
they may be variables themselves, so they live on the GPU like everything else.
This module imports numba.cuda; ``training_ops_gpu`` imports it only on first use.
"""

from __future__ import annotations

import math

from numba import cuda


@cuda.jit
def gradient_descent(var, alpha, delta, new_var):
    """var - alpha * delta."""
    a = alpha[0]
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        new_var[i] = var[i] - a * delta[i]


@cuda.jit
def momentum(var, accum, lr, grad, mom, nesterov, new_var, new_accum):
    """accum = mom*accum + grad; var -= lr*accum (Nesterov: lr*grad + lr*mom*accum)."""
    r, m = lr[0], mom[0]
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        acc = accum[i] * m + grad[i]
        new_accum[i] = acc
        if nesterov:
            new_var[i] = var[i] - (r * grad[i] + r * m * acc)
        else:
            new_var[i] = var[i] - r * acc


@cuda.jit
def adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
         new_var, new_m, new_v):
    """Bias-corrected step: lr_t = lr*sqrt(1-b2^t)/(1-b1^t); var -= lr_t*m/(sqrt(v)+eps)."""
    b1, b2, eps = beta1[0], beta2[0], epsilon[0]
    lr_t = lr[0] * math.sqrt(1 - beta2_power[0]) / (1 - beta1_power[0])
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        g = grad[i]
        mi = m[i] + (g - m[i]) * (1 - b1)
        vi = v[i] + (g * g - v[i]) * (1 - b2)
        new_m[i] = mi
        new_v[i] = vi
        new_var[i] = var[i] - lr_t * mi / (math.sqrt(vi) + eps)


@cuda.jit
def adagrad(var, accum, lr, grad, new_var, new_accum):
    """accum += grad^2; var -= lr*grad/sqrt(accum)."""
    r = lr[0]
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        g = grad[i]
        acc = accum[i] + g * g
        new_accum[i] = acc
        new_var[i] = var[i] - r * g / math.sqrt(acc)


@cuda.jit
def rmsprop(var, ms, mom, lr, rho, momentum_, epsilon, grad, new_var, new_ms, new_mom):
    """ms = ms + (grad^2 - ms)(1-rho); mom = momentum*mom + lr*grad/sqrt(ms+eps); var -= mom."""
    r, p, mo, eps = lr[0], rho[0], momentum_[0], epsilon[0]
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        g = grad[i]
        msi = ms[i] + (g * g - ms[i]) * (1 - p)
        mi = mom[i] * mo + r * g / math.sqrt(msi + eps)
        new_ms[i] = msi
        new_mom[i] = mi
        new_var[i] = var[i] - mi


@cuda.jit
def centered_rmsprop(var, mg, ms, mom, lr, rho, momentum_, epsilon, grad, new_var, new_mg, new_ms,
                     new_mom):
    """As rmsprop, with mg = mg + (grad - mg)(1-rho) and the variance ms - mg^2 under the root."""
    r, p, mo, eps = lr[0], rho[0], momentum_[0], epsilon[0]
    for i in range(cuda.grid(1), var.size, cuda.gridsize(1)):
        g = grad[i]
        msi = ms[i] + (g * g - ms[i]) * (1 - p)
        mgi = mg[i] + (g - mg[i]) * (1 - p)
        mi = mom[i] * mo + r * g / math.sqrt(msi - mgi * mgi + eps)
        new_mg[i] = mgi
        new_ms[i] = msi
        new_mom[i] = mi
        new_var[i] = var[i] - mi
