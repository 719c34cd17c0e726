r"""Gradient descent, :math:`x_{k+1}=x_k-h_k\nabla f(x_k)` with :math:`h_k=\eta\,\sigma_k`
(Zhang, He, Sra, Jadbabaie, ICLR 2020, Sec. 3.1, eq. (4))."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import NoState, make, no_state, positive
from ._descent import descend


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`


State = NoState  # no state: a step needs only the current point and gradient
init = no_state


@inner
def step_size(t, j, s, gn, hp, op):
    r""":math:`h_t=\sigma_t\eta` (the engine's vectorised sweep path uses this directly)."""
    return s * hp.eta[j]


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`h_t=\sigma_t\eta`, :math:`x\leftarrow x-h_tg`."""
    return descend(X, G, j, step_size(t, j, s, gn, hp, op), aeff, monitor)


def gd(eta, schedule="constant"):
    r"""Gradient descent, :math:`h_k=\eta\,\sigma_k`.

    Args:
      eta: step size :math:`\eta>0` (Zhang et al. 2020 write :math:`h`; Theorem 6 takes
        :math:`h=1/(2(ML_1+L_0))`).
      schedule: ``"constant"`` (:math:`\sigma_k=1`), ``"inverse_sqrt"``
        (:math:`1/\sqrt{k+1}`), ``"inverse"`` (:math:`1/(k+1)`) or an array of :math:`\sigma_k`.
    """
    return make("gd", __name__, {"eta": positive("eta", eta)}, schedule,
                source="Zhang et al. 2020, Sec. 3.1, eq. (4): fixed-step GD")


def gd_theorem6(L0, L1, M):
    r"""GD with Theorem 6's step :math:`h=\frac{1}{2(ML_1+L_0)}` (Zhang et al. 2020, Thm 6)."""
    L0, L1, M = positive("L0", L0), positive("L1", L1), positive("M", M)
    return gd(1.0 / (2.0 * (M * L1 + L0)))
