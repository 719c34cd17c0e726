r"""One compiled loop per (objective, method, oracle, recording) combination, made on first use.

The loop is written once, in :mod:`theorysim.engine._template`.  For a combination the generator
replaces the template's header with imports of the parts' kernels (the objective family's
``value_and_grad``, the update rule's ``update``, the oracle's ``noise_entry`` or ``perturb``) and the combination's
constants (noise, monitor, feasible box), writes the result as a small module into the kernel
cache folder and imports it; numba compiles it on the first call and keeps the machine code in
its disk cache (``cache=True``), so later processes load it in a fraction of a second.

Freshness.  numba judges a cached kernel by its own file only.  The generated file's *name* is a
hash of the template, of every part's source and of every theorysim module those sources import
(followed transitively), so an edited part yields a new file and a new compile: a stale kernel is
never loaded.  Files are written once (atomically) and never rewritten, so numba's stamp of an
existing file stays valid.

Cache folder: ``$THEORYSIM_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/theorysim`` (default
``~/.cache/theorysim``); a temporary folder when neither is writable.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from .._jit import jit_disabled

_PACKAGE = "theorysim"
_TEMPLATE = "theorysim.engine._template"
_END_OF_HEADER = "# --- end of header"
#: bump to invalidate every generated file (a change of the generator itself)
_GENERATOR_VERSION = "1"


def cache_dir() -> Path:
    """The folder that holds generated kernel modules (created on first use)."""
    env = os.environ.get("THEORYSIM_CACHE_DIR")
    if env:
        base = Path(env)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "theorysim"
    d = base / "kernels"
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError:
        d = Path(tempfile.gettempdir()) / f"theorysim-kernels-{os.getuid() if hasattr(os, 'getuid') else 0}"
        d.mkdir(parents=True, exist_ok=True)
    return d


# -- source digests ------------------------------------------------------------------------
def _imports_of(modname: str, path: Path, text: str | None = None) -> set[str]:
    """theorysim modules imported by the module at ``path`` (absolute and relative imports)."""
    tree = ast.parse(path.read_text() if text is None else text)
    pkg = modname if path.name == "__init__.py" else modname.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == _PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != _PACKAGE:
                continue
            if node.module:  # ``from . import x`` names submodules, not the package's __init__
                out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)  # submodules imported by name
    return out


@functools.cache
def _module_file(modname: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(modname) if modname else None
    except (ImportError, ValueError):  # "a.b.name" where name is not a submodule
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


@functools.cache
def module_digest(modname: str) -> str:
    """SHA-256 over a package module's source and the sources of every theorysim module it
    imports, transitively (the freshness key of anything compiled from it)."""
    seen, todo, h = set(), [modname], hashlib.sha256()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        f = _module_file(m)
        if f is None:
            continue
        todo.extend(sorted(_imports_of(m, f) - seen))
    for m in sorted(seen):
        f = _module_file(m)
        if f is not None:
            h.update(m.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _digest_text(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode())
        h.update(b"\0")
    return h.hexdigest()


# -- generated modules ---------------------------------------------------------------------
def load_source(name: str, source: str, trace_as: Path | None = None):
    """Import the generated module ``name`` with ``source`` (written to the cache folder once).

    ``trace_as``: when kernels run as plain Python (``NUMBA_DISABLE_JIT=1``), attribute the code
    to this file instead (the template, whose line numbers the generated body keeps), so coverage
    of the loop is reported on the package's own source."""
    mod = sys.modules.get(name)
    if mod is not None:
        return mod
    path = cache_dir() / f"{name}.py"
    if not path.exists() or path.read_text() != source:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(source)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        if trace_as is not None and jit_disabled():
            mod.__file__ = str(trace_as)
            mod.__dict__["__name__"] = _TEMPLATE  # what coverage's package filter looks at
            exec(compile(source, str(trace_as), "exec"), mod.__dict__)
        else:
            spec.loader.exec_module(mod)
    except BaseException:
        del sys.modules[name]
        raise
    return mod


def family_module(objective):
    """The module holding ``objective``'s kernels (generated and imported for user objectives)."""
    if objective.kernel_source is not None:
        return load_source(objective.family, objective.kernel_source)
    return importlib.import_module(objective.family)


def _family_digest(objective) -> str:
    if objective.kernel_source is not None:
        return _digest_text(objective.kernel_source, *(module_digest(m) for m in
                                                        sorted(objective.info.get("imports", ()))))
    return module_digest(objective.family)


@functools.lru_cache(maxsize=1)
def _template_body() -> str:
    text = _module_file(_TEMPLATE).read_text()
    return text[text.index("\n", text.index(_END_OF_HEADER)) + 1:]


@functools.lru_cache(maxsize=1)
def _template_header_lines() -> int:
    text = _module_file(_TEMPLATE).read_text()
    return text[: text.index("\n", text.index(_END_OF_HEADER)) + 1].count("\n")


@functools.lru_cache(maxsize=1)
def _template_digest() -> str:
    """The loop's body and what it imports (the template's default header does not count)."""
    body = _template_body()
    deps = sorted(_imports_of(_TEMPLATE, _module_file(_TEMPLATE), body))
    return _digest_text(body, *(module_digest(m) for m in deps))


