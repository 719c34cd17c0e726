"""Recycled record memory: large record arrays reuse the memory of results that are gone.

A run of 2e6 iterations records 48 MB.  Fresh memory from the operating system is zeroed page by
page on first touch, and the C allocator hands a freed block that large straight back to the
system, so a loop of such runs paid the zeroing every time: 3.7 ns of the 21 per iteration of
``benchmarks/bench.py``'s W1 (virtual machine, 2 cores; measured with and without reuse).  Here a
record array of at least :data:`MIN_BYTES` comes from a block whose last user is gone, when one of
fitting size waits; otherwise from a new block.

A block is lent through a :class:`_Lease`: the array handed out is built on the lease
(``__array_interface__``), so it and every view of it keep the lease alive, and the block returns
to the pool only when the last of them is gone.  The pool keeps at most :data:`MAX_BYTES` of idle
blocks (the oldest go first); :func:`clear` releases them.  Contents are not initialised, like
``numpy.empty``.
"""
from __future__ import annotations

import collections

import numpy as np

from . import _aligned

#: arrays smaller than this come from :func:`theorysim.engine._aligned.empty` (the C allocator
#: keeps such blocks itself)
MIN_BYTES = 1 << 20
#: idle memory the pool keeps at most
MAX_BYTES = 128 << 20

# idle blocks, oldest first; deque's append and popleft are atomic, so a lease may return its
# block from any thread (or from the garbage collector) without a lock
_idle: collections.deque = collections.deque()


class _Lease:
    """Lends ``block`` as an array of ``shape`` and ``dtype``; returns it to the pool on death."""

    __slots__ = ("block", "__array_interface__")

    def __init__(self, block, shape, dtype):
        self.block = block
        start = block.__array_interface__["data"][0]
        self.__array_interface__ = {
            "shape": shape, "typestr": dtype.str, "version": 3,
            "data": (start + -start % _aligned.LINE, False),  # on a cache line (see _aligned)
        }

    def __del__(self):
        try:
            if self.block.size <= MAX_BYTES:
                _idle.append(self.block)
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


def empty(shape, dtype=np.float64):
    """Like ``numpy.empty(shape, dtype)`` (C order), on recycled memory when the array is large;
    starts on a cache line either way."""
    dtype = np.dtype(dtype)
    shape = tuple(int(n) for n in np.atleast_1d(shape))
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    need = nbytes + _aligned.LINE  # room to start on a line
    if not (MIN_BYTES <= nbytes and need <= MAX_BYTES):
        return _aligned.empty(shape, dtype)
    block = _take(need)
    if block is None:
        block = np.empty(need, np.uint8)
    return np.asarray(_Lease(block, shape, dtype))


def _take(nbytes):
    """The oldest idle block of nbytes to 2 nbytes bytes (None if there is none); trims the idle
    blocks to MAX_BYTES, oldest first."""
    found = None
    kept = []
    for _ in range(len(_idle)):
        try:
            b = _idle.popleft()
        except IndexError:  # another thread took it
            break
        if found is None and nbytes <= b.size <= 2 * nbytes:
            found = b
        else:
            kept.append(b)
    total = 0
    for b in reversed(kept):  # newest first: they are kept, the oldest dropped
        total += b.size
        if total > MAX_BYTES:
            break
        _idle.appendleft(b)
    return found


def idle_bytes() -> int:
    """Bytes of idle blocks waiting for reuse."""
    return int(sum(b.size for b in list(_idle)))


def clear() -> None:
    """Release every idle block to the allocator (and so to the system)."""
    _idle.clear()
