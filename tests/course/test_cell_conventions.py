"""The course conventions (/work/brief/course_conventions.md, README "For instructors"), checked
over every chapter's cells and metadata.

``violations(nb, chapter)`` lists every broken rule of one notebook, each as one line naming the
cell; the per-chapter test prints them all. The rules are checked first on
tests/course/samples/99_sample.ipynb (which follows them all) and on broken copies of it, so a
rule that cannot fail is caught here too.

Rules:
* every cell has a slide type (slide, subslide, fragment, -, skip, notes); the first shown cell
  starts a slide; the first code cell (the setup/imports cell) is skip;
* every slide/subslide is followed, before the next one, by a markdown ``notes`` cell starting
  with ``*Speaker notes:*``; notes cells are markdown and start that way;
* errors on purpose: tag ``raises-exception`` if and only if the first line is
  ``# This cell raises an error on purpose.``; no ``NBVAL_RAISES_EXCEPTION`` anywhere;
* a ``# NBVAL_IGNORE_OUTPUT`` cell is followed by a code cell (the next one without the marker)
  with an ``assert`` on what matters;
* a code cell shown in a deck: at most MAX_CODE_LINES lines, each at most MAX_LINE_CHARS
  characters; its text output at most MAX_OUTPUT_LINES lines, counted as wrapped at MAX_OUTPUT_CHARS
  characters (an error shows as its last line in the deck); a PNG at most 1280x720 pixels;
* exercises: markdown ``### Exercise N · title (练习 N)`` on a slide/subslide, N = 1, 2, ...
  (2-3 per chapter); each has a solution cell (skip, nbgrader solution metadata exactly as the
  conventions give it, grade_id chNN-exN-solution, placeholders then ``### BEGIN SOLUTION`` ...
  ``### END SOLUTION``) and at least one autograded check cell (skip, nbgrader grade metadata,
  points > 0, grade_id chNN-exN-check[-a], first line ``# Check (autograded)``, prints a line
  when it passes); grade_ids are unique across the course;
* "Under the hood (引擎内部)" sections (from their header to the next # / ## heading or exercise):
  code cells skip, at most one slide; outside them no code cell calls ``.explain(`` or reads a
  ``._private`` attribute (so no exercise uses minitf internals).
"""

from __future__ import annotations

import base64
import copy
import re
import struct
from collections import Counter

import pytest

from chapters import CHAPTERS, SAMPLE, ids, is_autograded, is_solution, nbgrader_meta, slide_type

nbformat = pytest.importorskip("nbformat")

SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
STARTS = {"slide", "subslide"}
NOTES_PREFIX = "*Speaker notes:*"
RAISES_TAG = "raises-exception"
IGNORE_OUTPUT = "# NBVAL_IGNORE_OUTPUT"
RAISES_LINE = "# This cell raises an error on purpose."
CHECK_LINE = "# Check (autograded)"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
UNDER_THE_HOOD = "## Under the hood (引擎内部)"
MAX_CODE_LINES, MAX_LINE_CHARS = 12, 80
MAX_OUTPUT_LINES, MAX_OUTPUT_CHARS = 12, 80
MAX_PNG = (1280, 720)
EXERCISES = (2, 3)
EXERCISE_HEADER = re.compile(r"^### Exercise (\d+) · (.+) \(练习 (\d+)\)\s*$")
GRADE_ID = re.compile(r"^ch(\d\d)-ex(\d+)-(solution|check)(?:-[a-z])?$")
SOLUTION_META = {"grade": False, "locked": False, "schema_version": 3, "solution": True, "task": False}
CHECK_META = {"grade": True, "locked": True, "schema_version": 3, "solution": False, "task": False}
INTERNALS = re.compile(r"\.explain\(|(?<![\w.])\w+(?:\.\w+)*\._[a-zA-Z]\w*")


def first_line(cell) -> str:
    return cell.source.split("\n", 1)[0].strip() if cell.source else ""


def shown(cell) -> bool:
    return slide_type(cell) not in ("skip", "notes", None)


