"""Test-suite wide configuration: hypothesis profiles and marker-based auto-skips.

Markers (registered in pyproject.toml, [tool.pytest.ini_options]):

* ``gpu``        GPU backend suite. Skipped unless the CUDA simulator is on
                 (``NUMBA_ENABLE_CUDASIM=1``) or a real GPU is detected. ``./dev test``
                 runs it as its own layer: ``NUMBA_ENABLE_CUDASIM=1 pytest -m gpu tests``.
* ``tensorflow`` needs the real ``tensorflow`` package; skipped when it is not installed.
* ``chromium``   needs a Chromium/Chrome binary; skipped when none is on PATH.
* ``slow``       long tests; they run by default, ``-m "not slow"`` leaves them out.

Hypothesis profiles: ``dev`` (default), ``ci`` (when the CI variable is set) and
``cudasim`` (when ``NUMBA_ENABLE_CUDASIM=1``: the simulator is ~1000x slower, so few
examples). ``HYPOTHESIS_PROFILE=name`` overrides the choice.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil

import pytest


def _env_flag(name: str) -> bool:
    """True when an environment variable is set to a true value (numba reads ints; CI uses 'true')."""
    value = os.environ.get(name, "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


CUDASIM = _env_flag("NUMBA_ENABLE_CUDASIM")
IN_CI = _env_flag("CI")

# ---------------------------------------------------------------- hypothesis
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is in the [test] extra; without it only the property tests fail
    HYPOTHESIS_PROFILE = None
else:
    settings.register_profile("dev", max_examples=30, deadline=None)
    settings.register_profile("ci", max_examples=25, deadline=None, print_blob=True)
    settings.register_profile(
        "cudasim",
        max_examples=5,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
        "cudasim" if CUDASIM else "ci" if IN_CI else "dev"
    )
    settings.load_profile(HYPOTHESIS_PROFILE)


# ---------------------------------------------------------------- environment probes
@functools.cache
def gpu_available() -> tuple[bool, str]:
    """(can the gpu suite run here, why). Probed once and only when a gpu test is collected:
    importing numba.cuda and asking the driver costs 1-2 s."""
    if CUDASIM:
        return True, "CUDA simulator"
    try:
        from numba import cuda

        if cuda.is_available():
            return True, "real GPU"
    except Exception as exc:  # no driver, no numba-cuda, broken toolkit: all mean "no GPU"
        return False, f"no CUDA GPU ({type(exc).__name__}); run under NUMBA_ENABLE_CUDASIM=1"
    return False, "no CUDA GPU; run under NUMBA_ENABLE_CUDASIM=1 (./dev test gpu)"


@functools.cache
def tensorflow_available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


@functools.cache
def chromium_binary() -> str | None:
    """Path of a Chromium/Chrome binary: $CHROMIUM or $CHROME_BIN first, then PATH."""
    for var in ("CHROMIUM", "CHROME_BIN"):
        path = os.environ.get(var)
        if path and shutil.which(path):
            return shutil.which(path)
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


# ---------------------------------------------------------------- hooks
def pytest_report_header(config):
    return (
        f"minitf: hypothesis profile={HYPOTHESIS_PROFILE}, "
        f"NUMBA_ENABLE_CUDASIM={'1' if CUDASIM else '0'}, CI={'1' if IN_CI else '0'}"
    )


@pytest.hookimpl(trylast=True)  # after -m/-k deselection, so `-m "not gpu"` never probes the GPU
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("gpu") is not None:
            ok, why = gpu_available()
            if not ok:
                item.add_marker(pytest.mark.skip(reason=f"gpu: {why}"))
        if item.get_closest_marker("tensorflow") is not None and not tensorflow_available():
            item.add_marker(pytest.mark.skip(reason="tensorflow: the tensorflow package is not installed"))
        if item.get_closest_marker("chromium") is not None and chromium_binary() is None:
            item.add_marker(
                pytest.mark.skip(reason="chromium: no chromium binary (apt-get install chromium)")
            )


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium binary, for tests marked ``chromium``."""
    path = chromium_binary()
    if path is None:
        pytest.skip("no chromium binary")
    return path


@pytest.fixture(scope="session")
def real_tf():
    """Real TensorFlow's ``compat.v1`` in graph mode, for tests marked ``tensorflow`` (interop checks)."""
    tf = pytest.importorskip("tensorflow")
    tf.compat.v1.disable_v2_behavior()
    return tf.compat.v1
