"""``sweep``: one method over a grid of hyperparameters and/or starting points."""
from __future__ import annotations

import dataclasses
import math

import numba
import numpy as np

from .._status import DIVERGED
from ..methods._base import Method
from . import _core, _validate
from .results import SweepResult
from .run import _provenance


def _builder_of(method):
    if isinstance(method, str):
        from .. import methods

        return methods.builder(method)
    if isinstance(method, Method):
        raise TypeError("sweep takes a method *builder* (e.g. ts.methods.clipped_gd), not a "
                        "configured Method: the grid supplies the hyperparameters")
    if not callable(method):
        raise TypeError(f"method must be a builder function or a name, got {type(method).__name__}")
    return method


def _sweep_piece(objective, builder, fixed, hyper, X0, steps, tol, stop_at_tol, record_every,
                 block_size, progress, monitor=False, noise=None, rng=None):
    """Run one contiguous piece of the flattened grid (also the unit sent to an executor)."""
    method = builder(**fixed, **hyper)
    record = record_every is not None
    batch = _core.allocate(objective, method, X0, steps, record_every or 1, record, False,
                           block_size, monitor=monitor, noise=noise, rng=rng)
    secs = _core.execute(objective, method, batch, tol, stop_at_tol, progress, monitor=monitor,
                         noise=noise)
    hit, status, stop_t = batch.track
    out = {"hit": hit, "status": status, "stop_t": stop_t,
           "final_loss": batch.state[2].copy(), "final_grad_norm": batch.state[3].copy()}
    if record:
        for k, a in zip(("Rf", "Rg", "Rh"), batch.recs[:3]):
            out[k] = np.ascontiguousarray(a.T)  # (B, nrec)
    if monitor:
        out["MON"] = np.ascontiguousarray(batch.mon[2].T)  # (B, 4): totals at the end
        if record:
            out["Rm"] = np.ascontiguousarray(np.moveaxis(batch.recs[4], -1, 0))  # (B, nrec, 4)
    out["seconds"] = secs
    return out


