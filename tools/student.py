#!/usr/bin/env python3
"""Make the student versions of the chapters with nbgrader: notebooks/NN_topic.ipynb ->
notebooks/student/NN_topic.ipynb.

usage: python tools/student.py [--out-dir DIR] [CHAPTER ...]

  CHAPTER    a chapter notebook, or its number or name (06, 06_linear_regression); default: all

This is nbgrader's own `generate_assignment`, run on a temporary course directory
(source/minitf/NN_topic.ipynb -> release/minitf/NN_topic.ipynb) without a gradebook database:

- the code between `### BEGIN SOLUTION` and `### END SOLUTION` in solution cells becomes
  `# YOUR CODE HERE` + `raise NotImplementedError()` (the placeholders above it stay);
- outputs are cleared; autograded check cells are locked (read-only) and checksummed, so
  `nbgrader autograde` can tell an edited check from the original;
- the notebook's cell metadata is validated (a malformed nbgrader cell stops the build).

The jupytext pairing is dropped from the copies: a student's notebook is a plain .ipynb, and
saving it in JupyterLab must not create a .py next to it. notebooks/student/ is git-ignored.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
OUT_DIR = NOTEBOOK_DIR / "student"
ASSIGNMENT = "minitf"


class StudentError(Exception):
    pass


def find_chapters(names: list[str]) -> list[Path]:
    """Chapter notebooks named by path, number (06) or stem (06_linear_regression); all when empty."""
    every = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path.resolve())
            continue
        stem = path.name.removesuffix(".ipynb").removesuffix(".py")
        matches = [nb for nb in every if nb.stem == stem or nb.stem.split("_", 1)[0] == stem]
        if len(matches) != 1:
            known = ", ".join(nb.stem for nb in every)
            raise StudentError(f"no chapter called {name!r} (chapters: {known})")
        chosen.append(matches[0])
    return chosen


def _unpaired(notebook: Path) -> str:
    """The notebook's JSON without its jupytext pairing (metadata.jupytext)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb.get("metadata", {}).pop("jupytext", None)
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def generate(notebooks: list[Path], out_dir: Path = OUT_DIR) -> list[Path]:
    """Write the student version of each notebook into out_dir; returns their paths."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    stems = [nb.stem for nb in notebooks]
    if len(set(stems)) != len(stems):
        raise StudentError(f"two notebooks with the same name in {stems}")
    with tempfile.TemporaryDirectory(prefix="minitf-nbgrader-") as tmp:
        source = Path(tmp) / "source" / ASSIGNMENT
        source.mkdir(parents=True)
        for nb in notebooks:
            (source / nb.name).write_text(_unpaired(nb), encoding="utf-8")
        config = Config()
        config.CourseDirectory.root = tmp
        # No gradebook: this only makes the student copies (`nbgrader generate_assignment --no-db`).
        config.GenerateAssignment.no_database = True
        config.SaveCells.enabled = False
        result = NbGraderAPI(config=config).generate_assignment(ASSIGNMENT, force=True, create=False)
        if not result["success"]:
            raise StudentError("nbgrader generate_assignment failed:\n" + result.get("log", "")
                               + result.get("error", ""))
        release = Path(tmp) / "release" / ASSIGNMENT
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for nb in notebooks:
            made = release / nb.name
            if not made.is_file():
                raise StudentError(f"nbgrader wrote no {made.name}:\n{result.get('log', '')}")
            target = out_dir / nb.name
            shutil.copyfile(made, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("chapters", nargs="*", help="default: every notebooks/NN_*.ipynb")
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR, help="default: notebooks/student/")
    args = ap.parse_args(argv)
    try:
        notebooks = find_chapters(args.chapters)
        if not notebooks:
            raise StudentError("no notebooks/NN_*.ipynb chapters")
        written = generate(notebooks, args.out_dir.resolve())
    except StudentError as exc:
        print(f"student: error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"student: {shown}")
    where = "; open them in JupyterLab under student/" if args.out_dir.resolve() == OUT_DIR else ""
    print(f"student: {len(written)} student notebook(s){where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
