r"""Clipped GD, :math:`h_k=\min\{\eta_c,\ \gamma\eta_c/\|\nabla f(x_k)\|\}` (Zhang, He, Sra,
Jadbabaie, ICLR 2020, Sec. 3.1, eq. (5)); a clipped step never moves farther than
:math:`\gamma\eta_c`."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import NoState, make, no_state, positive
from ._descent import descend


class Hyper(NamedTuple):
    eta: np.ndarray  #: :math:`\eta_c`
    gamma: np.ndarray  #: clipping threshold :math:`\gamma` on the gradient norm


State = NoState  # no state: a step needs only the current point and gradient
init = no_state


@inner
def step_size(t, j, s, gn, hp, op):
    r""":math:`\eta_t=\sigma_t\eta_c`, :math:`h_t=\min\{\eta_t,\gamma\eta_t/\|g\|\}`."""
    eta = s * hp.eta[j]
    return min(eta, hp.gamma[j] * eta / gn)


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`\eta_t=\sigma_t\eta_c`, :math:`h_t=\min\{\eta_t,\gamma\eta_t/\|g\|\}`."""
    return descend(X, G, j, step_size(t, j, s, gn, hp, op), aeff, monitor)


def clipped_gd(eta, gamma, schedule="constant"):
    r"""Clipped GD, :math:`h_k=\min\{\eta_c,\ \gamma\eta_c/\|\nabla f(x_k)\|\}` (Zhang et al. 2020, eq. (5)).

    Theorem 3 takes :math:`\eta_c=1/(10L_0)`, :math:`\gamma=\min\{1/\eta_c, 1/(10L_1\eta_c)\}`
    (see :func:`clipped_gd_theorem3`).

    Args:
      eta: :math:`\eta_c>0` (multiplied by the schedule).
      gamma: clipping threshold :math:`\gamma>0` on the gradient norm.
      schedule: as in :func:`theorysim.methods.gd`.
    """
    return make("clipped_gd", __name__,
                {"eta": positive("eta", eta), "gamma": positive("gamma", gamma)}, schedule,
                source="Zhang et al. 2020, Sec. 3.1, eq. (5): h = min(eta_c, gamma eta_c/||g||)")


def clipped_gd_theorem3(L0, L1):
    r"""Clipped GD with Theorem 3's parameters: :math:`\eta_c=\frac1{10L_0}`,
    :math:`\gamma=\min\{\frac1{\eta_c},\frac1{10L_1\eta_c}\}` (Zhang et al. 2020, Thm 3)."""
    L0 = positive("L0", L0)
    L1 = positive("L1", L1)
    eta = 1.0 / (10.0 * L0)
    return clipped_gd(eta, min(1.0 / eta, 1.0 / (10.0 * L1 * eta)))
