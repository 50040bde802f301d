"""The offline reveal.js decks in slides/ (built by ``./dev slides`` = ``python slides/build.py``).

* every ``notebooks/NN_*.ipynb`` has a committed ``slides/NN_*.slides.html`` whose fingerprint
  matches the notebook (``build.py --check``), and no deck outlives its notebook;
* a fresh build (in a temp dir, in this session) of a sample notebook and of every chapter has the
  same slide structure as the committed decks, keeps the speaker notes, and loads nothing from the
  network: every ``src=``/``href=``/``url(``/``@import``/``import ... from`` in every deck (and in
  the vendored CSS it links) is local and exists; only ``<a href>`` links may point elsewhere;
* decks show no ``NBVAL`` marker (build.py strips them) and every slide has speaker notes;
* ``slides/vendor/`` matches ``package-lock.json`` (reveal.js pinned to 4.x/5.x: 6.x renders blank);
* with Chromium (marker ``chromium``; skipped without one): the sample deck's second slide
  renders headless offline, reveal.js initialises, KaTeX typesets, the console shows no error, the
  screenshot is not blank, and the speaker view shows the notes. Every committed deck gets the same
  render check in test_slide_overflow.py, in the Chromium run that measures its slides.

Until the chapter notebooks exist the per-chapter checks pass vacuously; the sample deck is
always built and checked.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from headless import assert_not_blank, assert_reveal_ran, render

ROOT = Path(__file__).resolve().parents[2]
SLIDES = ROOT / "slides"
BUILD = SLIDES / "build.py"
VENDOR = SLIDES / "vendor"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DECKS = sorted(SLIDES.glob("[0-9][0-9]_*.slides.html"))
SAMPLE = "00_sample"


def _load_build():
    spec = importlib.util.spec_from_file_location("minitf_slides_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # stdlib imports only; nbconvert is imported when building
    return module


build = _load_build()


def deck_of(notebook: Path, directory: Path = SLIDES) -> Path:
    return directory / (notebook.name[: -len(".ipynb")] + ".slides.html")


# ---------------------------------------------------------------- reference scanner
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, ftp://, //cdn...
SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.I)  # data:, mailto:, javascript:, file:, ...
URL_ATTRS = {"src", "href", "xlink:href", "data", "poster", "action", "formaction", "background",
             "srcset", "manifest", "longdesc", "ping", "archive", "codebase"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.S)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""")
JS_IMPORT = re.compile(r"""(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]+\s*from\s*)?\(?\s*(['"`])(.*?)\1""")
JS_REQUIRE = re.compile(r"""\b(?:require|define)\s*\(\s*(?:\{.*?\}\s*,\s*)?\[(.*?)\]""", re.S)
JS_QUOTED_REMOTE = re.compile(r"""["'`]\s*((?:[a-z][a-z0-9+.-]*:)?//[^"'`\s]*)""", re.I)
# The plain-text net the brief asks for: any src=, href= or url( whose value is a remote URL.
RAW_REF = re.compile(
    r"""(?:\b((?:xlink:)?href|src)\s*=\s*["']?|url\(\s*["']?)\s*((?:[a-z][a-z0-9+.-]*:)?//[^"'\s)>]*)""",
    re.I,
)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str, int]] = []  # (what, url, line): things the browser fetches
        self.links: list[tuple[str, str, int]] = []  # <a href>: navigation only
        self.css: list[tuple[str, int]] = []
        self.js: list[tuple[str, int]] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name == "style":
                self.css.append((value, line))
            if name not in URL_ATTRS:
                continue
            values = [v.split()[0] for v in value.split(",") if v.strip()] if name == "srcset" else [value]
            for v in values:
                if tag == "a" and name in ("href", "xlink:href", "ping"):
                    self.links.append((f"<a {name}>", v.strip(), line))
                else:
                    self.loads.append((f"<{tag} {name}>", v.strip(), line))
        if tag in ("script", "style"):
            self._inside = tag

    def handle_endtag(self, tag):
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside == "style":
            self.css.append((data, self.getpos()[0]))
        elif self._inside == "script":
            self.js.append((data, self.getpos()[0]))


