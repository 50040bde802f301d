"""Headless Chromium for the deck tests (imported by them, not a test): open a page with no
network, get its screenshot, its DOM after the scripts ran and its console; check the result."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--no-default-browser-check"]


def render(chromium: str, url: str, workdir: Path, size=(1280, 800), budget_ms: int = 5000,
           timeout: float = 180) -> tuple[Path, str, str]:
    """Open url headless in a fresh profile: (screenshot, DOM after JS, console lines)."""
    workdir.mkdir(parents=True, exist_ok=True)
    png = workdir / "slide.png"
    cmd = [chromium, *FLAGS, f"--user-data-dir={workdir / 'profile'}", f"--window-size={size[0]},{size[1]}",
           f"--virtual-time-budget={budget_ms}", "--enable-logging=stderr", "--v=0",
           f"--screenshot={png}", "--dump-dom", url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        dom, log = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish rendering {url} in {timeout:.0f} s")
    finally:
        try:  # Chromium's helper processes share its process group; none may outlive the test
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    assert proc.returncode == 0, f"chromium exited {proc.returncode}:\n{log[-3000:]}"
    assert png.is_file(), f"no screenshot:\n{log[-3000:]}"
    console = "\n".join(line for line in log.splitlines() if ":CONSOLE" in line)
    return png, dom, console


def assert_not_blank(png: Path, size=(1280, 800)) -> None:
    np = pytest.importorskip("numpy")
    image = pytest.importorskip("matplotlib.image")
    pixels = image.imread(str(png))
    rgb = np.round(pixels[..., :3] * 255).astype(np.uint8) if pixels.dtype != np.uint8 else pixels[..., :3]
    assert rgb.shape[:2] == (size[1], size[0]), rgb.shape
    non_white = float((rgb < 240).any(axis=-1).mean())
    colours = len(np.unique(rgb.reshape(-1, 3), axis=0))
    assert non_white > 0.003 and colours >= 32, (
        f"{png} looks blank: {non_white:.2%} non-white pixels, {colours} colours")


def assert_reveal_ran(dom: str, console: str, name: str) -> None:
    assert re.search(r'<div class="reveal\b[^"]*\bready\b', dom), f"{name}: reveal.js did not initialise"
    assert re.search(r'<section\b[^>]*class="[^"]*\bpresent\b', dom), f"{name}: no slide is shown"
    errors = [line for line in console.splitlines()
              if re.search(r"Uncaught|Script error|Failed to|ERR_|Mismatched anonymous", line)]
    assert errors == [], f"{name}: console errors:\n" + "\n".join(errors)
