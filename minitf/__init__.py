"""minitf: a small TensorFlow 1.x you can read.  ``import minitf as tf``.

This module only re-exports; each name lives in the file that explains it.
Importing minitf compiles nothing: numba kernels compile on first use.
"""

from . import errors, gfile, graph_util, train  # noqa: F401
from .ops import io_ops as _io_ops  # noqa: F401  (registers SaveV2/RestoreV2)
from .io.graph_io import import_graph_def  # noqa: F401
from .io.protos.graph_pb2 import GraphDef  # noqa: F401
from .io.protos.meta_graph_pb2 import MetaGraphDef  # noqa: F401
from .io.protos.node_def_pb2 import NodeDef  # noqa: F401
from .autodiff.gradients import gradients  # noqa: F401
from .client.config import ConfigProto, GPUOptions, GraphOptions, RunMetadata, RunOptions  # noqa: F401
from .client.session import InteractiveSession, Session, get_default_session  # noqa: F401
from .framework import debug, dtypes  # noqa: F401
from .framework.context import executing_eagerly  # noqa: F401
from .framework.dtypes import (DType, as_dtype, bool, double, float16, float32, float64,  # noqa: F401,A004
                               half, int8, int16, int32, int64, string, uint8, uint16)
from .framework.graph import (Graph, GraphKeys, add_to_collection, add_to_collections,  # noqa: F401
                              get_collection, get_collection_ref, get_default_graph,
                              reset_default_graph)
from .framework.operation import Operation  # noqa: F401
from .framework.random_seed import set_random_seed  # noqa: F401
from .framework.scopes import control_dependencies, device, name_scope  # noqa: F401
from .framework.tensor import Tensor  # noqa: F401
from .framework.tensor_shape import Dimension, TensorShape  # noqa: F401
from .ops.array_ops import (broadcast_to, cast, fill, identity, no_op, ones, ones_like,  # noqa: F401
                            placeholder, placeholder_with_default, rank, reshape, shape, size,
                            stop_gradient, zeros, zeros_like)
from .ops.constant_op import constant, convert_to_tensor, register_tensor_conversion_function  # noqa: F401
from .ops.control_flow_ops import group, tuple  # noqa: F401,A004
from .ops.math_ops import (abs, add, add_n, ceil, clip_by_value, cos, div, divide, equal, exp,  # noqa: F401,A004
                           expm1, floor, floordiv, floormod, greater, greater_equal, less, less_equal,
                           log, log1p, logical_and, logical_not, logical_or, maximum, minimum, mod,
                           multiply, negative, not_equal, pow, realdiv, reciprocal, round, rsqrt,
                           sigmoid, sign, sin, sqrt, square, squared_difference, subtract, tanh,
                           truediv, where, where_v2)
