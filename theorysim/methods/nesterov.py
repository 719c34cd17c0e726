r"""Nesterov's accelerated gradient with constant momentum:
:math:`x_{t+1}=y_t-\eta_t\nabla f(y_t)`, :math:`y_{t+1}=x_{t+1}+\mu\,(x_{t+1}-x_t)`, :math:`y_0=x_0`
(Y. Nesterov, "Introductory Lectures on Convex Optimization", 2004, scheme (2.2.22) with constant
:math:`\mu=(1-\sqrt{\kappa^{-1}})/(1+\sqrt{\kappa^{-1}})` for strongly convex f).

The engine's iterate is :math:`y_t`, the point where the gradient is taken; the state keeps
:math:`x_t`.  Recorded losses and gradient norms are those at :math:`y_t`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import in_unit_interval, make, positive


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`
    mu: np.ndarray  #: momentum :math:`\mu`


class State(NamedTuple):
    x: np.ndarray  #: the sequence :math:`x_t` (the engine moves :math:`y_t`), (d, B)


def init(X):
    return State(X.copy())


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`x^+=y-\sigma_t\eta g`, :math:`y\leftarrow x^++\mu(x^+-x)`; reports :math:`\eta_t`."""
    eta = s * hp.eta[j]
    mu = hp.mu[j]
    XP = st.x
    for i in range(X.shape[0]):
        xn = X[i, j] - eta * G[i, j]
        X[i, j] = xn + mu * (xn - XP[i, j])
        XP[i, j] = xn
        if monitor:
            aeff[i, j] = eta
    return eta


def nesterov(eta, mu=0.9, schedule="constant"):
    r"""Nesterov's accelerated gradient with constant momentum (module docstring).

    Args:
      eta: step size :math:`\eta>0` (:math:`1/L` in the analysis).
      mu: momentum :math:`\mu\in[0,1)`.
      schedule: as in :func:`theorysim.methods.gd`.
    """
    return make("nesterov", __name__, {"eta": positive("eta", eta), "mu": in_unit_interval("mu", mu)},
                schedule, source="Nesterov 2004, scheme (2.2.22), constant momentum")
