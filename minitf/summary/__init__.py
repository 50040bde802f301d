"""``tf.summary``: log values from a graph for TensorBoard.

Summary ops (``scalar``, ``histogram``, ``image``, ``audio``, ``text``) return
serialized ``Summary`` protos when run; ``merge_all`` merges the ones a graph
has; a ``FileWriter`` writes them with their step to an event file.
"""

from ..io.protos.event_pb2 import Event, SessionLog, TaggedRunMetadata  # noqa: F401
from ..io.protos.summary_pb2 import (HistogramProto, Summary, SummaryDescription,  # noqa: F401
                                     SummaryMetadata)
from .summary import (audio, get_summary_description, histogram, image, merge, merge_all,  # noqa: F401
                      scalar, tensor_summary, text)
from .summary_iterator import summary_iterator  # noqa: F401
from .writer import FileWriter  # noqa: F401
from .writer_cache import FileWriterCache  # noqa: F401