def kernel_module(objective, method, noise=None, monitor=False, box=False, one_dim=None):
    """The compiled loop module for this combination (generated on first use in this process).

    ``one_dim``: a sweep's loop is generated for one coordinate (True) or for several (False), so
    that each kernel holds only the passes it runs (compile time -20 to -30% for a sweep); single
    runs pass None (``run_one`` does not depend on it)."""
    family_module(objective)  # generated families must be importable before the kernel imports them
    cacheable = objective.info.get("cacheable", True)
    noise_mod = noise.module if noise is not None else "theorysim.engine._kernel"
    scalar = hasattr(method.module, "step_size")  # the rule moves x by -h_t g_t (a capability)
    move_1d = scalar and hasattr(method.module, "move_1d")  # and writes its 1-D move itself
    # an oracle draws one coordinate at a time (noise_entry) or a whole column (perturb)
    entrywise = noise is not None and hasattr(importlib.import_module(noise_mod), "noise_entry")
    perturb = "perturb" if noise is not None and not entrywise else "no_noise"
    key = _digest_text(_GENERATOR_VERSION, _template_digest(), _family_digest(objective),
                       module_digest(method.rule), module_digest(noise_mod), perturb,
                       bool(monitor), bool(box), cacheable, scalar, entrywise, one_dim)
    what = f"{objective.name} x {method.rule.rpartition('.')[2]}"
    extras = [s for s, on in (("noise " + (noise.name if noise else ""), noise is not None),
                              ("monitor", monitor), ("box", box)) if on]
    header = [
        f'"""theorysim kernel for {what}{" (" + ", ".join(extras) + ")" if extras else ""}.',
        "",
        "Generated by theorysim.engine._codegen from theorysim/engine/_template.py; do not edit.",
        '"""',
        f"from {objective.family} import value_and_grad as _value_and_grad",
        f"from {method.rule} import update as _update",
        f"from {noise_mod if perturb == 'perturb' else 'theorysim.engine._kernel'} import {perturb} "
        f"as _perturb",
        (f"from {method.rule} import step_size as _step_size" if scalar else
         "from theorysim.engine._kernel import no_step_size as _step_size"),
        (f"from {method.rule} import move_1d as _move_1d" if move_1d else
         "from theorysim.engine._kernel import no_move_1d as _move_1d"),
        (f"from {noise_mod} import noise_entry as _noise_entry" if entrywise else
         "from theorysim.engine._kernel import no_noise_entry as _noise_entry"),
        "",
        f"NOISE = {noise is not None}",
        f"ENTRYWISE_NOISE = {entrywise}",
        f"MONITOR = {bool(monitor)}",
        f"BOX = {bool(box)}",
        # one constant per branch of the loop, so that numba prunes the branch not taken before
        # typing it (a compound condition on constants is typed and lowered on both sides)
        f"SCALAR_PASS = {scalar and not (monitor or box or (noise is not None and not entrywise))}",
        f"DRAW_ENTRYWISE = {noise is not None and entrywise}",
        f"ONE_PASS = {scalar and not (monitor or box or noise is not None) and one_dim is True}",
        f"ONE_DIM = {one_dim}",
        f"MOVE_1D = {move_1d}",
        f"CACHE = {bool(cacheable)}  # False: the objective lives in this process only",
    ]
    body = _template_body()
    name = f"tsk_{_digest_text(key, *header)[:20]}"
    if name in sys.modules:
        return sys.modules[name]
    # pad the header to the template's, so the body keeps the template's line numbers
    header += [""] * (_template_header_lines() - len(header))
    source = "\n".join(header) + "\n" + body
    mod = load_source(name, source, trace_as=_module_file(_TEMPLATE))
    mod.__theorysim_what__ = what + (f" ({', '.join(extras)})" if extras else "")
    return mod


# -- first-use message ---------------------------------------------------------------------
def _in_disk_cache(dispatcher) -> bool:
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    index = getattr(cache_file, "_index_path", None)
    return bool(index) and os.path.exists(index)


_announced: set = set()


def announce(mod, entry: str) -> None:
    """Print one line when ``mod.entry`` is about to be compiled (not in memory, not on disk)."""
    if jit_disabled() or os.environ.get("THEORYSIM_QUIET"):
        return
    disp = getattr(mod, entry)
    key = (mod.__name__, entry)
    if key in _announced or getattr(disp, "signatures", None) or _in_disk_cache(disp):
        return
    _announced.add(key)
    kind = "sweep" if entry.startswith("run_many") else "run"
    print(f"theorysim: compiling {mod.__theorysim_what__} ({kind}), first use only; cached "
          f"afterwards ...", file=sys.stderr, flush=True)


@contextlib.contextmanager
def first_use_lock(mod, entry: str):
    """Hold an inter-process lock while ``mod.entry`` is compiled for the first time.

    Two processes that need the same new kernel at once (a process pool, pytest-xdist workers)
    would otherwise both compile it; with the lock the second one waits and then loads the first
    one's machine code from numba's disk cache.  A no-op when the kernel is in memory or on disk,
    when kernels run as plain Python, and where ``fcntl`` does not exist."""
    disp = getattr(mod, entry)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        fcntl = None
    if fcntl is None or jit_disabled() or getattr(disp, "signatures", None) or _in_disk_cache(disp):
        yield
        return
    with open(cache_dir() / f".{mod.__name__}.{entry}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: compile without waiting
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
