"""The classroom's configuration files, read without starting anything (no root, no Node needed):
classroom/jupyterhub_config.py in both modes, its refusal to serve passwords in clear text off
loopback, and classroom/course.py's points and course directory. The end-to-end run is
tests/course/test_classroom.py."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

traitlets_config = pytest.importorskip("traitlets.config")

ROOT = Path(__file__).resolve().parents[2]
HUB_CONFIG = ROOT / "classroom" / "jupyterhub_config.py"
SAMPLE = Path(__file__).resolve().parent / "classroom_sample" / "01_sample.ipynb"

_spec = importlib.util.spec_from_file_location("classroom_course", ROOT / "classroom" / "course.py")
course = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course)


def load_hub_config(monkeypatch, tmp_path, **env):
    """Execute jupyterhub_config.py the way JupyterHub does (get_config() in its namespace)."""
    for key in [k for k in os.environ if k.startswith("MINITF_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("MINITF_HUB_STATE", str(tmp_path / "state"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = traitlets_config.Config()
    exec(compile(HUB_CONFIG.read_text(), str(HUB_CONFIG), "exec"),
         {"get_config": lambda: config, "__file__": str(HUB_CONFIG)})
    return config


def test_server_mode_defaults(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, MINITF_INSTRUCTORS="teacher")
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.hub_ip == "127.0.0.1"
    assert (c.JupyterHub.authenticator_class, c.JupyterHub.spawner_class) == ("pam", "localprocess")
    assert c.Authenticator.admin_users == {"teacher"}
    assert c.JupyterHub.load_groups == {"instructors": {"users": ["teacher"]}}
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler"], "no admin token unless one is given"
    env = c.Spawner.environment
    assert {"NUMBA_CACHE_DIR", "PYTHONPATH", "JUPYTER_CONFIG_PATH", "MINITF_EXCHANGE"} <= set(env)
    assert env["PYTHONPATH"] == str(ROOT)
    assert c.Spawner.default_url == "/lab"
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0, "the hub's state dir must be private"


def test_trial_mode_needs_its_passwords_from_the_caller(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="MINITF_HUB_PASSWORD"):
        load_hub_config(monkeypatch, tmp_path, MINITF_HUB_MODE="trial")
    c = load_hub_config(monkeypatch, tmp_path, MINITF_HUB_MODE="trial",
                        MINITF_HUB_PASSWORD="p" * 16, MINITF_HUB_ADMIN_PASSWORD="a" * 32)
    assert c.JupyterHub.spawner_class == "simple"
    assert c.SimpleLocalProcessSpawner.home_dir_template.startswith(str(tmp_path / "state"))


def test_no_clear_text_off_loopback(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="not loopback"):
        load_hub_config(monkeypatch, tmp_path, MINITF_HUB_IP="0.0.0.0")
    c = load_hub_config(monkeypatch, tmp_path, MINITF_HUB_IP="0.0.0.0",
                        MINITF_HUB_SSL_CERT="/etc/ssl/hub.crt", MINITF_HUB_SSL_KEY="/etc/ssl/hub.key")
    assert c.JupyterHub.ssl_cert == "/etc/ssl/hub.crt"


def test_unknown_mode_is_refused(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="MINITF_HUB_MODE"):
        load_hub_config(monkeypatch, tmp_path, MINITF_HUB_MODE="open")


def test_points_come_from_the_check_cells(tmp_path):
    assert course.autograded_points(SAMPLE) == 5.0  # checks of 2 and 3 points; solution cells carry none
    assert course.is_assignment(SAMPLE)
    plain = tmp_path / "00_welcome.ipynb"
    plain.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# hi"}]}))
    assert course.autograded_points(plain) == 0.0 and not course.is_assignment(plain)


def test_build_makes_one_assignment_per_notebook(tmp_path):
    names = course.build(tmp_path / "course", [SAMPLE])
    assert names == ["01_sample"]
    copied = tmp_path / "course" / "source" / "01_sample" / "01_sample.ipynb"
    assert json.loads(copied.read_text()) == json.loads(SAMPLE.read_text())

