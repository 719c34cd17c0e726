"""sweep = many runs: bit-for-bit equal to run, to itself when chunked, and across processes."""
import concurrent.futures as cf
import multiprocessing

import numpy as np
import pytest

import theorysim as ts
from theorysim._status import RUNNING
from theorysim.engine import _core


def test_sweep_equals_individual_runs_bit_for_bit(builtin, small):
    f, x0 = builtin
    steps = 40 if small else 200
    grid = {"eta": np.array([0.003, 0.03, 0.1]), "gamma": np.array([0.2, 1.0])}
    res = ts.sweep(f, ts.methods.clipped_gd, grid, x0=x0, steps=steps, tol=1e-3,
                   record_every=7, block_size=4)
    assert res.shape == (3, 2)
    for a, eta in enumerate(grid["eta"]):
        for b, gamma in enumerate(grid["gamma"]):
            tr = ts.run(f, ts.methods.clipped_gd(eta, gamma), x0=x0, steps=steps, tol=1e-3,
                        record_every=7)
            assert res.first_hit[a, b] == tr.first_hit
            if tr.diverged:
                assert res.diverged_at[a, b] == tr.diverged_at
                continue
            assert res.final_loss[a, b] == tr.loss[-1]
            assert res.final_grad_norm[a, b] == tr.grad_norm[-1]
            np.testing.assert_array_equal(res.loss[a, b], tr.loss)
            np.testing.assert_array_equal(res.step_size[a, b], tr.step_size)


def test_grid_over_starting_points():
    f = ts.objectives.get("cosh", dim=2)
    starts = np.array([[1.0, 2.0], [5.0, -3.0], [0.0, 0.5]])
    res = ts.sweep(f, ts.methods.normalized_gd, {"x0": starts, "eta": [0.1, 0.2]},
                   fixed={"beta": 1.0}, steps=100)
    assert res.shape == (3, 2)
    for i, s in enumerate(starts):
        tr = ts.run(f, ts.methods.normalized_gd(0.2, 1.0), x0=s, steps=100)
        assert res.final_loss[i, 1] == tr.loss[-1]


def test_chunking_does_not_change_results(monkeypatch):
    f = ts.objectives.get("power", p=4, c=4)
    grid = {"eta": np.logspace(-4, -1, 8), "gamma": np.logspace(-3, 0, 5)}
    a = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=3000, tol=1e-3, record_every=100)
    monkeypatch.setattr(_core, "CHUNK_WORK", 97)  # many small chunks (chunking serves progress bars)
    b = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=3000, tol=1e-3, record_every=100,
                 progress=True)
    for k in ("final_loss", "first_hit", "status", "loss", "step_size"):
        np.testing.assert_array_equal(getattr(a, k), getattr(b, k))
    tr1 = ts.run(f, ts.methods.gd(1e-3), x0=[3.0], steps=1000)
    tr2 = ts.run(f, ts.methods.gd(1e-3), x0=[3.0], steps=1000, time_limit=1e9)
    np.testing.assert_array_equal(tr1.x, tr2.x)


def test_block_size_does_not_change_results():
    f = ts.objectives.get("ramp_wall", M=30.0, eps=0.2, Delta=1.0)
    grid = {"eta": np.logspace(-3, -0.5, 13)}
    ref = ts.sweep(f, ts.methods.gd, grid, steps=500, tol=0.2, block_size=1)
    for bs in (3, 8, 64):
        res = ts.sweep(f, ts.methods.gd, grid, steps=500, tol=0.2, block_size=bs)
        np.testing.assert_array_equal(res.final_loss, ref.final_loss)
        np.testing.assert_array_equal(res.first_hit, ref.first_hit)


@pytest.mark.parametrize("B, d", [(1, 1), (4, 1), (13, 1), (100, 10), (4096, 1), (50, 5000)])
def test_default_blocks_are_whole_cache_lines(B, d):
    """Blocks of 8k float64 columns: two threads never share a cache line at every iteration."""
    from theorysim.engine.sweep import default_block_size

    bs = default_block_size(B, d)
    assert bs % 8 == 0 and 8 <= bs <= 512
    assert bs <= max(8, 4096 // d)


def test_process_pool_equals_in_process_bit_for_bit():
    f = ts.objectives.get("power", p=4, c=4)
    grid = {"eta": np.logspace(-4, -1, 6), "gamma": np.logspace(-3, 0, 5)}
    local = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=2000, tol=1e-3)
    ctx = multiprocessing.get_context("spawn")  # fork is tested in test_bad_input
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        remote = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=2000, tol=1e-3,
                          executor=ex, n_chunks=3)
    for k in ("final_loss", "final_grad_norm", "first_hit", "status", "diverged_at"):
        np.testing.assert_array_equal(getattr(remote, k), getattr(local, k))


def test_best_reports_fastest_run():
    f = ts.objectives.get("cosh")
    res = ts.sweep(f, ts.methods.gd, {"eta": np.logspace(-3, 0.5, 20)}, x0=[2.0], steps=3000,
                   tol=1e-4, stop_at_tol=True)
    best = res.best()
    assert best["first_hit"] == res.first_hit[res.first_hit >= 0].min()
    assert best["eta"] == res.axes["eta"][best["index"][0]]
    assert "SweepResult(gd on cosh" in repr(res)


