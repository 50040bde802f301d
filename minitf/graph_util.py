"""``tf.graph_util``: freezing graphs into constants."""

from .io.freeze import (convert_variables_to_constants, extract_sub_graph,  # noqa: F401
                        remove_training_nodes)
