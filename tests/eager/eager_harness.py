"""Running eager-mode code in a fresh interpreter.

``tf.enable_eager_execution()`` is a one-way switch for the whole process, and
the test process itself runs in graph mode.  So every eager scenario runs in
a child Python: ``run_script`` for one program (its stdout is checked), and
``run_scenarios`` for a table of small programs sharing one child, each one's
output and error recorded separately so a test can check it alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_MARKER = "@@SCENARIO-RESULTS@@"

EAGER_SETUP = """
import numpy as np
import minitf as tf
import minitf.contrib.eager as tfe
tf.enable_eager_execution()
"""


def run_script(code: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``code`` with a fresh ``python -c`` at the repository root."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=timeout)


def run_ok(code: str, env: dict | None = None) -> str:
    """Run ``code``; fail with its stderr unless it exits 0; return its stdout."""
    result = run_script(code, env)
    assert result.returncode == 0, f"child failed:\n{result.stderr[-3000:]}"
    return result.stdout


_RUNNER = """
import contextlib, io, json, sys, textwrap, traceback
setup, scenarios = json.loads(sys.stdin.read())
shared = {}
exec(textwrap.dedent(setup), shared)
results = {}
for name, code in scenarios.items():
    out, env = io.StringIO(), dict(shared)
    try:
        with contextlib.redirect_stdout(out):
            exec(textwrap.dedent(code), env)
        results[name] = {"out": out.getvalue(), "error": None}
    except Exception as e:
        results[name] = {"out": out.getvalue(), "error": f"{type(e).__name__}: {e}",
                         "trace": traceback.format_exc()}
print(MARKER + json.dumps(results))
""".replace("MARKER", repr(_MARKER))


def run_scenarios(scenarios: dict, setup: str = EAGER_SETUP, env: dict | None = None) -> dict:
    """Run each ``name: code`` after ``setup`` in one child; name -> {"out", "error"}."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.setdefault("NUMBA_CUDA_LOW_OCCUPANCY_WARNINGS", "0")
    result = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps([setup, scenarios]),
                            capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=900)
    assert result.returncode == 0 and _MARKER in result.stdout, \
        f"scenario child failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.split(_MARKER, 1)[1])


def outcome(results: dict, name: str) -> str:
    """The scenario's stdout; fail with its traceback if it raised."""
    r = results[name]
    assert r["error"] is None, f"{name} raised {r['error']}\n{r.get('trace', '')}"
    return r["out"]
