#!/usr/bin/env bash
# tools/coverage.sh: the engine's line coverage from one command (./dev coverage).
#
#   tools/coverage.sh                 the CPU suite (tests -m "not gpu"), then the report
#   tools/coverage.sh tests/ops -x    any pytest arguments instead of the default
#   COVERAGE_HTML=1 tools/coverage.sh also writes .coverage-data/html/index.html
#
# Settings live in .coveragerc: source = minitf, child Python processes traced
# (patch = subprocess), generated *_pb2.py modules left out.  No threshold is
# enforced; the last line printed is the total.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VPY=${VPY:-${MINITF_VENV:-$ROOT/.venv}/bin/python}
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"   # this checkout's minitf, in children too
export COVERAGE_RCFILE="$ROOT/.coveragerc"

args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(tests -m "not gpu")

mkdir -p .coverage-data
"$VPY" -m coverage erase
rc=0
"$VPY" -m coverage run -m pytest -p no:nbval "${args[@]}" || rc=$?
"$VPY" -m coverage combine --quiet
"$VPY" -m coverage report
[[ ${COVERAGE_HTML:-0} == 1 ]] && "$VPY" -m coverage html --quiet && echo "html: .coverage-data/html/index.html"
exit $rc