@pytest.mark.parametrize("bad,match", [
    ({"eta": [0.1, -1.0]}, "eta must be finite and > 0"),
    ({"lr": [0.1]}, "not a hyperparameter of gd"),
    ({}, "non-empty dict"),
    ({"eta": []}, "empty"),
])
def test_bad_grids_are_clear_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        ts.sweep(ts.objectives.get("cosh"), ts.methods.gd, bad, x0=[1.0], steps=10)


def test_a_chunk_ends_with_the_gradient_norms_of_its_last_step():
    """Between chunks (a progress bar, an interrupt) every running column's ``GN`` is the norm
    of the gradient last evaluated, also after unrecorded one-pass steps."""
    from theorysim.engine import _codegen

    f = ts.objectives.get("power", p=4, c=4)
    m = ts.methods.gd(np.array([1e-3, 1e-2, 0.02, 30.0]))
    batch = _core.allocate(f, m, np.array([[3.0, 3.0, 3.0, 3.0]]), 300, 1, False, False, 4)
    kern = _codegen.kernel_module(f, m, one_dim=True)
    args = (batch.obj, batch.meth, batch.state, batch.track, batch.recs, batch.mon, batch.scratch)
    for t0, t1 in [(0, 37), (37, 120)]:
        kern.run_many(*args, 300, t0, t1, 1, 0.0, False, batch.bs, 0, 1, batch.last)
        X, G, F, GN, H = batch.state
        running = batch.status == RUNNING
        assert running.sum() == 3 and batch.last[0] == t1 - 1  # eta = 30 diverged
        np.testing.assert_array_equal(GN[running], np.abs(G[0, running]))



@pytest.mark.parametrize("grid,stops", [
    ([0.05, 0.1, 0.2], "converge"),  # each reaches tol, at a different t
    ([0.05, 30.0, 0.2], "mixed"),  # one overflows
    ([30.0, 40.0, 60.0], "diverge"),
])
def test_a_block_ends_at_its_last_stop(grid, stops):
    """A block whose runs have all stopped (tolerance with stop_at_tol, or overflow) evaluates
    no further iteration: the one-pass loop counts its running runs down as they stop."""
    from theorysim.engine import _codegen

    f = ts.objectives.get("power", p=4, c=4)
    m = ts.methods.gd(np.array(grid))
    batch = _core.allocate(f, m, np.ones((1, 3)), 300, 1, False, False, 4)
    kern = _codegen.kernel_module(f, m, one_dim=True)
    args = (batch.obj, batch.meth, batch.state, batch.track, batch.recs, batch.mon, batch.scratch)
    kern.run_many(*args, 300, 0, 300, 1, 1e-2, True, batch.bs, 0, 1, batch.last)
    stop_t = batch.track[2]
    assert not (batch.status == RUNNING).any()
    assert batch.last[0] == stop_t.max() < 299
    if stops != "diverge":
        assert len(set(stop_t.tolist())) == 3  # not all on one step

@pytest.mark.parametrize("stop_at_tol", [False, True])
@pytest.mark.parametrize("record_every", [None, 5])
def test_one_dimensional_sweeps_stop_like_runs(stop_at_tol, record_every):
    """1-D deterministic sweeps take one pass per column on unrecorded rows: every way a run
    ends there (overflow of f only, of f', tolerance with stop_at_tol, the end) must match run."""
    f = ts.objectives.get("power", p=4, c=4)
    etas = np.array([1e-3, 1e-2, 0.02, 0.05, 0.2, 1.0, 30.0])
    res = ts.sweep(f, ts.methods.gd, {"eta": etas}, x0=[3.0], steps=300, tol=1e-2,
                   stop_at_tol=stop_at_tol, record_every=record_every, block_size=8)
    reasons = set()
    for k, eta in enumerate(etas):
        tr = ts.run(f, ts.methods.gd(eta), x0=[3.0], steps=300, tol=1e-2, stop_at_tol=stop_at_tol)
        reasons.add(tr.reason)
        assert res.status[k] == tr.status, eta
        assert res.first_hit[k] == tr.first_hit
        assert res.diverged_at[k] == (tr.diverged_at if tr.diverged else -1)
        if not tr.diverged:
            assert res.final_loss[k] == tr.loss[-1]
            assert res.final_grad_norm[k] == tr.grad_norm[-1]
        if record_every:  # rows on the grid 0, 5, 10, ... up to the stop, NaN after
            rows = tr.loss[::record_every]
            np.testing.assert_array_equal(res.loss[k][:len(rows)], rows)
            assert np.isnan(res.loss[k][len(rows):]).all()
    expected = {"completed all steps", "diverged: objective value is inf or NaN",
                "diverged: gradient norm is inf or NaN"}
    if stop_at_tol:
        expected.add("reached the gradient-norm tolerance")
    assert reasons == expected  # the grid reaches every ending
    assert (res.first_hit >= 0).any()
