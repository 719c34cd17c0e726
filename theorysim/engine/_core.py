"""Shared machinery of ``run`` and ``sweep``: allocation and chunked execution (arguments are
validated before, in :mod:`theorysim.engine._validate`).

A batch of B runs is stored *batch last*: points ``(d, B)``, records ``(n_records, B)``; a sweep's
compiled loop advances blocks of at most ``block_size`` columns in parallel.  The loop is called
in chunks of iterations so Python can update a progress bar and honour a time limit between
chunks; state is carried in the arrays, so chunking never changes a result.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._status import COMPLETED, INTERRUPTED, RUNNING
from . import _aligned, _codegen, _pool
from ._aligned import full, zeros

#: point-iterations per chunk between two returns to Python (about 10-50 ms of work)
CHUNK_WORK = 1 << 22


@dataclass
class Batch:
    """Preallocated state and records for B runs (columns), grouped as the kernel takes them."""

    B: int
    d: int
    steps: int
    rec_every: int
    nrec: int
    bs: int
    obj: tuple  # (params, noise params, box, rng)
    meth: tuple  # (hyper, options, state, schedule kind, schedule values)
    state: tuple  # (X, G, F, GN, H)
    track: tuple  # (hit, status, stop_t)
    recs: tuple  # (Rf, Rg, Rh, Rx, Rm)
    mon: tuple  # (aeff, AP, MON)
    scratch: np.ndarray
    last: np.ndarray

    @property
    def X(self):
        return self.state[0]

    @property
    def status(self):
        return self.track[1]


MONITOR_KEYS = ("S", "A", "B", "B2")


def monitor_dict(arr):
    """(..., 4) accumulated quantities -> dict of arrays keyed by MONITOR_KEYS."""
    return {k: np.ascontiguousarray(arr[..., q]) for q, k in enumerate(MONITOR_KEYS)}


def rng_states(objective, noise, seed, n):
    """Per-run generator states (4, n) from an explicit seed, or None for deterministic runs."""
    stochastic = noise is not None or objective.info.get("stochastic", False)
    if not stochastic:
        return None
    if seed is None:
        raise ValueError("seed is required for a stochastic run (noise or a stochastic "
                         "objective): pass an integer, e.g. seed=0")
    from ..oracles import _rng

    return _rng.seed_states(seed, n)


def n_records(steps, rec_every):
    return steps // rec_every + 1 + (1 if steps % rec_every else 0)


def record_times(steps, rec_every):
    t = np.arange(0, steps + 1, rec_every)
    return t if t[-1] == steps else np.append(t, steps)


def _nan_filled(shape):
    a = _pool.empty(shape)
    a.fill(np.nan)
    return a


def allocate(objective, method, X0, steps, rec_every, record, record_iterates, block_size,
             monitor=False, noise=None, rng=None, single=False):
    """Arrays for B runs from the starts X0 (d, B); ``rng`` (4, B) uint64 states or None.

    Records are NaN until written, so rows after a run stops are NaN, never leftovers (a single
    run's records are cut at its last row instead, so they start empty).  Large record arrays
    come from :mod:`theorysim.engine._pool` (memory of results that are gone)."""
    d, B = X0.shape
    X = _aligned.copy(np.asarray(X0, dtype=np.float64))
    bs = max(1, min(block_size, B))
    nb = -(-B // bs)
    nrec = n_records(steps, rec_every) if record else 0
    nrx = nrec if (record and record_iterates) else 0
    nrm = nrec if monitor else 0
    new = _pool.empty if single else _nan_filled
    box = objective.info.get("box")  # the feasible set is part of the problem
    box = np.array([-np.inf, np.inf]) if box is None else np.asarray(box, dtype=np.float64)
    if rng is None:
        rng = np.ones((4, B), dtype=np.uint64)
    noise_p = np.zeros(4) if noise is None else noise.kernel_params()
    skind, svals = method.schedule_args()
    # the arrays a loop reads and writes per column start on cache lines (see _aligned)
    hyper = _aligned.fields(method.hyper_arrays(B))
    options = method.options
    st = _aligned.fields(method.module.init(X))
    mon_shape = (d, B) if monitor else (0, 0)
    return Batch(
        B=B, d=d, steps=steps, rec_every=rec_every, nrec=nrec, bs=bs,
        obj=(objective.params, noise_p, box, _aligned.copy(np.asarray(rng, dtype=np.uint64))),
        meth=(hyper, options, st, skind, svals),
        state=(X, zeros((d, B)), zeros(B), zeros(B), zeros(B)),
        track=(full(B, -1, np.int64), full(B, RUNNING, np.int64), full(B, -1, np.int64)),
        recs=(new((nrec, B)), new((nrec, B)), new((nrec, B)), new((nrx, d, B)), new((nrm, 4, B))),
        mon=(zeros(mon_shape), zeros(mon_shape), zeros((4, B))),
        scratch=(zeros((objective.scratch_rows(1), d)) if single
                 else zeros((nb, objective.scratch_rows(bs), d))),
        last=np.full(1 if single else nb, -1, np.int64),
    )


def execute(objective, method, batch, tol, stop_at_tol, progress=False, time_limit=None,
            monitor=False, noise=None, single=False):
    """Run the compiled loop over all iterations in chunks; return elapsed seconds."""
    box = objective.info.get("box") is not None
    kern = _codegen.kernel_module(objective, method, noise, bool(monitor), box,
                                  None if single else batch.d == 1)
    entry = "run_one" if single else "run_many"
    _codegen.announce(kern, entry)
    work_per_iter = batch.d * batch.B
    # chunks only serve the progress bar and the deadline; otherwise one call does it all
    chunked = bool(progress) or time_limit is not None
    chunk = max(1, CHUNK_WORK // max(1, work_per_iter)) if chunked else batch.steps + 1
    total = batch.steps + 1
    status = batch.status
    t0 = 0
    bar = None
    if progress and total > chunk:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, unit="it", leave=False,
                       desc=f"{method.name} on {objective.name}")
        except ImportError:  # pragma: no cover - tqdm is a dependency
            bar = None
    args = (batch.obj, batch.meth, batch.state, batch.track, batch.recs, batch.mon, batch.scratch)
    with _codegen.first_use_lock(kern, entry):  # compile (or load) on an empty range, once
        with np.errstate(all="ignore"):
            if single:
                kern.run_one(*args, batch.steps, 0, 0, batch.rec_every, tol, stop_at_tol)
            else:
                kern.run_many(*args, batch.steps, 0, 0, batch.rec_every, tol, stop_at_tol,
                              batch.bs, 0, 0, batch.last)
    start = time.perf_counter()  # run time only: a first use's compile is not counted
    try:
        while t0 < total:
            t1 = min(total, t0 + chunk)
            with np.errstate(all="ignore"):  # only active when the JIT is disabled
                if single:
                    batch.last[0] = kern.run_one(*args, batch.steps, t0, t1, batch.rec_every, tol,
                                                 stop_at_tol)
                else:
                    _run_many(kern, args, batch, t0, t1, tol, stop_at_tol)
            if bar is not None:
                bar.update(t1 - t0)
            t0 = t1
            if not np.any(status == RUNNING):
                break
            if time_limit is not None and time.perf_counter() - start > time_limit and t0 < total:
                status[status == RUNNING] = INTERRUPTED
                break
    except KeyboardInterrupt:
        status[status == RUNNING] = INTERRUPTED
    finally:
        if bar is not None:
            bar.close()
    status[status == RUNNING] = COMPLETED
    return time.perf_counter() - start


def _threads(nb):
    """How many threads a sweep uses: numba's thread count (``NUMBA_NUM_THREADS``), at most one
    per block."""
    import numba

    if _codegen.jit_disabled():  # plain Python holds the GIL: threads would only add overhead
        return 1
    return max(1, min(nb, numba.get_num_threads()))


def _run_many(kern, args, batch, t0, t1, tol, stop_at_tol):
    """One chunk of a batch: contiguous block ranges on threads (the kernel releases the GIL)."""
    nb = batch.last.shape[0]
    tail = (batch.steps, t0, t1, batch.rec_every, tol, stop_at_tol, batch.bs)
    n = _threads(nb)
    if n == 1:
        kern.run_many(*args, *tail, 0, nb, batch.last)
        return
    from concurrent.futures import ThreadPoolExecutor

    cuts = np.linspace(0, nb, n + 1).round().astype(int)
    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(kern.run_many, *args, *tail, int(a), int(b), batch.last)
                   for a, b in zip(cuts[:-1], cuts[1:]) if b > a]
        for f in futures:
            f.result()
