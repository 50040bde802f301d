"""Pictures of what minitf builds: graphs (graphviz) and training curves (matplotlib).

``draw_graph(loss)`` draws the computation graph (计算图) behind ``loss``: ops are
nodes labelled with their name and type, tensors are edges labelled with shape
and dtype, name scopes become boxes (clusters), and variables, placeholders and
constants each get their own shape and colour.  The ``gradients`` and optimizer
scopes that ``minimize`` adds are folded into one node each, so the model stays
readable.  Pictures are made for slides: at most 1100x540 pixels (what a 1280x720 slide
leaves under a title and a line of code), laid out top-down or left-to-right, whichever
keeps the picture larger.  In Jupyter the result shows as a PNG; without Graphviz's ``dot``
program it shows the DOT text and how to install ``dot`` instead of failing.

The plot helpers draw with pyplot and return the Figure.  In a notebook, follow
the call with ``plt.show()`` so the picture is shown once and no Figure repr is
printed (a trailing ``;`` does the same in Jupyter, but not under nbval, which
runs cells without history and so does not see the semicolon).
"""

from __future__ import annotations

import re
from pathlib import Path

from .framework.graph import Graph, get_default_graph
from .framework.operation import Operation
from .framework.tensor import Tensor
from .summary.scalars import read_scalars

# Scopes that tf.gradients and the optimizers create; drawn as one node each by default.
DEFAULT_COLLAPSE = ("gradients", "GradientDescent", "Momentum", "Adam", "Adagrad", "RMSProp")

INSTALL_HINT = (
    "Graphviz's `dot` program was not found, so the graph cannot be drawn as a picture.\n"
    "Install it, then re-run the cell:\n"
    "    sudo apt-get install graphviz                    (Debian/Ubuntu)\n"
    "    brew install graphviz                            (macOS)\n"
    "    conda install -c conda-forge python-graphviz     (conda, any system)\n"
    "Meanwhile, here is the graph in DOT text (any Graphviz viewer draws it):\n"
)