def output_text(cell) -> str:
    """The text a deck shows under a code cell (an error shows as 'Name: message')."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        elif "image/png" not in out.get("data", {}) and "image/svg+xml" not in out.get("data", {}):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(p.rstrip("\n") for p in parts if p)


def png_sizes(cell) -> list[tuple[int, int]]:
    sizes = []
    for out in cell.get("outputs", []):
        data = out.get("data", {}).get("image/png")
        if data:
            raw = base64.b64decode(data if isinstance(data, str) else "".join(data))
            sizes.append(struct.unpack(">II", raw[16:24]))
    return sizes


def under_the_hood_cells(nb) -> set[int]:
    """Indices of the cells inside 'Under the hood' sections: from the header to the next # or ##
    heading or exercise header (exercises are never under the hood)."""
    inside, cells = False, set()
    for i, cell in enumerate(nb.cells):
        line = first_line(cell)
        if cell.cell_type == "markdown" and (re.match(r"^#{1,2} ", line) or EXERCISE_HEADER.match(line)):
            inside = line == UNDER_THE_HOOD
        if inside:
            cells.add(i)
    return cells


def violations(nb, chapter: str) -> list[str]:
    """Every convention the notebook breaks, one line each ('cell N: ...')."""
    problems: list[str] = []
    number = chapter[:2]

    def bad(i: int, msg: str) -> None:
        problems.append(f"{chapter} cell {i} ({first_line(nb.cells[i])[:40]!r}): {msg}")

    hood = under_the_hood_cells(nb)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    first_shown = next((i for i, c in enumerate(nb.cells) if shown(c)), None)
    open_slide = None  # index of the slide/subslide still waiting for its notes
    for i, cell in enumerate(nb.cells):
        kind, source = slide_type(cell), cell.source
        tags = cell.get("metadata", {}).get("tags", [])
        if kind not in SLIDE_TYPES:
            bad(i, f"slide type {kind!r}: give every cell one of {sorted(SLIDE_TYPES)}")
        if i == first_shown and kind != "slide":
            bad(i, f"the first cell shown in the deck must start a slide, not be {kind!r}")
        if i == first_code and kind != "skip":
            bad(i, "the setup/imports cell (the first code cell) must be skip")
        # speaker notes
        if kind in STARTS:
            if open_slide is not None:
                bad(open_slide, "this slide has no speaker notes (a notes cell before the next slide)")
            open_slide = i
        elif kind == "notes":
            if cell.cell_type != "markdown" or not source.startswith(NOTES_PREFIX):
                bad(i, f"a notes cell is markdown starting with {NOTES_PREFIX!r}")
            else:
                open_slide = None
        # errors on purpose
        if "NBVAL_RAISES_EXCEPTION" in source:
            bad(i, f"no NBVAL_RAISES_EXCEPTION comment: tag the cell {RAISES_TAG!r} instead")
        if cell.cell_type == "code" and (RAISES_TAG in tags) != (first_line(cell) == RAISES_LINE):
            bad(i, f"a cell tagged {RAISES_TAG!r} starts with {RAISES_LINE!r}, and only such a cell")
        if cell.cell_type == "code" and IGNORE_OUTPUT in source:
            after = next((c for c in nb.cells[i + 1:] if c.cell_type == "code" and IGNORE_OUTPUT not in c.source), None)
            if after is None or not re.search(r"^\s*assert\b|\.assert_\w+\(", after.source, re.M):
                bad(i, f"a {IGNORE_OUTPUT} cell is followed by a code cell asserting what matters in its result")
        # slide-sized cells
        if cell.cell_type == "code" and shown(cell):
            lines = source.split("\n")
            if len(lines) > MAX_CODE_LINES:
                bad(i, f"{len(lines)} lines of code on a slide (at most {MAX_CODE_LINES}): shorten or make it skip")
            long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARS]
            if long:
                bad(i, f"code line {long[0]} has {len(lines[long[0] - 1])} characters (at most {MAX_LINE_CHARS})")
            text = output_text(cell)
            # Output wraps on a slide: a line of 200 characters takes 3 lines of the slide.
            rows = sum(-(-len(line) // MAX_OUTPUT_CHARS) or 1 for line in text.split("\n")) if text else 0
            if rows > MAX_OUTPUT_LINES:
                bad(i, f"{rows} lines of output on a slide (wrapped at {MAX_OUTPUT_CHARS} characters; "
                       f"at most {MAX_OUTPUT_LINES}): print less or make it skip")
            for w, h in png_sizes(cell):
                if w > MAX_PNG[0] or h > MAX_PNG[1]:
                    bad(i, f"a {w}x{h} picture on a slide (at most {MAX_PNG[0]}x{MAX_PNG[1]})")
        # under the hood
        if i not in hood and cell.cell_type == "code" and (m := INTERNALS.search(source)):
            bad(i, f"minitf internals ({m.group(0)!r}) only inside a '{UNDER_THE_HOOD}' section")
    if open_slide is not None:
        bad(open_slide, "this slide has no speaker notes (a notes cell before the next slide)")
    hood_slides = [i for i in hood if slide_type(nb.cells[i]) in STARTS]
    hood_shown_code = [i for i in hood if nb.cells[i].cell_type == "code" and shown(nb.cells[i])]
    if len(hood_slides) > 1:
        bad(hood_slides[1], "an 'Under the hood' section is skip, with at most one slide")
    for i in hood_shown_code:
        bad(i, "code in an 'Under the hood' section stays in the notebook (skip)")
    problems += exercise_violations(nb, chapter, number)
    return sorted(problems, key=_cell_number)


def _cell_number(problem: str) -> int:
    """Sort key: the cell a problem names (chapter-wide problems last)."""
    m = re.match(r"^\S+ cell (\d+) ", problem)
    return int(m.group(1)) if m else 1 << 30


def exercise_violations(nb, chapter: str, number: str) -> list[str]:
    problems: list[str] = []

    def bad(i: int, msg: str) -> None:
        problems.append(f"{chapter} cell {i} ({first_line(nb.cells[i])[:40]!r}): {msg}")

    current = None  # the exercise number the cells belong to
    found: dict[int, dict[str, list[int]]] = {}
    for i, cell in enumerate(nb.cells):
        head = EXERCISE_HEADER.match(first_line(cell)) if cell.cell_type == "markdown" else None
        if head:
            n = int(head.group(1))
            if head.group(3) != head.group(1):
                bad(i, "the header's two exercise numbers differ")
            if slide_type(cell) not in STARTS:
                bad(i, "an exercise header starts a slide or subslide")
            if n != len(found) + 1:
                bad(i, f"exercise {n} follows exercise {len(found)}: number them 1, 2, 3")
            current = n
            found[n] = {"solution": [], "check": []}
            continue
        if cell.cell_type == "markdown" and re.match(r"^#{1,2} ", first_line(cell)):
            current = None  # a new section ends the exercise
        meta = nbgrader_meta(cell)
        if not meta:
            if first_line(cell) == CHECK_LINE:
                bad(i, "a '# Check (autograded)' cell needs the autograded nbgrader metadata")
            if BEGIN in cell.source:
                bad(i, "a cell with '### BEGIN SOLUTION' needs the nbgrader solution metadata")
            continue
        if is_solution(cell) == is_autograded(cell):
            bad(i, "an nbgrader cell is either a solution cell or an autograded check cell")
            continue
        role = "solution" if is_solution(cell) else "check"
        expected = SOLUTION_META if role == "solution" else CHECK_META
        wrong = {k: meta.get(k) for k, v in expected.items() if meta.get(k) != v}
        if wrong:
            bad(i, f"nbgrader metadata of a {role} cell: expected {expected} (+ grade_id), got {wrong}")
        if cell.cell_type != "code":
            bad(i, f"a {role} cell is a code cell")
        if slide_type(cell) != "skip":
            bad(i, f"a {role} cell is skip (never on a slide)")
        gid = str(meta.get("grade_id", ""))
        m = GRADE_ID.match(gid)
        if not m or m.group(1) != number or m.group(3) != role or current is None or int(m.group(2)) != current:
            bad(i, f"grade_id {gid!r}: expected ch{number}-ex{current or 'N'}-{role} (in its exercise)")
        if role == "solution":
            lines = [line.strip() for line in cell.source.split("\n")]
            if BEGIN not in lines or END not in lines or lines.index(BEGIN) > lines.index(END):
                bad(i, f"a solution cell has its solution between '{BEGIN}' and '{END}' lines")
            elif not any("=" in line and not line.startswith("#") for line in lines[: lines.index(BEGIN)]):
                bad(i, f"a solution cell first sets the answer variables to placeholders, before '{BEGIN}'")
        else:
            points = meta.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
                bad(i, f"an autograded cell has points > 0, got {points!r}")
            if first_line(cell) != CHECK_LINE:
                bad(i, f"an autograded cell's first line is {CHECK_LINE!r}")
            if "print(" not in cell.source:
                bad(i, "a check prints one short line when it passes")
        if current is not None:
            found[current][role].append(i)
    for n, cells in found.items():
        for role in ("solution", "check"):
            if not cells[role]:
                problems.append(f"{chapter}: exercise {n} has no {role} cell")
    if not EXERCISES[0] <= len(found) <= EXERCISES[1]:
        problems.append(f"{chapter}: {len(found)} exercises ('### Exercise N · title (练习 N)'), "
                        f"expected {EXERCISES[0]}-{EXERCISES[1]}")
    ids_here = Counter(str(nbgrader_meta(c).get("grade_id")) for c in nb.cells if nbgrader_meta(c))
    for gid, count in ids_here.items():
        if count > 1:
            problems.append(f"{chapter}: grade_id {gid!r} is used {count} times")
    return problems


def read(path):
    return nbformat.read(str(path), as_version=4)


# ---------------------------------------------------------------- the chapters
@pytest.mark.parametrize("notebook", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_follows_the_conventions(notebook):
    problems = violations(read(notebook), notebook.stem)
    assert not problems, f"{len(problems)} convention violation(s) in {notebook.name}:\n" + "\n".join(problems)


def test_grade_ids_are_unique_across_the_course():
    seen: dict[str, list[str]] = {}
    for path in CHAPTERS:
        for cell in read(path).cells:
            if nbgrader_meta(cell).get("grade_id"):
                seen.setdefault(nbgrader_meta(cell)["grade_id"], []).append(path.stem)
    twice = {gid: where for gid, where in seen.items() if len(where) > 1}
    assert not twice, f"grade_ids used more than once: {twice}"


# ---------------------------------------------------------------- the rules bite
def test_the_sample_follows_every_convention():
    assert violations(read(SAMPLE), SAMPLE.stem) == []


def _index(nb, start: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.source.startswith(start))


def _broken(edit):
    nb = read(SAMPLE)
    edit(nb)
    return "\n".join(violations(nb, SAMPLE.stem))


def _set(nb, start, **meta):
    nb.cells[_index(nb, start)].metadata.update(copy.deepcopy(meta))


BROKEN = {
    "no slide type": (lambda nb: nb.cells[_index(nb, "a = tf")].metadata.pop("slideshow"),
                      "slide type None"),
    "setup cell shown": (lambda nb: _set(nb, "import numpy", slideshow={"slide_type": "-"}),
                         "setup/imports cell"),
    "notes missing": (lambda nb: nb.cells.pop(_index(nb, "*Speaker notes:* Building")),
                      "has no speaker notes"),
    "notes without prefix": (lambda nb: setattr(nb.cells[_index(nb, "*Speaker notes:* The error")], "source",
                                                "The error comes early."), "has no speaker notes"),
    "raises tag without marker": (
        lambda nb: _set(nb, "a = tf", tags=[RAISES_TAG]), "starts with '# This cell raises"),
    "marker without tag": (lambda nb: nb.cells[_index(nb, RAISES_LINE)].metadata.pop("tags"),
                           "and only such a cell"),
    "NBVAL comment": (lambda nb: setattr(nb.cells[_index(nb, "a = tf")], "source",
                                         "# NBVAL_RAISES_EXCEPTION\n" + nb.cells[_index(nb, "a = tf")].source),
                      "no NBVAL_RAISES_EXCEPTION"),
    "ignored output, nothing checked": (
        lambda nb: setattr(nb.cells[_index(nb, "a = tf")], "source", IGNORE_OUTPUT + "\n" + nb.cells[_index(nb, "a = tf")].source),
        "followed by a code cell asserting"),
    "long code": (lambda nb: setattr(nb.cells[_index(nb, "a = tf")], "source", "x = 1\n" * 13 + "y = 2"),
                  "14 lines of code on a slide"),
    "wide code": (lambda nb: setattr(nb.cells[_index(nb, "a = tf")], "source", "x = " + "1 + " * 25 + "1"),
                  "code line 1 has 105 characters"),
    "long output": (lambda nb: nb.cells[_index(nb, "a = tf")].outputs.__setitem__(
        0, nbformat.v4.new_output("stream", name="stdout", text="line\n" * 20)), "20 lines of output"),
    "big picture": (lambda nb: nb.cells[_index(nb, "a = tf")].outputs.append(nbformat.v4.new_output(
        "display_data", data={"image/png": base64.b64encode(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 1500, 400)).decode()})),
                    "a 1500x400 picture"),
    "solution shown": (lambda nb: _set(nb, "g, x, y, z", slideshow={"slide_type": "-"}),
                       "a solution cell is skip"),
    "solution metadata": (lambda nb: nb.cells[_index(nb, "g, x, y, z")].metadata["nbgrader"].update(locked=True),
                          "{'locked': True}"),
    "no markers": (lambda nb: setattr(nb.cells[_index(nb, "g, x, y, z")], "source",
                                      nb.cells[_index(nb, "g, x, y, z")].source.replace(END, "")),
                   "between '### BEGIN SOLUTION'"),
    "no placeholders": (lambda nb: setattr(nb.cells[_index(nb, "g, x, y, z")], "source",
                                           nb.cells[_index(nb, "g, x, y, z")].source.split("\n", 1)[1]),
                        "placeholders"),
    "zero points": (lambda nb: nb.cells[_index(nb, CHECK_LINE)].metadata["nbgrader"].update(points=0),
                    "points > 0"),
    "check first line": (lambda nb: setattr(nb.cells[_index(nb, CHECK_LINE)], "source",
                                            nb.cells[_index(nb, CHECK_LINE)].source.replace(CHECK_LINE, "# check")),
                         "first line is '# Check (autograded)'"),
    "check unlocked": (lambda nb: nb.cells[_index(nb, CHECK_LINE)].metadata["nbgrader"].update(locked=False),
                       "{'locked': False}"),
    "duplicate grade id": (lambda nb: nb.cells[_index(nb, "# Check (autograded)\nassert train_op")]
                           .metadata["nbgrader"].update(grade_id="ch99-ex1-check"),
                           "'ch99-ex1-check' is used 2 times"),
    "wrong chapter in grade id": (lambda nb: nb.cells[_index(nb, CHECK_LINE)].metadata["nbgrader"]
                                  .update(grade_id="ch01-ex1-check"), "expected ch99-ex1-check"),
    "one exercise": (lambda nb: setattr(nb, "cells", nb.cells[: _index(nb, "### Exercise 2")]),
                     "1 exercises"),
    "exercise without check": (lambda nb: nb.cells.pop(_index(nb, "# Check (autograded)\nassert train_op")),
                               "exercise 2 has no check cell"),
    "under the hood on slides": (lambda nb: _set(nb, "print(\"graph version", slideshow={"slide_type": "-"}),
                                 "stays in the notebook"),
    "two slides under the hood": (lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell(
        "More internals", metadata={"slideshow": {"slide_type": "subslide"}})), "at most one slide"),
    "internals in an exercise": (lambda nb: nb.cells.insert(_index(nb, "# Check (autograded)\nassert train_op"),
                                                            nbformat.v4.new_code_cell(
        "print(train_op.graph._version)", metadata={"slideshow": {"slide_type": "skip"}})), "minitf internals"),
    "internals on the main line": (lambda nb: setattr(nb.cells[_index(nb, "a = tf")], "source",
                                                      "print(sess.explain(y))"), "minitf internals"),
}


def test_ignored_output_followed_by_a_check_is_fine():
    nb = read(SAMPLE)
    i = _index(nb, "a = tf")
    nb.cells[i].source = IGNORE_OUTPUT + "\n" + nb.cells[i].source
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell("with tf.Session() as sess:\n    assert sess.run(y) == 7.0",
                                                     metadata={"slideshow": {"slide_type": "skip"}}))
    assert violations(nb, SAMPLE.stem) == []


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_sample_is_caught(case):
    edit, expected = BROKEN[case]
    problems = _broken(edit)
    assert expected in problems, f"{case}: expected a violation mentioning {expected!r}, got:\n{problems}"
