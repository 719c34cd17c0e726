r"""Sharpness-aware minimization, one rule for both ascent steps, two engine iterations per SAM step.

A SAM step (Foret, Kleinman, Mobahi, Neyshabur, ICLR 2021, eq. (2) and Alg. 1) is

.. math:: x_{k+1}=x_k-\eta\,\nabla f(x_k+\epsilon_k),\qquad
   \epsilon_k=\rho\,\frac{\nabla f(x_k)}{\|\nabla f(x_k)\|}\ \text{(normalized)}\quad\text{or}\quad
   \epsilon_k=\rho\,\nabla f(x_k)\ \text{(unnormalized)}.

The normalized ascent is Foret et al.'s; the *unnormalized* one is the ascent of the full-batch
"n-SAM" in the code of Andriushchenko & Flammarion (ICML 2022, tml-epfl/understanding-sam,
``diagonal_linear_nets/diag_nets.py``).  Which one runs is the switch ``Options.normalized``
(common to every run of a sweep), not a hyperparameter.

**Two engine iterations per SAM step.**  An update rule sees one gradient per iteration and cannot
call the objective, so the rule alternates: at even engine iterations :math:`t=2k` the engine's
iterate is :math:`x_k`; the rule stores it in ``State.x`` and moves to the ascent point
:math:`x_k+\epsilon_k`; at odd iterations :math:`t=2k+1` the engine evaluates :math:`\nabla f`
there and the rule sets the iterate to :math:`x_{k+1}=x_k-\sigma_t\eta\nabla f(x_k+\epsilon_k)`.
So ``run(..., steps=2K)`` makes K SAM steps; the recorded rows at even iterations are
:math:`f(x_k)`, :math:`\|\nabla f(x_k)\|` (``Trajectory.x[::2]`` are the SAM iterates), odd rows
hold the values at the ascent points.  The reported step size is 0 at ascent iterations and
:math:`\sigma_t\eta` at descent iterations.  A zero gradient gives no ascent in the normalized
form (:math:`\epsilon=0`).

On :math:`f=\tfrac12x^\top Hx` an unnormalized SAM step is linear,
:math:`x_{k+1}=(I-\eta H-\eta\rho H^2)x_k`, stable iff :math:`\eta(h+\rho h^2)<2` for every
eigenvalue h (statements ``thresholds.quadratic``, ``andriushchenko2022.usam_stability``); the
normalized form ends in a 2-cycle along the top eigenvector (``andriushchenko2022.nsam_two_cycle``).

Per-example ascent (1-SAM) needs one gradient per example at its own ascent point, which no update
rule sees; theorysim builds it on the objective side (``objectives.diagonal_net_1sam``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import boolean, make, nonnegative, positive


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`
    rho: np.ndarray  #: ascent radius :math:`\rho`


class Options(NamedTuple):
    normalized: bool  #: ``True``: :math:`\epsilon=\rho g/\|g\|`; ``False``: :math:`\epsilon=\rho g`


class State(NamedTuple):
    x: np.ndarray  #: the SAM iterate :math:`x_k` while the engine sits at the ascent point, (d, B)


def init(X):
    return State(X.copy())


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r"""Even t: store :math:`x_k`, move to :math:`x_k+\epsilon`; odd t:
    :math:`x\leftarrow x_k-\sigma_t\eta g`."""
    XK = st.x
    if t % 2 == 0:
        c = hp.rho[j]
        if op.normalized:
            c = c / gn if gn > 0.0 else 0.0
        for i in range(X.shape[0]):
            XK[i, j] = X[i, j]
            X[i, j] += c * G[i, j]
            if monitor:
                aeff[i, j] = 0.0
        return 0.0
    eta = s * hp.eta[j]
    for i in range(X.shape[0]):
        X[i, j] = XK[i, j] - eta * G[i, j]
        if monitor:
            aeff[i, j] = eta
    return eta


_SOURCES = {False: "Andriushchenko & Flammarion 2022 (authors' code, n-SAM): unnormalized SAM, ascent "
                   "rho * grad f; two engine iterations per SAM step",
            True: "Foret et al. 2021 eq. (2): normalized SAM, ascent rho * grad f/||grad f||; two engine "
                  "iterations per SAM step"}


def sam(eta, rho=0.05, schedule="constant", *, normalized=False):
    r"""SAM, :math:`x_{k+1}=x_k-\eta\nabla f(x_k+\epsilon_k)`, two engine iterations per SAM step
    (module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      rho: ascent radius :math:`\rho\ge0` (:math:`\rho=0` is GD at half speed in iterations).
      schedule: as in :func:`theorysim.methods.gd`, indexed by engine iteration (it scales the
        descent iterations).
      normalized: ``False`` (default): :math:`\epsilon=\rho\nabla f` (unnormalized, the n-SAM of
        Andriushchenko & Flammarion 2022's code); ``True``: :math:`\epsilon=\rho\nabla f/\|\nabla f\|`
        (Foret et al. 2021).
    """
    flag = boolean("normalized", normalized)
    return make("sam_normalized" if flag else "sam", __name__,
                {"eta": positive("eta", eta), "rho": nonnegative("rho", rho)}, schedule,
                Options(normalized=flag), source=_SOURCES[flag])


def sam_normalized(eta, rho, normalized=True, schedule="constant"):
    r"""Preset of :func:`sam` with the normalized ascent by default (Foret et al. 2021, eq. (2)):
    :math:`\epsilon=\rho\nabla f/\|\nabla f\|`; ``normalized=False`` gives the unnormalized ascent
    under the name ``"sam_unnormalized"`` (the same iterates as ``sam(eta, rho)``).

    Args:
      eta: step size :math:`\eta>0`.
      rho: ascent radius :math:`\rho\ge0` (0: GD at half speed).
      normalized: ``True``: :math:`\epsilon=\rho g/\|g\|`; ``False``: :math:`\epsilon=\rho g`.
      schedule: as in :func:`theorysim.methods.gd` (applied at descent iterations).
    """
    flag = boolean("normalized", normalized)
    m = sam(eta, rho, schedule, normalized=flag)
    return make("sam_normalized" if flag else "sam_unnormalized", __name__, m.hyper, schedule,
                m.options, m.source)