def _local_target(url: str, base: Path) -> Path | None:
    """The file a local reference points at, or None for data:, #fragment, mailto: and the like."""
    if not url or url.startswith("#") or SCHEME.match(url):
        return None
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return (base / unquote(path)) if path else None


def _check_css(css: str, base: Path, where: str, problems: list[str], seen: set[Path]) -> None:
    for _, url in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
        url = url.strip()
        if REMOTE.match(url):
            problems.append(f"{where}: CSS loads {url}")
            continue
        target = _local_target(url, base)
        if target is None:
            continue
        if not target.is_file():
            problems.append(f"{where}: CSS references missing {url}")
        elif target.suffix == ".css" and target.resolve() not in seen:
            _check_stylesheet(target, problems, seen)


def _check_stylesheet(path: Path, problems: list[str], seen: set[Path]) -> None:
    seen.add(path.resolve())
    _check_css(path.read_text(encoding="utf-8", errors="replace"), path.parent,
               str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), problems, seen)


def offline_problems(html: str, base: Path, name: str) -> list[str]:
    """Everything in a deck that would touch the network, or points at a missing local file.

    ``base``: the directory the deck's relative URLs resolve against (slides/ or a copy of it).
    """
    problems: list[str] = []
    refs = _Refs()
    refs.feed(html)
    refs.close()
    seen: set[Path] = set()

    for what, url, line in refs.loads:
        if REMOTE.match(url):
            problems.append(f"{name}:{line}: {what} loads {url}")
            continue
        if SCHEME.match(url) and not url.lower().startswith("data:"):
            problems.append(f"{name}:{line}: {what} uses {url[:40]} (only relative paths and data: URIs work offline)")
            continue
        target = _local_target(url, base)
        if target is None:
            continue
        if not target.is_file():
            problems.append(f"{name}:{line}: {what} -> {url}: no such file")
        elif target.suffix == ".css" and target.resolve() not in seen:
            _check_stylesheet(target, problems, seen)

    for what, url, line in refs.links:
        target = None if REMOTE.match(url) else _local_target(url, base)
        if target is not None and not target.exists():
            problems.append(f"{name}:{line}: link {url} points at nothing")

    for css, line in refs.css:
        _check_css(css, base, f"{name}:{line}", problems, seen)

    for js, line in refs.js:
        for url in [u for _, u in JS_IMPORT.findall(js)] + [
            u.strip().strip("'\"") for group in JS_REQUIRE.findall(js) for u in group.split(",")
        ]:
            if not url or url.lower().startswith("data:"):
                continue
            if REMOTE.match(url) or SCHEME.match(url):
                problems.append(f"{name}:{line}: script loads {url}")
            elif url.endswith((".js", ".mjs")) and not (base / unquote(url)).is_file():
                problems.append(f"{name}:{line}: script loads {url}: no such file")
        for url in JS_QUOTED_REMOTE.findall(js):
            problems.append(f"{name}:{line}: script mentions remote URL {url}")

    # Plain-text net: any src=/href=/url( with a remote value outside an <a ...> tag.
    for m in RAW_REF.finditer(html):
        if m.group(1) and m.group(1).lower().endswith("href"):
            tag_start = html.rfind("<", 0, m.start())
            if re.match(r"<a[\s>]", html[tag_start : tag_start + 3], re.I):
                continue
        line = html.count("\n", 0, m.start()) + 1
        problem = f"{name}:{line}: {m.group(0)[:80]}"
        if not any(p.startswith(f"{name}:{line}:") for p in problems):
            problems.append(problem + " (remote reference)")
    return problems


def slide_structure(html: str) -> dict:
    """What a deck shows, independent of nbconvert's styling: per slide, per subslide, the cell
    ids in order; plus the fragment and speaker-note counts."""
    body = html[html.find('<div class="slides">') :]
    slides: list[list[list[str]]] = []
    depth = 0
    for m in re.finditer(r"<section\b|</section>|\bid=\"cell-id=([^\"]+)\"", body):
        token = m.group(0)
        if token == "<section":
            depth += 1
            if depth == 1:
                slides.append([])
            elif depth == 2:
                slides[-1].append([])
        elif token == "</section>":
            depth -= 1
        elif slides and slides[-1]:
            slides[-1][-1].append(m.group(1))
    return {
        "slides": slides,
        "fragments": len(re.findall(r'class="fragment\b', body)),
        "notes": len(re.findall(r'<aside class="notes"', body)),
    }


