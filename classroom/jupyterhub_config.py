# JupyterHub configuration that serves the minitf course: one JupyterLab server per student
# behind one login, the chapters handed out and collected with nbgrader's exchange.
#
#   .venv/bin/jupyterhub -f classroom/jupyterhub_config.py
#
# Everything that differs between a laptop trial, the test and a real server comes from
# environment variables (nothing secret lives in this file):
#
#   MINITF_HUB_MODE       "server" (default): PAM logins, one Unix account per person, each server
#                         runs as its owner (LocalProcessSpawner; the hub runs as root).
#                         "trial": one shared password, every server runs as the calling user with
#                         a home under the state dir (SimpleLocalProcessSpawner; ./dev classroom).
#   MINITF_HUB_IP         address of the public proxy (default 127.0.0.1; anything else needs TLS)
#   MINITF_HUB_PORT       its port (default 8000)
#   MINITF_HUB_SSL_CERT / MINITF_HUB_SSL_KEY   serve HTTPS directly instead of behind a TLS proxy
#   MINITF_HUB_STATE      database, cookie secret, proxy PID file (default /srv/minitf-hub)
#   MINITF_HUB_API_PORT / MINITF_PROXY_API_PORT   internal ports on 127.0.0.1 (default 8081 / 8001)
#   MINITF_EXCHANGE       nbgrader's exchange root (default /srv/nbgrader/exchange)
#   MINITF_INSTRUCTORS    comma-separated user names: hub admins, members of the hub group
#                         "instructors" (whose servers get the course directory and the formgrader;
#                         an admin can add more in the hub's UI or REST API)
#   MINITF_STUDENTS       comma-separated user names allowed to log in (empty: decided by PAM
#                         alone; MINITF_STUDENT_GROUP names a Unix group instead)
#   MINITF_CULL_IDLE      seconds before an idle server is stopped (default 3600)
#   MINITF_HUB_API_TOKEN  optional token of an admin service "classroom-admin" for scripts
#   MINITF_HUB_PASSWORD / MINITF_HUB_ADMIN_PASSWORD   the shared passwords of trial mode
import ipaddress
import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (injected by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.prefix) / "bin"  # the shared virtualenv JupyterHub runs from
MODE = os.environ.get("MINITF_HUB_MODE", "server")
STATE = Path(os.environ.get("MINITF_HUB_STATE", "/srv/minitf-hub"))
EXCHANGE = os.environ.get("MINITF_EXCHANGE", "/srv/nbgrader/exchange")


def names(var):
    return {n.strip() for n in os.environ.get(var, "").split(",") if n.strip()}


INSTRUCTORS = names("MINITF_INSTRUCTORS")
if MODE not in ("server", "trial"):
    raise ValueError(f"MINITF_HUB_MODE must be 'server' or 'trial', got {MODE!r}")

# ---------------------------------------------------------------- where the hub listens
ip = os.environ.get("MINITF_HUB_IP", "127.0.0.1")
cert, key = os.environ.get("MINITF_HUB_SSL_CERT"), os.environ.get("MINITF_HUB_SSL_KEY")
# Passwords and tokens must never cross a network in clear text: off loopback, HTTPS or nothing.
if not ipaddress.ip_address(ip or "0.0.0.0").is_loopback and not (cert and key):
    raise ValueError(
        f"MINITF_HUB_IP={ip} is not loopback: set MINITF_HUB_SSL_CERT and MINITF_HUB_SSL_KEY, "
        "or keep the hub on 127.0.0.1 behind a TLS reverse proxy (README, classroom section)"
    )
c.JupyterHub.ip = ip
c.JupyterHub.port = int(os.environ.get("MINITF_HUB_PORT", "8000"))
if cert and key:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = cert, key
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("MINITF_HUB_API_PORT", "8081"))

# ---------------------------------------------------------------- state and proxy
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('MINITF_PROXY_API_PORT', '8001')}"
# configurable-http-proxy from npm, installed next to this file by ./dev (npm ci in classroom/);
# without it, the one on PATH (conda-forge, or npm install -g).
LOCAL_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(LOCAL_PROXY) if LOCAL_PROXY.exists() else "configurable-http-proxy"]
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every single-user server

