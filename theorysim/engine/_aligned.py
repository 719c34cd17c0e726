"""Per-run arrays that start on a cache line (64 bytes).

numpy places an array where the C allocator puts it: 16 bytes past a line, or 32, or 48, depending
on what the process allocated before.  The compiled loops read and write blocks of columns with
vector instructions as wide as a line (AVX-512), so an array that starts off a line makes every
such access straddle two lines, and a loop's speed depended on the heap's history.  Measured on
the W3 sweep of ``benchmarks/bench.py`` (one thread, the same code in fresh processes): 1.27-1.33
ns per point-iteration with numpy's placement, up to 1.87 with some layouts, and 1.18-1.24 with
the engine's arrays on lines; the results are the same bits (only addresses change).

The arrays are ordinary C-contiguous numpy arrays (views of a slightly larger buffer, which they
keep alive), so numba types them as before and no kernel compiles again.
"""
from __future__ import annotations

import numpy as np

#: bytes of a cache line, the width of the widest vector access
LINE = 64


def empty(shape, dtype=np.float64) -> np.ndarray:
    """Like ``numpy.empty(shape, dtype)`` (C order), starting on a :data:`LINE` boundary."""
    dtype = np.dtype(dtype)
    shape = tuple(int(n) for n in np.atleast_1d(shape))
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    buf = np.empty(nbytes + LINE, np.uint8)
    start = -buf.ctypes.data % LINE
    return buf[start:start + nbytes].view(dtype).reshape(shape)


def full(shape, value, dtype=np.float64) -> np.ndarray:
    """Like ``numpy.full``, on a line."""
    a = empty(shape, dtype)
    a.fill(value)
    return a


def zeros(shape, dtype=np.float64) -> np.ndarray:
    """Like ``numpy.zeros``, on a line."""
    return full(shape, 0, dtype)


def copy(a) -> np.ndarray:
    """A C-ordered copy of ``a``, on a line."""
    a = np.asarray(a)
    out = empty(a.shape, a.dtype)
    out[...] = a
    return out


def fields(nt):
    """The named tuple ``nt`` with every array field copied onto a line (other fields as they
    are); an empty tuple is returned as it is."""
    if not len(nt):
        return nt
    return type(nt)(*[copy(v) if isinstance(v, np.ndarray) else v for v in nt])
