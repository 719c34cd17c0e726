r"""Sharpness-aware minimization (Foret et al. 2021), written as two engine iterations per SAM step.

A SAM step needs the gradient at a second point, :math:`x+\epsilon`; an update rule sees only the
gradient at the current point, so the rule alternates (theorysim's construction):

* even iteration t (ascent): save :math:`x`, move to :math:`x+\epsilon` with
  :math:`\epsilon=\rho\,g/\|g\|` (**normalized** SAM, Foret et al. 2021, eq. (2)) or
  :math:`\epsilon=\rho\,g` (**unnormalized**, the ascent step of Andriushchenko & Flammarion 2022's
  code for diagonal linear nets ("n-SAM" with the full batch));
* odd iteration t+1 (descent): with :math:`g'=\nabla f(x+\epsilon)`, set
  :math:`x\leftarrow x_{\rm saved}-\sigma\eta\,g'`.

So ``steps`` engine iterations are ``steps // 2`` SAM steps; the records at even iterations are
the SAM iterates, those at odd iterations are the perturbed points (``Trajectory.x[::2]`` are the
iterates).  A zero gradient gives no ascent.  Reported step: 0 at an ascent, :math:`\sigma\eta` at
a descent.  (Issue 9 adds unnormalized SAM as ``methods/sam.py``; this module is the one of the
SAM testbed, ``theorysim.theory.andriushchenko2022``.)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import jit
from ._base import boolean, make, nonnegative, positive


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`
    rho: np.ndarray  #: ascent radius :math:`\rho`
    normalized: np.ndarray  #: 1.0: :math:`\epsilon=\rho g/\|g\|`; 0.0: :math:`\epsilon=\rho g`


class State(NamedTuple):
    xs: np.ndarray  #: the saved iterate, (d, B)


def init(X):
    return State(np.zeros_like(X))


@jit(inline="always")
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r"""Even t: save x, :math:`x\leftarrow x+\epsilon`; odd t: :math:`x\leftarrow x_{\rm saved}-\sigma\eta g`."""
    d = X.shape[0]
    XS = st.xs
    if t % 2 == 0:
        c = hp.rho[j]
        if hp.normalized[j] > 0.0:
            c = c / gn if gn > 0.0 else 0.0
        for i in range(d):
            XS[i, j] = X[i, j]
            X[i, j] += c * G[i, j]
            if monitor:
                aeff[i, j] = 0.0
        return 0.0
    h = s * hp.eta[j]
    for i in range(d):
        X[i, j] = XS[i, j] - h * G[i, j]
        if monitor:
            aeff[i, j] = h
    return h


def sam_normalized(eta, rho, normalized=True, schedule="constant"):
    r"""SAM in two engine iterations per step (module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      rho: ascent radius :math:`\rho\ge0` (0: GD at half speed).
      normalized: ``True``: :math:`\epsilon=\rho g/\|g\|` (Foret et al. 2021); ``False``:
        :math:`\epsilon=\rho g` (Andriushchenko & Flammarion 2022's n-SAM ascent).
      schedule: as in :func:`theorysim.methods.gd` (applied at descent iterations).
    """
    flag = 1.0 if boolean("normalized", normalized) else 0.0
    return make("sam_normalized" if flag else "sam_unnormalized", __name__,
                {"eta": positive("eta", eta), "rho": nonnegative("rho", rho), "normalized": flag},
                schedule, source="Foret et al. 2021 eq. (2) (normalized) / Andriushchenko & Flammarion "
                                 "2022 code (unnormalized); two engine iterations per SAM step")
