"""environment.yml (conda) and pyproject.toml (pip) must describe the same environment.

What is compared:

* pyproject.toml: ``[project] dependencies`` plus every list in
  ``[project.optional-dependencies]`` (self references such as ``minitf[viz]`` are dropped);
* environment.yml: every conda entry under ``dependencies:`` plus the entries of its
  ``pip:`` sub-list, leaving out ``python`` itself, ``pip`` and local installs (``-e .``).

Names are compared after PEP 503 normalisation (lower case, runs of ``-_.`` become ``-``),
with the conda-forge names that differ from PyPI mapped through ``CONDA_TO_PYPI``. Where
both files give a version constraint for a package, the constraints must be identical.

environment.yml is read with a small parser for the subset of YAML it uses (no new
dependency); when PyYAML happens to be installed a test checks that both readings agree.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

# conda-forge name -> PyPI name, where they differ.
CONDA_TO_PYPI = {
    "python-graphviz": "graphviz",  # conda-forge "graphviz" is the C tools only (dot), no Python module
    "matplotlib-base": "matplotlib",  # matplotlib without the Qt/Tk GUI toolkits
}
# Entries of environment.yml that are not packages of the project's environment.
CONDA_ONLY = {"python", "pip"}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(req: str) -> tuple[str, str]:
    """'numba>=0.68,<0.69 ; python_version>"3"' -> ('numba', '>=0.68,<0.69')."""
    req = req.split(";", 1)[0]
    m = _REQ.match(req)
    if not m:
        raise ValueError(f"cannot read requirement {req!r}")
    return normalize(m.group(1)), re.sub(r"\s+", "", m.group(3))


# ---------------------------------------------------------------- pyproject.toml
def pyproject_packages(path: Path = PYPROJECT) -> dict[str, str]:
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    own = normalize(project["name"])
    reqs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    packages: dict[str, str] = {}
    for req in reqs:
        name, spec = split_requirement(req)
        if name == own:
            continue
        if packages.get(name) and spec and packages[name] != spec:
            raise AssertionError(f"pyproject.toml lists {name} twice with different bounds")
        packages[name] = packages.get(name) or spec
    return packages


# ---------------------------------------------------------------- environment.yml
def _strip_comment(line: str) -> str:
    # YAML comments start with '#' at the line start or after whitespace (outside quotes;
    # environment.yml uses no quoted '#').
    return re.sub(r"(^|\s)#.*$", "", line).rstrip()


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    return s


def parse_environment_yml(text: str) -> dict:
    """Parse the YAML subset environment.yml uses: top-level ``key: value`` pairs, block
    lists (``- item``), flow lists (``[a, b]``) and one nested ``- pip:`` list. Anything
    else raises ValueError, so a construct this parser does not know fails the test
    instead of being skipped."""
    data: dict = {}
    key = None  # current top-level key whose block list we are reading
    nested = None  # the list under "- pip:", when reading it
    item_indent = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if "\t" in raw[:indent + 1]:
            raise ValueError(f"environment.yml:{lineno}: tabs are not allowed in YAML indentation")
        if indent == 0:
            nested = None
            item_indent = None
            m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", body)
            if not m:
                raise ValueError(f"environment.yml:{lineno}: expected 'key: value', got {body!r}")
            key, value = m.group(1), m.group(2)
            if value.startswith("["):
                if not value.endswith("]"):
                    raise ValueError(f"environment.yml:{lineno}: unterminated flow list")
                data[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
                key = None
            elif value:
                data[key] = _unquote(value)
                key = None
            else:
                data[key] = []
            continue
        if key is None or not body.startswith("- "):
            raise ValueError(f"environment.yml:{lineno}: unexpected line {raw!r}")
        item = body[2:].strip()
        if item_indent is None:
            item_indent = indent
        if indent == item_indent:
            nested = None
            if item.endswith(":"):  # "- pip:" opens a nested list
                sub: list = []
                data[key].append({item[:-1].strip(): sub})
                nested = sub
            else:
                data[key].append(_unquote(item))
        elif indent > item_indent and nested is not None:
            nested.append(_unquote(item))
        else:
            raise ValueError(f"environment.yml:{lineno}: unexpected indentation in {raw!r}")
    return data


def _conda_requirement(entry: str) -> tuple[str, str]:
    """Conda match spec 'numba>=0.68,<0.69' / 'python=3.11' / 'pkg 1.2.*' -> (name, spec)."""
    m = re.match(r"^\s*(?:[\w-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$", entry)
    if not m:
        raise ValueError(f"cannot read conda entry {entry!r}")
    return normalize(m.group(1)), re.sub(r"\s+", "", m.group(2))


def environment_packages(path: Path = ENVIRONMENT) -> dict[str, str]:
    data = parse_environment_yml(path.read_text(encoding="utf-8"))
    packages: dict[str, str] = {}
    for entry in data.get("dependencies", []):
        if isinstance(entry, dict):
            for tool, reqs in entry.items():
                if tool != "pip":
                    raise ValueError(f"unknown nested list '{tool}:' in environment.yml")
                for req in reqs:
                    if req.startswith("-") or req.startswith(".") or "/" in req:
                        continue  # -e ., local paths, pip options
                    name, spec = split_requirement(req)
                    packages[name] = spec
            continue
        name, spec = _conda_requirement(entry)
        if name in CONDA_ONLY:
            continue
        packages[CONDA_TO_PYPI.get(name, name)] = spec
    return packages


# ---------------------------------------------------------------- tests
def test_same_package_set():
    pip_side = set(pyproject_packages())
    conda_side = set(environment_packages())
    only_pip = sorted(pip_side - conda_side)
    only_conda = sorted(conda_side - pip_side)
    assert not only_pip and not only_conda, (
        "pyproject.toml and environment.yml list different packages.\n"
        f"  only in pyproject.toml: {only_pip}\n"
        f"  only in environment.yml: {only_conda}\n"
        "Add the package to both files (conda-forge names that differ from PyPI go in "
        "CONDA_TO_PYPI in tests/course/test_environment_sync.py)."
    )


def test_same_version_bounds():
    pip_side = pyproject_packages()
    conda_side = environment_packages()
    differ = {
        name: (pip_side[name], conda_side[name])
        for name in pip_side.keys() & conda_side.keys()
        if pip_side[name] and conda_side[name] and pip_side[name] != conda_side[name]
    }
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"


def test_environment_installs_the_project_and_uses_conda_forge():
    data = parse_environment_yml(ENVIRONMENT.read_text(encoding="utf-8"))
    assert data.get("channels") == ["conda-forge", "nodefaults"]
    pip_lists = [e["pip"] for e in data["dependencies"] if isinstance(e, dict) and "pip" in e]
    assert pip_lists and "-e ." in pip_lists[0], "environment.yml must pip-install the project: '- pip: [-e .]'"
    assert "pip" in data["dependencies"], "conda needs 'pip' listed to run the pip: section"
    pythons = [e for e in data["dependencies"] if isinstance(e, str) and _conda_requirement(e)[0] == "python"]
    assert pythons, "environment.yml must pin python"


def test_protobuf_lower_bound_covers_generated_code():
    """Generated *_pb2.py modules refuse a protobuf runtime older than the protoc that made them."""
    stamps = {}
    for path in (ROOT / "minitf").rglob("*_pb2.py"):
        m = re.search(r"^# Protobuf Python Version: (\d+)\.(\d+)\.(\d+)", path.read_text(encoding="utf-8"), re.M)
        if m:
            stamps[path.relative_to(ROOT).as_posix()] = tuple(int(x) for x in m.groups())
    if not stamps:
        pytest.skip("no generated *_pb2.py modules yet")
    spec = pyproject_packages()["protobuf"]
    m = re.search(r">=\s*(\d+)\.(\d+)(?:\.(\d+))?", spec)
    assert m, f"protobuf needs a lower bound in pyproject.toml, got {spec!r}"
    lower = tuple(int(x or 0) for x in m.groups())
    too_new = {p: v for p, v in stamps.items() if v > lower}
    assert not too_new, f"protobuf>={'.'.join(map(str, lower))} is older than the gencode of {too_new}"


# -- the checker itself


def test_parser_reads_the_yaml_subset():
    text = """\
