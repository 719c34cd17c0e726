"""Recycled record memory (theorysim.engine._pool): a block is reused only after every array and
view on it is gone, results never share memory, and the idle memory stays bounded."""
import gc
import threading

import numpy as np
import pytest

import theorysim as ts
from theorysim.engine import _aligned, _pool

N = (_pool.MIN_BYTES // 8) * 2  # float64 elements of a pooled (2 MiB) array
BLOCK = N * 8 + _aligned.LINE  # bytes of its block (room to start on a cache line)


def _ptr(a):
    return a.__array_interface__["data"][0]


@pytest.fixture(autouse=True)
def empty_pool():
    _pool.clear()
    yield
    _pool.clear()


def test_a_block_is_reused_once_its_array_is_gone():
    a = _pool.empty((N,))
    p = _ptr(a)
    assert a.shape == (N,) and a.dtype == np.float64 and a.flags.c_contiguous and a.flags.writeable
    assert p % 64 == 0  # on a cache line
    del a
    gc.collect()
    assert _pool.idle_bytes() == BLOCK
    b = _pool.empty((N // 2, 2))  # same bytes, other shape
    assert _ptr(b) == p and b.shape == (N // 2, 2)
    assert _pool.idle_bytes() == 0


def test_a_view_keeps_its_block_out_of_the_pool():
    a = _pool.empty((N,))
    a[:] = 1.0
    v = a[5:10]
    del a
    gc.collect()
    assert _pool.idle_bytes() == 0
    b = _pool.empty((N,))
    b[:] = 2.0
    np.testing.assert_array_equal(v, 1.0)  # untouched by the new array
    del v
    gc.collect()
    assert _pool.idle_bytes() == BLOCK


def test_sizes_outside_the_pooled_range_come_from_numpy():
    small = _pool.empty((10, 3))
    big = _pool.empty((_pool.MAX_BYTES // 8 + 1,), np.float64)
    for a in (small, big):
        assert not isinstance(a.base, _pool._Lease)
    assert small.shape == (10, 3)
    del small, big
    gc.collect()
    assert _pool.idle_bytes() == 0


def test_a_block_fits_between_one_and_two_times_the_request():
    a = _pool.empty((N,))
    p = _ptr(a)
    del a
    gc.collect()
    assert _ptr(_pool.empty((N // 4,), np.float64)) != p  # too large a block for 1/4 of it
    assert _pool.idle_bytes() == BLOCK
    c = _pool.empty((N + 1,))  # more than the block holds
    assert _ptr(c) != p


def test_idle_memory_stays_under_the_cap(monkeypatch):
    monkeypatch.setattr(_pool, "MAX_BYTES", 3 * BLOCK)
    arrays = [_pool.empty((N,)) for _ in range(6)]
    del arrays
    gc.collect()
    assert _pool.idle_bytes() == 6 * BLOCK  # returned; trimmed at the next request
    taken = _pool.empty((N,))
    assert _pool.idle_bytes() <= 3 * BLOCK
    assert taken.shape == (N,)


def test_blocks_return_from_other_threads():
    arrays = [_pool.empty((N,)) for _ in range(4)]

    def drop(i):
        arrays[i] = None

    threads = [threading.Thread(target=drop, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    assert _pool.idle_bytes() == 4 * BLOCK


def _long_run(x0, steps=300_000):
    f = ts.objectives.get("power", p=4, c=4)
    return ts.run(f, ts.methods.clipped_gd(eta=0.01, gamma=0.1), x0=[x0], steps=steps,
                  record_iterates=False)


def test_runs_on_recycled_memory_are_independent_and_identical():
    first = _long_run(3.0)
    kept = first.loss.copy()
    again = _long_run(3.0)  # first is alive: its blocks are not lent
    np.testing.assert_array_equal(again.loss, kept)
    other = _long_run(2.0)
    np.testing.assert_array_equal(first.loss, kept)  # untouched by later runs
    assert not np.shares_memory(first.loss, other.loss)
    p = _ptr(other.grad_norm)
    del other
    gc.collect()
    reused = _long_run(2.5)  # the blocks of `other` come back, and the records are right
    assert p in {_ptr(reused.loss), _ptr(reused.grad_norm), _ptr(reused.step_size)}
    plain = ts.run(ts.objectives.get("power", p=4, c=4), ts.methods.clipped_gd(eta=0.01, gamma=0.1),
                   x0=[2.5], steps=300_000, record_every=2)
    np.testing.assert_array_equal(reused.loss[::2], plain.loss)


def test_a_run_that_stops_early_keeps_only_its_rows():
    tr = ts.run(ts.objectives.get("quadratic", lam=[1.0]), ts.methods.gd(eta=3.0), x0=[1.0],
                steps=300_000)  # |1 - 3| = 2: diverges after about a thousand steps
    assert tr.diverged and len(tr.loss) < 2000
    for a in (tr.iteration, tr.loss, tr.grad_norm, tr.step_size, tr.x):
        assert a.base is None or a.base.nbytes == a.nbytes  # own rows, no pooled block pinned
    gc.collect()
    assert _pool.idle_bytes() >= 3 * 300_001 * 8  # the three record blocks went back


def test_the_largest_pooled_array_fits_the_cap_with_its_line(monkeypatch):
    monkeypatch.setattr(_pool, "MAX_BYTES", BLOCK)  # exactly one block of N float64 and a line
    a = _pool.empty((N,))
    assert isinstance(a.base, _pool._Lease)
    assert not isinstance(_pool.empty((N + 1,)).base, _pool._Lease)  # its block would not fit
    p = _ptr(a)
    del a
    gc.collect()
    assert _pool.idle_bytes() == BLOCK
    assert _ptr(_pool.empty((N,))) == p  # kept, not trimmed away
