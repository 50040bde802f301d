#!/usr/bin/env python3
"""Mutation testing of the engine's formulas with cosmic-ray (``./dev mutate``).

A mutant is the engine with one small change (``*`` -> ``/``, ``>=`` -> ``>``,
``0.5`` -> ``1.5`` ...).  A mutant is *killed* when its test subset fails,
*survives* when every test passes: a surviving mutant is either a wrong formula
no test notices (write the test) or an equivalent change (note why).

Each target below is one engine file, the functions in it that hold formulas
(all when empty) and a fast test subset that should catch a wrong formula
there.  For each target this tool writes a cosmic-ray config and session under
``.mutation/`` (git-ignored), keeps only the chosen functions and operators,
optionally samples ``--max`` mutants, runs them, and prints the kill rate and
the diff of each survivor.  cosmic-ray edits the file in place and restores it
after each mutant, so do not edit the tree while it runs.

Left out on purpose: the bit-operator replacements (``*`` -> ``>>``, ``&`` ...),
which on float arrays only raise TypeError and so inflate the score.

    tools/mutate.py                          every target
    tools/mutate.py training_ops optimizers  chosen targets
    tools/mutate.py --max 60 --seed 1 math_grads
    tools/mutate.py --list
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
PYTEST = "-m pytest -p no:nbval -x -q -p no:cacheprovider"


@dataclass
class Target:
    path: str                     # engine file, relative to the repository root
    tests: str                    # pytest arguments: a fast subset that checks these formulas
    functions: tuple = ()         # only mutate inside these functions (all of the file when empty)


TARGETS = {
    "training_ops": Target(
        "minitf/train/training_ops.py",
        "tests/train/test_optimizer_references.py tests/train/test_update_op_outputs.py "
        "-k 'graph or nesterov or update_op_outputs'",
        ("_gd", "_momentum", "update", "_adam", "_adagrad", "_rmsprop", "_apply_kernel", "run")),
    "optimizers": Target(
        "minitf/train/optimizers.py",
        "tests/train/test_optimizer_references.py tests/train/test_adadelta.py tests/train/test_sparse_updates.py "
        "tests/train/test_sparse_adam_reference.py tests/train/test_optimizer_defaults.py -k 'graph or nesterov "
        "or centered or positive or locking or adadelta or sparse_updates or sparse_adam or optimizer_defaults'"),
    "math_grads": Target(
        "minitf/ops/math_ops.py",
        "tests/ops/test_tie_gradients.py tests/ops/test_uncovered_ops.py tests/ops/test_math_grad_refs.py "
        "tests/ops/test_ops_table.py -k 'tie or clip or math_grad_refs or (test_gradient_matches and (Add or Sub or Mul or Div or Pow or Maximum or Minimum "
        "or SquaredDifference or Select))'",
        ("unbroadcast", "_add_grad", "_sub_grad", "_mul_grad", "_div_grad", "_pow_grad", "_minmax_grad",
         "_sqdiff_grad", "_select_grad", "clip_by_value")),
    "reduction_grads": Target(
        "minitf/ops/reduction_ops.py",
        "tests/ops/test_uncovered_ops.py tests/ops/test_reduction_grad_refs.py tests/ops/test_ops_table.py -k "
        "'keep_dims or mean_gradient or reduction_grad_refs or (gradient and (Sum or Mean or Max or Min or Prod))'",
        ("_sum_grad", "_mean_grad", "_max1", "_minmax_grad", "_kept_shape", "_prod_grad")),
    "feeds": Target(
        "minitf/client/fetches.py",
        "tests/client/test_feed_rank.py tests/client/test_feed_dtypes.py tests/client/test_session.py",
        ("feed_value", "_converted")),
    "gradients": Target("minitf/autodiff/gradients.py", "tests/train/test_optimizers.py tests/ops/test_ops_gradients.py "
                                  "tests/autodiff/test_gradient_targets.py"),
    "freeze": Target("minitf/io/freeze.py", "tests/io/test_uncovered_io.py tests/io/test_freeze_refs.py "
                                       "tests/interop/test_tf_fixtures.py"),
}

BIT_OPERATORS = ("RShift", "LShift", "BitOr", "BitAnd", "BitXor")


def cosmic_ray() -> list[str]:
    exe = os.environ.get("COSMIC_RAY") or shutil.which("cosmic-ray", path=str(Path(sys.executable).parent)) \
        or shutil.which("cosmic-ray")
    if not exe:
        sys.exit("mutate: cosmic-ray is not installed (pip install 'cosmic-ray>=8.7,<9', in the dev extra)")
    return [exe]


def test_command(target: Target) -> str:
    python = os.environ.get("MINITF_PYTHON", sys.executable)
    return f"env PYTHONPATH={shlex.quote(str(ROOT))} {shlex.quote(python)} {PYTEST} {target.tests}"


def write_config(name: str, target: Target, timeout: float) -> Path:
    command = test_command(target)
    config = WORK / f"{name}.toml"
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {str(target.path)!r}\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {command!r}\n\n"
        "[cosmic-ray.distributor]\nname = \"local\"\n")
    return config


def function_lines(path: Path, names: tuple) -> set[int]:
    """The line numbers inside the named functions (nested ones included)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def prune(session: Path, target: Target, limit: int | None, seed: int) -> int:
    """Keep the mutants worth running; return how many are left."""
    keep_lines = function_lines(ROOT / target.path, target.functions) if target.functions else None
    db = sqlite3.connect(session)
    # Sorted by place and operator (job ids are random), so one seed picks the same sample every time.
    rows = sorted(db.execute("SELECT start_pos_row, start_pos_col, operator_name, occurrence, job_id "
                             "FROM mutation_specs").fetchall())
    keep = [job for row, _, op, _, job in rows
            if not any(op.endswith("_" + b) for b in BIT_OPERATORS)
            and (keep_lines is None or row in keep_lines)]
    if limit is not None and len(keep) > limit:
        keep = random.Random(seed).sample(keep, limit)
    kept = set(keep)
    drop = [row[-1] for row in rows if row[-1] not in kept]
    for job in drop:
        db.execute("DELETE FROM mutation_specs WHERE job_id = ?", (job,))
        db.execute("DELETE FROM work_items WHERE job_id = ?", (job,))
    db.commit()
    return len(keep)


