"""The classroom path end to end: JupyterHub (classroom/jupyterhub_config.py) on loopback, one
instructor and two students as real Unix users, and nbgrader's exchange from release to feedback.

What happens, all through the hub's REST API and the users' own kernels:

1. Unix users are made with useradd (homes 0700 under a temp dir); the hub starts in its
   "server" mode (PAM + LocalProcessSpawner, so every server runs as its owner) with a temporary
   exchange root and an admin service token generated here.
2. The instructor and two students are created through the API, the instructor put in the
   "instructors" group; each gets a token of their own and their server is started.
3. A chapter's first cells run in a student's kernel: minitf imports from the shared read-only
   checkout and numba caches its kernels in the student's own NUMBA_CACHE_DIR.
4. The instructor builds the course directory, generates and releases the chapter; both students
   fetch it; one submits the instructor notebook (every solution present), one the released
   student version untouched. The other student can neither list the exchange's inbound folder nor
   read the first one's home. The instructor collects, autogrades, generates and releases feedback;
   the scores are the autograded cells' total points and 0, computed from the notebook's metadata.
5. The servers and the hub are stopped by PID; no process the hub started may survive, and the
   Unix users and every file are removed.

The assignment is notebooks/01_computation_graphs.ipynb once it holds nbgrader exercises, until
then the stand-in tests/course/classroom_sample/01_sample.ipynb (the test says which it used).
Needs root (useradd; CI runs as root) and configurable-http-proxy in classroom/node_modules
(./dev installs it with npm); skipped with the reason otherwise.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("jupyterhub")
pytest.importorskip("nbgrader")
websocket = pytest.importorskip("websocket")  # websocket-client, a jupyter_server dependency

ROOT = Path(__file__).resolve().parents[2]
CLASSROOM = ROOT / "classroom"
PROXY = CLASSROOM / "node_modules" / ".bin" / "configurable-http-proxy"
CHAPTER = ROOT / "notebooks" / "01_computation_graphs.ipynb"
SAMPLE = Path(__file__).resolve().parent / "classroom_sample" / "01_sample.ipynb"
START_TIMEOUT = 90  # s, hub or one server; a few seconds on an idle machine
STEP_TIMEOUT = 180  # s, one kernel request (autograde executes every submission)

pytestmark = [pytest.mark.classroom, pytest.mark.slow]

_spec = importlib.util.spec_from_file_location("classroom_course", CLASSROOM / "course.py")
course = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course)


def why_not_runnable() -> str | None:
    if sys.platform != "linux":
        return "classroom: needs Linux (Unix users, /proc)"
    if os.geteuid() != 0:
        return "classroom: needs root to create the Unix users of the exchange test (CI runs as root)"
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            return f"classroom: no {tool} on PATH"
    if not os.access(PROXY, os.X_OK):
        return ("classroom: configurable-http-proxy is not installed in classroom/node_modules "
                "(./dev installs it with npm when Node and npm can be installed)")
    return None


if why_not_runnable():
    pytest.skip(why_not_runnable(), allow_module_level=True)


# ---------------------------------------------------------------- processes
_TAKEN: set[int] = set()


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768+), where kernels and clients get theirs, so
    none of them takes it between this check and the hub's bind."""
    for port in random.sample(range(20000, 32768), 500):
        if port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _TAKEN.add(port)
        return port
    raise RuntimeError("no free port in 20000-32767")