name: x  # comment
channels: [conda-forge, nodefaults]
dependencies:
  - python=3.11
  - numba>=0.68,<0.69   # trailing comment
  - python-graphviz
  - pip
  - pip:
      - -e .
      - somepkg==1.0
"""
    data = parse_environment_yml(text)
    assert data == {
        "name": "x",
        "channels": ["conda-forge", "nodefaults"],
        "dependencies": ["python=3.11", "numba>=0.68,<0.69", "python-graphviz", "pip",
                         {"pip": ["-e .", "somepkg==1.0"]}],
    }


def test_parser_rejects_what_it_does_not_understand():
    with pytest.raises(ValueError):
        parse_environment_yml("dependencies:\n  numpy: 2\n")


def test_a_package_added_to_one_file_only_is_caught(tmp_path):
    """The check really bites: add a package to each file alone and compare again."""
    env = tmp_path / "environment.yml"
    env.write_text(ENVIRONMENT.read_text(encoding="utf-8").replace(
        "  - pip\n", "  - rich>=13\n  - pip\n", 1), encoding="utf-8")
    assert "rich" in set(environment_packages(env)) - set(pyproject_packages())

    proj = tmp_path / "pyproject.toml"
    proj.write_text(PYPROJECT.read_text(encoding="utf-8").replace(
        '"jupytext>=1.19",', '"jupytext>=1.19", "tqdm",', 1), encoding="utf-8")
    assert "tqdm" in set(pyproject_packages(proj)) - set(environment_packages())


def test_parser_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml")
    text = ENVIRONMENT.read_text(encoding="utf-8")
    assert parse_environment_yml(text) == yaml.safe_load(text)
