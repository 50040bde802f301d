"""JupyterLab starts headless on notebooks/ (as root too, the way CI runs), serves the Lab page,
runs a kernel, keeps jupytext pairs in sync when a notebook or its .py is saved, and stops
without leaving a process behind.

One server for the module: ``jupyter lab --no-browser --allow-root --ip=127.0.0.1 --port=<free>
--IdentityProvider.token=<random> --ServerApp.root_dir=notebooks`` with its runtime, config and
IPython dirs in a temp dir (nothing written to ~). The tests talk REST (urllib) and, for one
execute request, the kernel websocket (websocket-client, a jupyter_server dependency). The last
test stops the server by its PID (SIGTERM, wait, SIGKILL on timeout) and checks that neither it
nor any kernel it started is still running; the fixture does the same again as a safety net.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("jupyterlab")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
START_TIMEOUT = 120  # s; about 6 s on an idle machine
KERNEL_TIMEOUT = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pids_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line contains text (kernels: their connection file)."""
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: fall back to psutil, an ipykernel dependency
        psutil = pytest.importorskip("psutil")
        for p in psutil.process_iter(["pid", "cmdline"]):
            if text in " ".join(p.info["cmdline"] or []):
                pids.append(p.info["pid"])
        return pids
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next((l for l in (entry / "status").read_text().splitlines() if l.startswith("State:")), "")
        except OSError:
            continue
        if text in cmdline and "zombie" not in state:
            pids.append(int(entry.name))
    return pids


