r"""Polyak's heavy ball: :math:`x_{t+1}=x_t-\eta_t\nabla f(x_t)+\mu\,(x_t-x_{t-1})`, :math:`x_{-1}=x_0`
(B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Comput.
Math. Math. Phys. 4(5), 1964, eq. (9)).

Written with the velocity :math:`v_t=x_{t+1}-x_t`: :math:`v_t=\mu v_{t-1}-\eta_tg_t`,
:math:`x_{t+1}=x_t+v_t`, :math:`v_{-1}=0`.  On a quadratic with curvature h it is a linear
recursion, stable iff :math:`0\le\mu<1` and :math:`0<\eta h<2(1+\mu)`.
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
    v: np.ndarray  #: velocity :math:`x_t-x_{t-1}`, (d, B)


def init(X):
    return State(np.zeros_like(X))


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`v\leftarrow\mu v-\sigma_t\eta g`, :math:`x\leftarrow x+v`; reports :math:`\eta_t`."""
    eta = s * hp.eta[j]
    mu = hp.mu[j]
    V = st.v
    for i in range(X.shape[0]):
        v = mu * V[i, j] - eta * G[i, j]
        V[i, j] = v
        X[i, j] += v
        if monitor:
            aeff[i, j] = eta
    return eta


def heavy_ball(eta, mu=0.9, schedule="constant"):
    r"""Polyak's heavy ball (module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      mu: momentum :math:`\mu\in[0,1)`.
      schedule: as in :func:`theorysim.methods.gd`.
    """
    return make("heavy_ball", __name__, {"eta": positive("eta", eta), "mu": in_unit_interval("mu", mu)},
                schedule, source="Polyak 1964, eq. (9): heavy-ball method")