def children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = children_by_parent(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "zombie" not in state


def processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid and alive(int(entry.name)):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def kill(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_until(what: str, cond, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the hub exited ({proc.returncode}) while waiting for {what}:\n{tail(log)}")
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}" + (f":\n{tail(log)}" if log else ""))


def tail(log: Path | None, n: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:])


def orphaned_proxy(state: Path) -> set[int]:
    """A hub that dies at start leaves its proxy running; JupyterHub wrote the proxy's PID down."""
    try:
        pid = int((state / "proxy.pid").read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return set()
    return {pid} if b"configurable-http-proxy" in cmdline else set()


# ---------------------------------------------------------------- Unix side
def pwd_uid(user: str) -> int:
    return pwd.getpwnam(user).pw_uid


def run_root(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, text=True)


def open_path_for_others(path: Path, changed: list) -> None:
    """Students need to traverse every folder above the shared checkout, venv and interpreter (o+x).
    A clone or a pyenv Python under /root (0700) is the usual trap; fix the mode, remember the old
    one for restoring."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            changed.append((folder, stat.S_IMODE(mode)))
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)


# ---------------------------------------------------------------- the hub
@dataclass
class Hub:
    proc: subprocess.Popen
    port: int
    admin_token: str
    log: Path
    state: Path
    tokens: dict[str, str] = field(default_factory=dict)
    kernels: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body=None, token: str | None = None, ok=(200, 201, 202, 204)):
        req = urllib.request.Request(
            f"{self.base}/hub/api{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.admin_token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode(errors="replace")
        assert status in ok, f"{method} /hub/api{path} -> {status}: {text[:500]}\nhub log:\n{tail(self.log)}"
        return json.loads(text) if text.strip() else None

    def user_request(self, user: str, method: str, path: str, body=None, token: str | None = None):
        """(status, JSON) of a request to a user's server, through the proxy, with that user's token."""
        req = urllib.request.Request(
            f"{self.base}/user/{user}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.tokens[user]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                body = resp.read()
                is_json = resp.headers.get_content_type() == "application/json"
                return resp.status, json.loads(body) if is_json and body else body.decode(errors="replace")
        except urllib.error.HTTPError as err:
            return err.code, None

    def run(self, user: str, code: str, timeout: float = STEP_TIMEOUT) -> str:
        """Execute code in the user's kernel (started on first use); returns stdout, fails on an error."""
        if user not in self.kernels:
            status, kernel = self.user_request(user, "POST", "/api/kernels", {"name": "python3"})
            assert status == 201, f"could not start a kernel for {user}: HTTP {status}"
            self.kernels[user] = kernel["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/user/{user}/api/kernels/{self.kernels[user]}/channels",
            header=[f"Authorization: token {self.tokens[user]}"], timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user,
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
            out, error, deadline = [], None, time.monotonic() + timeout
            while time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out.append(content["text"])
                elif kind == "error":
                    error = f"{content['ename']}: {content['evalue']}"
                elif kind == "status" and content["execution_state"] == "idle":
                    break
            else:
                pytest.fail(f"{user}'s kernel did not finish within {timeout} s:\n{code}")
        finally:
            ws.close()
        text = "".join(out)
        assert error is None, f"{user}'s kernel raised {error}\ncode:\n{code}\noutput:\n{text}"
        return text

    def server_pid(self, user: str) -> int | None:
        model = self.api("GET", f"/users/{user}")
        server = model.get("servers", {}).get("")
        return (server or {}).get("state", {}).get("pid")


def start_hub(workdir: Path, state: Path, exchange: Path, holder: list) -> Hub:
    port, token, log = free_port(), secrets.token_hex(32), workdir / "jupyterhub.log"
    env = {**os.environ, "MINITF_HUB_STATE": str(state), "MINITF_EXCHANGE": str(exchange),
           "MINITF_HUB_MODE": "server", "MINITF_HUB_IP": "127.0.0.1", "MINITF_HUB_PORT": str(port),
           "MINITF_HUB_API_PORT": str(free_port()), "MINITF_PROXY_API_PORT": str(free_port()),
           "MINITF_HUB_API_TOKEN": token, "MINITF_INSTRUCTORS": ""}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CLASSROOM / "jupyterhub_config.py")],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(proc, port, token, log, state)
    holder.append(hub)  # the caller's cleanup needs it even when the hub never answers

    def up():
        try:
            with urllib.request.urlopen(f"{hub.base}/hub/api/", timeout=5) as resp:
                return resp.status == 200
        except (OSError, urllib.error.URLError):
            return False

    wait_until("the hub to answer", up, START_TIMEOUT, proc, log)
    return hub


def stop_hub(hub: Hub, users: list[str]) -> set[int]:
    """Stop every server through the API, then the hub (SIGTERM by PID: it stops the proxy and its
    services); returns the PIDs the hub had started, which must all be gone."""
    started = descendants(hub.proc.pid)
    for user in users:
        hub.api("DELETE", f"/users/{user}/server", ok=(202, 204, 400, 404))
    hub.proc.send_signal(signal.SIGTERM)
    try:
        hub.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        hub.proc.kill()
        hub.proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(p) for p in started):
        time.sleep(0.3)
    return started


def lab_disabled_extensions(page: str) -> set[str]:
    """The JupyterLab plugins a Lab page says are disabled (its jupyter-config-data)."""
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no jupyter-config-data in the Lab page"
    return set(json.loads(m.group(1)).get("disabledExtensions", []))


# ---------------------------------------------------------------- the assignment
def assignment_notebook() -> Path:
    if CHAPTER.exists() and course.is_assignment(CHAPTER):
        return CHAPTER
    print(f"\nclassroom: {CHAPTER.name} has no nbgrader exercises yet; using the stand-in {SAMPLE.name}")
    return SAMPLE


