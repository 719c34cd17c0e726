r"""Sharpness-aware minimization, unnormalized ascent ("n-SAM" with the full gradient):
:math:`x_{k+1}=x_k-\eta_k\nabla f\big(x_k+\rho\nabla f(x_k)\big)`.

Foret, Kleinman, Mobahi, Neyshabur (ICLR 2021) normalize the ascent step,
:math:`\rho\nabla f/\|\nabla f\|`; the *unnormalized* variant used here is the one the authors'
code of Andriushchenko & Flammarion (ICML 2022, tml-epfl/understanding-sam, full-batch "n-SAM")
runs: the ascent step is :math:`\rho\nabla f(x_k)` itself.

**Two engine iterations per SAM step.**  An update rule cannot call the objective, so the rule
alternates: at even engine iterations :math:`t=2k` the engine's iterate is :math:`x_k`; the rule
stores it and moves to the ascent point :math:`x_k+\rho g_k`; at odd iterations :math:`t=2k+1`
the engine evaluates :math:`\nabla f` there and the rule sets the iterate to
:math:`x_{k+1}=x_k-\eta\nabla f(x_k+\rho g_k)`.  So ``run(..., steps=2K)`` makes K SAM steps, and
the recorded rows at even iterations are :math:`f(x_k)`, :math:`\|\nabla f(x_k)\|`; odd rows hold
the values at the ascent points.  The reported step size is 0 at ascent iterations and
:math:`\eta` at descent iterations.

On :math:`f=\tfrac12x^\top Hx` one SAM step is linear, :math:`x_{k+1}=(I-\eta H-\eta\rho H^2)x_k`,
so it is stable iff :math:`\eta(h+\rho h^2)<2` for every eigenvalue h (statement
``thresholds.quadratic``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import jit
from ._base import make, nonnegative, positive


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`
    rho: np.ndarray  #: ascent radius :math:`\rho` (unnormalized: the ascent step is :math:`\rho g`)


class State(NamedTuple):
    x: np.ndarray  #: the SAM iterate :math:`x_k` while the engine sits at the ascent point, (d, B)


def init(X):
    return State(X.copy())


@jit(inline="always")
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r"""Even t: store :math:`x_k`, move to :math:`x_k+\rho g`; odd t: :math:`x\leftarrow x_k-\sigma_t\eta g`."""
    XK = st.x
    if t % 2 == 0:
        rho = hp.rho[j]
        for i in range(X.shape[0]):
            XK[i, j] = X[i, j]
            X[i, j] += rho * G[i, j]
            if monitor:
                aeff[i, j] = 0.0
        return 0.0
    eta = s * hp.eta[j]
    for i in range(X.shape[0]):
        X[i, j] = XK[i, j] - eta * G[i, j]
        if monitor:
            aeff[i, j] = eta
    return eta


def sam(eta, rho=0.05, schedule="constant"):
    r"""Unnormalized SAM, :math:`x_{k+1}=x_k-\eta\nabla f(x_k+\rho\nabla f(x_k))`; two engine
    iterations per SAM step (module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      rho: ascent radius :math:`\rho\ge0` (:math:`\rho=0` is GD at half speed in iterations).
      schedule: as in :func:`theorysim.methods.gd`, indexed by engine iteration.
    """
    return make("sam", __name__, {"eta": positive("eta", eta), "rho": nonnegative("rho", rho)},
                schedule, source="Andriushchenko & Flammarion 2022 (authors' code, n-SAM): "
                                 "unnormalized SAM, ascent rho * grad f")
