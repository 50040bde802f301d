"""minitf.viz: graph pictures (structure read from the DOT text), PNG, no-dot fallback, plots."""

import re
import shutil

import pytest

import minitf as tf
from minitf import viz

graphviz = pytest.importorskip("graphviz")
HAVE_DOT = shutil.which("dot") is not None


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def lecture_graph():
    """The lecture's ((w × x) + b) × c."""
    w = tf.Variable(2.0, name="w")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    b = tf.Variable(1.0, name="b")
    c = tf.constant(3.0, name="c")
    return ((w * x) + b) * c


def linear_regression():
    data = tf.placeholder(tf.float32, [None, 4], name="data")
    label = tf.placeholder(tf.float32, [None, 1], name="label")
    with tf.name_scope("model"):
        weight = tf.Variable(tf.zeros([4, 1]), name="weight")
        bias = tf.Variable(tf.ones([1]), name="bias")
        y = tf.matmul(data, weight) + bias
    loss = tf.reduce_mean(tf.square(label - y), name="loss")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return loss, train


def node_line(source: str, name: str) -> str:
    """The DOT statement that declares node ``name``."""
    quoted = f'"{name}"' if not re.fullmatch(r"\w+", name) else name
    for stmt in re.split(r"\n(?=\t)", source):
        if stmt.strip().startswith(quoted + " ["):
            return stmt
    raise AssertionError(f"node {name} not in DOT source")


def test_lecture_graph_nodes_and_edges():
    pic = viz.draw_graph(lecture_graph())
    assert pic.edges() == [("add", "mul_1"), ("b", "b/read"), ("b/read", "add"), ("c", "mul_1"),
                           ("mul", "add"), ("w", "w/read"), ("w/read", "mul"), ("x", "mul")]
    assert pic.nodes() == ["w", "w/read", "x", "b", "b/read", "c", "mul", "add", "mul_1"]   # creation order
    assert repr(pic) == "<minitf.viz.GraphPicture: 9 nodes, 8 edges>"


def test_drawing_tensors_keeps_only_their_ancestors():
    y = lecture_graph()
    tf.constant(5.0, name="unrelated")
    assert "unrelated" not in viz.draw_graph(y).nodes()
    assert "unrelated" in viz.draw_graph().nodes()                      # the default graph
    assert "w/Assign" in viz.draw_graph(tf.get_default_graph()).nodes()


def test_node_kinds_look_different():
    src = viz.draw_graph(lecture_graph()).source
    assert "shape=cylinder" in node_line(src, "w")
    assert "shape=invhouse" in node_line(src, "x")
    assert "shape=box" in node_line(src, "c")
    assert "shape=ellipse" in node_line(src, "mul")
    assert 'label="mul\nMul"' in node_line(src, "mul")
    assert "Const = 3" in node_line(src, "c")


def test_edges_carry_shape_and_dtype():
    src = viz.draw_graph(lecture_graph()).source
    assert 'x -> mul [label=" (?, 3) float32"]' in src
    assert 'w -> "w/read" [label=" () float32_ref"]' in src
    plain = viz.draw_graph(lecture_graph(), show_shapes=False).source
    assert "float32" not in plain.split("}")[-2] and "label=\" " not in plain


def test_name_scopes_become_nested_clusters():
    loss, _ = linear_regression()
    src = viz.draw_graph(loss).source
    assert "subgraph cluster_model {" in src
    assert re.search(r"subgraph cluster_model \{.*subgraph \"?cluster_model/weight\"? \{", src, re.S)
    # a variable sits in the box of its own scope, with its read op
    weight_box = src.split('cluster_model/weight" {', 1)[1].split("}", 1)[0]
    assert '"model/weight" [' in weight_box and '"model/weight/read" [' in weight_box


def test_gradient_and_optimizer_scopes_collapse_to_one_node_each():
    _, train = linear_regression()
    pic = viz.draw_graph(train)
    assert "gradients" in pic.nodes() and "GradientDescent" in pic.nodes()
    assert not any(n.startswith(("gradients/", "GradientDescent/")) for n in pic.nodes())
    assert ("gradients", "GradientDescent") in pic.edges()
    assert "shape=folder" in node_line(pic.source, "gradients")
    assert re.search(r"gradients\n\(\d+ ops\)", pic.source)
    full = viz.draw_graph(train, collapse=())
    assert any(n.startswith("gradients/") for n in full.nodes())
    assert len(full.nodes()) > len(pic.nodes())


def test_a_second_gradients_call_is_its_own_collapsed_node():
    y = lecture_graph()
    w = [v for v in tf.global_variables() if v.op.name == "w"][0]
    g1 = tf.gradients(y, [w])[0]
    g2 = tf.gradients(g1 * y, [w])[0]
    nodes = viz.draw_graph(g2).nodes()
    assert "gradients" in nodes and "gradients_1" in nodes


def test_drawing_is_deterministic():
    _, train = linear_regression()
    assert viz.draw_graph(train).source == viz.draw_graph(train).source
    assert viz.draw_graph(train).edges() == sorted(viz.draw_graph(train).edges())


