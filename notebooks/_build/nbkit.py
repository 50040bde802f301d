"""Tiny helpers to write chapter notebooks as Python lists of cells.

Each chapter module (``ch00_welcome.py`` ...) defines ``TITLE`` and ``CELLS``;
``make_notebooks.py`` turns them into ``notebooks/NN_topic.ipynb`` (without
outputs: run ``./dev notebooks`` afterwards to execute them and store outputs).

Slide types follow ``jupyter nbconvert --to slides``: ``slide`` starts a section,
``subslide`` a step inside it, ``fragment`` appears on the same slide, ``-``
continues the current slide, ``skip`` is left out, ``notes`` is speaker notes.
"""

from __future__ import annotations

import hashlib
import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _text(src: str) -> str:
    return textwrap.dedent(src).strip("\n")


def md(src: str, slide: str = "-"):
    """A markdown cell."""
    return new_markdown_cell(_text(src), metadata={"slideshow": {"slide_type": slide}})


def notes(src: str):
    """Speaker notes: shown in the slides' notes window, a normal markdown cell in Jupyter."""
    return md("*Speaker notes:* " + _text(src), slide="notes")


def code(src: str, slide: str = "-", tags=()):
    """A code cell."""
    src = _text(src)
    tags = list(tags)
    meta = {"slideshow": {"slide_type": slide}}
    if tags:
        meta["tags"] = tags
    return new_code_cell(src, metadata=meta)


def error(src: str, slide: str = "-"):
    """A cell that raises on purpose.

    The ``raises-exception`` tag is what JupyterLab's "Run All", nbconvert and nbval
    (same meaning as a ``# NBVAL_RAISES_EXCEPTION`` comment, which would duplicate it
    and make nbval warn) all read: they go on after the error, and nbval compares the
    stored error name and message.
    """
    return code("# This cell raises an error on purpose.\n" + _text(src), slide=slide,
                tags=["raises-exception"])


def setup(src: str):
    """The imports cell at the top: left out of the slides."""
    return code(src, slide="skip")


def solution(src: str):
    """An exercise's solution: collapsed in JupyterLab, left out of the slides."""
    cell = code("# Solution (click to expand; try it yourself first)\n" + _text(src), slide="skip",
                tags=["solution"])
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def check(src: str):
    """A self-check cell: asserts that pass when the exercise is solved."""
    return code("# Self-check\n" + _text(src), slide="skip", tags=["self-check"])


def notebook(cells) -> nbformat.NotebookNode:
    cells = list(cells)
    seen: dict[str, int] = {}
    for cell in cells:                  # stable ids (from the text) keep git diffs small
        base = hashlib.sha1(cell.source.encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        cell.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    return nb
