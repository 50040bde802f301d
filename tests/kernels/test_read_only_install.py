"""A read-only install with no writable home still runs (issue 10): numba's kernel cache falls
back to a temp folder, or kernels compile uncached with one warning; never an error."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import minitf

PROGRAM = """
import os, tempfile, warnings
warnings.simplefilter("always")
tempfile.tempdir = os.environ["TMPDIR"]     # the temp folder too, even when it is read-only
import minitf as tf
x = tf.placeholder(tf.float32, [None])
y = tf.reduce_sum(tf.exp(x) * 2.0)
with tf.Session() as sess:
    print("result", sess.run(y, {x: [0.0, 0.0]}))
"""

# Root writes through permission bits; without these capabilities it obeys them like anyone.
AS_PLAIN_USER = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner",
                 "--inh-caps=-all", "--"]


def _read_only_copy(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(Path(minitf.__file__).parent, root / "minitf",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod((mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH | (
            stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH if path.is_dir() else 0))
                   & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return root


def _run(root: Path, tmpdir: str):
    home = root.parent / "home"                       # made read-only by _read_only_copy's caller
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_") and k != "XDG_CACHE_HOME"}
    env.update(PYTHONPATH=str(root), HOME=str(home), TMPDIR=tmpdir, PYTHONDONTWRITEBYTECODE="1")
    prefix = AS_PLAIN_USER if os.getuid() == 0 else []
    return subprocess.run(prefix + [sys.executable, "-c", PROGRAM], env=env, capture_output=True,
                          text=True, timeout=600, cwd="/")


@pytest.fixture
def read_only_site(tmp_path):
    if os.getuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permission bits cannot be enforced")
    (tmp_path / "home").mkdir()
    (tmp_path / "home").chmod(0o555)
    root = _read_only_copy(tmp_path)
    yield root
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.mark.slow
def test_read_only_install_uses_a_temp_cache(read_only_site, tmp_path):
    writable = tmp_path / "tmp"
    writable.mkdir()
    writable.chmod(0o777)
    done = _run(read_only_site, str(writable))
    assert done.returncode == 0, done.stderr
    assert "result 4.0" in done.stdout
    assert "no locator" not in done.stderr and "RuntimeWarning" not in done.stderr
    assert any(writable.glob("minitf-numba-cache-*/*")), "kernels were cached in the temp folder"


@pytest.mark.slow
def test_read_only_install_without_any_writable_folder_runs_uncached(read_only_site, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    done = _run(read_only_site, str(locked))
    assert done.returncode == 0, done.stderr
    assert "result 4.0" in done.stdout
    assert done.stderr.count("no writable folder for numba's kernel cache") == 1
