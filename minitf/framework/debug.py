"""``MINITF_DEBUG``: see what the engine decides (tinygrad's DEBUG idea).

Set the environment variable before ``import minitf``, or change the level at
run time with ``minitf.debug.set_level(n)``:

    0  nothing (the default)
    1  one line per new Session plan, eager kernel-cache miss and numba compile, with timings
    2  also each new plan as ``sess.explain()`` prints it
    3  also the generated Python source of each new plan
    4  also numba's compiler events (one line per compiler pass)

Lines go to stdout, not stderr, so that a notebook shows them right under the
cell that caused them, in order with the cell's own output; each starts with
``[minitf]`` (indented lines continue it).
"""

from __future__ import annotations

import os

PREFIX = "[minitf]"


def _from_environment() -> int:
    text = os.environ.get("MINITF_DEBUG", "0").strip() or "0"
    try:
        return max(0, int(text))
    except ValueError:
        raise ValueError(f"MINITF_DEBUG must be a whole number 0-4, got {text!r}") from None


_level = _from_environment()


def level() -> int:
    """The current debug level (0 = silent)."""
    return _level


def set_level(n: int) -> None:
    """Change the debug level from now on (``minitf.debug.set_level(2)``)."""
    global _level
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"debug level must be a whole number >= 0, got {n!r}")
    _level = n


def log(at_least: int, text: str) -> None:
    """Print ``text`` (the first line prefixed) when the level is ``at_least`` or more."""
    if _level >= at_least:
        first, _, rest = text.partition("\n")
        print(f"{PREFIX} {first}" + (("\n" + _indented(rest)) if rest else ""), flush=True)


def _indented(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.rstrip("\n").split("\n"))


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"
