r"""The :class:`Method` record: which step rule, which schedule, which hyperparameters.

A method is data, not code: one compiled engine loop reads these integers and rows.  The update
taken at iteration :math:`t = 0, 1, \dots` (gradient :math:`g_t=\nabla f(x_t)`) is

.. math::
   \eta_t = \alpha\,\sigma_t,\qquad x_{t+1}=x_t-h_t\,P_t(g_t),

where :math:`\sigma_t` is the schedule (1, :math:`1/\sqrt{t+1}`, :math:`1/(t+1)` or user values),
:math:`h_t` the scalar step rule applied to :math:`\eta_t`

* ``NONE``:       :math:`h_t=\eta_t` (GD);
* ``CLIP``:       :math:`h_t=\min\{\eta_t,\ \gamma\eta_t/\|g_t\|\}` (Zhang et al. 2020, Sec. 3.1);
* ``NORMALIZE``:  :math:`h_t=\eta_t/(\|g_t\|+\beta)` (Zhang et al. 2020, Sec. 3.1),
* ``CLIP_OFFSET``: :math:`h_t=\min\{\eta_t,\ \gamma/(\|g_t\|+\delta)\}` (Zhang et al. 2020,
  Thm 7 as we read it: :math:`\gamma=1/(16L_1)`, :math:`\delta=\tau`),

and :math:`P_t` the preconditioner (identity for the GD family; the Adam-type family of
Chen et al. 2019 plugs in here).  Hyperparameters are validated in Python, on arrays, so a sweep
over a grid is validated once before any kernel runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# scalar step rules
NONE, CLIP, NORMALIZE, CLIP_OFFSET = 0, 1, 2, 3
# schedules sigma_t
CONSTANT, INV_SQRT, INV, ARRAY = 0, 1, 2, 3
SCHEDULES = {"constant": CONSTANT, "inverse_sqrt": INV_SQRT, "inverse": INV}
# preconditioners
IDENTITY, ADAM_TYPE = 0, 1
# second-moment rules v_t = h_t(g_1..g_t) of the Adam-type family (Chen et al. 2019, Alg. 1)
V_ONE, V_EMA, V_MEAN, V_EMA_MOMENTUM = 0, 1, 2, 3
V_RULES = {"one": V_ONE, "ema": V_EMA, "mean": V_MEAN, "ema_momentum": V_EMA_MOMENTUM}
# beta_{1,t} sequences
B1_CONSTANT, B1_GEOMETRIC = 0, 1

# rows of the hyperparameter table handed to the kernel (shape (N_ROWS, B))
ALPHA, GAMMA, BETA, BETA1, BETA2, EPS, LAMBDA, CLIP_DELTA = 0, 1, 2, 3, 4, 5, 6, 7
N_ROWS = 10
# entries of the integer flag vector
(F_RULE, F_SCHEDULE, F_PRECOND, F_VRULE, F_AMSGRAD, F_BIAS_M, F_BIAS_V, F_EPS_INSIDE, F_SIGN,
 F_AMS_AFTER_BIAS, F_BETA1_SCHEDULE) = range(11)
# entries set by the engine, not by the method
F_MONITOR, F_NOISE, F_BOX = 12, 13, 14
N_FLAGS = 16


@dataclass(frozen=True, eq=False)
class Method:
    """A configured update rule (see the module docstring for the math).

    Attributes:
      name: preset name (``"clipped_gd"``...).
      rule, schedule, precond: integer codes read by the kernel.
      hyper: hyperparameters in the paper's symbols (floats, or arrays inside a sweep).
      rows: which kernel row each hyperparameter fills.
      schedule_values: :math:`\\sigma_t` for ``schedule == ARRAY``.
      source: paper, section and equation of the update.
    """

    name: str
    rule: int
    schedule: int
    precond: int
    hyper: dict
    rows: dict
    schedule_values: np.ndarray | None = None
    source: str = ""
    extra_flags: dict = field(default_factory=dict)

    def flags(self) -> np.ndarray:
        f = np.zeros(N_FLAGS, dtype=np.int64)
        f[F_RULE], f[F_SCHEDULE], f[F_PRECOND] = self.rule, self.schedule, self.precond
        for k, v in self.extra_flags.items():
            f[k] = v
        return f

    def table(self, batch: int) -> np.ndarray:
        """Hyperparameter table of shape ``(N_ROWS, batch)`` (unused rows are NaN)."""
        hp = np.full((N_ROWS, batch), np.nan)
        for key, row in self.rows.items():
            hp[row] = np.broadcast_to(np.asarray(self.hyper[key], dtype=np.float64), (batch,))
        return hp

    def __repr__(self) -> str:
        def fmt(v):
            v = np.asarray(v)
            return f"{float(v):g}" if v.ndim == 0 else f"array{v.shape}"

        hp = ", ".join(f"{k}={fmt(v)}" for k, v in self.hyper.items())
        sched = {v: k for k, v in SCHEDULES.items()}.get(self.schedule, "array")
        return f"Method({self.name}: {hp}, schedule={sched})"


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


def schedule_code(schedule):
    """Return ``(code, values)`` for a schedule name or an array of positive values."""
    if isinstance(schedule, str):
        if schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {schedule!r}; choose from "
                             f"{', '.join(SCHEDULES)} or pass an array of positive values")
        return SCHEDULES[schedule], None
    try:
        vals = np.asarray(schedule, dtype=np.float64)
    except (TypeError, ValueError):
        vals = np.zeros(0)  # refused just below, with the same message
    if vals.ndim != 1 or vals.size == 0 or not np.all(np.isfinite(vals) & (vals > 0)):
        raise ValueError("a schedule array must be a non-empty 1-D array of finite values > 0")
    return ARRAY, vals