def default_block_size(B, d):
    """Runs per block: about four blocks per thread, at most ``max(8, 4096 // d)`` and 512 runs,
    and a multiple of 8.  Eight float64 columns fill a cache line, so two threads never write the
    same line at every iteration (blocks of one or two runs did: 4 seeds of a 1-D Adam sweep took
    112 ns per run and step on 2 threads, 41 ns on one)."""
    threads = max(1, numba.get_num_threads())
    bs = -(-B // (4 * threads))
    bs = min(bs, max(8, 4096 // max(1, d)), 512)
    return -(-bs // 8) * 8


def sweep(objective, method, grid, x0=None, steps=1000, *, tol=None, stop_at_tol=False,
          fixed=None, record_every=None, noise=None, seed=None, monitor=False, block_size=None,
          executor=None, n_chunks=None, progress=False) -> SweepResult:
    r"""Run ``method`` on ``objective`` for every point of ``grid``.

    All runs advance in lockstep inside one compiled loop: runs are grouped in blocks with the
    grid innermost (SIMD across grid points) and blocks run on all cores (threads; the compiled
    loop releases the GIL; ``NUMBA_NUM_THREADS`` sets their number).

    Args:
      objective: a :class:`theorysim.objectives.Objective`.
      method: a method builder (``ts.methods.clipped_gd``) or its name.
      grid: ``{name: values}``; names are the builder's hyperparameters, or ``"x0"`` with an
        array of starts of shape ``(n, d)``.  The result arrays have shape
        ``(len(values_1), len(values_2), ...)`` in the dict's order.
      x0: the start for every run when ``"x0"`` is not a grid key.
      steps: updates per run.
      tol: record the first iteration with :math:`\|\nabla f(x_t)\|\le` ``tol`` (``-1``: never).
      stop_at_tol: retire a run when it reaches ``tol``.
      fixed: hyperparameters held fixed, e.g. ``{"gamma": 1.0}``.
      record_every: also record loss / gradient norm / step curves at this cadence.
      noise, seed: a stochastic oracle and an integer seed (as in :func:`run`); the grid key
        ``"seed"`` (an array of integers) runs many seeds, each its own stream: run j of a sweep
        with seed s draws exactly the numbers of ``run(..., seed=s)``.
      monitor: accumulate Chen et al.'s quantities (``SweepResult.monitor``: totals, and curves
        when ``record_every`` is given).
      block_size: runs per block (default: chosen from the grid size and thread count).
      executor: a ``concurrent.futures``-style executor (a ``dask.distributed.Client``, a
        ``ProcessPoolExecutor``, a ``ThreadPoolExecutor``); the grid is cut into ``n_chunks``
        contiguous pieces (default 4), submitted, and reassembled — results are bit-for-bit those of the in-process run.
        ``from_sympy`` objectives travel as source; ``from_numba`` ones only when their function is
        importable from a module (not ``__main__``, a notebook or a closure).  Any start method
        works (the engine's threads are plain threads; there is no OpenMP layer to break at
        ``fork``).

    Every argument is validated before any work (:mod:`theorysim.engine._validate`), including a
    memory estimate of the records: a call that would need more than 4 GiB is refused with the
    number and a ``record_every`` that fits.
    """
    _validate.check_objective(objective)
    builder = _builder_of(method)
    fixed = _validate.check_fixed(builder, fixed)
    steps = _validate.check_int("steps", steps, 0)
    record_every = _validate.check_optional_int("record_every", record_every, 1)
    tolv = _validate.check_tol(tol)
    stop_at_tol, monitor, progress = (_validate.check_bool(k, v) for k, v in (
        ("stop_at_tol", stop_at_tol), ("monitor", monitor), ("progress", progress)))
    noise, seed = _validate.check_noise(noise), _validate.check_seed(seed)
    block_size = _validate.check_optional_int("block_size", block_size, 1)
    n_chunks = _validate.check_optional_int("n_chunks", n_chunks, 1)
    executor = _validate.check_executor(executor)
    if n_chunks is not None and executor is None:
        raise ValueError("n_chunks is the number of pieces sent to an executor: pass "
                         "executor=... as well, or leave n_chunks out")
    if stop_at_tol and tol is None:
        raise ValueError("stop_at_tol=True needs a tolerance tol")
    axes = _validate.grid_axes(builder, grid, fixed, objective, x0)
    shape = tuple(len(v) for v in axes.values())
    B = math.prod(shape)
    _validate.check_memory(steps, record_every, objective.dim, B, monitor=monitor)
    idx = np.indices(shape).reshape(len(shape), B)
    hyper = {k: v[i] for (k, v), i in zip(axes.items(), idx) if k not in ("x0", "seed")}
    if "x0" in axes:
        X0 = axes["x0"][idx[list(axes).index("x0")]].T.copy()
    else:
        X0 = np.repeat(_validate.check_point(objective, x0).T, B, axis=1)
    try:  # validate the whole grid once, before any kernel runs
        template = builder(**fixed, **hyper)
    except TypeError as exc:
        raise ValueError(f"{builder.__name__}: {exc}") from None
    _validate.check_numeric_axes(template, axes, builder)
    _validate.check_schedule_length(template, steps)
    bs = block_size or default_block_size(B, objective.dim)

    if "seed" in axes:
        if seed is not None:
            raise ValueError("give seed either as a grid key or as an argument, not both")
        seeds = axes["seed"][idx[list(axes).index("seed")]]
        if noise is None and not objective.info.get("stochastic", False):
            raise ValueError("grid['seed'] needs a stochastic run (noise or a stochastic objective)")
        from ..oracles import _rng

        rng = np.concatenate([_rng.seed_states(int(s_), 1) for s_ in seeds], axis=1)
    else:
        rng = _core.rng_states(objective, noise, seed, 1)
        if rng is not None:  # one seed: every grid point sees the same stream
            rng = np.repeat(rng, B, axis=1)
    args = (steps, tolv, bool(stop_at_tol), record_every, bs)
    if executor is None:
        parts = [_sweep_piece(objective, builder, fixed, hyper, X0, *args, progress, monitor,
                              noise, rng)]
    else:
        if not objective.info.get("portable", True):
            raise ValueError(f"objective {objective.name!r} lives in this process only (a numba "
                             "function defined in __main__, a notebook or a closure): executors need "
                             "a built-in objective, a from_sympy objective, or a from_numba function "
                             "importable from a module")
        n = n_chunks or 4
        cuts = np.array_split(np.arange(B), min(n, B))
        portable = dataclasses.replace(objective, sympy_form=None, info={
            k: v for k, v in objective.info.items() if k != "fg"})  # kernels need only numbers
        futures = [executor.submit(_sweep_piece, portable, builder, fixed,
                                   {k: v[c] for k, v in hyper.items()}, X0[:, c].copy(), *args,
                                   False, monitor, noise,
                                   None if rng is None else rng[:, c].copy()) for c in cuts]
        parts = [f.result() for f in futures]

    def cat(key):
        return np.concatenate([p[key] for p in parts], axis=0)

    status = cat("status")
    stop_t = cat("stop_t")
    diverged = np.isin(status, DIVERGED)
    final_loss = np.where(diverged, np.nan, cat("final_loss"))
    final_gn = np.where(diverged, np.nan, cat("final_grad_norm"))
    record = record_every is not None
    curves = {k: cat(k).reshape(shape + (-1,)) if record else None for k in ("Rf", "Rg", "Rh")}
    mon = None
    if monitor:
        mon = {"final": _core.monitor_dict(cat("MON").reshape(shape + (4,)))}
        if record:
            mon["curves"] = _core.monitor_dict(cat("Rm").reshape(shape + (-1, 4)))
    return SweepResult(
        axes=axes,
        final_loss=final_loss.reshape(shape), final_grad_norm=final_gn.reshape(shape),
        first_hit=cat("hit").reshape(shape), status=status.reshape(shape),
        diverged_at=np.where(diverged, stop_t, -1).reshape(shape),
        iteration=_core.record_times(steps, record_every) if record else None,
        loss=curves["Rf"], grad_norm=curves["Rg"], step_size=curves["Rh"],
        objective=objective.name, method=template.name, steps=steps,
        tol=None if tol is None else float(tol),
        seconds=float(sum(p["seconds"] for p in parts)),
        monitor=mon,
        provenance=_provenance(template),
    )