@dataclass
class Lab:
    proc: subprocess.Popen
    port: int
    token: str
    tmp: Path
    log: Path
    kernels: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: dict | None = None, token: bool = True,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        if token:
            req.add_header("Authorization", f"token {self.token}")
        if body is not None:
            req.add_header("Content-Type", "application/json")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def api(self, method: str, path: str, body: dict | None = None):
        status, _, data = self.request(method, path, body)
        return status, (json.loads(data) if data else None)

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (the server then shuts its kernels down), wait, SIGKILL if it hangs; then kill
        anything of ours still alive: the server's process group, and kernels (which run in their
        own sessions) found by the runtime dir in their command line."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in pids_mentioning(str(self.tmp)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def start_lab(tmp: Path) -> Lab:
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),  # connection files of the kernels live here
        JUPYTER_CONFIG_DIR=str(tmp / "config"),  # no user config; Lab settings/workspaces go here
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    last_error = ""
    for _ in range(3):  # the free port can be taken between probing and binding: retry
        port, token = free_port(), secrets.token_hex(16)
        log = tmp / f"lab-{port}.log"
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={NOTEBOOK_DIR}"]
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        lab = Lab(proc, port, token, tmp, log)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body = lab.api("GET", "/api/status")
                if status == 200 and "started" in body:
                    return lab
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
                pass
            time.sleep(0.25)
        last_error = lab.server_log()
        lab.stop()
        if "already in use" not in last_error and "Address already" not in last_error:
            break
    pytest.fail(f"JupyterLab did not answer /api/status within {START_TIMEOUT} s:\n{last_error}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    lab = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield lab
    finally:
        lab.stop()


def test_status_answers(lab):
    status, body = lab.api("GET", "/api/status")
    assert status == 200 and body["started"], body


def test_lab_page_needs_the_token(lab):
    status, headers, _ = lab.request("GET", "/lab", token=False)
    assert status in (302, 403), status
    if status == 302:
        assert "/login" in headers.get("Location", ""), headers


def test_lab_page(lab):
    status, _, page = lab.request("GET", f"/lab?token={lab.token}", token=False)
    assert status == 200, page[:500]
    assert b"<title>JupyterLab</title>" in page


def test_notebooks_are_listed(lab):
    """root_dir is notebooks/: every chapter notebook is visible (vacuous before they exist)."""
    status, listing = lab.api("GET", "/api/contents")
    assert status == 200, listing
    names = {item["name"] for item in listing["content"]}
    expected = {p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")}
    assert expected <= names, expected - names
    if expected:
        first = min(expected)
        status, _, page = lab.request("GET", f"/lab/tree/{first}?token={lab.token}", token=False)
        assert status == 200 and b"<title>JupyterLab</title>" in page


@pytest.fixture
def scratch(lab):
    """A folder under notebooks/ for one test, served by the Lab, removed afterwards (git-ignored)."""
    name = f"_pytest_{secrets.token_hex(4)}"
    status, body = lab.api("PUT", f"/api/contents/{name}", {"type": "directory"})
    assert status == 201, body
    try:
        yield name
    finally:
        shutil.rmtree(NOTEBOOK_DIR / name, ignore_errors=True)


def _notebook(source: str) -> dict:
    return {"cells": [{"cell_type": "markdown", "id": "title", "metadata": {"slideshow": {"slide_type": "slide"}},
                       "source": "# A pair"},
                      {"cell_type": "code", "id": "code", "execution_count": None, "outputs": [],
                       "metadata": {"slideshow": {"slide_type": "-"}}, "source": source}],
            "metadata": {"jupytext": {"formats": "ipynb,py:percent"},
                         "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_saving_in_lab_keeps_the_jupytext_pair_in_sync(lab, scratch):
    """The jupytext contents manager is active: saving the .ipynb writes its .py twin, and an edit
    of the .py (JupyterLab's text editor) is what the notebook shows when opened next."""
    ipynb, py = f"{scratch}/99_pair.ipynb", NOTEBOOK_DIR / scratch / "99_pair.py"
    status, body = lab.api("PUT", f"/api/contents/{ipynb}",
                           {"type": "notebook", "format": "json", "content": _notebook("x = 1")})
    assert status in (200, 201), body
    assert py.is_file(), "saving the notebook did not write its .py twin: is jupytext's contents manager on?"
    text = py.read_text(encoding="utf-8")
    assert "# %% [markdown]" in text and "x = 1" in text and "slide_type" in text, text

    status, body = lab.api("PUT", f"/api/contents/{ipynb}",
                           {"type": "notebook", "format": "json", "content": _notebook("x = 2")})
    assert status == 200, body
    assert "x = 2" in py.read_text(encoding="utf-8"), "the .py twin did not follow the notebook"

    time.sleep(1.1)  # the .py must be newer than the .ipynb (file times in seconds on some filesystems)
    status, body = lab.api("PUT", f"/api/contents/{scratch}/99_pair.py",
                           {"type": "file", "format": "text", "content": text.replace("x = 1", "x = 3")})
    assert status == 200, body
    status, body = lab.api("GET", f"/api/contents/{ipynb}?content=1")
    assert status == 200, body
    assert [c["source"] for c in body["content"]["cells"]] == ["# A pair", "x = 3"], body["content"]["cells"]


def test_kernel_starts_and_runs_code(lab):
    status, specs = lab.api("GET", "/api/kernelspecs")
    assert status == 200 and "python3" in specs["kernelspecs"], specs
    status, kernel = lab.api("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    kid = kernel["id"]
    lab.kernels.append(kid)
    assert kernel["execution_state"] in ("starting", "idle"), kernel
    status, listed = lab.api("GET", "/api/kernels")
    assert kid in [k["id"] for k in listed]
    assert pids_mentioning(f"kernel-{kid}.json"), "no kernel process"

    websocket = pytest.importorskip("websocket")  # websocket-client
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{lab.port}/api/kernels/{kid}/channels?token={lab.token}", timeout=KERNEL_TIMEOUT)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": "print(6 * 7)", "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        stdout, reply = "", None
        deadline = time.monotonic() + KERNEL_TIMEOUT
        while reply is None or "42" not in stdout:
            assert time.monotonic() < deadline, f"no reply from the kernel; stdout={stdout!r}"
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                stdout += msg["content"]["text"]
            elif msg["msg_type"] == "execute_reply":
                reply = msg["content"]
        assert reply["status"] == "ok", reply
        assert stdout.strip() == "42"
    finally:
        ws.close()

    deadline = time.monotonic() + 30
    while True:  # the server saw the kernel's status messages: it is idle now
        status, info = lab.api("GET", f"/api/kernels/{kid}")
        if info["execution_state"] == "idle" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert info["execution_state"] == "idle", info


def test_server_stops_and_leaves_nothing_behind(lab):
    status, kernel = lab.api("POST", "/api/kernels", {"name": "python3"})  # one left running on purpose
    assert status == 201, kernel
    lab.kernels.append(kernel["id"])
    deadline = time.monotonic() + KERNEL_TIMEOUT
    while not pids_mentioning(f"kernel-{kernel['id']}.json"):
        assert time.monotonic() < deadline, "the kernel process never appeared"
        time.sleep(0.2)

    lab.proc.terminate()
    try:
        rc = lab.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        lab.stop()
        pytest.fail("JupyterLab ignored SIGTERM for 30 s (killed)")
    assert rc in (0, -signal.SIGTERM), f"exit status {rc}:\n{lab.server_log()}"
    deadline = time.monotonic() + 20
    while (left := pids_mentioning(str(lab.tmp))) and time.monotonic() < deadline:
        time.sleep(0.2)  # kernels get a moment to exit after the server asked them to
    assert left == [], f"processes left behind: {left}"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", lab.port), timeout=2).close()
