"""Write notebooks/NN_topic.ipynb from the chapter modules in this folder.

    .venv/bin/python notebooks/_build/make_notebooks.py [chapter-module ...]
    ./dev notebooks          # then execute them, storing the outputs nbval checks

The generated notebooks have no outputs; executing them fills the outputs in.
Edit the chapter modules (prose and code live there), not the .ipynb files.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nbkit import notebook  # noqa: E402

CHAPTERS = ["ch00_welcome", "ch01_graphs", "ch02_sessions", "ch03_feed_fetch", "ch04_variables",
            "ch05_autodiff", "ch06_linear_regression"]


def main(names) -> None:
    for name in names or CHAPTERS:
        chapter = importlib.import_module(name)
        path = HERE.parent / chapter.FILE
        nb = notebook(chapter.CELLS)
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"wrote {path.relative_to(HERE.parent.parent)} ({len(nb.cells)} cells)")


if __name__ == "__main__":
    main(sys.argv[1:])
