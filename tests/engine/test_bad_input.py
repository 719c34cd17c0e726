"""Issue 8: every bad input to run / sweep is a clear error before any work; nothing is accepted
silently.  Each case below reproduces one defect of the issue."""
import concurrent.futures as cf
import multiprocessing

import numpy as np
import pytest

import theorysim as ts
from theorysim.engine import _validate

F = ts.objectives.get("cosh")
M = ts.methods.gd(0.1)
GRID = {"eta": [0.01, 0.1]}


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(steps=2**63), ValueError, r"steps must be an integer <= 4611686018427387904"),
    (dict(steps="10"), TypeError, "steps must be an integer"),
    (dict(steps=True), TypeError, "steps must be an integer"),
    (dict(record_every=np.nan), ValueError, "record_every must be an integer"),
    (dict(time_limit="x"), TypeError, "time_limit must be None or a number of seconds"),
    (dict(time_limit=-1), ValueError, "time_limit must be None or a finite number of seconds > 0"),
    (dict(time_limit=0), ValueError, "time_limit"),
    (dict(noise="gaussian"), TypeError, r"noise must be None or an oracle.*ts\.oracles\.gaussian"),
    (dict(tol="abc"), TypeError, "tol must be None or a finite number >= 0"),
    (dict(tol=np.nan), ValueError, "tol must be"),
    (dict(seed="1"), TypeError, "seed must be None, an integer"),
    (dict(seed=-1), ValueError, "seed must be an integer >= 0"),
    (dict(monitor="yes"), TypeError, "monitor must be True or False"),
    (dict(stop_at_tol=1, tol=0.1), TypeError, "stop_at_tol must be True or False"),
    (dict(x0=[[1.0], [2.0, 3.0]]), ValueError, r"x0 must be a \(rectangular\) array"),
    (dict(x0=[]), ValueError, r"x0 must be one point of shape \(1,\)"),
])
def test_run_names_the_argument(kwargs, exc, match):
    kwargs = {"x0": [1.0], "steps": 3, **kwargs}
    with pytest.raises(exc, match=match):
        ts.run(F, M, **kwargs)


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(grid={"bias_correction": [True, False], "alpha": [0.1]}), ValueError,
     r"grid key 'bias_correction' is an option of adam.*fixed="),
    (dict(grid={"v_rule": ["ema", "mean"]}), ValueError, r"grid key 'v_rule' is an option of adam"),
    (dict(grid={"schedule": ["constant"]}), ValueError, r"grid key 'schedule' is an option"),
    (dict(grid={"alpha": [[0.1, 0.2], [0.3, 0.4]]}), ValueError, r"grid\['alpha'\] must be a 1-D array"),
    (dict(grid={"alpha": [[0.1, 0.2], [0.3]]}), ValueError, r"grid\['alpha'\] must be a \(rectangular\)"),
    (dict(grid={"alpha": []}), ValueError, r"grid\['alpha'\] is empty"),
    (dict(grid={"alpha": 0.1}), ValueError, r"grid\['alpha'\] must be a 1-D .*belongs in fixed="),
    (dict(grid={"alpha": [0.1], "x0": ["a"]}, x0=None), ValueError, r"grid\['x0'\] must be a \(rect"),
    (dict(grid={"alpha": [0.1], "seed": [[1], [2, 3]]}, noise=ts.oracles.gaussian(1.0)),
     ValueError, r"grid\['seed'\] must be a non-empty 1-D array of integers"),
    (dict(grid={"alpha": ["fast"]}), ValueError, r"grid\['alpha'\]"),
    (dict(grid={"alpha": [0.1], "x0": []}, x0=None), ValueError, r"grid\['x0'\] is empty"),
    (dict(grid={"alpha": [0.1], "x0": [[1.0], [2.0]]}), ValueError,
     r"x0 is given both as an argument and as grid\['x0'\]"),
    (dict(grid={"alpha": [0.1, 0.2]}, fixed={"beta1": [0.1, 0.2, 0.3]}), ValueError,
     r"fixed\['beta1'\] must be a single value"),
    (dict(fixed=[("beta1", 0.5)]), TypeError, "fixed must be a dict"),
    (dict(grid={"alpha": [0.1], "seed": [1.5]}, noise=ts.oracles.gaussian(1.0)), ValueError,
     r"grid\['seed'\] must be a non-empty 1-D array of integers"),
    (dict(block_size=0), ValueError, "block_size must be an integer >= 1"),
    (dict(n_chunks=0), ValueError, "n_chunks must be an integer >= 1"),
    (dict(n_chunks=2), ValueError, "n_chunks is the number of pieces sent to an executor"),
    (dict(executor="dask"), TypeError, "executor must have a submit method"),
    (dict(record_every=0), ValueError, "record_every must be an integer >= 1"),
    (dict(steps=2**63), ValueError, "steps must be an integer <="),
    (dict(tol="abc"), TypeError, "tol must be"),
    (dict(noise="gaussian", seed=0), TypeError, "noise must be None or an oracle"),
    (dict(progress="no"), TypeError, "progress must be True or False"),
])
def test_sweep_names_the_argument(kwargs, exc, match):
    kwargs = {"grid": {"alpha": [0.01, 0.1]}, "x0": [1.0], "steps": 3, **kwargs}
    with pytest.raises(exc, match=match):
        ts.sweep(F, ts.methods.adam, **kwargs)


