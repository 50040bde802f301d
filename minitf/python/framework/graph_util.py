"""``tensorflow.python.framework.graph_util``."""

from ...graph_util import *  # noqa: F401,F403
from ...io.freeze import convert_variables_to_constants, extract_sub_graph, remove_training_nodes  # noqa: F401