def chapter_cells(notebook: Path, limit: int = 10) -> list[str]:
    """The notebook's first plain code cells, up to and including the first that runs a session."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    chosen = []
    for cell in cells:
        meta = cell.get("metadata", {})
        if cell["cell_type"] != "code" or "nbgrader" in meta or "raises-exception" in meta.get("tags", []):
            continue
        source = "".join(cell["source"])
        chosen.append(source)
        if "sess.run(" in source or len(chosen) == limit:
            break
    return chosen


class Steps:
    """Prints how long each step took (shown with pytest -s; the budget is about 90 s in all)."""

    def __init__(self):
        self.t0 = self.last = time.monotonic()

    def __call__(self, what: str) -> None:
        now = time.monotonic()
        print(f"classroom: {what:<44} {now - self.last:6.1f} s  (total {now - self.t0:5.1f} s)")
        self.last = now


PRELUDE = """
import json, os, subprocess
def sh(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    print(r.stdout + r.stderr)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited with {r.returncode}")
"""


# ---------------------------------------------------------------- the test
def test_classroom_end_to_end():
    notebook = assignment_notebook()
    name = notebook.stem
    total = course.autograded_points(notebook)
    assert total > 0, f"{notebook} carries no autograded points"

    step = Steps()
    suffix = secrets.token_hex(2)
    teacher, alice, bob = (f"mtf{suffix}-{who}" for who in ("teacher", "alice", "bob"))
    users = [teacher, alice, bob]
    workdir = Path(tempfile.mkdtemp(prefix="minitf-classroom-", dir="/tmp"))
    homes, exchange, state = workdir / "home", workdir / "exchange", workdir / "hub"
    made_users, restore_modes, hubs, started = [], [], [], set()
    try:
        os.chmod(workdir, 0o711)
        homes.mkdir(mode=0o711)
        exchange.mkdir()
        os.chmod(exchange, 0o777)  # nbgrader's exchange root: everyone may create course folders
        # the checkout, the venv and the interpreter the venv links to (pyenv keeps it under /root)
        for shared in {ROOT, Path(sys.prefix), Path(os.path.realpath(sys.executable)).parent, Path(sys.base_prefix)}:
            open_path_for_others(shared, restore_modes)
        for user in users:
            run_root("useradd", "--create-home", "--home-dir", str(homes / user), "--shell", "/bin/bash",
                     "--user-group", user)
            made_users.append(user)
            os.chmod(homes / user, 0o700)

        step("users created")
        hub = start_hub(workdir, state, exchange, hubs)
        step("hub up")
        services = set(hub.api("GET", "/services"))
        assert "idle-culler" in services, f"the idle culler service is missing: {services}"

        # -- users, tokens, servers: all through the REST API
        for user in users:
            hub.api("POST", f"/users/{user}", {"admin": user == teacher})
            hub.tokens[user] = hub.api("POST", f"/users/{user}/tokens",
                                       {"note": "classroom test", "expires_in": 3600})["token"]
        hub.api("POST", "/groups/instructors/users", {"users": [teacher]})
        for user in users:
            hub.api("POST", f"/users/{user}/server")
        for user in users:
            wait_until(f"{user}'s server", lambda u=user: hub.api("GET", f"/users/{u}")["servers"].get(
                "", {}).get("ready"), START_TIMEOUT, hub.proc, hub.log)
        step("three servers up")
        assert hub.user_request(alice, "GET", "/api/status")[0] == 200
        # a student's token opens her own server only
        denied = hub.user_request(bob, "GET", "/api/status", token=hub.tokens[alice])[0]
        assert denied == 403, f"alice's token reached bob's server: HTTP {denied}"
        # the formgrader is the instructors' tool only
        grader = {user: hub.user_request(user, "GET", "/formgrader/manage_assignments")[0] for user in users}
        assert grader == {teacher: 200, alice: 404, bob: 404}, f"formgrader HTTP status per user: {grader}"
        for user in (teacher, bob):  # and its JupyterLab panel is switched off for students
            hidden = "@jupyter/nbgrader:formgrader" in lab_disabled_extensions(hub.user_request(user, "GET", "/lab")[1])
            assert hidden == (user == bob), f"formgrader panel hidden for {user}: {hidden}"

        # -- each server runs as its owner
        for user in users:
            pid = hub.server_pid(user)
            assert pid and Path(f"/proc/{pid}").stat().st_uid == pwd_uid(user), f"{user}'s server is not running as {user}"

        # -- a chapter's cells in a student's kernel; numba caches into the student's home
        for source in chapter_cells(CHAPTER if CHAPTER.exists() else notebook):
            hub.run(alice, source)
        cache = Path(hub.run(alice, "import os; print(os.environ['NUMBA_CACHE_DIR'])").strip())
        assert cache == homes / alice / ".cache" / "minitf-numba", cache
        assert list(cache.rglob("*.nbi")), f"numba wrote no cache index into {cache}"

        step("chapter cells run in a student kernel")
        # -- release
        for user in users:
            hub.run(user, PRELUDE)
        hub.run(teacher, f"sh({sys.executable!r}, {str(CLASSROOM / 'course.py')!r}, 'build', "
                         f"os.environ['MINITF_COURSE_DIR'], {str(notebook)!r})\n"
                         f"sh('nbgrader', 'generate_assignment', {name!r}, '--force')\n"
                         f"sh('nbgrader', 'release_assignment', {name!r}, '--force')")
        step("assignment generated and released")
        inbound = exchange / "minitf" / "inbound"
        assert stat.S_IMODE(inbound.stat().st_mode) == 0o2733, oct(inbound.stat().st_mode)

        # -- fetch, then submit: alice the instructor's notebook, bob the student version untouched;
        #    the two students work at the same time, as in a class
        def work(student: str, correct: bool) -> None:
            listing = hub.run(student, "sh('nbgrader', 'list')")
            assert name in listing, f"{student} does not see the released {name}:\n{listing}"
            hub.run(student, f"sh('nbgrader', 'fetch_assignment', {name!r})")
            fetched = homes / student / name / f"{name}.ipynb"
            assert fetched.is_file(), f"{student} fetched nothing into {fetched.parent}"
            assert "NotImplementedError" in fetched.read_text(), "the released notebook still holds solutions"
            if correct:
                hub.run(student, f"import shutil; shutil.copyfile({str(notebook)!r}, '{name}/{name}.ipynb')")
            hub.run(student, f"sh('nbgrader', 'submit', {name!r})")

        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(work, alice, True), pool.submit(work, bob, False)]:
                done.result()

        step("fetched and submitted")
        # -- students cannot see each other's work
        peek = hub.run(bob, f"""
for path in ({str(inbound)!r}, {str(homes / alice)!r}):
    try:
        os.listdir(path); print('READABLE', path)
    except PermissionError:
        print('denied', path)
""")
        assert "READABLE" not in peek, f"bob can list another student's submissions:\n{peek}"
        submissions = sorted(os.listdir(inbound))
        assert [s.split("+")[0] for s in submissions] == sorted([alice, bob]), submissions

        # -- collect, autograde, feedback
        hub.run(teacher, f"sh('nbgrader', 'collect', {name!r})\n"
                         f"sh('nbgrader', 'autograde', {name!r})\n"
                         f"sh('nbgrader', 'generate_feedback', {name!r})\n"
                         f"sh('nbgrader', 'release_feedback', {name!r})")
        step("collected, autograded, feedback")
        out = hub.run(teacher, f"""
from nbgrader.api import Gradebook
with Gradebook('sqlite:///' + os.path.join(os.environ['MINITF_COURSE_DIR'], 'gradebook.db')) as gb:
    print('SCORES', json.dumps({{s: [gb.find_submission({name!r}, s).score, gb.find_submission({name!r}, s).max_score]
                                 for s in ({alice!r}, {bob!r})}}))
""")
        scores = json.loads(out.split("SCORES", 1)[1])
        print(f"\nclassroom: autograded {name} ({total:g} points): correct submission "
              f"{scores[alice][0]:g}/{scores[alice][1]:g}, empty submission {scores[bob][0]:g}/{scores[bob][1]:g}")
        assert scores[alice] == [total, total], f"the correct submission should score {total}: {scores}"
        assert scores[bob] == [0, total], f"the empty submission should score 0: {scores}"
        course_dir = homes / teacher / "minitf-course"
        for student in (alice, bob):
            assert (course_dir / "feedback" / student / name / f"{name}.html").is_file()
        hub.run(alice, f"sh('nbgrader', 'fetch_feedback', {name!r})")
        assert list((homes / alice / name / "feedback").rglob(f"{name}.html")), "alice got no feedback"

        step("feedback fetched")
        # -- shut down by PID; nothing may be left running
        started = stop_hub(hub, users)
        step("hub stopped")
        assert hub.proc.returncode is not None
        left = sorted(p for p in started if alive(p))
        assert not left, f"processes left running after the hub stopped: {left}"
        for user in users:
            assert not processes_of(pwd_uid(user)), f"{user} still has processes"
    finally:
        for hub in hubs:
            if hub.proc.poll() is None:
                started |= descendants(hub.proc.pid)
                kill([hub.proc.pid])
            started |= orphaned_proxy(hub.state)
        kill(p for p in started if alive(p))
        for user in made_users:
            kill(processes_of(pwd_uid(user)))
        for user in made_users:
            subprocess.run(["userdel", "--remove", user], capture_output=True)
        for folder, mode in reversed(restore_modes):
            os.chmod(folder, mode)
        shutil.rmtree(workdir, ignore_errors=True)
