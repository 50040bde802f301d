"""``tf.debugging``: checks for NaN and Inf (TF 1.x names)."""

from .ops.numerics_ops import check_numerics, is_finite, is_inf, is_nan  # noqa: F401
