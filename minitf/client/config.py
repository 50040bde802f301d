"""``tf.ConfigProto`` and friends: how a Session should behave.

Only the fields that change minitf's behaviour are interpreted
(``log_device_placement``, ``allow_soft_placement``, ``intra_op_parallelism_threads``);
the rest are accepted and kept so TF programs run unchanged.
"""

from __future__ import annotations


class GPUOptions:
    def __init__(self, allow_growth=False, per_process_gpu_memory_fraction=0.0,
                 visible_device_list="", **kwargs):
        self.allow_growth = allow_growth
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction
        self.visible_device_list = visible_device_list
        self.__dict__.update(kwargs)


class GraphOptions:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class ConfigProto:
    """Session configuration (TF's ``ConfigProto`` message, as a plain object)."""

    def __init__(self, log_device_placement=False, allow_soft_placement=False, device_count=None,
                 gpu_options=None, intra_op_parallelism_threads=0, inter_op_parallelism_threads=0,
                 graph_options=None, **kwargs):
        self.log_device_placement = bool(log_device_placement)
        self.allow_soft_placement = bool(allow_soft_placement)
        self.device_count = dict(device_count or {})
        self.gpu_options = gpu_options or GPUOptions()
        self.graph_options = graph_options or GraphOptions()
        self.intra_op_parallelism_threads = intra_op_parallelism_threads
        self.inter_op_parallelism_threads = inter_op_parallelism_threads
        self.__dict__.update(kwargs)

    def __repr__(self) -> str:
        fields = [f"{k}: {str(v).lower() if isinstance(v, bool) else v}"
                  for k, v in (("log_device_placement", self.log_device_placement),
                               ("allow_soft_placement", self.allow_soft_placement)) if v]
        return "\n".join(fields)


class RunOptions:
    """Accepted for compatibility; minitf has no tracing levels."""
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3

    def __init__(self, trace_level=0, **kwargs):
        self.trace_level = trace_level
        self.__dict__.update(kwargs)


class RunMetadata:
    def __init__(self):
        self.step_stats = None
        self.partition_graphs = []
