"""Result records: :class:`Trajectory` (one run) and :class:`SweepResult` (a grid of runs)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._status import CONVERGED, DIVERGED, message


def _fmt(v):
    if isinstance(v, np.ndarray):
        if v.size <= 4:
            return np.array2string(v, precision=6)
        return f"array(shape={v.shape}, dtype={v.dtype})"
    if isinstance(v, float):
        return f"{v:.6g}"
    return repr(v)


@dataclass(frozen=True, eq=False)
class Trajectory:
    r"""One run of a method on an objective.

    Rows are recorded at iterations ``iteration`` (every ``record_every``-th and the last one);
    row k holds :math:`f(x_t)`, :math:`\|\nabla f(x_t)\|`, the step :math:`h_t` taken from
    :math:`x_t` (NaN at the last row) and, if recorded, :math:`x_t`.

    Attributes:
      status, message: why the run ended (see :mod:`theorysim._status`).
      diverged_at: iteration at which a non-finite value appeared, or ``None``.
      first_hit: first iteration with :math:`\|\nabla f(x_t)\|\le` ``tol`` (``-1``: never;
        ``None``: no tolerance given).
      x_final: the last finite iterate reached (``None`` if the run diverged).
      seconds: wall time of the compiled loop (excludes validation and a first use's
        compilation).
      monitor: with ``run(..., monitor=True)``, Chen et al.'s accumulated quantities at each row:
        ``S`` (sum of the smallest effective step), ``A`` (variance term), ``B`` (oscillation /
        bias term, l1), ``B2`` (its squared-l2 twin); see :mod:`theorysim.diagnostics`.
    """

    iteration: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    step_size: np.ndarray
    x: np.ndarray | None
    status: int
    diverged_at: int | None
    first_hit: int | None
    x_final: np.ndarray | None
    objective: str
    method: str
    hyper: dict
    steps: int
    record_every: int
    seconds: float
    monitor: dict | None = None
    seed: int | None = None
    noise: str | None = None
    provenance: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message(self.status)

    @property
    def reason(self) -> str:
        """Alias of :attr:`message` (why the run ended)."""
        return self.message

    @property
    def diverged(self) -> bool:
        return self.status in DIVERGED

    @property
    def converged(self) -> bool:
        return self.status == CONVERGED or (self.first_hit is not None and self.first_hit >= 0)

    def __repr__(self) -> str:
        keys = ["message", "status", "objective", "method", "hyper", "steps", "diverged_at",
                "first_hit"]
        lines = [f"{k:>12}: {_fmt(getattr(self, k))}" for k in keys]
        if len(self.loss):
            lines.append(f"{'final loss':>12}: {self.loss[-1]:.6g}")
            lines.append(f"{'final |grad|':>12}: {self.grad_norm[-1]:.6g}")
        return "Trajectory(\n" + "\n".join(lines) + "\n)"


@dataclass(frozen=True, eq=False)
class SweepResult:
    r"""Runs over a grid; every array has the grid's shape ``shape`` (one axis per grid key,
    in the order given).

    Attributes:
      axes: grid key -> values along that axis (``"x0"`` values are points, shape ``(n, d)``).
      final_loss, final_grad_norm: at the last iteration (NaN for diverged runs).
      first_hit: first iteration with :math:`\|\nabla f\|\le` ``tol`` (``-1``: never).
      status, diverged_at (``-1`` for runs that did not diverge).
      loss, grad_norm, step_size: recorded curves of shape ``shape + (n_records,)`` when
        ``record_every`` was given, else ``None``; ``iteration`` gives their times.
    """

    axes: dict
    final_loss: np.ndarray
    final_grad_norm: np.ndarray
    first_hit: np.ndarray
    status: np.ndarray
    diverged_at: np.ndarray
    iteration: np.ndarray | None
    loss: np.ndarray | None
    grad_norm: np.ndarray | None
    step_size: np.ndarray | None
    objective: str
    method: str
    steps: int
    tol: float | None
    seconds: float
    monitor: dict | None = None
    provenance: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple:
        return self.final_loss.shape

    @property
    def diverged(self) -> np.ndarray:
        return np.isin(self.status, DIVERGED)

    def best(self):
        """Grid point with the smallest first hit (ties: first in order); ``None`` if none hit.

        Returns a dict ``{key: value, ..., "first_hit": k, "index": idx}``.
        """
        fh = np.where(self.first_hit >= 0, self.first_hit, np.iinfo(np.int64).max)
        if not np.any(self.first_hit >= 0):
            return None
        idx = np.unravel_index(int(np.argmin(fh)), self.shape)
        out = {k: v[i] for (k, v), i in zip(self.axes.items(), idx)}
        out.update(first_hit=int(self.first_hit[idx]), index=idx)
        return out

    def __repr__(self) -> str:
        n = self.final_loss.size
        hits = int(np.sum(self.first_hit >= 0))
        div = int(np.sum(self.diverged))
        axes = ", ".join(f"{k}[{len(v)}]" for k, v in self.axes.items())
        return (f"SweepResult({self.method} on {self.objective}: grid {axes} = {n} runs, "
                f"{self.steps} steps; tol={self.tol}: {hits} hit, {div} diverged; "
                f"{self.seconds:.3g} s)")
