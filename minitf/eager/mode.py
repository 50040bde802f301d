"""``tf.enable_eager_execution()``: the one-way switch to eager mode.

TF 1.x decides the mode once per program: eager execution must be enabled
before any graph is built, and cannot be turned off again.  The options it
takes say how strictly devices are kept apart (the *device policy*) and
whether op execution details are logged.
"""

from __future__ import annotations

from ..framework import context, graph as graph_mod
from .executor import EagerExecutor

# Device policies (TF's TFE_ContextDevicePlacementPolicy values): what happens
# when an op's input lives on another device than the op runs on.
DEVICE_PLACEMENT_EXPLICIT = 0          # always an error: copy with .gpu()/.cpu()
DEVICE_PLACEMENT_WARN = 1              # copy, and log a warning
DEVICE_PLACEMENT_SILENT = 2            # copy quietly
DEVICE_PLACEMENT_SILENT_FOR_INT32 = 3  # copy int32 quietly, refuse the rest (TF 1.x default)

# Execution modes: minitf always runs synchronously; ASYNC is accepted.
SYNC = 0
ASYNC = 1

_POLICIES = (DEVICE_PLACEMENT_EXPLICIT, DEVICE_PLACEMENT_WARN, DEVICE_PLACEMENT_SILENT,
             DEVICE_PLACEMENT_SILENT_FOR_INT32)


class _Options:
    """The options eager mode was enabled with (process-wide, as in TF)."""
    device_policy = DEVICE_PLACEMENT_SILENT_FOR_INT32
    log_device_placement = False
    allow_soft_placement = False
    config = None


options = _Options()


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Run ops immediately from now on (call once, at program startup)."""
    if device_policy is not None and device_policy not in _POLICIES:
        raise ValueError("device_policy must be one of None, tfe.DEVICE_PLACEMENT_EXPLICIT, "
                         "tfe.DEVICE_PLACEMENT_WARN, tfe.DEVICE_PLACEMENT_SILENT, "
                         "tfe.DEVICE_PLACEMENT_SILENT_FOR_INT32")
    if execution_mode not in (None, SYNC, ASYNC):
        raise ValueError("execution_mode must be one of None, tfe.SYNC, tfe.ASYNC")
    if context.executing_eagerly():
        _check_same_options(config, device_policy)
        return
    if graph_mod._graph_was_used():
        raise ValueError("tf.enable_eager_execution must be called at program startup.")
    if device_policy is not None:
        options.device_policy = device_policy
    if config is not None:
        options.config = config
        options.log_device_placement = bool(getattr(config, "log_device_placement", False))
        options.allow_soft_placement = bool(getattr(config, "allow_soft_placement", False))
    # From here on apply_op runs ops at once and tf.Variable(...) builds eager variables.
    context.install_executor(EagerExecutor())


def _check_same_options(config, device_policy) -> None:
    """A second call is fine unless it asks for different options (TF's rule)."""
    if (device_policy is not None and device_policy != options.device_policy) or \
            (config is not None and config is not options.config):
        raise ValueError("Trying to change the options of an active eager execution. "
                         f"Context device_policy: {options.device_policy}, "
                         f"given device_policy: {device_policy}")


def executing_eagerly() -> bool:
    """True once eager execution is enabled."""
    return context.executing_eagerly()
