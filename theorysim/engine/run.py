"""``run``: one method on one objective from one start."""
from __future__ import annotations

import numpy as np

from .._status import DIVERGED
from . import _core, _validate
from .results import Trajectory


def _provenance(method):
    import numba

    from .. import __version__

    return dict(theorysim=__version__, numba=numba.__version__, numpy=np.__version__,
                method_source=method.source)


def run(objective, method, x0=None, steps=1000, *, record_every=1, record_iterates=True,
        tol=None, stop_at_tol=False, noise=None, seed=None, monitor=False, progress=False,
        time_limit=None) -> Trajectory:
    r"""Run ``method`` on ``objective`` from ``x0`` for ``steps`` updates.

    The iterates are :math:`x_0,\dots,x_{\text{steps}}` (``steps`` updates, ``steps + 1`` gradient
    evaluations).  Divergence is data: the first non-finite gradient norm or loss ends the run,
    and ``Trajectory.diverged_at`` / ``.reason`` report where and why.

    Args:
      objective: a :class:`theorysim.objectives.Objective`.
      method: a :class:`theorysim.methods.Method`.
      x0: start, shape ``(d,)``; defaults to ``objective.x0`` where the family defines one.
      steps: number of updates (``>= 0``).
      record_every: record every k-th iterate and the last one (iteration ``steps``).  Rows stay
        on this grid: a run that stops between two of them (``stop_at_tol``, divergence) ends its
        records at the earlier one, and ``x_final``, ``first_hit`` or ``diverged_at`` give the
        stop.
      record_iterates: also record :math:`x_t` (memory ``n_records * d``).
      tol: report the first iteration with :math:`\|\nabla f(x_t)\|\le` ``tol``.
      stop_at_tol: end the run there.
      noise: a stochastic oracle from :mod:`theorysim.oracles` added to every gradient.
      seed: integer seed (required with ``noise`` or a stochastic objective); the same seed
        gives the same bits.
      monitor: accumulate Chen et al.'s quantities of the effective steps
        (``Trajectory.monitor``; see :mod:`theorysim.diagnostics`).
      progress: show a progress bar (tqdm) for long runs.
      time_limit: seconds; the run stops between chunks when exceeded (status ``interrupted``).

    Every argument is validated before any work (:mod:`theorysim.engine._validate`): a mistake is
    a ValueError/TypeError naming the argument; records that would need more than 4 GiB
    (``$THEORYSIM_MAX_RECORD_BYTES``) are refused with the number and a ``record_every`` that fits.
    """
    _validate.check_objective(objective)
    _validate.check_method(method)
    steps = _validate.check_int("steps", steps, 0)
    record_every = _validate.check_int("record_every", record_every, 1)
    X0 = _validate.check_point(objective, x0)
    tolv = _validate.check_tol(tol)
    stop_at_tol, monitor, progress, record_iterates = (
        _validate.check_bool(k, v) for k, v in (("stop_at_tol", stop_at_tol), ("monitor", monitor),
                                                ("progress", progress),
                                                ("record_iterates", record_iterates)))
    time_limit = _validate.check_time_limit(time_limit)
    noise = _validate.check_noise(noise)
    seed = _validate.check_seed(seed)
    _validate.check_memory(steps, record_every, objective.dim, 1, iterates=record_iterates,
                           monitor=monitor)
    if stop_at_tol and tol is None:
        raise ValueError("stop_at_tol=True needs a tolerance tol")
    _validate.check_schedule_length(method, steps)
    for k, v in method.hyper.items():
        if np.ndim(v) != 0:
            raise ValueError(f"run takes scalar hyperparameters; {k} has shape {np.shape(v)} "
                             f"(use sweep for grids)")

    rng = _core.rng_states(objective, noise, seed, 1)
    batch = _core.allocate(objective, method, X0.T.copy(), steps, record_every, True,
                           record_iterates, block_size=1, monitor=monitor, noise=noise, rng=rng,
                           single=True)
    secs = _core.execute(objective, method, batch, tolv, bool(stop_at_tol), progress, time_limit,
                         monitor=monitor, noise=noise, single=True)
    status = int(batch.track[1][0])
    last = int(batch.last[0])
    times = _core.record_times(steps, record_every)
    n = int(np.searchsorted(times, last, side="right"))
    stop_t = int(batch.track[2][0])
    diverged = status in DIVERGED
    hit = int(batch.track[0][0])
    # a run that went the distance keeps its record arrays (views, no copy); one that stopped
    # early keeps copies of its rows, so the unused rest returns to the pool (see _core.allocate)
    Rf, Rg, Rh, Rx, Rm = (a[:n].copy() if n < batch.nrec else a for a in batch.recs)
    return Trajectory(
        iteration=times[:n].copy() if n < batch.nrec else times,
        loss=Rf[:, 0],
        grad_norm=Rg[:, 0],
        step_size=Rh[:, 0],
        x=Rx[:, :, 0] if record_iterates else None,
        status=status,
        diverged_at=stop_t if diverged else None,
        first_hit=hit if tol is not None else None,
        x_final=None if diverged else batch.X[:, 0].copy(),
        monitor=_core.monitor_dict(Rm[:, :, 0]) if monitor else None,
        seed=seed, noise=None if noise is None else repr(noise),
        objective=objective.name, method=method.name,
        hyper={k: float(v) for k, v in method.hyper.items()},
        steps=steps, record_every=record_every, seconds=secs,
        provenance=_provenance(method),
    )
