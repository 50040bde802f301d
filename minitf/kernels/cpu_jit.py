"""How plain Python functions become cached CPU machine code.

Two helpers, used by every CPU kernel:

- ``device(fn)`` lets njit code call the plain function ``fn`` (a scalar
  function or a row helper). numba compiles it into each kernel that calls it.
- ``kernel(py_func, name, parallel)`` compiles ``py_func`` with
  ``@njit(cache=True)``, lazily, on its first call for each dtype signature.

Why this is not simply ``njit(cache=True)`` on a closure: numba's on-disk cache
files are named after the function's qualified name and line, and its index
key hashes the closure's captured values with pickle. A factory closure has one
qualified name for every op it builds, and a captured ``njit`` dispatcher
pickles with a random per-process id, so a second process would never find its
kernels (measured: a recompile every time, and a cache folder that grows). So:

1. each kernel gets its own name (``map_exp``, ``zip_add_parallel``, ...);
2. kernels capture *plain* functions (``device`` returns ``fn`` itself after
   registering it with numba), which pickle by reference: the key is stable;
3. the name ends in a fingerprint of the code of the functions it captures.
   numba only notices edits to the kernel's own file; when you edit
   ``scalar.py`` the fingerprint changes and the kernel is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
import types
import warnings

from numba import njit
from numba.core import config as numba_config, event as numba_event
from numba.extending import register_jitable

from ..framework import debug

# error_model="numpy": 1.0 / 0.0 gives inf and integer x // 0 gives 0, as in
# numpy, instead of raising ZeroDivisionError inside a kernel.
OPTIONS = dict(cache=True, nogil=True, error_model="numpy")

_registered: set = set()


def device(fn):
    """Make the plain function ``fn`` callable from njit kernels; returns ``fn`` itself."""
    if fn not in _registered:
        register_jitable(fn)
        _registered.add(fn)
    return fn


def kernel(py_func, name: str, parallel: bool = False, **options):
    """Compile ``py_func`` as the cached CPU kernel ``name`` (lazily, per signature)."""
    suffix = "_parallel" if parallel else ""
    unique = f"{name}{suffix}_{fingerprint(py_func)}"
    renamed = types.FunctionType(py_func.__code__, py_func.__globals__, unique,
                                 py_func.__defaults__, py_func.__closure__)
    renamed.__qualname__ = unique
    renamed.__doc__ = py_func.__doc__
    return _jit(renamed, parallel, options)


def _jit(fn, parallel: bool, options: dict):
    """``njit`` with an on-disk cache where one can be written, without one where none can.

    numba caches next to the source (``__pycache__``) or in the user's cache
    folder.  A read-only install with no writable home has neither, and numba
    refuses ("cannot cache function ... no locator available").  Then we point
    numba at a folder in the temp directory, and failing that compile uncached
    (with one warning): slower first calls, never an error.
    """
    for attempt in ("as configured", "temp folder"):
        if attempt == "temp folder" and not _use_temp_cache_dir():
            break
        try:
            return njit(parallel=parallel, **OPTIONS, **options)(fn)
        except RuntimeError as e:
            if "cannot cache" not in str(e):
                raise
    _warn_uncached()
    return njit(parallel=parallel, **dict(OPTIONS, cache=False), **options)(fn)


def _use_temp_cache_dir() -> bool:
    """Point numba's cache at ``<tmp>/minitf-numba-cache-<uid>``; False if that is not possible."""
    folder = os.path.join(tempfile.gettempdir(), f"minitf-numba-cache-{os.getuid()}")
    if numba_config.CACHE_DIR == folder:
        return False                    # already tried
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder)
        probe.close()
    except OSError:
        return False
    numba_config.CACHE_DIR = folder
    return True


_warned: list = []


def _warn_uncached() -> None:
    if not _warned:
        _warned.append(True)
        warnings.warn("minitf: no writable folder for numba's kernel cache; kernels are compiled "
                      "in every process (set NUMBA_CACHE_DIR to a writable folder to cache them).",
                      RuntimeWarning, stacklevel=3)


def fingerprint(py_func) -> str:
    """Eight hex digits that change when the code of any captured plain function changes."""
    digest = hashlib.sha256()
    for cell in py_func.__closure__ or ():
        value = cell.cell_contents
        if isinstance(value, types.FunctionType):
            _hash_code(digest, value.__code__)
        elif isinstance(value, (int, float, str)):
            digest.update(repr(value).encode())
    return digest.hexdigest()[:8]


def _hash_code(digest, code: types.CodeType) -> None:
    """Feed a code object's bytecode, constants and names (never addresses) to ``digest``."""
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _hash_code(digest, const)
        else:
            digest.update(repr(const).encode())


class _CompileLog(numba_event.Listener):
    """MINITF_DEBUG: one line per numba compile (level 1), every compiler pass (level 4).

    A kernel loaded from numba's on-disk cache is not compiled, so it prints nothing.
    """

    def __init__(self):
        self._starts = threading.local()

    def on_start(self, event):
        if debug.level() >= 1:
            self._stack().append(time.perf_counter())
            if event.kind == "numba:compile" and debug.level() >= 4:
                debug.log(4, f"numba: compiling {_compiled_name(event.data)}")

    def on_end(self, event):
        if debug.level() < 1 or not self._stack():
            return
        took = debug.ms(time.perf_counter() - self._stack().pop())
        if event.kind == "numba:compile":
            args = ", ".join(str(a) for a in event.data["args"])
            debug.log(1, f"numba compiled {_compiled_name(event.data)}({args}) in {took}")
        elif debug.level() >= 4:
            debug.log(4, f"numba: {event.data['name']} {took}")

    def _stack(self) -> list:
        if not hasattr(self._starts, "stack"):
            self._starts.stack = []
        return self._starts.stack


def _compiled_name(data) -> str:
    return data["dispatcher"].py_func.__qualname__


_compile_log = _CompileLog()
numba_event.register("numba:compile", _compile_log)
numba_event.register("numba:run_pass", _compile_log)
