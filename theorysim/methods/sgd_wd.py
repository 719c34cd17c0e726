r"""SGD with weight decay, optionally with Li et al.'s clip at :math:`\sqrt{2\lambda/\eta}\,\|w\|`.

One rule, :math:`w_{t+1}=(1-\sigma_t\delta)\,w_t-\sigma_t\eta\,\kappa_t\,g_t` with
:math:`\kappa_t=\min\{1,\ \rho\|w_t\|/\|g_t\|\}` (:math:`\rho=\infty`: no clip), and three presets:

* :func:`sgd_wd` — the **L2 form**: SGD on :math:`L(w)+\frac\lambda2\|w\|^2`,
  :math:`w\leftarrow w-\eta(g+\lambda w)`, i.e. :math:`\delta=\eta\lambda`;
* :func:`sgd_wd_decoupled` — the **decoupled form** (Loshchilov & Hutter, "Decoupled weight decay
  regularization", ICLR 2019, SGDW): :math:`w\leftarrow(1-\lambda)w-\eta g`, i.e.
  :math:`\delta=\lambda`, independent of the step size (for a constant step the two forms
  coincide with :math:`\lambda_{\rm dec}=\eta\lambda_{L2}`; with a schedule both shrink by
  :math:`\sigma_t`);
* :func:`sgd_wd_clip` — the L2 form with the gradient clipped at :math:`\sqrt{2\lambda/\eta}\,\|w\|`
  (Li, Bhojanapalli, Zaheer, Reddi, Kumar 2022, arXiv 2202.00980, abstract: recipe step 3), i.e.
  :math:`\rho=\sqrt{2\lambda/\eta}`.  For a scale-invariant loss the equilibrium of the norm
  recursion has :math:`\|\nabla L\|/\|w\|=\sqrt{\lambda(2-\eta\lambda)/\eta}`, so the clip is
  that equilibrium to first order in :math:`\eta\lambda` (theorysim's algebra,
  :mod:`theorysim.theory.li2022`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import NoState, make, no_state, nonnegative, positive


class Hyper(NamedTuple):
    eta: np.ndarray  #: step size :math:`\eta`
    decay: np.ndarray  #: per-step shrink :math:`\delta` (:math:`\eta\lambda` or :math:`\lambda`)
    rho: np.ndarray  #: clip ratio :math:`\rho` (:math:`\|g\|\le\rho\|w\|`); inf: no clip


State = NoState  # no state: a step needs only the current point and gradient
init = no_state


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`w\leftarrow(1-\sigma\delta)w-\sigma\eta\min\{1,\rho\|w\|/\|g\|\}g`; reports the
    gradient's step :math:`\sigma\eta\kappa`."""
    d = X.shape[0]
    kappa = 1.0
    rho = hp.rho[j]
    if rho < np.inf:
        n2 = 0.0
        for i in range(d):
            n2 += X[i, j] * X[i, j]
        cap = rho * np.sqrt(n2)
        if gn > cap:
            kappa = cap / gn
    h = s * hp.eta[j] * kappa
    shrink = 1.0 - s * hp.decay[j]
    for i in range(d):
        X[i, j] = shrink * X[i, j] - h * G[i, j]
        if monitor:
            aeff[i, j] = h
    return h


def sgd_wd(eta, lam, schedule="constant"):
    r"""SGD with L2 weight decay, :math:`w\leftarrow w-\eta(g+\lambda w)` (module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      lam: weight decay :math:`\lambda\ge0` (the coefficient of :math:`\frac\lambda2\|w\|^2`).
      schedule: as in :func:`theorysim.methods.gd` (multiplies :math:`\eta`).
    """
    eta, lam = positive("eta", eta), nonnegative("lam", lam)
    return make("sgd_wd", __name__, {"eta": eta, "decay": np.multiply(eta, lam), "rho": np.inf},
                schedule, source="SGD on L + (lambda/2)||w||^2 (L2 weight decay)")


def sgd_wd_decoupled(eta, lam, schedule="constant"):
    r"""SGD with decoupled weight decay, :math:`w\leftarrow(1-\lambda)w-\eta g` (Loshchilov &
    Hutter 2019, SGDW; module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      lam: decay per step :math:`0\le\lambda<1`, not multiplied by :math:`\eta`.
      schedule: as in :func:`theorysim.methods.gd` (multiplies both :math:`\eta` and :math:`\lambda`).
    """
    eta, lam = positive("eta", eta), nonnegative("lam", lam)
    if np.any(np.asarray(lam) >= 1):
        raise ValueError(f"lam must be < 1 for the decoupled form (w <- (1 - lam) w), got {lam}")
    return make("sgd_wd_decoupled", __name__, {"eta": eta, "decay": lam, "rho": np.inf}, schedule,
                source="Loshchilov & Hutter 2019 (SGDW): decoupled weight decay")


def sgd_wd_clip(eta, lam, schedule="constant"):
    r"""SGD + L2 weight decay + gradient clip at :math:`\sqrt{2\lambda/\eta}\,\|w\|` (Li et al.
    2022, abstract, recipe step 3; module docstring).

    Args:
      eta: step size :math:`\eta>0`.
      lam: weight decay :math:`\lambda>0` (sets the clip level too).
      schedule: as in :func:`theorysim.methods.gd`.
    """
    eta, lam = positive("eta", eta), positive("lam", lam)
    return make("sgd_wd_clip", __name__, {"eta": eta, "decay": np.multiply(eta, lam),
                                          "rho": np.sqrt(np.divide(2.0 * np.asarray(lam), eta))},
                schedule, source="Li et al. 2022 (SIBERT recipe): SGD + WD + clip at "
                                 "sqrt(2 lambda/eta)||w||")
