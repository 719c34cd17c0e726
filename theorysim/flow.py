r"""Gradient flow :math:`\dot x=-\nabla f(x)` as a reference trajectory for GD.

GD with step :math:`\eta` is the explicit Euler method for the gradient flow; its k-th iterate is
compared with the flow at time :math:`t=k\eta` (Elkabetz & Cohen, NeurIPS 2021, arXiv 2107.06608,
abstract [C]: the gap is governed by the curvature along the flow).  :func:`flow` integrates the
flow with :func:`scipy.integrate.solve_ivp` (DOP853 by default, tight tolerances) using the
objective's compiled gradient kernel, and returns a :class:`theorysim.Trajectory` sampled at the
times :math:`k\eta`, so GD and the flow line up row by row.
"""
from __future__ import annotations

import time

import numpy as np

from ._status import COMPLETED, NONFINITE_GRAD
from .engine.results import Trajectory


def flow(objective, x0, t_end, *, eta, rtol=1e-10, atol=1e-12, solver="DOP853") -> Trajectory:
    r"""Integrate :math:`\dot x=-\nabla f(x)`, :math:`x(0)=x_0`, and sample it at :math:`t_k=k\eta`.

    Args:
      objective: any :class:`theorysim.objectives.Objective` (built-in or user).
      x0: start, shape ``(d,)``.
      t_end: final time :math:`T>0`; rows are :math:`k=0,\dots,K`, :math:`K=\lfloor T/\eta\rfloor`.
      eta: the GD step whose iterates the rows line up with (row k is time :math:`k\eta`).
      rtol, atol: solver tolerances (:func:`scipy.integrate.solve_ivp`).
      solver: a ``solve_ivp`` method name (``"DOP853"``, ``"RK45"``, ``"Radau"``...).

    Returns:
      a Trajectory with ``method = "gradient_flow"``, ``iteration = k``, ``step_size = eta``
      (NaN at the last row, as for GD), ``hyper = {"eta", "t_end", "rtol", "atol"}``; if the
      solver fails (blow-up), the rows stop at the last time reached and ``diverged_at`` is the
      first row not reached.
    """
    from scipy.integrate import solve_ivp

    x0 = np.asarray(x0, dtype=float).reshape(-1)
    if x0.shape != (objective.dim,):
        raise ValueError(f"flow: x0 must have shape ({objective.dim},), got {x0.shape}")
    for name, v in (("t_end", t_end), ("eta", eta), ("rtol", rtol), ("atol", atol)):
        if not (isinstance(v, (int, float, np.floating, np.integer)) and np.isfinite(v) and v > 0):
            raise ValueError(f"flow: {name} must be a finite number > 0, got {v!r}")
    K = int(np.floor(t_end / eta + 1e-9))
    times = eta * np.arange(K + 1)
    t0 = time.perf_counter()
    with np.errstate(all="ignore"):
        sol = solve_ivp(lambda t, x: -objective.grad(x), (0.0, float(times[-1])), x0, method=solver,
                        t_eval=times, rtol=rtol, atol=atol)
    secs = time.perf_counter() - t0
    xs = sol.y.T
    n = xs.shape[0]
    vg = [objective.value_and_grad(x) for x in xs]
    loss = np.array([v for v, _ in vg])
    gn = np.array([float(np.linalg.norm(g)) for _, g in vg])
    ok = sol.status == 0 and n == K + 1 and np.all(np.isfinite(loss))
    step = np.full(n, float(eta))
    if n:
        step[-1] = np.nan
    return Trajectory(
        iteration=np.arange(n), loss=loss, grad_norm=gn, step_size=step, x=xs,
        status=COMPLETED if ok else NONFINITE_GRAD, diverged_at=None if ok else n, first_hit=None,
        x_final=xs[-1].copy() if ok else None, objective=objective.name, method="gradient_flow",
        hyper={"eta": float(eta), "t_end": float(t_end), "rtol": float(rtol), "atol": float(atol)},
        steps=K, record_every=1, seconds=secs,
        provenance={"solver": solver, "message": str(sol.message), "nfev": int(sol.nfev)},
    )
