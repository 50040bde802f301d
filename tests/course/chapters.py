"""Where the course's notebooks are, for the tests in tests/course/ (imported by them, not a test)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE = SAMPLES / "99_sample.ipynb"  # follows every convention; its .py twin is the source
CHAPTERS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def ids(paths) -> list[str]:
    return [p.stem for p in paths]


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_solution(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_autograded(cell) -> bool:
    return bool(nbgrader_meta(cell).get("grade"))


def slide_type(cell) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
