"""Per-run arrays on cache lines (theorysim.engine._aligned): every array the engine hands a
compiled loop per column starts on a 64-byte boundary, whatever the heap did before, and is an
ordinary C-ordered numpy array with the requested contents."""
import numpy as np
import pytest

import theorysim as ts
from theorysim._status import RUNNING
from theorysim.engine import _aligned, _core


def _on_line(a):
    return a.__array_interface__["data"][0] % 64 == 0  # a cache line, an AVX-512 vector


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.uint64])
def test_arrays_start_on_a_line_whatever_was_allocated_before(dtype):
    junk = []
    for k in range(40):  # shift the heap by 8, 16, ... bytes between allocations
        junk.append(np.empty(k + 1, np.uint8))
        shape = (k % 5 + 1, k + 1)
        a = _aligned.empty(shape, dtype)
        assert _on_line(a), k
        assert a.shape == shape and a.dtype == dtype
        assert a.flags.c_contiguous and a.flags.writeable and a.flags.aligned
    assert np.all(_aligned.full(7, -1, np.int64) == -1)
    assert np.all(_aligned.zeros((3, 4)) == 0.0)


def test_copy_and_named_tuple_fields():
    x = np.arange(12.0).reshape(3, 4)[:, ::2]  # not contiguous
    c = _aligned.copy(x)
    assert _on_line(c) and c.flags.c_contiguous and np.array_equal(c, x) and c.base is not x
    hp = ts.methods.adam(0.1).hyper_arrays(5)
    moved = _aligned.fields(hp)
    assert type(moved) is type(hp)
    for a, b in zip(hp, moved):
        assert _on_line(b) and np.array_equal(a, b, equal_nan=True)
    empty = ts.methods.gd(0.1).module.init(np.zeros((2, 3)))
    assert _aligned.fields(empty) is empty


@pytest.mark.parametrize("single", [True, False])
def test_the_engine_hands_the_loops_aligned_arrays(single):
    f = ts.objectives.get("quadratic", lam=1.0, dim=3)
    m = ts.methods.adam(0.1)
    B = 1 if single else 37
    batch = _core.allocate(f, m, np.ones((3, B)), 10, 1, True, False, 8,
                           rng=np.ones((4, B), np.uint64), single=single)
    hyper, _, st, _, _ = batch.meth
    arrays = [*batch.state, *batch.track, *hyper, *st, batch.obj[3], batch.scratch]
    assert all(_on_line(a) for a in arrays)
    assert np.array_equal(batch.X, np.ones((3, B))) and np.all(batch.status == RUNNING)
