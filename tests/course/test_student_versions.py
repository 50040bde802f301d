"""Exercises grade: in the student version nbgrader makes of each chapter (tools/student.py, the
same code as ``./dev student``), every autograded check cell FAILS, with one clear sentence.

For every chapter (and the sample chapter in tests/course/samples/): generate the student version
with nbgrader, execute it (nbclient, errors allowed, PYTHONHASHSEED=0) and require of every cell
with nbgrader ``grade: true``:

* it raised: a student who has written nothing gets no points;
* the error is an ``AssertionError`` whose message is one sentence (one line, a few words), or a
  ``NotImplementedError`` coming from an unfinished solution the check calls. A ``NameError``,
  ``TypeError`` or bare ``AssertionError`` means the check does not test the placeholder first.

The instructor versions pass (strict nbval runs them in ``./dev test notebooks``); for the sample,
the instructor version is executed here too. A broken copy of the sample (a check that passes on
the placeholders, a bare assert, a NameError) shows that the rules bite.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import os
import re
from pathlib import Path

import pytest

from chapters import CHAPTERS, ROOT, SAMPLE, ids, is_autograded, is_solution

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")
nbclient = pytest.importorskip("nbclient")

CELL_TIMEOUT = 300  # s
RAISES_TAG = "raises-exception"


def _load_student_tool():
    spec = importlib.util.spec_from_file_location("minitf_student", ROOT / "tools" / "student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


student = _load_student_tool()


def _client(path: Path):
    nb = nbformat.read(str(path), as_version=4)
    last = max((i for i, c in enumerate(nb.cells) if is_autograded(c)), default=len(nb.cells) - 1)
    nb.cells = nb.cells[: last + 1]  # nothing after the last check matters here
    return nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                                   record_timing=False, resources={"metadata": {"path": str(path.parent)}})


def execute_all(paths: list[Path]) -> dict[Path, object]:
    """Run notebooks top to bottom, each in a fresh kernel, errors allowed, several at a time:
    {path: executed notebook, or the exception that stopped it (a timeout, a dead kernel)}."""
    clients = {path: _client(path) for path in paths}
    limit = asyncio.Semaphore(max(2, min(len(paths), os.cpu_count() or 2)))

    async def run(client):
        async with limit:
            await client.async_execute()
            return client.nb

    async def run_all():
        return await asyncio.gather(*(run(c) for c in clients.values()), return_exceptions=True)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONHASHSEED", "0")  # the kernels inherit it: same set order as the stored outputs
        mp.setenv("PYTHONPATH", str(ROOT))  # this checkout's minitf
        results = asyncio.run(run_all())
    return dict(zip(clients, results))


def executed(runs: dict, path: Path):
    result = runs[path]
    if isinstance(result, BaseException):
        pytest.fail(f"{path.name} did not run to its last check: {type(result).__name__}: {result}")
    return result


def error_of(cell):
    return next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)


def one_sentence(message: str) -> bool:
    message = message.strip()
    return bool(message) and "\n" not in message and len(re.findall(r"[^\W\d_]{2,}", message)) >= 3


def check_problems(nb, name: str) -> list[str]:
    """Why the executed student version `nb` does not fail every check as it should."""
    problems = []
    checks = [(i, c) for i, c in enumerate(nb.cells) if is_autograded(c)]
    if not checks:
        problems.append(f"{name}: no autograded cell (nbgrader grade: true)")
    for i, cell in checks:
        gid = cell.metadata["nbgrader"].get("grade_id")
        err = error_of(cell)
        if err is None:
            problems.append(f"{name} cell {i} ({gid}): passes in the student version, where nothing is solved")
        elif err.ename == "AssertionError" and not one_sentence(err.evalue):
            problems.append(f"{name} cell {i} ({gid}): fails with AssertionError({err.evalue!r}); "
                            "give the assert a one-sentence message saying what is wrong")
        elif err.ename not in ("AssertionError", "NotImplementedError"):
            problems.append(f"{name} cell {i} ({gid}): fails with {err.ename}: {err.evalue[:80]}; "
                            "test the placeholder first (assert answer is not None, \"...\")")
    return problems


def solution_problems(nb, name: str) -> list[str]:
    """What nbgrader should have done to the solution cells and did not."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if is_solution(cell) and ("### BEGIN SOLUTION" in cell.source or "raise NotImplementedError()" not in cell.source):
            problems.append(f"{name} cell {i}: the solution is still in the student version")
        if is_autograded(cell) and cell.metadata.get("editable", True):
            problems.append(f"{name} cell {i}: a check cell is not locked in the student version")
    return problems


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    """Student versions of every chapter and of the sample (and of a broken sample), made in one
    nbgrader run, as ./dev student makes them."""
    tmp = tmp_path_factory.mktemp("course")
    broken = tmp / "98_broken.ipynb"
    nb = nbformat.read(str(SAMPLE), as_version=4)
    checks = [c for c in nb.cells if is_autograded(c)]
    checks[0].source = "# Check (autograded)\nprint('Exercise 1 ok')"  # cannot fail
    extra = [copy.deepcopy(checks[1]) for _ in range(2)]
    checks[1].source = "# Check (autograded)\nassert train_op is not None\nprint('Exercise 2 ok')"  # no message
    extra[0].source = "# Check (autograded)\nassert len(nothing) == 6, 'nothing should hold 6 values'\nprint('ok')"
    extra[1].source = "# Check (autograded)\nassert history, 'history'\nprint('ok')"  # a word is no sentence
    for n, cell in enumerate(extra):
        cell.metadata["nbgrader"]["grade_id"] = "ch98-ex2-check-" + "ab"[n]
        cell.id = f"broken-check-{n}"
    nb.cells += extra
    nbformat.write(nb, str(broken))
    out = tmp / "student"
    student.generate([*CHAPTERS, SAMPLE, broken], out)
    return out


