"""One place for theorysim's numba flags (cache, error model, no fastmath).

Every compiled kernel in the package is decorated with :func:`jit` (or :func:`pjit` for the
parallel sweep entry points).  The flags are fixed here so that no kernel can silently differ:

* ``cache=True``: built-in kernels load from numba's on-disk cache in a new process;
* ``error_model="numpy"``: ``gamma / 0.0`` is ``inf`` (data), not a ``ZeroDivisionError``;
* ``fastmath=False``: floating point is not reassociated, so kernels match the plain-Python
  reference implementations to the last bits where the arithmetic is done in the same order.

Cache freshness.  numba decides whether a cached kernel is stale from the hash of the *one* file
that defines it; a cached engine loop that calls an objective defined in another file would keep
running the old objective after that file changed.  :class:`_PackageCacheLocator` closes that gap
for theorysim's own kernels: their freshness stamp also includes a hash of every kernel source
file of the package (``_KERNEL_DIRS``), so editing any of them invalidates all cached entries.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numba

_PACKAGE_ROOT = Path(__file__).resolve().parent
#: files and folders whose code is compiled into cached kernels
_KERNEL_DIRS = ("_jit.py", "objectives", "methods", "engine", "oracles")

_FLAGS = dict(cache=True, error_model="numpy", fastmath=False, nogil=True)


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over the source of every file that is compiled into a theorysim kernel."""
    h = hashlib.sha256()
    for entry in _KERNEL_DIRS:
        p = _PACKAGE_ROOT / entry
        files = [p] if p.is_file() else sorted(p.rglob("*.py"))
        for f in files:
            h.update(str(f.relative_to(_PACKAGE_ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _install_locator() -> None:
    """Put :class:`_PackageCacheLocator` first in numba's locator list (once)."""
    try:
        from numba.core import caching
    except ImportError:  # pragma: no cover - numba internals moved
        return

    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    if impl is None or not hasattr(impl, "_locator_classes"):  # pragma: no cover
        return
    if any(getattr(c, "_theorysim", False) for c in impl._locator_classes):
        return

    class _PackageCacheLocator(caching._CacheLocator):
        """Delegates to numba's own locators; adds the package fingerprint to the stamp."""

        _theorysim = True

        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):  # _py_file, _lineno, ... read by numba
            return getattr(self.__dict__["_inner"], name)

        def ensure_cache_path(self):
            self._inner.ensure_cache_path()

        def get_cache_path(self):
            return self._inner.get_cache_path()

        def get_source_stamp(self):
            return (self._inner.get_source_stamp(), package_fingerprint())

        def get_disambiguator(self):
            return self._inner.get_disambiguator()

        @classmethod
        def from_function(cls, py_func, py_file):
            try:
                inside = Path(py_file).resolve().is_relative_to(_PACKAGE_ROOT)
            except (OSError, ValueError):
                inside = False
            if not inside:
                return None
            for other in impl._locator_classes:
                if other is cls:
                    continue
                loc = other.from_function(py_func, py_file)
                if loc is not None:
                    return cls(loc)
            return None

    impl._locator_classes.insert(0, _PackageCacheLocator)


_install_locator()


def jit(func=None, **overrides):
    """``numba.njit`` with theorysim's fixed flags (see module docstring)."""
    flags = {**_FLAGS, **overrides}
    if func is None:
        return lambda f: numba.njit(**flags)(f)
    return numba.njit(**flags)(func)


def inner(func=None, **overrides):
    """:func:`jit` for code that the compiled loops call (parts' kernels and the engine's helpers).

    Compiled on its own, once per argument types, and kept in numba's disk cache, so every
    combination that calls it reuses it; LLVM inlines it into the caller's loop when the caller is
    compiled.  ``_nrt=False``: no reference counting, so such a function must not allocate.
    (numba's own ``inline="always"`` was used before: it re-types a copy of the body at every call
    site of every combination, which was 45% of a loop's first compile; measured, issue 7.)"""
    return jit(func, _nrt=False, forceinline=True, **overrides)


def pjit(func=None, **overrides):
    """Parallel variant of :func:`jit` (``parallel=True``) for the sweep entry points."""
    return jit(func, parallel=True, **overrides)


def jit_disabled() -> bool:
    """True when ``NUMBA_DISABLE_JIT=1``: kernels run as plain Python."""
    return bool(int(os.environ.get("NUMBA_DISABLE_JIT", "0") or 0))
