r"""The :class:`Method` record (a configured update rule) and the validators every builder uses.

A method is a preset of an *update rule*: one module of :mod:`theorysim.methods` that defines

* ``Hyper`` — a NamedTuple of the rule's hyperparameters in the paper's names, one float per run
  (the engine hands the kernel one array per field, so a sweep varies them freely);
* ``Options`` (optional) — a NamedTuple of switches that hold for every run (e.g. Adam's bias
  correction), read by the kernel as plain values;
* ``State`` and ``init(X) -> State`` — the rule's named state arrays, shape ``(d, B)`` or ``(B,)``;
* ``update(t, j, s, X, G, gn, hp, op, st, aeff, monitor) -> h`` — a numba function that moves
  column j of ``X`` given the gradient ``G[:, j]`` (norm ``gn``) at iteration ``t`` with schedule
  factor ``s`` (:math:`\sigma_t`, :mod:`theorysim.methods._schedule`), and returns the step size
  it reports.  With ``monitor`` it writes its effective per-coordinate steps :math:`a_{t,i}` into
  ``aeff[:, j]`` and leaves in ``G[:, j]`` the gradient they multiplied (Chen et al. 2019).
  Decorated with ``theorysim._jit.inner`` (compiled once and cached; LLVM inlines it into every
  loop that calls it; it must not allocate).

Two optional capabilities let a sweep's loop move many runs in one vectorised pass:

* ``step_size(t, j, s, gn, hp, op) -> h`` — the rule moves :math:`x_{t+1}=x_t-h_t g_t` with a
  scalar :math:`h_t` that depends on :math:`g_t` only through its norm;
* ``move_1d(t, j, s, g, gn, hp, op) -> delta`` (with ``step_size``) — for one coordinate the move
  itself, :math:`x_{t+1}=x_t-\Delta_t`, when the rule can write it more cheaply than
  :math:`h_t g_t` (clipped GD: no division).  ``update`` must move a 1-D run by exactly this
  :math:`\Delta_t`, so single runs and sweeps keep giving the same bits.

The engine composes rule, objective and oracle into one compiled loop per combination; it never
names a rule.  Hyperparameters are validated here, in Python, on arrays, so a sweep over a grid is
validated once before any kernel runs.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import _schedule


@dataclass(frozen=True, eq=False)
class Method:
    """A configured update rule.

    Attributes:
      name: preset name (``"clipped_gd"``, ``"adam"``...).
      rule: module of the update rule (``"theorysim.methods.clipped_gd"``).
      hyper: hyperparameters in the paper's symbols (floats, or 1-D arrays inside a sweep); the
        keys are fields of the rule's ``Hyper``.
      options: the rule's ``Options`` (switches common to every run), or ``()``.
      schedule: ``"constant"``, ``"inverse_sqrt"``, ``"inverse"`` or ``"array"``.
      schedule_values: :math:`\\sigma_t` when ``schedule == "array"``.
      source: paper, section and equation of the update.
    """

    name: str
    rule: str
    hyper: dict
    options: tuple = ()
    schedule: str = "constant"
    schedule_values: np.ndarray | None = None
    source: str = ""

    @property
    def module(self):
        """The update-rule module (``Hyper``, ``State``, ``init``, ``update``)."""
        return importlib.import_module(self.rule)

    def hyper_arrays(self, batch: int):
        """The rule's ``Hyper`` with one float64 array of length ``batch`` per field (fields the
        preset does not use are NaN)."""
        fields = self.module.Hyper._fields
        unknown = set(self.hyper) - set(fields)
        if unknown:  # pragma: no cover - builders only set fields of their rule
            raise ValueError(f"{self.name}: {sorted(unknown)} are not hyperparameters of {self.rule}")
        vals = []
        for f in fields:
            v = self.hyper.get(f, np.nan)
            # always a fresh writable array: numba types a read-only view differently, and a run's
            # Hyper would then compile the update rule apart from a sweep's
            vals.append(np.array(np.broadcast_to(np.asarray(v, dtype=np.float64), (batch,))))
        return self.module.Hyper(*vals)

    def schedule_args(self):
        """``(kind, values)`` of the schedule for the kernel."""
        if self.schedule == "array":
            return _schedule.encode(self.schedule_values)
        return _schedule.encode(self.schedule)[0], np.zeros(1)

    def __repr__(self) -> str:
        def fmt(v):
            v = np.asarray(v)
            return f"{float(v):g}" if v.ndim == 0 else f"array{v.shape}"

        hp = ", ".join(f"{k}={fmt(v)}" for k, v in self.hyper.items())
        return f"Method({self.name}: {hp}, schedule={self.schedule})"


class NoState(NamedTuple):
    """The state of a rule that keeps none (the GD family): ``State = NoState``."""


def no_state(X):
    """``init`` of a rule that keeps no state: ``init = no_state``."""
    return NoState()


def make(name, rule, hyper, schedule="constant", options=(), source=""):
    """Build a :class:`Method` (schedule validated here)."""
    kind, vals = _schedule.encode(schedule)
    sched = "array" if vals is not None else schedule
    return Method(name, rule, hyper, options, sched, vals, source)


# -- validation (vectorised: works on scalars and on grids) ---------------------------------
def _arr(name, value):
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if a.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D array, got shape {a.shape}")
    return a


def in_unit_interval(name, value, closed_right=False):
    """Validate ``0 <= value < 1`` (or ``<= 1``) elementwise."""
    a = _arr(name, value)
    hi_ok = (a <= 1) if closed_right else (a < 1)
    bad = ~(np.isfinite(a) & (a >= 0) & hi_ok)
    if np.any(bad):
        rng = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} must lie in {rng}, got {a[bad].ravel()[0] if a.ndim else a}")
    return float(a) if a.ndim == 0 else a


def positive(name, value):
    """Validate ``0 < value < inf`` (elementwise); return it as float or array."""
    a = _arr(name, value)
    bad = ~(np.isfinite(a) & (a > 0))
    if np.any(bad):
        raise ValueError(f"{name} must be finite and > 0, got {a[bad].ravel()[0] if a.ndim else a}")
    return float(a) if a.ndim == 0 else a


def nonnegative(name, value):
    """Validate ``0 <= value < inf`` (elementwise)."""
    a = _arr(name, value)
    bad = ~(np.isfinite(a) & (a >= 0))
    if np.any(bad):
        raise ValueError(f"{name} must be finite and >= 0, got {a[bad].ravel()[0] if a.ndim else a}")
    return float(a) if a.ndim == 0 else a


def boolean(name, value):
    """Validate a switch: a real ``True``/``False`` (or a numpy bool); strings such as
    ``"false"`` and numbers are refused, so a flag is never read the wrong way round."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
