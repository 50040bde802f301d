"""Every slide of every deck fits 1280x720 (headless Chromium; marker ``chromium``).

One Chromium per deck: a copy of the deck with overflow.js injected opens headless at 1280x720
(no network), the script visits every slide with reveal.js and measures it in the DOM, and
``--dump-dom`` brings back its report. A slide fails when its content is taller or wider than the
slide, when a code line is clipped on the right (a ``<pre>`` that scrolls sideways), or when a
picture is wider than the slide. The failure lists each offending slide: deck, index as in the
deck's URL (``#/3/1``), title and what overflowed.

The committed decks are checked (they are what an instructor presents; tests/course/test_slides.py
makes sure they are current). The same Chromium run also checks that each deck works offline:
reveal.js starts, the console shows no error, and the screenshot (of slide 2) is not blank. Two sample decks show that the check bites: one whose slides all fit
and one with a slide that is too tall, one with a clipped code line and one with a picture that is
too wide.
"""

from __future__ import annotations

import base64
import html
import json
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from chapters import ROOT
from headless import assert_not_blank, assert_reveal_ran, render

SLIDES = ROOT / "slides"
BUILD = SLIDES / "build.py"
DECKS = sorted(SLIDES.glob("[0-9][0-9]_*.slides.html"))
PROBE = Path(__file__).resolve().parent / "overflow.js"
REPORT = re.compile(r'<pre id="minitf-overflow">(.*?)</pre>', re.S)
SIZE = (1280, 720)
pytestmark = pytest.mark.chromium


def measure(chromium: str, deck: Path, workdir: Path) -> tuple[dict, Path, str, str]:
    """Render a copy of deck with overflow.js: (the probe's report {'width', 'height', 'slides':
    [{index, title, problems}]}, a screenshot of slide 2, the DOM, the console)."""
    workdir.mkdir(parents=True, exist_ok=True)
    for shared in ("vendor", "notebook.css"):          # what the deck's relative URLs point at
        link = workdir / shared
        if not link.exists():
            link.symlink_to(SLIDES / shared, target_is_directory=(shared == "vendor"))
    probe = workdir / deck.name
    page = deck.read_text(encoding="utf-8")
    probe.write_text(page.replace("</body>", f"<script>\n{PROBE.read_text()}\n</script>\n</body>", 1),
                     encoding="utf-8")
    png, dom, console = render(chromium, probe.as_uri(), workdir, size=SIZE, budget_ms=15000)
    found = REPORT.findall(dom)  # the last one: the element the probe appended to <body>
    assert found, f"{deck.name}: the overflow probe did not report (reveal.js did not start?):\n{console[-2000:]}"
    return json.loads(html.unescape(found[-1])), png, dom, console


def overflows(report: dict, name: str) -> list[str]:
    return [f"{name} #/{s['index']} ({s['title'] or 'untitled'}): {problem}"
            for s in report["slides"] for problem in s["problems"]]


# ---------------------------------------------------------------- the committed decks
@pytest.mark.slow
@pytest.mark.parametrize("deck", DECKS, ids=[d.name.split(".")[0] for d in DECKS])
def test_every_slide_fits(chromium, deck, tmp_path):
    report, png, dom, console = measure(chromium, deck, tmp_path)
    assert_reveal_ran(dom, console, deck.name)  # offline, no console error
    assert_not_blank(png, SIZE)
    assert (report["width"], report["height"]) == (1280, 720), "the decks are built for 1280x720 slides"
    assert report["slides"], f"{deck.name}: no slides measured"
    problems = overflows(report, deck.name)
    assert not problems, f"{len(problems)} slide(s) of {deck.name} do not fit 1280x720:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the check bites
def _png(width: int, height: int) -> str:
    """A white PNG of the given size, base64."""
    row = b"\x00" + b"\xff" * (3 * width)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
    return base64.b64encode(raw).decode()


def _sample(path: Path, overflowing: bool) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    def md(text, kind):
        return new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})

    def code(source, kind="-", text="", png=None):
        outputs = [new_output("stream", name="stdout", text=text)] if text else []
        if png:
            outputs.append(new_output("display_data", data={"image/png": png, "text/plain": "<picture>"}))
        return new_code_cell(source, metadata={"slideshow": {"slide_type": kind}}, outputs=outputs,
                             execution_count=1)

    short = "\n".join(f"x{i} = {i} * 2" for i in range(10))
    cells = [md("# Fits\n\nA title slide.", "slide"),
             md("## Short code", "slide"), code(short, text="20\n"),
             md("## A picture", "slide"), code("picture", png=_png(800, 300))]
    if overflowing:
        cells += [md("## Too tall", "slide"), code("\n".join(f"y{i} = {i}" for i in range(40))),
                  md("## Too wide", "slide"), code("z = " + " + ".join(["1234567"] * 24)),
                  md("## Too big a picture", "subslide"), code("big", png=_png(1700, 200))]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def sample_decks(tmp_path_factory):
    pytest.importorskip("nbconvert")
    tmp = tmp_path_factory.mktemp("overflow")
    notebooks = [tmp / "90_fits.ipynb", tmp / "91_overflows.ipynb"]
    for nb, bad in zip(notebooks, (False, True)):
        _sample(nb, bad)
    out = tmp / "decks"
    cmd = [sys.executable, str(BUILD), "--skip-vendor", "--force", "--out-dir", str(out), *map(str, notebooks)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_a_fitting_deck_passes(chromium, sample_decks, tmp_path):
    report, png, dom, console = measure(chromium, sample_decks / "90_fits.slides.html", tmp_path)
    assert_reveal_ran(dom, console, "90_fits")
    assert [s["index"] for s in report["slides"]] == ["0/0", "1/0", "2/0"]
    assert overflows(report, "90_fits") == []


def test_an_overflowing_deck_names_each_bad_slide(chromium, sample_decks, tmp_path):
    report = measure(chromium, sample_decks / "91_overflows.slides.html", tmp_path)[0]
    problems = overflows(report, "91_overflows")
    text = "\n".join(problems)
    assert not any(p.startswith(("91_overflows #/0/", "91_overflows #/1/", "91_overflows #/2/")) for p in problems), text
    assert re.search(r"^91_overflows #/3/0 \(Too tall\): content is \d+ px tall \(the slide is 720\)$", text, re.M), text
    assert re.search(r'^91_overflows #/4/0 \(Too wide\): a line is clipped .*"z = 1234567', text, re.M), text
    assert "91_overflows #/4/1 (Too big a picture): a picture is 1700 px wide (at most 1280)" in text, text