# ---------------------------------------------------------------- who may log in
if MODE == "server":
    c.JupyterHub.authenticator_class = "pam"  # the machine's own accounts (the hub runs as root)
    c.JupyterHub.spawner_class = "localprocess"  # each server runs as its Unix user
    students = names("MINITF_STUDENTS")
    if students:
        c.Authenticator.allowed_users = students | INSTRUCTORS
    if os.environ.get("MINITF_STUDENT_GROUP"):
        c.PAMAuthenticator.allowed_groups = {os.environ["MINITF_STUDENT_GROUP"]}
    if not students and not os.environ.get("MINITF_STUDENT_GROUP"):
        c.Authenticator.allow_existing_users = True  # users added by an admin in the hub's UI
else:
    missing = [v for v in ("MINITF_HUB_PASSWORD", "MINITF_HUB_ADMIN_PASSWORD") if not os.environ.get(v)]
    if missing:
        raise ValueError(f"trial mode needs {' and '.join(missing)} (./dev classroom makes them up)")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["MINITF_HUB_PASSWORD"]
    c.SharedPasswordAuthenticator.admin_password = os.environ["MINITF_HUB_ADMIN_PASSWORD"]
    c.Authenticator.allow_all = True  # any name with the shared password: users made up on the spot
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    if os.getuid() == 0:  # the trial runs every server as the calling user, root included
        c.Spawner.args = ["--allow-root"]
c.Authenticator.admin_users = INSTRUCTORS
c.JupyterHub.load_groups = {"instructors": {"users": sorted(INSTRUCTORS)}}

token = os.environ.get("MINITF_HUB_API_TOKEN")
services, roles = [], []
if token:  # for scripts (the classroom test, ./dev classroom): an admin service, token from the caller
    services.append({"name": "classroom-admin", "api_token": token})
    roles.append({"name": "admin", "services": ["classroom-admin"]})

# ---------------------------------------------------------------- idle servers are stopped
services.append({
    "name": "idle-culler",
    "command": [str(BIN / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('MINITF_CULL_IDLE', '3600')}", "--cull-every=300"],
})
roles.append({
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

# ---------------------------------------------------------------- each student's server
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Resource limits: LocalProcessSpawner only passes these on (MEM_LIMIT / CPU_LIMIT in the server's
# environment); SystemdSpawner and KubeSpawner enforce them (README, classroom section).
c.Spawner.mem_limit = os.environ.get("MINITF_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(os.environ.get("MINITF_CPU_LIMIT", "1"))


def home_of(spawner):
    """The user's home: the Unix account's in server mode, the template's in trial mode."""
    return getattr(spawner, "home_dir", None) or pwd.getpwnam(spawner.user.name).pw_dir


def jupyter_config_path(spawner):
    """Instructors get the course directory and the formgrader; students only the assignment list."""
    groups = {group.name for group in spawner.user.groups}
    role = "instructor" if "instructors" in groups else "student"
    return os.pathsep.join([str(HERE / "jupyter" / role), str(HERE / "jupyter")])


c.Spawner.environment = {
    # the shared, read-only environment: this checkout's minitf and the venv's tools
    "PYTHONPATH": str(REPO),
    "PATH": os.pathsep.join([str(BIN), "/usr/local/bin", "/usr/bin", "/bin"]),
    "PYTHONHASHSEED": "0",  # printed sets come out as in the stored outputs
    # numba writes its compiled-kernel cache next to the source by default, which students may not
    # write to: each user gets their own cache.
    "NUMBA_CACHE_DIR": lambda spawner: os.path.join(home_of(spawner), ".cache", "minitf-numba"),
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "MINITF_EXCHANGE": EXCHANGE,
    "MINITF_COURSE_DIR": lambda spawner: os.path.join(home_of(spawner), "minitf-course"),
}