# How each kind of node looks: variables are storage (cylinders), placeholders are
# inlets (an arrow-like house), constants are plain grey boxes, ops are ellipses.
_STYLE = {
    "variable": {"shape": "cylinder", "style": "filled", "fillcolor": "#fbd9a6"},
    "placeholder": {"shape": "invhouse", "style": "filled", "fillcolor": "#b9dcf7"},
    "constant": {"shape": "box", "style": "filled", "fillcolor": "#e4e4e4"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#ffffff"},
    "collapsed": {"shape": "folder", "style": "filled", "fillcolor": "#d7d3f0"},
    # Control flow ops hold whole functions: a diamond decides, a double octagon loops.
    "branch": {"shape": "diamond", "style": "filled", "fillcolor": "#c9ecc9"},
    "loop": {"shape": "doubleoctagon", "style": "filled", "fillcolor": "#c9ecc9"},
}
_KIND_OF_TYPE = {
    "VariableV2": "variable", "Variable": "variable", "VarHandleOp": "variable",
    "Placeholder": "placeholder", "PlaceholderWithDefault": "placeholder",
    "Const": "constant",
    "If": "branch", "StatelessIf": "branch", "While": "loop", "StatelessWhile": "loop",
}
# The functions a control flow op runs, by attr, as the picture names them.
_BODIES = {"branch": (("then_branch", "true"), ("else_branch", "false")),
           "loop": (("cond", "cond"), ("body", "body"))}


def node_kind(op: Operation) -> str:
    """``'variable'``, ``'placeholder'``, ``'constant'`` or ``'op'``."""
    return _KIND_OF_TYPE.get(op.type, "op")


# --------------------------------------------------------------------------- graphs
# Pictures are made for 1280x720 slides: under a title and a line of code a picture has about
# 1100x540 pixels. DPI sets the pixel size of the PNG Jupyter shows (the fonts below are points).
DPI = 80
SLIDE_FIT = (1100, 540)


def draw_graph(graph_or_tensors=None, collapse=DEFAULT_COLLAPSE, show_shapes: bool = True,
               rankdir: str = "auto", fit=SLIDE_FIT) -> "GraphPicture":
    """Draw a graph, or only what some tensors/ops need, as a :class:`GraphPicture`.

    ``graph_or_tensors``: None (the default graph), a Graph, or a Tensor, Operation,
    Variable or list of them (then only their ancestors are drawn).  A ``tf.cond`` is a
    diamond, a ``tf.while_loop`` a double octagon, each listing what its functions compute;
    draw one function itself with ``draw_graph(loop_op.get_attr("body"))``.
    ``collapse``: scope names whose ops become one node (``gradients`` also matches
    ``gradients_1``); pass ``()`` to see every op.
    ``rankdir``: ``"TB"`` (inputs at the top), ``"LR"`` (inputs on the left), or ``"auto"``:
    whichever of the two needs less shrinking to fit (TB on a tie, or without ``dot``).
    ``fit``: (width, height) in pixels the PNG is shrunk to fit, keeping its proportions
    (default: what a 1280x720 slide leaves for a picture); None draws it at full size.
    """
    if rankdir not in ("auto", "TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'auto', 'TB', 'LR', 'BT' or 'RL', got {rankdir!r}")
    ops = _ops_to_draw(graph_or_tensors)
    groups = _collapsed_groups(ops, tuple(collapse or ()))
    dot, nodes, edges = _build_dot(ops, groups, show_shapes, "TB" if rankdir == "auto" else rankdir)
    if fit is not None:
        width, height = fit
        dot.graph_attr["size"] = f"{width / DPI:g},{height / DPI:g}"   # shrink only, never enlarge
    if rankdir == "auto":
        dot.graph_attr["rankdir"] = _roomier_rankdir(dot, fit or SLIDE_FIT)
    return GraphPicture((dot, nodes, edges))


def _roomier_rankdir(dot, fit) -> str:
    """'TB' or 'LR': the layout that keeps the picture larger inside ``fit`` (lay out both with dot)."""
    import graphviz
    scales = {}
    for rankdir in ("TB", "LR"):
        trial = dot.copy()
        trial.graph_attr.update(rankdir=rankdir, size="")
        try:
            head = trial.pipe(format="plain").split(b"\n", 1)[0].split()   # graph <scale> <width> <height>
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
            return "TB"
        width, height = float(head[2]) * DPI, float(head[3]) * DPI
        scales[rankdir] = min(1.0, fit[0] / width, fit[1] / height)
    return "LR" if scales["LR"] > scales["TB"] * 1.05 else "TB"


def _ops_to_draw(what) -> list:
    """The ops to draw, in creation order."""
    if what is None:
        what = get_default_graph()
    if isinstance(what, Graph):
        return what.get_operations()
    targets = [_as_op(x) for x in (what if isinstance(what, (list, tuple)) else [what])]
    needed, stack = set(), list(targets)
    while stack:                                  # iterative walk to every ancestor
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return [op for op in targets[0].graph.get_operations() if op in needed]


def _as_op(x) -> Operation:
    if isinstance(x, Operation):
        return x
    if isinstance(x, Tensor) or hasattr(x, "op"):   # Tensor or Variable
        return x.op
    raise TypeError(f"draw_graph() takes a Graph, Tensors, Operations or Variables, not {type(x).__name__}")


def _collapsed_groups(ops, collapse) -> dict:
    """op name -> name of the collapsed node it belongs to (only for collapsed ops)."""
    if not collapse:
        return {}
    pattern = re.compile("^(?:" + "|".join(re.escape(c) for c in collapse) + r")(?:_\d+)?$")
    groups = {}
    for op in ops:
        parts = op.name.split("/")
        for i, part in enumerate(parts):
            if pattern.match(part):
                groups[op.name] = "/".join(parts[:i + 1])
                break
    return groups


class _Node:
    __slots__ = ("name", "label", "kind", "count")

    def __init__(self, name, label, kind):
        self.name, self.label, self.kind, self.count = name, label, kind, 1


def _build_dot(ops, groups, show_shapes, rankdir):
    import graphviz
    nodes: dict[str, _Node] = {}                  # node name -> node, in creation order
    for op in ops:
        group = groups.get(op.name)
        if group is None:
            nodes[op.name] = _Node(op.name, _op_label(op), node_kind(op))
        elif group in nodes:
            nodes[group].count += 1
        else:
            nodes[group] = _Node(group, "", "collapsed")
    for node in nodes.values():
        if node.kind == "collapsed":
            node.label = f"{node.name.rsplit('/', 1)[-1]}\n({node.count} ops)"

    edges: dict[tuple, tuple] = {}                # (src, dst) -> (label, is_control)
    for op in ops:
        dst = groups.get(op.name, op.name)
        for t in op.inputs:
            src = groups.get(t.op.name, t.op.name)
            if src != dst and src in nodes:
                # Edges into or out of a folded scope stay unlabelled: many of them, all alike.
                folded = nodes[src].kind == "collapsed" or nodes[dst].kind == "collapsed"
                edges.setdefault((src, dst), (_edge_label(t) if show_shapes and not folded else "", False))
        for c in op.control_inputs:
            src = groups.get(c.name, c.name)
            if src != dst and src in nodes:
                edges.setdefault((src, dst), ("", True))

    dot = graphviz.Digraph("minitf", graph_attr={
        "rankdir": rankdir, "fontname": "Helvetica", "fontsize": "10", "nodesep": "0.25",
        "ranksep": "0.3", "dpi": str(DPI), "newrank": "true"},
        node_attr={"fontname": "Helvetica", "fontsize": "10", "height": "0.3", "margin": "0.06,0.03"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#555555", "fontcolor": "#333333",
                   "arrowsize": "0.6"})
    _add_clusters(dot, list(nodes.values()))
    for (src, dst), (label, control) in edges.items():
        if control:
            dot.edge(src, dst, style="dashed", color="#999999")
        else:
            dot.edge(src, dst, label=label)
    return dot, list(nodes), sorted(edges)


def _op_label(op: Operation) -> str:
    short = op.name.rsplit("/", 1)[-1]
    label = op.type if short == op.type else f"{short}\n{op.type}"
    if node_kind(op) in _BODIES:                  # say what runs inside, e.g. "body: MatMul, Add"
        for attr, title in _BODIES[node_kind(op)]:
            label += f"\n{title}: {_summary(op.attrs.get(attr))}"
    if op.type == "Const":
        value = op.attrs.get("value")
        if value is not None and getattr(value, "size", 2) == 1:
            label += f" = {value.reshape(()).item():g}" if value.dtype.kind in "fiu" else ""
    return label


def _summary(func_graph, most: int = 3) -> str:
    """The op types a function body computes with (not its inputs), e.g. "Mul, Add (+2 more)"."""
    if func_graph is None:
        return "?"
    types = [op.type for op in func_graph.get_operations() if op.type not in ("Placeholder", "Const")]
    types = list(dict.fromkeys(types))
    if not types:
        return "passes values through"
    more = f" (+{len(types) - most} more)" if len(types) > most else ""
    return ", ".join(types[:most]) + more


def _edge_label(t: Tensor) -> str:
    return f" {t.shape} {t.dtype.name}"


def _cluster_of(name: str, scopes: dict) -> str:
    """The scope box a node is drawn in ('' for none).

    A node whose own name is also a scope (``W`` beside ``W/read``) is drawn in that
    box, as TensorBoard does, so a variable sits with its Assign and read ops.
    """
    return name if name in scopes else _parent(name)


def _parent(name: str) -> str:
    return name.rsplit("/", 1)[0] if "/" in name else ""


def _add_clusters(dot, nodes) -> None:
    """Emit nodes, nested in one cluster per name scope (creation order throughout)."""
    scopes: dict[str, None] = {}                  # every scope prefix in use (ordered set)
    for node in nodes:
        parts = node.name.split("/")
        for i in range(1, len(parts)):
            scopes.setdefault("/".join(parts[:i]), None)
    members: dict[str, list] = {"": []}
    for node in nodes:
        scope = _parent(node.name) if node.kind == "collapsed" else _cluster_of(node.name, scopes)
        members.setdefault(scope, []).append(node)
        while scope:                              # make sure every enclosing box exists
            scope = _parent(scope)
            members.setdefault(scope, [])
    children: dict[str, list] = {}
    for scope in members:
        if scope:
            children.setdefault(_parent(scope), []).append(scope)
    _emit(dot, "", members, children)


def _emit(g, scope, members, children) -> None:
    for node in members.get(scope, []):
        g.node(node.name, label=node.label, **_STYLE[node.kind])
    for child in children.get(scope, []):
        with g.subgraph(name="cluster_" + child) as sub:
            sub.attr(label=child.rsplit("/", 1)[-1], style="rounded,filled", fillcolor="#f6f6f6",
                     color="#bbbbbb", fontcolor="#555555", labeljust="l")
            _emit(sub, child, members, children)


class GraphPicture:
    """A drawn graph: shows as PNG in Jupyter; ``.source``, ``.edges()``, ``.save()``."""

    def __init__(self, built):
        self._dot, self._nodes, self._edges = built
        self._png: bytes | None = None
        self._error: str | None = None

    @property
    def source(self) -> str:
        """The graph in Graphviz's DOT language."""
        return self._dot.source

    def nodes(self) -> list:
        """Node names in drawing (creation) order; a collapsed scope is one node."""
        return list(self._nodes)

    def edges(self) -> list:
        """Sorted ``(src, dst)`` node-name pairs (data and control edges)."""
        return list(self._edges)

    def png(self) -> bytes | None:
        """PNG bytes, or None when Graphviz cannot run (see ``install_hint``)."""
        if self._png is None and self._error is None:
            import graphviz
            try:
                self._png = self._dot.pipe(format="png")
            except graphviz.ExecutableNotFound:
                self._error = INSTALL_HINT
            except graphviz.CalledProcessError as e:       # dot ran but failed
                self._error = f"Graphviz failed to draw the graph: {e}\nThe graph in DOT text:\n"
        return self._png

    def save(self, path) -> Path:
        """Write the picture; the suffix picks the format (.png, .svg, .pdf, .gv/.dot = DOT text)."""
        path = Path(path)
        fmt = path.suffix.lstrip(".").lower() or "png"
        if fmt in ("gv", "dot"):
            path.write_text(self.source)
            return path
        import graphviz
        try:
            path.write_bytes(self._dot.pipe(format=fmt))
        except graphviz.ExecutableNotFound:
            raise RuntimeError(INSTALL_HINT + "(or save the DOT text: picture.save('graph.gv'))") from None
        return path

    # --- Jupyter -------------------------------------------------------------
    def _repr_png_(self):
        return self.png()

    def _repr_pretty_(self, p, cycle) -> None:
        if self.png() is None:
            p.text(self._error + self.source)
        else:
            p.text(repr(self))

    def __repr__(self) -> str:
        return f"<minitf.viz.GraphPicture: {len(self._nodes)} nodes, {len(self._edges)} edges>"


# --------------------------------------------------------------------------- plots
def _new_axes(ax, figsize):
    import matplotlib.pyplot as plt
    if ax is not None:
        return ax.figure, ax
    return plt.subplots(figsize=figsize)


def plot_loss(history, *, ax=None, title: str = "Training loss", xlabel: str = "step",
              ylabel: str = "loss", logy: bool = False, figsize=(5.5, 3.2)):
    """Plot one loss curve (a list of numbers) or several (``{label: list}``); returns the Figure."""
    fig, ax = _new_axes(ax, figsize)
    curves = history if isinstance(history, dict) else {None: history}
    for label, values in curves.items():
        ax.plot(range(len(values)), list(values), label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if len(curves) > 1 or None not in curves:
        ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_fit(x, y, y_pred=None, *, ax=None, title: str = "Data and fitted line",
             xlabel: str = "x", ylabel: str = "y", figsize=(5.5, 3.2)):
    """Scatter 1-D data ``(x, y)`` and draw the model's predictions ``y_pred`` as a line."""
    import numpy as np
    fig, ax = _new_axes(ax, figsize)
    x, y = np.ravel(x), np.ravel(y)
    ax.scatter(x, y, s=12, alpha=0.6, label="data")
    if y_pred is not None:
        order = np.argsort(x, kind="stable")
        ax.plot(x[order], np.ravel(y_pred)[order], color="C3", lw=2, label="model")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_predictions(y_true, y_pred, *, ax=None, title: str = "Predicted vs true",
                     label: str | None = None, figsize=(4.2, 3.8)):
    """Scatter predictions against true values, with the ideal line y = x."""
    import numpy as np
    fig, ax = _new_axes(ax, figsize)
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    ax.scatter(y_true, y_pred, s=12, alpha=0.6, label=label)
    lo, hi = float(min(y_true.min(), y_pred.min())), float(max(y_true.max(), y_pred.max()))
    ax.plot([lo, hi], [lo, hi], color="grey", lw=1, ls="--")
    ax.set(title=title, xlabel="true", ylabel="predicted")
    if label:
        ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_paths(loss_fn, paths: dict, *, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), levels=20,
               ax=None, title: str = "Optimizer paths", xlabel: str = "x", ylabel: str = "y",
               figsize=(5.5, 4.2)):
    """Contour plot of a 2-D ``loss_fn(x, y)`` (numpy) with each path ``{label: [(x, y), ...]}``."""
    import numpy as np
    fig, ax = _new_axes(ax, figsize)
    xs, ys = np.linspace(*xlim, 200), np.linspace(*ylim, 200)
    gx, gy = np.meshgrid(xs, ys)
    ax.contour(gx, gy, loss_fn(gx, gy), levels=levels, colors="0.7", linewidths=0.6)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker="o", ms=2.5, lw=1.2, label=label)
    start = np.asarray(next(iter(paths.values())))[0]
    ax.plot(start[0], start[1], "k*", ms=10)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_scalars(logdir, tags=None, *, runs=None, ncols: int = 3, figsize_per_plot=(4.0, 2.8)):
    """Plot the scalar summaries of a TensorBoard logdir: one plot per tag, one line per run.

    Reads the event files with minitf's own reader (``tf.train.summary_iterator``),
    so it works without TensorBoard, e.g. in a notebook right after training.
    ``tags`` and ``runs`` pick what to show (default: everything).  Returns the Figure.
    """
    import matplotlib.pyplot as plt

    data = read_scalars(logdir)
    if runs is not None:
        data = {run: data[run] for run in runs if run in data}
    all_tags = sorted({tag for curves in data.values() for tag in curves})
    wanted, tags = tags, all_tags if tags is None else [t for t in tags if t in all_tags]
    if not tags:
        raise ValueError(f"No scalar summaries found in {logdir}"
                         + (f" with tags {list(wanted)!r} (it has {all_tags!r})" if wanted else ""))
    ncols = max(1, min(ncols, len(tags)))
    nrows = -(-len(tags) // ncols)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(figsize_per_plot[0] * ncols, figsize_per_plot[1] * nrows))
    for ax, tag in zip(axes.flat, tags):
        for run, curves in data.items():
            if tag in curves:
                steps, values = curves[tag]
                ax.plot(steps, values, label=run)
        ax.set(title=tag, xlabel="step")
        ax.grid(alpha=0.3)
        if len(data) > 1:
            ax.legend(fontsize=8)
    for ax in axes.flat[len(tags):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
