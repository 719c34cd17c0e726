r"""Step-size schedules :math:`\sigma_t` shared by every method: :math:`\eta_t=\eta\,\sigma_t`.

``"constant"`` (:math:`\sigma_t=1`), ``"inverse_sqrt"`` (:math:`1/\sqrt{t+1}`), ``"inverse"``
(:math:`1/(t+1)`), or an array of user values (:math:`\sigma_t` = ``values[t]``); t counts from 0.
The engine evaluates :math:`\sigma_t` once per iteration and hands it to the method's ``update``.
"""
import numpy as np

from .._jit import inner

_CONSTANT, _INV_SQRT, _INV, _ARRAY = 0, 1, 2, 3
NAMES = {"constant": _CONSTANT, "inverse_sqrt": _INV_SQRT, "inverse": _INV}


@inner
def sigma(kind, t, values):
    r""":math:`\sigma_t` of schedule ``kind`` (t counts from 0)."""
    if kind == _INV_SQRT:
        return 1.0 / np.sqrt(t + 1.0)
    if kind == _INV:
        return 1.0 / (t + 1.0)
    if kind == _ARRAY:
        return values[t]
    return 1.0


def encode(schedule):
    """``(kind, values)`` for the kernel from a schedule name or an array (validated)."""
    if isinstance(schedule, str):
        if schedule not in NAMES:
            raise ValueError(f"unknown schedule {schedule!r}; choose from "
                             f"{', '.join(NAMES)} or pass an array of positive values")
        return NAMES[schedule], None
    try:
        vals = np.asarray(schedule, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"schedule must be one of {', '.join(NAMES)} or an array of positive "
                         f"values, got {schedule!r}") from None
    if vals.ndim != 1 or vals.size == 0 or not np.all(np.isfinite(vals) & (vals > 0)):
        raise ValueError("a schedule array must be a non-empty 1-D array of finite values > 0")
    return _ARRAY, vals
