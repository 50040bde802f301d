"""Methods TF hangs on framework classes whose work lives in a higher layer.

``Graph.as_graph_def()`` and ``Operation.node_def`` serialize to protobufs,
which is ``io/graph_io.py``'s job.  framework/ is the ground floor and imports
nothing above it, so the higher module installs its functions here when it is
imported (``import minitf`` imports it), and the framework methods call them.
"""

from __future__ import annotations

_installed: dict = {}

# name -> what the installed function does
HOOKS = {
    "graph_def": "(graph, add_shapes) -> GraphDef protobuf (io/graph_io.py)",
    "node_def": "(operation) -> NodeDef protobuf (io/graph_io.py)",
    "versions_def": "() -> VersionDef protobuf (io/graph_io.py)",
    "run_function": "(func_graph, runtime, args) -> output arrays (client/function_runner.py)",
}


def install(**functions) -> None:
    """Give framework the functions named in ``HOOKS``."""
    unknown = set(functions) - set(HOOKS)
    if unknown:
        raise KeyError(f"No framework hook named {sorted(unknown)}")
    _installed.update(functions)


def call(name: str, *args, **kwargs):
    """Run the installed function ``name``."""
    try:
        function = _installed[name]
    except KeyError:
        raise RuntimeError(f"Nothing installed the '{name}' hook: import minitf first") from None
    return function(*args, **kwargs)
