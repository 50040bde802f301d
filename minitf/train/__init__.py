"""``tf.train``: optimizers, the global step, and (with minitf.io) Saver and checkpoints."""

from ..io.meta_graph import export_meta_graph as _export, write_meta_graph_file
from ..io.protos.saver_pb2 import SaverDef  # noqa: F401
from .checkpoint_utils import (CheckpointReader, NewCheckpointReader, list_variables,  # noqa: F401
                               load_checkpoint, load_variable)
from .graph_io_util import write_graph  # noqa: F401
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay,  # noqa: F401
                                  natural_exp_decay, piecewise_constant, polynomial_decay)
from .meta_graph_import import import_meta_graph  # noqa: F401
from .moving_averages import ExponentialMovingAverage  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,  # noqa: F401
                         GradientDescentOptimizer, MomentumOptimizer, RMSPropOptimizer)
from .queue_runner import (Coordinator, QueueRunner, add_queue_runner, batch, batch_join,  # noqa: F401
                           input_producer, range_input_producer, shuffle_batch, shuffle_batch_join,
                           slice_input_producer, start_queue_runners, string_input_producer)
from .saver import Saver, checkpoint_exists, get_checkpoint_state, latest_checkpoint  # noqa: F401
from .training_util import (create_global_step, get_global_step,  # noqa: F401
                            get_or_create_global_step, global_step)
from ..summary.summary_iterator import summary_iterator  # noqa: F401


def export_meta_graph(filename=None, collection_list=None, as_text=False, graph=None, clear_devices=False,
                      **kwargs):
    """The default graph (with collections) as a MetaGraphDef, written to ``filename`` if given."""
    meta = _export(graph, collection_list=collection_list, clear_devices=clear_devices)
    if filename:
        write_meta_graph_file(meta, filename, as_text)
    return meta
