"""The nbgrader course: each chapter notebook is one assignment, named after the notebook.

    python classroom/course.py build COURSE_DIR [NOTEBOOK ...]   # default: every notebooks/NN_*.ipynb
    python classroom/course.py points NOTEBOOK                   # the points its autograded cells carry

`build` copies each instructor notebook (solutions kept) to COURSE_DIR/source/<name>/<name>.ipynb,
where nbgrader's `generate_assignment <name>` makes the student version and `release_assignment
<name>` hands it out. Points live in the notebooks themselves: each autograded check cell carries
`nbgrader.points`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def chapter_notebooks(repo: Path = REPO) -> list[Path]:
    """The chapters in course order: notebooks/NN_topic.ipynb."""
    return sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def nbgrader_cells(notebook: Path) -> list[dict]:
    """The nbgrader metadata of every cell that has some."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [cell["metadata"]["nbgrader"] for cell in cells if "nbgrader" in cell.get("metadata", {})]


def autograded_points(notebook: Path) -> float:
    """Total points of the autograded check cells (grade: true, solution: false)."""
    return float(sum(meta.get("points", 0) for meta in nbgrader_cells(notebook)
                     if meta.get("grade") and not meta.get("solution")))


def is_assignment(notebook: Path) -> bool:
    """True when the notebook has at least one solution cell and one graded check."""
    cells = nbgrader_cells(notebook)
    return any(m.get("solution") for m in cells) and autograded_points(notebook) > 0


def build(course_dir: Path, notebooks: list[Path]) -> list[str]:
    """Copy each notebook to course_dir/source/<name>/<name>.ipynb; returns the assignment names."""
    names = []
    for notebook in notebooks:
        name = Path(notebook).stem
        dest = Path(course_dir) / "source" / name
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, dest / f"{name}.ipynb")
        names.append(name)
    return names


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "build":
        notebooks = [Path(p) for p in argv[2:]] or chapter_notebooks()
        for name in build(Path(argv[1]).expanduser(), notebooks):
            print(name)
        return 0
    if len(argv) == 2 and argv[0] == "points":
        print(autograded_points(Path(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