from .ops.matmul_op import matmul  # noqa: F401
from .ops.random_ops import random_normal, random_uniform, truncated_normal  # noqa: F401
from .ops.reduction_ops import (arg_max, arg_min, argmax, argmin, reduce_all, reduce_any,  # noqa: F401
                                reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from .ops.state_ops import assign, assign_add, assign_sub, is_variable_initialized  # noqa: F401
from .ops.variables import (Variable, all_variables, global_variables,  # noqa: F401
                            global_variables_initializer, initialize_all_variables, local_variables,
                            local_variables_initializer, model_variables,
                            report_uninitialized_variables, trainable_variables,
                            variables_initializer)

from . import contrib, python_io, summary, test  # noqa: F401,E402
from .summary import Event, HistogramProto, SessionLog, Summary, SummaryMetadata  # noqa: F401,E402
from .eager.mode import enable_eager_execution  # noqa: F401,E402
from .eager.tape import GradientTape  # noqa: F401,E402

__version__ = "0.1.0"
# The TF version minitf imitates (what tf.__version__ would say for the API it follows).
VERSION = "1.15.0"
GIT_VERSION = "minitf"
newaxis = None
from . import losses, nn  # noqa: F401,E402
from .ops.array_ops_extra import (boolean_mask, concat, expand_dims, eye, gather,  # noqa: F401,E402,A004
                                  invert_permutation, lin_space, linspace, one_hot, pad, range,
                                  slice, split, squeeze, stack, strided_slice, tile, transpose,
                                  unsorted_segment_sum, unstack)
from .ops.nn_ops import div_no_nan  # noqa: F401,E402
from .ops.cumulative_ops import cumprod, cumsum  # noqa: F401,E402
from .ops.indexed_slices import IndexedSlices, IndexedSlicesValue  # noqa: F401,E402
from .ops.numerics_ops import (add_check_numerics_ops, check_numerics, is_finite,  # noqa: F401,E402
                               is_inf, is_nan)
from . import debugging  # noqa: F401,E402
from .ops.state_ops import scatter_add, scatter_sub, scatter_update  # noqa: F401,E402
from . import initializers, linalg  # noqa: F401,E402
from .train.moving_averages import moving_average_variables  # noqa: F401,E402
from .ops.clip_ops import clip_by_global_norm, clip_by_norm, global_norm  # noqa: F401,E402
from .ops.linalg_ops import diag_part, qr  # noqa: F401,E402
from .ops.init_ops import (constant_initializer, glorot_normal_initializer,  # noqa: F401,E402
                           glorot_uniform_initializer, ones_initializer, orthogonal_initializer,
                           random_normal_initializer, random_uniform_initializer,
                           truncated_normal_initializer, variance_scaling_initializer, zeros_initializer)
from .ops.variable_scope import (AUTO_REUSE, VariableScope, get_local_variable,  # noqa: F401,E402
                                 get_variable, get_variable_scope, no_regularizer, variable_scope)
from . import data  # noqa: F401,E402
from . import compat  # noqa: F401,E402
from . import layers  # noqa: F401,E402
from .ops.special_math_ops import count_nonzero, einsum, erf, reduce_logsumexp, tensordot  # noqa: F401,E402
from .ops.nd_index_ops import gather_nd, reverse, scatter_nd, sequence_mask  # noqa: F401,E402
from .ops.nd_index_ops import reverse as reverse_v2  # noqa: F401,E402
from .ops.conversion_ops import to_double, to_float, to_int32, to_int64  # noqa: F401,E402
from .ops.logging_ops import Print, print_v2 as print  # noqa: F401,E402,A001
from . import tf_logging as logging  # noqa: F401,E402
from . import app  # noqa: F401,E402
from .app import flags  # noqa: F401,E402
from .ops.script_ops import py_func  # noqa: F401,E402
from . import saved_model  # noqa: F401,E402
from .client import function_runner as _function_runner  # noqa: F401,E402  (runs cond/loop bodies)
from .ops import functional_ops as _functional_ops  # noqa: F401,E402  (registers If/While)
from .ops.cond import case, cond  # noqa: F401,E402
from .ops.while_loop import while_loop  # noqa: F401,E402
from .ops.map_fn import map_fn  # noqa: F401,E402
from .ops.assert_op import Assert  # noqa: F401,E402
from .ops.scan import foldl, foldr, scan  # noqa: F401,E402

# High-level APIs minitf leaves out on purpose: asking for one says what to use instead.
# (Still an AttributeError, so ``hasattr(tf, "estimator")`` stays False as for any missing name.)
_LEFT_OUT = {
    "estimator": "tf.estimator hides the graph and the session this course is about; build the model "
                 "with tf.layers (or tf.nn) and train it with a Session loop",
    "keras": "tf.keras (Keras models, the main API of TensorFlow 2) is not part of minitf, which teaches "
             "TF 1.x graphs: use tf.layers for the layers and a Session loop for fit/evaluate",
}


def __getattr__(name):
    if name in _LEFT_OUT:
        raise AttributeError(f"module 'minitf' has no attribute '{name}': {_LEFT_OUT[name]}.")
    raise AttributeError(f"module 'minitf' has no attribute '{name}'")
