"""Output files: check a destination before any computing, then write it atomically.

An output is first written to a temporary file in the destination folder and then renamed over
the destination (``os.replace``, atomic on POSIX and Windows), so an interrupted or failing write
never leaves a half-written figure, ``.npz`` archive or page behind, and an existing file is
either kept whole or replaced whole.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

#: formats matplotlib's ``savefig`` writes (the extension decides)
FIGURE_FORMATS = ("png", "pdf", "svg", "svgz", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp",
                  "pgf", "raw", "rgba", "gif", "avif")


def _existing_ancestor(path: Path) -> Path:
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def check_out_dir(path, what="--out") -> Path:
    """A folder that exists or can be created, and is writable; refuse a regular file."""
    path = Path(path)
    base = _existing_ancestor(path.absolute())
    if base == path.absolute() and not path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is an existing file, not a folder; give a folder")
    if not base.is_dir():
        raise ValueError(f"{what} {str(path)!r} cannot be created: {str(base)!r} is a file")
    if not os.access(base, os.W_OK | os.X_OK):
        raise ValueError(f"{what} {str(path)!r}: folder {str(base)!r} is not writable")
    return path


def check_out_file(path, what="--plot", formats=FIGURE_FORMATS, default="png") -> Path:
    """A file path whose folder exists and is writable and whose extension is one of
    ``formats``; a path without an extension gets ``.default`` (the returned path is the one
    that will be written)."""
    path = Path(path)
    if not path.name or path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder; give a file name, e.g. run.png")
    ext = path.suffix[1:].lower()
    if not ext:
        path = path.with_name(path.name + "." + default)
    elif ext not in formats:
        raise ValueError(f"{what} {str(path)!r}: unknown file type {path.suffix!r}; use one of "
                         f"{', '.join('.' + f for f in formats)}")
    folder = path.absolute().parent
    if not folder.is_dir():
        state = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"{what} {str(path)!r}: folder {str(folder)!r} {state}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{what} {str(path)!r}: folder {str(folder)!r} is not writable")
    return path


@contextlib.contextmanager
def atomic_write(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``, on any error
    (or KeyboardInterrupt) delete it and leave ``path`` as it was."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_figure(fig, path, **kwargs) -> Path:
    """``fig.savefig`` into ``path`` atomically; the format comes from the extension."""
    path = Path(path)
    with atomic_write(path) as tmp:
        fig.savefig(tmp, format=path.suffix[1:].lower(), **kwargs)
    return path
