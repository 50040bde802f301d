"""Every chapter is a jupytext pair: notebooks/NN_topic.py (percent format, the source an
instructor edits) and notebooks/NN_topic.ipynb (the same cells plus their outputs).

The pair is in sync when both declare ``formats: ipynb,py:percent`` and hold the same cells: same
type, same source, same slideshow/tags/nbgrader metadata. A failure names the chapter, the first
cell that differs and the command that fixes it. A synthetic pair checks that the checker bites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
FORMATS = "ipynb,py:percent"
# The cell metadata that matters to the course (slides, error cells, grading), compared in both files.
KEYS = ("slideshow", "tags", "nbgrader")


def chapters() -> list[str]:
    """Stems of every chapter, whichever half of the pair exists."""
    stems = {p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")}
    stems |= {p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.py")}
    return sorted(stems)


def _shown(source: str) -> str:
    first = source.splitlines()[0] if source else ""
    return repr(first[:60] + ("..." if len(first) > 60 else ""))


def pair_problems(ipynb: Path) -> list[str]:
    """Why ipynb and its .py twin are not a synced pair ([] when they are)."""
    py = ipynb.with_suffix(".py")
    fix = f"fix: jupytext --sync {py.relative_to(ROOT) if py.is_relative_to(ROOT) else py}"
    if not ipynb.is_file():
        return [f"{py.name} has no {ipynb.name}: {fix}"]
    if not py.is_file():
        return [f"{ipynb.name} has no {py.name} twin: jupytext --set-formats {FORMATS} {ipynb.name}"]
    nb = nbformat.read(str(ipynb), as_version=4)
    text = jupytext.read(str(py))
    problems = []
    for name, book in ((ipynb.name, nb), (py.name, text)):
        formats = book.metadata.get("jupytext", {}).get("formats")
        if formats != FORMATS:
            problems.append(f"{name}: jupytext formats is {formats!r}, expected {FORMATS!r}")
    for i, (a, b) in enumerate(zip(nb.cells, text.cells)):
        what = None
        if a.cell_type != b.cell_type:
            what = f"a {a.cell_type} cell in the .ipynb, a {b.cell_type} cell in the .py"
        elif a.source != b.source:
            what = f"source differs: .ipynb {_shown(a.source)} vs .py {_shown(b.source)}"
        else:
            for key in KEYS:
                if a.metadata.get(key) != b.metadata.get(key):
                    what = f"metadata {key!r} differs: .ipynb {a.metadata.get(key)!r} vs .py {b.metadata.get(key)!r}"
                    break
        if what:
            problems.append(f"{ipynb.stem}: cell {i} ({_shown(a.source)}) is out of sync: {what}; {fix}")
            break
    else:
        if len(nb.cells) != len(text.cells):
            problems.append(f"{ipynb.stem}: {len(nb.cells)} cells in the .ipynb, {len(text.cells)} in the .py "
                            f"(first {min(len(nb.cells), len(text.cells))} agree); {fix}")
    return problems


@pytest.mark.parametrize("stem", chapters())
def test_chapter_pair_in_sync(stem):
    problems = pair_problems(NOTEBOOK_DIR / f"{stem}.ipynb")
    assert problems == [], "\n".join(problems)


def test_sample_pair_in_sync():
    """tests/course/samples/99_sample: the sample chapter the other course tests use."""
    problems = pair_problems(Path(__file__).resolve().parent / "samples" / "99_sample.ipynb")
    assert problems == [], "\n".join(problems)


def test_there_are_chapters():
    assert chapters(), "no notebooks/NN_*.ipynb / .py chapters found"


# ---------------------------------------------------------------- the checker itself
def _make_pair(tmp_path: Path) -> Path:
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[
        new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("x = 1\nprint(x)", metadata={"slideshow": {"slide_type": "-"}}),
        new_code_cell("x = None\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION", metadata={
            "slideshow": {"slide_type": "skip"},
            "nbgrader": {"grade": False, "grade_id": "ch99-ex1-solution", "locked": False,
                         "schema_version": 3, "solution": True, "task": False}}),
    ])
    nb.metadata["jupytext"] = {"formats": FORMATS}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ipynb = tmp_path / "99_pair.ipynb"
    nbformat.write(nb, str(ipynb))
    jupytext.write(nb, str(ipynb.with_suffix(".py")), fmt="py:percent")
    return ipynb


def test_a_fresh_pair_is_in_sync(tmp_path):
    assert pair_problems(_make_pair(tmp_path)) == []


def test_an_edited_py_is_caught(tmp_path):
    ipynb = _make_pair(tmp_path)
    py = ipynb.with_suffix(".py")
    py.write_text(py.read_text().replace("print(x)", "print(x + 1)"))
    [problem] = pair_problems(ipynb)
    assert "99_pair: cell 1" in problem and "source differs" in problem and "jupytext --sync" in problem


def test_changed_metadata_and_missing_cells_are_caught(tmp_path):
    ipynb = _make_pair(tmp_path)
    py = ipynb.with_suffix(".py")
    py.write_text(py.read_text().replace('"slide_type": "skip"', '"slide_type": "slide"'))
    [problem] = pair_problems(ipynb)
    assert "cell 2" in problem and "'slideshow'" in problem
    nb = nbformat.read(str(ipynb), as_version=4)
    jupytext.write(nb, str(py), fmt="py:percent")
    nb.cells.pop()
    nbformat.write(nb, str(ipynb))
    [problem] = pair_problems(ipynb)
    assert "2 cells in the .ipynb, 3 in the .py" in problem


def test_missing_twin_and_wrong_formats_are_caught(tmp_path):
    ipynb = _make_pair(tmp_path)
    nb = nbformat.read(str(ipynb), as_version=4)
    nb.metadata["jupytext"] = {"formats": "ipynb,py:light"}
    nbformat.write(nb, str(ipynb))
    assert any("'ipynb,py:light'" in p for p in pair_problems(ipynb))
    ipynb.with_suffix(".py").unlink()
    assert "has no 99_pair.py twin" in pair_problems(ipynb)[0]
