r"""Clipping with an offset, :math:`h_k=\min\{\eta,\ \gamma/(\|g_k\|+\delta)\}`: our reading of
the step rule of Zhang, He, Sra, Jadbabaie (ICLR 2020), Thm 7 (stochastic clipped GD), with
:math:`\gamma=1/(16L_1)`, :math:`\delta=\tau`.  The copies we read print
:math:`\gamma=1/(16\eta L_1)`, with :math:`\eta=\min\{\dots,1/\sqrt T\}` in the denominator.  Taken
literally, that rule makes clipped steps of length about :math:`\sqrt T/(16L_1)`: on ``cosh`` with
:math:`T=10^6` from :math:`x_0=12` it jumps by 62.5 and falls into the 2-cycle
:math:`12\leftrightarrow-50.5`, while our reading converges (measured:
:func:`theorysim.theory.zhang2020.literal_thm7_rule`).  :math:`g_k` is the stochastic gradient."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import NoState, make, no_state, nonnegative, positive
from ._descent import descend


class Hyper(NamedTuple):
    eta: np.ndarray  #: :math:`\eta`
    gamma: np.ndarray  #: :math:`\gamma`
    delta: np.ndarray  #: offset :math:`\delta` (the noise bound :math:`\tau` in Thm 7)


State = NoState  # no state: a step needs only the current point and gradient
init = no_state


@inner
def step_size(t, j, s, gn, hp, op):
    r""":math:`h_t=\min\{\sigma_t\eta,\ \gamma/(\|g_t\|+\delta)\}`."""
    return min(s * hp.eta[j], hp.gamma[j] / (gn + hp.delta[j]))


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`h_t=\min\{\sigma_t\eta,\ \gamma/(\|g_t\|+\delta)\}`."""
    return descend(X, G, j, step_size(t, j, s, gn, hp, op), aeff, monitor)


def clipped_gd_offset(eta, gamma, delta, schedule="constant"):
    r"""Offset clipping :math:`h_k=\min\{\eta,\ \gamma/(\|g_k\|+\delta)\}` (module docstring).

    Args:
      eta: :math:`\eta>0`.
      gamma: :math:`\gamma>0`.
      delta: offset :math:`\delta\ge0` (the noise bound :math:`\tau` in Thm 7).
      schedule: as in :func:`theorysim.methods.gd`.
    """
    return make("clipped_gd_offset", __name__,
                {"eta": positive("eta", eta), "gamma": positive("gamma", gamma),
                 "delta": nonnegative("delta", delta)}, schedule,
                source="Zhang et al. 2020, Thm 7 step rule (our reading)")