def results(session: Path) -> tuple[int, int, list]:
    db = sqlite3.connect(session)
    rows = db.execute(
        "SELECT r.test_outcome, r.worker_outcome, r.diff, s.operator_name, s.start_pos_row "
        "FROM work_results r JOIN mutation_specs s USING (job_id)").fetchall()
    # test_outcome is cosmic-ray's TestOutcome name ("KILLED", "SURVIVED", "INCOMPETENT")
    survivors = [row for row in rows if (row[0] or "").lower() != "killed"]
    killed = len(rows) - len(survivors)
    return killed, len(rows), survivors


def run_target(name: str, target: Target, args) -> tuple[int, int]:
    # Baseline: the unmutated engine must pass, or every mutant would count as killed.
    if subprocess.run(test_command(target), shell=True, cwd=ROOT, capture_output=True).returncode != 0:
        sys.exit(f"mutate: {name}: the tests fail without any mutation: {target.tests}")
    session = WORK / f"{name}.sqlite"
    session.unlink(missing_ok=True)
    config = write_config(name, target, args.timeout)
    subprocess.run(cosmic_ray() + ["init", str(config), str(session)], cwd=ROOT, check=True)
    n = prune(session, target, args.max, args.seed)
    print(f"==> {name}: {n} mutants of {target.path}; tests: {target.tests}", flush=True)
    subprocess.run(cosmic_ray() + ["exec", str(config), str(session)], cwd=ROOT, check=True)
    killed, total, survivors = results(session)
    for outcome, worker, diff, op, row in survivors:
        print(f"--- survived ({outcome or worker}): {op} at {target.path}:{row}")
        print("\n".join(line for line in (diff or "").splitlines() if line[:1] in "+-" and line[:3] not in "+++---"))
    rate = 100.0 * killed / total if total else 0.0
    print(f"==> {name}: killed {killed}/{total} ({rate:.1f}%)", flush=True)
    return killed, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--max", type=int, help="run at most this many mutants per target (a random sample)")
    parser.add_argument("--seed", type=int, default=0, help="seed of that sample")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one mutant's tests may take")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, t in TARGETS.items():
            print(f"{name:16} {t.path}  [{', '.join(t.functions) or 'whole file'}]  tests: {t.tests}")
        return 0
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; choose from {list(TARGETS)}")
    WORK.mkdir(exist_ok=True)
    killed = total = 0
    for name in args.targets or TARGETS:
        k, n = run_target(name, TARGETS[name], args)
        killed, total = killed + k, total + n
    rate = 100.0 * killed / total if total else 0.0
    print(f"mutation score: killed {killed}/{total} ({rate:.1f}%)")
    return 0 if total and killed == total else 1


if __name__ == "__main__":
    sys.exit(main())