@pytest.fixture(scope="module")
def runs(student_dir):
    """Every student version with checks to run, the broken sample and the instructor sample,
    executed together (one kernel each, as many at once as there are CPUs)."""
    paths = [SAMPLE, student_dir / SAMPLE.name, student_dir / "98_broken.ipynb"]
    for chapter in CHAPTERS:
        made = student_dir / chapter.name
        if any(is_autograded(c) for c in nbformat.read(str(made), as_version=4).cells):
            paths.append(made)
    return execute_all(paths)


def test_the_sample_student_version_fails_every_check(student_dir, runs):
    nb = executed(runs, student_dir / SAMPLE.name)
    assert solution_problems(nb, SAMPLE.stem) == []
    assert check_problems(nb, SAMPLE.stem) == []
    assert sum(is_autograded(c) for c in nb.cells) == 2
    assert all(error_of(c).ename == "AssertionError" for c in nb.cells if is_autograded(c))
    assert not any(o.output_type == "stream" and "ok" in o.text for c in nb.cells if is_autograded(c)
                   for o in c.outputs)


def test_the_sample_instructor_version_passes_every_check(runs):
    nb = executed(runs, SAMPLE)
    errors = [(i, error_of(c).ename) for i, c in enumerate(nb.cells)
              if error_of(c) and RAISES_TAG not in c.metadata.get("tags", [])]
    assert errors == [], errors
    oks = [c.outputs[0].text.strip() for c in nb.cells if is_autograded(c)]
    assert oks == ["Exercise 1 ok", "Exercise 2 ok"]


def test_a_check_that_cannot_fail_is_caught(student_dir, runs):
    problems = "\n".join(check_problems(executed(runs, student_dir / "98_broken.ipynb"), "98_broken"))
    assert "(ch99-ex1-check): passes in the student version" in problems
    assert "(ch99-ex2-check): fails with AssertionError('')" in problems
    assert "(ch98-ex2-check-a): fails with NameError" in problems
    assert "(ch98-ex2-check-b): fails with AssertionError('history')" in problems


def test_student_copies_are_unpaired_and_solution_free(student_dir):
    nb = nbformat.read(str(student_dir / SAMPLE.name), as_version=4)
    assert "jupytext" not in nb.metadata, "a student copy must not be paired with a .py"
    assert solution_problems(nb, SAMPLE.stem) == []
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "outputs are cleared"
    source = "\n".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in source and "GradientDescentOptimizer(1.5).minimize(tf.square" not in source
    assert "g, x, y, z = tf.Graph(), None, None, None" in source  # the placeholders stay


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_student_version_fails_every_check(student_dir, runs, chapter):
    made = student_dir / chapter.name
    if made not in runs:
        pytest.fail(f"{chapter.stem}: no autograded cell (nbgrader grade: true)")
    nb = executed(runs, made)
    problems = solution_problems(nb, chapter.stem) + check_problems(nb, chapter.stem)
    assert problems == [], "\n".join(problems)


def test_chapters_are_named_by_number_name_or_path():
    if CHAPTERS:
        first = CHAPTERS[0]
        assert student.find_chapters([first.stem[:2]]) == [first]
        assert student.find_chapters([first.stem]) == [first]
        assert student.find_chapters([first.stem + ".py"]) == [first]
    assert student.find_chapters([str(SAMPLE)]) == [SAMPLE.resolve()]
    assert student.find_chapters([]) == CHAPTERS
    with pytest.raises(student.StudentError, match="no chapter called '7x'"):
        student.find_chapters(["7x"])