def test_drawing_a_variable_or_op_works():
    w = tf.Variable(1.0, name="w")
    assert viz.draw_graph(w).nodes() == ["w"]
    assert viz.draw_graph([w.initializer]).nodes() == ["w/initial_value", "w", "w/Assign"]
    with pytest.raises(TypeError):
        viz.draw_graph(3.0)


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot is not installed")
def test_png_rendering_and_save(tmp_path):
    pic = viz.draw_graph(lecture_graph())
    png = pic._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert pic.save(tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    assert pic.save(tmp_path / "g.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    text = []
    pic._repr_pretty_(type("P", (), {"text": lambda self, s: text.append(s)})(), False)
    assert text == [repr(pic)]


def test_without_dot_the_picture_is_text_with_an_install_hint(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))             # no `dot` anywhere on PATH
    pic = viz.draw_graph(lecture_graph())
    assert pic._repr_png_() is None
    text = []
    pic._repr_pretty_(type("P", (), {"text": lambda self, s: text.append(s)})(), False)
    assert "apt-get install graphviz" in text[0]
    assert text[0].endswith(pic.source)
    assert pic.save(tmp_path / "g.gv").read_text() == pic.source   # DOT text needs no dot
    with pytest.raises(RuntimeError, match="install"):
        pic.save(tmp_path / "g.png")


def test_ipython_display_never_raises_without_dot(monkeypatch, tmp_path):
    formatters = pytest.importorskip("IPython.core.formatters")
    monkeypatch.setenv("PATH", str(tmp_path))
    pic = viz.draw_graph(lecture_graph())
    data, _ = formatters.DisplayFormatter().format(pic)
    assert "image/png" not in data
    assert "install" in data["text/plain"] and "digraph" in data["text/plain"]


def test_plot_helpers_return_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    fig = viz.plot_loss([3.0, 2.0, 1.5])
    assert fig.axes[0].get_title() == "Training loss"
    fig2 = viz.plot_loss({"lr=0.1": [2, 1], "lr=0.01": [2, 1.9]}, logy=True)
    assert [t.get_text() for t in fig2.axes[0].get_legend().get_texts()] == ["lr=0.1", "lr=0.01"]
    fig3 = viz.plot_fit(np.arange(5), np.arange(5) * 2.0, np.arange(5) * 2.0)
    assert len(fig3.axes[0].lines) == 1
    fig4 = viz.plot_predictions([1, 2, 3], [1.1, 1.9, 3.2])
    fig5 = viz.plot_paths(lambda x, y: x ** 2 + y ** 2, {"GD": [(1, 1), (0.5, 0.5)]})
    assert fig5.axes[0].get_legend().get_texts()[0].get_text() == "GD"
    for f in (fig, fig2, fig3, fig4, fig5):
        plt.close(f)


# -- pictures made for 1280x720 slides
def png_size(png: bytes) -> tuple[int, int]:
    import struct
    return struct.unpack(">II", png[16:24])


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot is not installed")
def test_a_chapter_graph_fits_a_slide():
    """The training graph of a linear regression (chapter 06) fits the room a 1280x720 slide
    leaves under a title and a line of code, and is not shrunk below readable."""
    _, train = linear_regression()
    width, height = png_size(viz.draw_graph(train).png())
    assert width <= 1280 and (width, height) <= (viz.SLIDE_FIT[0] + 8, viz.SLIDE_FIT[1] + 8), (width, height)
    full_w, full_h = png_size(viz.draw_graph(train, fit=None).png())
    assert max(full_w / width, full_h / height) < 1.5, "shrunk so much that the labels are unreadable"


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot is not installed")
def test_rankdir_follows_the_graph_shape():
    x = tf.placeholder(tf.float32, [], name="x")
    for _ in range(14):                                   # a long chain: too tall top-down
        x = tf.square(x)
    wide = tf.add_n([tf.constant(float(i), name=f"c{i}") for i in range(12)])   # a fan-in: too wide sideways
    assert "rankdir=LR" in viz.draw_graph(x, show_shapes=False).source
    assert "rankdir=TB" in viz.draw_graph(wide).source
    for target, shapes in ((x, True), (x, False), (wide, True)):
        area = {r: (lambda w, h: w * h)(*png_size(viz.draw_graph(target, show_shapes=shapes, rankdir=r).png()))
                for r in ("auto", "TB", "LR")}
        assert area["auto"] >= 0.9 * max(area["TB"], area["LR"]), area   # auto keeps the bigger picture
    assert "rankdir=TB" in viz.draw_graph(x, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(x, rankdir="up")


def test_edges_into_a_folded_scope_are_unlabelled():
    _, train = linear_regression()
    src = viz.draw_graph(train).source
    into = [line for line in src.splitlines() if re.search(r"-> (gradients|GradientDescent) ", line)]
    assert into and all('[label=""]' in line for line in into), into
    assert '"model/MatMul" -> "model/add" [label=" (?, 1) float32"]' in src   # the model's edges keep theirs
