"""The classic TF 1.x optimizers, each a few lines on top of ``Optimizer``."""

from __future__ import annotations

from ..framework.scopes import control_dependencies
from ..ops.array_ops import cast, shape
from ..ops.constant_op import convert_to_tensor
from ..ops import state_ops
from ..ops.control_flow_ops import group
from ..ops.gather_ops import unsorted_segment_sum
from ..ops.math_ops import sqrt
from . import training_ops
from .optimizer import Optimizer


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")

    def _apply_dense(self, grad, var):
        lr = _cast_like(self._lr_t, var)
        return training_ops.apply_gradient_descent(var, lr, grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """Only the looked-up rows move: ``ScatterSub`` (what TF 1.x builds; repeated rows add up)."""
        lr = _cast_like(self._lr_t, var)
        return state_ops.scatter_sub(var, grad.indices, grad.values * lr, use_locking=self._use_locking).op


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= learning_rate * accum (or Nesterov's variant)."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate, self._momentum, self._use_nesterov = learning_rate, momentum, use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._momentum_t = convert_to_tensor(self._momentum, name="momentum")

    def _apply_dense(self, grad, var):
        return training_ops.apply_momentum(
            var, self.get_slot(var, "momentum"), _cast_like(self._lr_t, var), grad,
            _cast_like(self._momentum_t, var), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op

    def _apply_sparse(self, grad, var):
        return training_ops.sparse_apply_momentum(
            var, self.get_slot(var, "momentum"), _cast_like(self._lr_t, var), grad.values, grad.indices,
            _cast_like(self._momentum_t, var), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba): bias-corrected running means of the gradient and its square."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False,
                 name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _create_slots(self, var_list):
        self._beta1_power = self._non_slot("beta1_power", _float32(self._beta1))
        self._beta2_power = self._non_slot("beta2_power", _float32(self._beta2))
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name + "_1")

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="learning_rate")
        self._beta1_t = convert_to_tensor(self._beta1, name="beta1")
        self._beta2_t = convert_to_tensor(self._beta2, name="beta2")
        self._epsilon_t = convert_to_tensor(self._epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        c = lambda t: _cast_like(t, var)  # noqa: E731
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"), c(self._beta1_power.value()),
            c(self._beta2_power.value()), c(self._lr_t), c(self._beta1_t), c(self._beta2_t),
            c(self._epsilon_t), grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """TF 1.x's sparse Adam: m and v decay everywhere, the new gradient is added to its rows.

        A row looked up twice gets the sum of its two gradients, squared once in v: TF sums
        repeated indices before ``_apply_sparse`` (``_deduplicate_indexed_slices``).
        """
        c = lambda t: _cast_like(t, var)  # noqa: E731
        beta1_power, beta2_power = c(self._beta1_power.value()), c(self._beta2_power.value())
        beta1, beta2, epsilon = c(self._beta1_t), c(self._beta2_t), c(self._epsilon_t)
        lr = c(self._lr_t) * sqrt(1 - beta2_power) / (1 - beta1_power)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        summed = unsorted_segment_sum(grad.values, grad.indices, shape(var)[0])   # zero on other rows
        m_t = state_ops.assign(m, m * beta1 + summed * (1 - beta1), use_locking=self._use_locking)
        v_t = state_ops.assign(v, v * beta2 + summed * summed * (1 - beta2), use_locking=self._use_locking)
        var_update = state_ops.assign_sub(var, lr * m_t / (sqrt(v_t) + epsilon),
                                          use_locking=self._use_locking)
        return group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope_):
        """After the updates, advance beta1^t and beta2^t (TF's Adam does this here)."""
        with control_dependencies(update_ops):
            b1, b2 = self._beta1_power, self._beta2_power
            u1 = b1.assign(b1 * _cast_like(self._beta1_t, b1), use_locking=self._use_locking)
            u2 = b2.assign(b2 * _cast_like(self._beta2_t, b2), use_locking=self._use_locking)
        return group(*update_ops, u1, u2, name=name_scope_)


class AdagradOptimizer(Optimizer):
    """accum += grad²; var -= learning_rate * grad / sqrt(accum)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate, self._initial = learning_rate, initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accumulator", self._name, self._initial)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad(var, self.get_slot(var, "accumulator"),
                                          _cast_like(self._lr_t, var), grad,
                                          use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return training_ops.sparse_apply_adagrad(var, self.get_slot(var, "accumulator"),
                                                 _cast_like(self._lr_t, var), grad.values, grad.indices,
                                                 use_locking=self._use_locking).op


class RMSPropOptimizer(Optimizer):
    """ms = rho·ms + (1-rho)·grad²; mom = momentum·mom + lr·grad/sqrt(ms+ε); var -= mom.

    ``centered=True`` also tracks the mean gradient mg and divides by the estimated
    variance ``ms - mg²`` instead of the second moment.
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._lr, self._decay, self._momentum, self._epsilon = learning_rate, decay, momentum, epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "rms", self._name, 1.0)
            if self._centered:
                self._zeros_slot(v, "mg", self._name + "_1")
            self._zeros_slot(v, "momentum", self._name + ("_2" if self._centered else "_1"))

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="learning_rate")
        self._decay_t = convert_to_tensor(self._decay, name="decay")
        self._momentum_t = convert_to_tensor(self._momentum, name="momentum")
        self._epsilon_t = convert_to_tensor(self._epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        c = lambda t: _cast_like(t, var)  # noqa: E731
        if self._centered:
            return training_ops.apply_centered_rms_prop(
                var, self.get_slot(var, "mg"), self.get_slot(var, "rms"), self.get_slot(var, "momentum"),
                c(self._lr_t), c(self._decay_t), c(self._momentum_t), c(self._epsilon_t), grad,
                use_locking=self._use_locking).op
        return training_ops.apply_rms_prop(
            var, self.get_slot(var, "rms"), self.get_slot(var, "momentum"), c(self._lr_t),
            c(self._decay_t), c(self._momentum_t), c(self._epsilon_t), grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        c = lambda t: _cast_like(t, var)  # noqa: E731
        return training_ops.sparse_apply_rms_prop(
            var, self.get_slot(var, "rms"), self.get_slot(var, "momentum"), c(self._lr_t),
            c(self._decay_t), c(self._momentum_t), c(self._epsilon_t), grad.values, grad.indices,
            use_locking=self._use_locking).op


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler 2012): steps scaled by running RMS of past updates over RMS of gradients."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name + "_1")

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="lr")
        self._rho_t = convert_to_tensor(self._rho, name="rho")
        self._epsilon_t = convert_to_tensor(self._epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        c = lambda t: _cast_like(t, var)  # noqa: E731
        return training_ops.apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"), c(self._lr_t),
            c(self._rho_t), c(self._epsilon_t), grad, use_locking=self._use_locking).op


def _cast_like(t, var):
    return cast(t, var.dtype.base_dtype)


def _float32(value):
    """TF1 makes beta1^t and beta2^t from Python floats: float32 variables, whatever the variable's dtype."""
    import numpy as np
    return np.asarray(value, dtype=np.float32)