def slides_without_notes(html: str) -> list[str]:
    """Indices ('h/v', as in the deck's URL #/h/v) of the slides with no speaker notes."""
    body = html[html.find('<div class="slides">') :]
    missing, depth, h, v, notes = [], 0, -1, -1, 0
    for m in re.finditer(r"<section\b|</section>|<aside class=\"notes\"", body):
        token = m.group(0)
        if token == "<section":
            depth += 1
            if depth == 1:
                h, v = h + 1, -1
            elif depth == 2:
                v, notes = v + 1, 0
        elif token == "</section>":
            if depth == 2 and not notes:
                missing.append(f"{h}/{v}")
            depth -= 1
        else:
            notes += 1
    return missing


# ---------------------------------------------------------------- sample notebook
def write_sample_notebook(path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    svg = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="220" height="80" viewBox="0 0 220 80"><g>'
        '<ellipse cx="55" cy="40" rx="45" ry="22" fill="#ffd580" stroke="black"/>'
        '<text x="55" y="45" text-anchor="middle">MatMul</text>'
        '<ellipse cx="165" cy="40" rx="45" ry="22" fill="#a0d0ff" stroke="black"/>'
        '<text x="165" y="45" text-anchor="middle">Add</text></g></svg>'
    )

    def md(source: str, kind: str):
        return new_markdown_cell(source, metadata={"slideshow": {"slide_type": kind}})

    nb = new_notebook(
        cells=[
            md("# 00 Sample deck\n\n计算图 graph, 会话 session: $y = Wx + b$", "slide"),
            md("SAMPLE-NOTE-TEXT: mention 占位符 placeholder and $x$", "notes"),
            md("## Code and a graph\n\nSee [the TF 1.x docs](https://www.tensorflow.org/versions) "
               "and [the loss](#Loss).", "slide"),
            new_code_cell("# NBVAL_IGNORE_OUTPUT\nimport minitf as tf\nprint('hello', 2 + 3)", execution_count=1,
                          metadata={"slideshow": {"slide_type": "-"}},
                          outputs=[new_output("stream", name="stdout", text="hello 5\n")]),
            new_code_cell("tf.viz.draw(graph)", execution_count=2,
                          metadata={"slideshow": {"slide_type": "fragment"}},
                          outputs=[new_output("display_data",
                                              data={"image/svg+xml": svg, "text/plain": "<graph>"})]),
            md("THIRD-NOTE-TEXT", "notes"),
            md("SKIPPED-CELL-TEXT", "skip"),
            md("## Loss\n\n$$L = \\frac{1}{n}\\sum_{i=1}^n (y_i - \\hat y_i)^2$$", "subslide"),
            md("SECOND-NOTE-TEXT", "notes"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory):
    """slides/build.py run in this session: the sample notebook and every chapter, into a temp
    dir that also holds a copy of slides/vendor/ (so the decks there open like the committed ones)."""
    pytest.importorskip("nbconvert")
    tmp = tmp_path_factory.mktemp("slides")
    sample = tmp / "notebooks" / f"{SAMPLE}.ipynb"
    sample.parent.mkdir()
    write_sample_notebook(sample)
    out = tmp / "out"
    cmd = [sys.executable, str(BUILD), "--skip-vendor", "--force", "--out-dir", str(out),
           str(sample), *map(str, NOTEBOOKS)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    if VENDOR.is_dir():
        shutil.copytree(VENDOR, out / "vendor")
    return out


# ---------------------------------------------------------------- tests: no build needed
def test_scanner_flags_remote_and_missing_references(tmp_path):
    (tmp_path / "here.js").write_text("")
    html = """<html><head>
<script src="https://cdn.example.org/a.js"></script>
<link rel="stylesheet" href="//fonts.example.org/b.css">
<style>@import url(https://fonts.example.org/c.css); .x { background: url('http://e.org/d.png') }</style>
<script type="module">import m from 'https://cdn.example.org/e.mjs';</script>
<script>require(["here.js", "gone.js", "https://cdn.example.org/f.js"], function () {});</script>
</head><body>
<img src="missing.png"><img srcset="ok.png 1x, https://e.org/g.png 2x">
<a href="https://example.org/fine">a link</a> <a href="#x">anchor</a> <a href="nowhere.html">bad</a>
<img src="data:image/png;base64,AAAA"><script src="here.js"></script>
<div style="background: url(https://e.org/h.png)"></div>
</body></html>"""
    problems = "\n".join(offline_problems(html, tmp_path, "t"))
    for needle in ["a.js", "b.css", "c.css", "d.png", "e.mjs", "gone.js", "f.js", "missing.png",
                   "g.png", "nowhere.html", "h.png"]:
        assert needle in problems, f"scanner missed {needle}:\n{problems}"
    for fine in ["example.org/fine", "here.js: no such", "data:image"]:
        assert fine not in problems, problems


def test_package_json_pins_reveal_4_or_5():
    pkg = json.loads((SLIDES / "package.json").read_text())
    lock = json.loads((SLIDES / "package-lock.json").read_text())
    deps = pkg["dependencies"]
    assert {"reveal.js", "requirejs", "jquery"} <= set(deps)
    for name, spec in deps.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name}: pin an exact version, not {spec!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == spec, f"package-lock.json is stale for {name}"
    assert deps["reveal.js"].split(".")[0] in ("4", "5"), "reveal.js 6 renders a blank page with nbconvert"


def test_vendor_matches_package_lock():
    assert build.vendor_problems() == [], "slides/vendor/ is stale: run ./dev slides"
    manifest = json.loads((VENDOR / "manifest.json").read_text())
    size = sum((VENDOR / name).stat().st_size for name in manifest["files"])
    assert size < 3e6, f"slides/vendor/ grew to {size / 1e6:.1f} MB"
    problems: list[str] = []
    for css in sorted(VENDOR.rglob("*.css")):
        _check_stylesheet(css, problems, set())
    assert problems == []


def test_every_notebook_has_a_current_deck():
    """Vacuous until notebooks/NN_*.ipynb exist; then each needs an up-to-date committed deck."""
    proc = subprocess.run([sys.executable, str(BUILD), "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for nb in NOTEBOOKS:  # the same, spelled out
        assert build.deck_fingerprint(deck_of(nb)) == build.notebook_fingerprint(nb), deck_of(nb)


def test_committed_decks_load_nothing_remote():
    problems = []
    for deck in sorted(SLIDES.glob("[0-9][0-9]_*.slides.html")):
        problems += offline_problems(deck.read_text(encoding="utf-8"), SLIDES, deck.name)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("deck", DECKS, ids=[d.name.split(".")[0] for d in DECKS])
def test_deck_has_no_nbval_marker_and_notes_on_every_slide(deck):
    html = deck.read_text(encoding="utf-8")
    problems = [f"{deck.name}: line {html.count(chr(10), 0, m.start()) + 1} shows {m.group(0)!r}"
                for m in re.finditer(r"NBVAL_\w*", html)]
    problems += [f"{deck.name} #/{index}: no speaker notes (a notes cell after the slide's cells)"
                 for index in slides_without_notes(html)]
    assert not problems, "\n".join(problems)


def test_slides_without_notes_are_found():
    html = ('<div class="slides"><section><section>a<aside class="notes">n</aside></section>'
            '<section>b</section></section><section><section>c</section></section></div>')
    assert slides_without_notes(html) == ["0/1", "1/0"]


def test_for_slides_strips_nbval_markers_and_tracebacks():
    nbformat = pytest.importorskip("nbformat")
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell("# NBVAL_IGNORE_OUTPUT\nx = 1\n  # NBVAL_CHECK_OUTPUT\nprint(x)  # NBVAL_x stays in code")
    cell.outputs = [new_output("error", ename="ValueError", evalue="Shapes differ",
                               traceback=["Traceback ...", "  File ...", "ValueError: Shapes differ"])]
    nb = build.for_slides(new_notebook(cells=[cell]))
    assert nb.cells[0].source == "x = 1\nprint(x)  # NBVAL_x stays in code"
    [tb] = nb.cells[0].outputs[0]["traceback"]
    assert "ValueError" in tb and tb.endswith(": Shapes differ") and "File" not in tb


def test_links_between_chapters_point_at_decks():
    nb = ROOT / "notebooks" / "03_example.ipynb"  # need not exist: only its folder matters
    assert build.fix_link("04_next.ipynb#Goals", nb) == "04_next.slides.html#Goals"
    assert build.fix_link("../README.md", nb) == "../README.md"
    assert build.fix_link("https://www.tensorflow.org/", nb) == "https://www.tensorflow.org/"
    assert build.fix_link("#Summary", nb) == "#Summary"
    assert build.fix_link("no/such/file.csv", nb) == "no/such/file.csv"


def test_font_trimming_keeps_one_format():
    css = ("@font-face{font-family:A;src:url(a.eot);src:url(a.eot?#iefix) format('embedded-opentype'),"
           "url(a.woff2) format('woff2'),url(a.woff) format('woff'),url(a.ttf) format('truetype')}"
           "@font-face{font-family:B;src:url('b.woff') format('woff'), url('b.ttf')}")
    out = build.trim_font_formats(css)
    assert "a.woff2" in out and "b.woff" in out
    for gone in ["a.eot", "a.ttf", "a.woff)", "b.ttf"]:
        assert gone not in out, out


# ---------------------------------------------------------------- tests: on a fresh build
def test_sample_deck(fresh_build):
    html = deck_of(Path(f"{SAMPLE}.ipynb"), fresh_build).read_text(encoding="utf-8")
    assert offline_problems(html, fresh_build, f"{SAMPLE}.slides.html") == []
    assert 'content="sha256:' in html and build.FINGERPRINT_META in html
    structure = slide_structure(html)
    assert [len(s) for s in structure["slides"]] == [1, 2], structure  # title | code, then the loss subslide
    assert structure["fragments"] == 1 and structure["notes"] == 3, structure
    assert "SAMPLE-NOTE-TEXT" in html and "SECOND-NOTE-TEXT" in html
    assert "NBVAL" not in html and "hello" in html, "the deck keeps the code but not the nbval marker"
    assert slides_without_notes(html) == []
    assert "SKIPPED-CELL-TEXT" not in html
    assert "plugin/notes/notes.js" in html, "the speaker-notes plugin is not loaded"
    assert "https://www.tensorflow.org/versions" in html  # <a href> links stay


def test_decks_share_one_notebook_stylesheet(fresh_build):
    """nbconvert's notebook styles live once in slides/notebook.css, not inlined in every deck, and
    the committed stylesheet is the one a build in this session writes."""
    for deck in DECKS:
        head = deck.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert f'<link href="{build.NOTEBOOK_CSS}" rel="stylesheet"/>' in head, deck.name
        assert "<style" not in head, f"{deck.name} inlines styles again: run ./dev slides"
    fresh = (fresh_build / build.NOTEBOOK_CSS).read_text(encoding="utf-8")
    assert ".jp-Notebook" in fresh and ".reveal" in fresh
    if DECKS:
        assert (SLIDES / build.NOTEBOOK_CSS).read_text(encoding="utf-8") == fresh, "run ./dev slides"


def test_share_styles_keeps_the_cascade_order():
    html = ('<head><link href="vendor/reveal.css"/>\n<style type="text/css">\n.a{}</style>\n'
            '<style type="text/css">.b{}\n</style>\n<link href="theme.css"/></head><body>'
            '<style type="text/css">.c{}</style></body>')
    deck, css = build.share_styles(html)
    assert deck == ('<head><link href="vendor/reveal.css"/>\n<link href="notebook.css" rel="stylesheet"/>\n'
                    '<link href="theme.css"/></head><body><style type="text/css">.c{}</style></body>')
    assert css == ".a{}\n\n.b{}\n\n"
    with pytest.raises(build.BuildError):
        build.share_styles("<head><link/></head>")


def test_fresh_decks_match_committed(fresh_build):
    """A build in this session gives the committed decks' slide structure and loads nothing remote."""
    problems = []
    for nb in NOTEBOOKS:
        fresh = deck_of(nb, fresh_build).read_text(encoding="utf-8")
        committed = deck_of(nb)
        problems += offline_problems(fresh, SLIDES, f"fresh {committed.name}")
        if not committed.is_file():
            problems.append(f"{committed.relative_to(ROOT)} is missing: run ./dev slides")
        elif (a := slide_structure(fresh)) != (b := slide_structure(committed.read_text(encoding="utf-8"))):
            def summary(s):
                return (f"{len(s['slides'])} slides, {sum(map(len, s['slides']))} subslides, "
                        f"{s['fragments']} fragments, {s['notes']} notes")
            what = (f"{summary(a)}; committed: {summary(b)}" if summary(a) != summary(b)
                    else "same counts, other cells or cell ids")
            problems.append(f"{committed.relative_to(ROOT)} differs from a fresh build ({what}): run ./dev slides")
        notes = sum(c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"
                    for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
        if slide_structure(fresh)["notes"] != notes:
            problems.append(f"{nb.name}: {notes} notes cells, {slide_structure(fresh)['notes']} <aside class=notes>")
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------- tests: headless Chromium
@pytest.mark.chromium
def test_sample_deck_renders_offline(fresh_build, chromium, tmp_path):
    png, dom, console = render(chromium, deck_of(Path(f"{SAMPLE}.ipynb"), fresh_build).resolve().as_uri() + "#/1",
                               tmp_path)
    assert_reveal_ran(dom, console, SAMPLE)
    assert dom.count('class="katex"') >= 2, "KaTeX did not typeset the formulas"
    assert "$y = Wx + b$" not in dom
    assert_not_blank(png)


@pytest.mark.chromium
def test_sample_speaker_view_shows_notes(fresh_build, chromium, tmp_path):
    """Press-S equivalent through the DevTools protocol: the notes plugin opens its speaker window
    from a file:// deck and shows the first slide's notes cell."""
    websocket = pytest.importorskip("websocket")  # websocket-client, a jupyter_server dependency

    deck = deck_of(Path(f"{SAMPLE}.ipynb"), fresh_build)
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-popup-blocking", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--window-size=1280,800", deck.resolve().as_uri()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    sockets = []

    def wait_for(what, probe, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail(f"timed out waiting for {what}")
            time.sleep(0.2)

    def targets():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            return json.load(resp)

    def evaluate(target, expression):
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        sockets.append(ws)
        ws.send(json.dumps({"id": 1, "method": "Runtime.evaluate", "params": {
            "expression": expression, "awaitPromise": True, "returnByValue": True}}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == 1:
                ws.close()
                return msg["result"].get("result", {}).get("value")

    reveal = 'new Promise(r => require(["vendor/reveal.js/dist/reveal.js"], R => r(R{})))'
    try:
        active = profile / "DevToolsActivePort"

        def read_port():
            words = active.read_text().split() if active.is_file() else []
            return int(words[0]) if words else None

        port = wait_for("DevToolsActivePort", read_port)
        page = wait_for("the deck", lambda: next((t for t in targets() if t["type"] == "page" and t["url"].startswith("file:")), None))
        wait_for("reveal.js", lambda: evaluate(page, "typeof require === 'function' && " + reveal.format(".isReady()")))
        assert evaluate(page, reveal.format('.hasPlugin("notes")')) is True
        evaluate(page, reveal.format('.getPlugin("notes").open()'))
        speaker = wait_for("the speaker view", lambda: next((t for t in targets() if "Speaker View" in t["title"]), None))
        notes_js = "(document.querySelector('.speaker-controls-notes') || {}).innerText || ''"
        wait_for("the first slide's notes in the speaker view",
                 lambda: "SAMPLE-NOTE-TEXT" in (evaluate(speaker, notes_js) or ""))
    finally:
        for ws in sockets:
            ws.close()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait(timeout=30)