def test_options_sweep_through_fixed():
    """The way out the message names: one sweep per option value gives different results."""
    kw = dict(grid={"alpha": [0.05, 0.1]}, x0=[1.0], steps=20)
    on = ts.sweep(F, ts.methods.adam, fixed={"bias_correction": True}, **kw)
    off = ts.sweep(F, ts.methods.adam, fixed={"bias_correction": False}, **kw)
    assert np.all(on.final_loss != off.final_loss)
    tr = ts.run(F, ts.methods.adam(0.1, bias_correction=False), x0=[1.0], steps=20)
    assert off.final_loss[1] == tr.loss[-1]


def test_seed_grid_keeps_integer_seeds():
    res = ts.sweep(F, ts.methods.sgd, {"alpha": [0.1], "seed": np.array([3, 4])}, x0=[1.0],
                   steps=5, noise=ts.oracles.gaussian(1.0))
    tr = ts.run(F, ts.methods.sgd(0.1), x0=[1.0], steps=5, noise=ts.oracles.gaussian(1.0), seed=4)
    assert res.final_loss[0, 1] == tr.loss[-1]


def test_record_bytes_formula():
    # n_rec = 10 // 3 + 1 + 1 = 5 records; 3 + d + 4 = 9 numbers each; state 8 d + 12 = 28
    assert _validate.record_bytes(10, 3, 2, 5, iterates=True, monitor=True) == 8 * 5 * (5 * 9 + 28)
    assert _validate.record_bytes(9, 3, 2, 1) == 8 * (4 * 3 + 28)
    assert _validate.record_bytes(10, None, 2, 7) == 8 * 7 * 28


def test_huge_step_counts_are_refused_with_the_number_and_the_way_out():
    with pytest.raises(ValueError, match=r"29\.1 TiB, above the limit of 4\.0 GiB") as err:
        ts.run(F, M, x0=[1.0], steps=10**12)
    k = int(str(err.value).split("record_every=")[2].split()[0])
    assert _validate.record_bytes(10**12, k, 1, 1, iterates=True) <= 4 * 2**30
    with pytest.raises(ValueError, match=r"29\.8 GiB.*--record-every 8\b"):
        ts.run(F, M, x0=[1.0], steps=10**9)
    with pytest.raises(ValueError, match="the records of 100 runs"):
        ts.sweep(F, ts.methods.gd, {"eta": np.linspace(0.01, 0.1, 100)}, x0=[1.0], steps=10**8,
                 record_every=1)


def test_memory_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv(_validate.MAX_BYTES_ENV, "1000")
    with pytest.raises(ValueError, match="above the limit of 1000 bytes"):
        ts.run(F, M, x0=[1.0], steps=100)
    ts.run(F, M, x0=[1.0], steps=2)  # 8 (3 * 4 + 20) = 256 bytes fit
    monkeypatch.setenv(_validate.MAX_BYTES_ENV, "lots")
    with pytest.raises(ValueError, match="THEORYSIM_MAX_RECORD_BYTES must be a number of bytes"):
        ts.run(F, M, x0=[1.0], steps=2)


def test_fork_process_pool_works_after_the_parent_ran_a_kernel():
    """The first design's prange kernels started GNU OpenMP, and a fork pool then always ended in
    BrokenProcessPool; the engine now runs blocks on plain threads, so fork is fine (a built-in
    and a from_sympy objective, bit for bit)."""
    import sympy as sp

    x = sp.Symbol("x", real=True)
    u = ts.objectives.from_sympy(x**4 / 4 + sp.cos(x), [x])
    for obj in (F, u):
        local = ts.sweep(obj, ts.methods.gd, GRID, x0=[1.0], steps=30)  # a kernel ran here
        with cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as ex:
            remote = ts.sweep(obj, ts.methods.gd, GRID, x0=[1.0], steps=30, executor=ex,
                              n_chunks=2)
        np.testing.assert_array_equal(remote.final_loss, local.final_loss)


def test_thread_pool_equals_in_process_bit_for_bit():
    f = ts.objectives.get("power", p=4, c=4)
    grid = {"eta": np.logspace(-4, -1, 6), "gamma": np.logspace(-3, 0, 5)}
    local = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=300, tol=1e-3)
    with cf.ThreadPoolExecutor(2) as ex:
        remote = ts.sweep(f, ts.methods.clipped_gd, grid, x0=[3.0], steps=300, tol=1e-3,
                          executor=ex, n_chunks=3)
    for k in ("final_loss", "final_grad_norm", "first_hit", "status", "diverged_at"):
        np.testing.assert_array_equal(getattr(remote, k), getattr(local, k))


def test_dask_local_cluster_equals_in_process_bit_for_bit():
    distributed = pytest.importorskip("distributed")
    f = ts.objectives.get("cosh")
    grid = {"eta": np.logspace(-3, 0.5, 12), "x0": np.linspace(-4.0, 4.0, 5)[:, None]}
    local = ts.sweep(f, ts.methods.gd, grid, steps=400, tol=1e-4)
    assert len(np.unique(local.first_hit)) > 3  # the grid has something to get wrong
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = ts.sweep(f, ts.methods.gd, grid, steps=400, tol=1e-4, executor=client,
                          n_chunks=4)
    for k in ("final_loss", "final_grad_norm", "first_hit", "status", "diverged_at"):
        np.testing.assert_array_equal(getattr(remote, k), getattr(local, k))


def test_an_array_where_a_family_takes_one_number_is_named():
    # found by the property test: cosh(s=[[1.0]]) failed inside float() without naming s
    with pytest.raises(ValueError, match=r"parameter s must be a single number here, got shape \(1, 1\)"):
        ts.objectives.get("cosh", s=[[1.0]])
