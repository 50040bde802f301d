"""The layer order (README "Architecture") holds: import-linter's contracts, and few hidden imports."""

from __future__ import annotations

import ast
import os
import pathlib
import subprocess
import sys


import minitf

ROOT = pathlib.Path(minitf.__file__).parent.parent
PACKAGE = ROOT / "minitf"
MAX_INNER_IMPORTS_PER_100_LINES = 0.4


def test_import_linter_contracts_are_kept():
    """framework/ is the ground floor; train > eager > client | autodiff > ops > kernels > framework."""
    # In a child process: import-linter configures logging, which would silence caplog here.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports(no_cache=True))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, "an import-linter contract is broken:\n" + done.stdout[-3000:]


def _minitf_imports_inside_functions(tree: ast.AST) -> list:
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("minitf")):
                found.append(node.lineno)
            elif isinstance(node, ast.Import) and any(a.name.startswith("minitf") for a in node.names):
                found.append(node.lineno)
    return sorted(set(found))


def test_few_imports_hide_inside_functions():
    """Imports of minitf modules inside functions only break a real cycle or defer an expensive module."""
    lines, hidden = 0, []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "protos" in path.parts:          # generated protobuf code
            continue
        text = path.read_text()
        lines += len(text.splitlines())
        hidden += [f"{path.relative_to(ROOT)}:{n}" for n in _minitf_imports_inside_functions(ast.parse(text))]
    rate = 100 * len(hidden) / lines
    assert rate <= MAX_INNER_IMPORTS_PER_100_LINES, (
        f"{len(hidden)} imports of minitf modules inside functions ({rate:.2f} per 100 lines, at most "
        f"{MAX_INNER_IMPORTS_PER_100_LINES}):\n" + "\n".join(hidden))


def test_each_hidden_import_says_why():
    """Every import left inside a function carries a comment (on its line or the one above)."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "protos" in path.parts:
            continue
        text = path.read_text()
        source = text.splitlines()
        for n in _minitf_imports_inside_functions(ast.parse(text)):
            if "#" not in source[n - 1] and not source[n - 2].strip().startswith("#"):
                missing.append(f"{path.relative_to(ROOT)}:{n}: {source[n - 1].strip()}")
    assert not missing, "imports inside functions without a reason:\n" + "\n".join(missing)
