r"""Locate a method's stability edge in one hyperparameter by nested batched sweeps.

For a rule whose runs are stable for small steps and unstable past an edge :math:`\eta^*` (a
linear recursion on a quadratic, for instance), :func:`stability_edge` brackets :math:`\eta^*`
without knowing it: a sweep over an even grid on ``[lo, hi]`` classifies each run as *stable*
(finite, and :math:`\|\nabla f(x_N)\|<\|\nabla f(x_0)\|`) or not; the bracket shrinks to the
cell between the largest stable value below the first unstable one and that unstable value;
repeat until the cell is narrower than ``rtol`` times its left end.  With ``points`` grid values a
round divides the bracket by ``points - 1``, so :math:`\log(\text{hi}/(\text{rtol}\cdot
\text{lo}))/\log(\text{points}-1)` rounds suffice.  The classification is exact once the
multiplier :math:`|z|` of the slowest mode differs from 1 by more than about
:math:`\log(1/c)/N` (N steps, c the mode's share of the start), so N must grow as the requested
``rtol`` shrinks.  theorysim's own procedure (no paper's).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Edge:
    """A located stability edge.

    Attributes:
      estimate: midpoint of the final bracket.
      lo, hi: the final bracket (largest stable and smallest unstable value seen).
      rounds: sweeps run.
      runs: runs made in all.
    """

    estimate: float
    lo: float
    hi: float
    rounds: int
    runs: int

    @property
    def rel_width(self) -> float:
        """``(hi - lo) / lo``."""
        return (self.hi - self.lo) / self.lo


def stable_runs(objective, builder, x0, steps, key, values, fixed=None):
    r"""Boolean array: run with ``key = value`` is finite after ``steps`` updates and ends with a
    smaller gradient norm than it started with."""
    from ..engine import sweep

    res = sweep(objective, builder, grid={key: np.asarray(values, dtype=float)}, x0=x0,
                steps=steps, fixed=fixed)
    g0 = float(np.linalg.norm(objective.grad(np.asarray(x0, dtype=float))))
    return ~res.diverged & (res.final_grad_norm < g0)


def stability_edge(objective, builder, x0, steps, lo, hi, *, key="eta", fixed=None, rtol=1e-3,
                   points=33, max_rounds=12) -> Edge:
    r"""Bracket the stability edge of ``builder`` in hyperparameter ``key`` within ``(lo, hi]``.

    Args:
      objective, builder, x0, steps: as in :func:`theorysim.sweep` (a rule that needs two engine
        iterations per step, like ``sam``, wants an even ``steps``).
      lo, hi: the search interval, ``0 < lo < hi``; ``lo`` must be stable and ``hi`` unstable.
      key: the hyperparameter swept (default ``"eta"``); ``fixed`` holds the others.
      rtol: stop when ``(hi - lo) <= rtol * lo``.
      points: grid values per round (>= 3).

    Returns:
      an :class:`Edge`.
    """
    lo, hi = float(lo), float(hi)
    if not (0 < lo < hi < np.inf):
        raise ValueError(f"stability_edge: need 0 < lo < hi < inf, got lo={lo}, hi={hi}")
    if not (0 < rtol < 1):
        raise ValueError(f"stability_edge: rtol must lie in (0, 1), got {rtol}")
    if int(points) < 3:
        raise ValueError(f"stability_edge: points must be >= 3, got {points}")
    rounds = runs = 0
    while (hi - lo) > rtol * lo and rounds < max_rounds:
        grid = np.linspace(lo, hi, int(points))
        ok = stable_runs(objective, builder, x0, steps, key, grid, fixed)
        rounds += 1
        runs += grid.size
        if not ok[0]:
            raise ValueError(f"stability_edge: {key}={lo:g} is not stable; lower lo")
        if ok[-1]:
            raise ValueError(f"stability_edge: {key}={hi:g} is stable; raise hi")
        first_bad = int(np.argmin(ok))
        lo, hi = float(grid[first_bad - 1]), float(grid[first_bad])
    return Edge(0.5 * (lo + hi), lo, hi, rounds, runs)
