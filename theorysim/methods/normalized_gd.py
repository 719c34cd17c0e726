r"""Normalized GD, :math:`h_k=\eta_n/(\|\nabla f(x_k)\|+\beta)` (Zhang, He, Sra, Jadbabaie, ICLR
2020, Sec. 3.1; the equation number (6) is a secondary source's)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import NoState, make, no_state, nonnegative, positive
from ._descent import descend


class Hyper(NamedTuple):
    eta: np.ndarray  #: :math:`\eta_n`
    beta: np.ndarray  #: offset :math:`\beta` in the denominator


State = NoState  # no state: a step needs only the current point and gradient
init = no_state


@inner
def step_size(t, j, s, gn, hp, op):
    r""":math:`h_t=\sigma_t\eta_n/(\|g\|+\beta)`; a zero denominator gives a zero step."""
    den = gn + hp.beta[j]
    eta = s * hp.eta[j]
    return eta / den if den > 0.0 else 0.0


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r""":math:`h_t=\sigma_t\eta_n/(\|g\|+\beta)`; a zero denominator gives a zero step."""
    return descend(X, G, j, step_size(t, j, s, gn, hp, op), aeff, monitor)


def normalized_gd(eta, beta, schedule="constant"):
    r"""Normalized GD, :math:`h_k=\eta_n/(\|\nabla f(x_k)\|+\beta)` (Zhang et al. 2020, Sec. 3.1).

    With :math:`\gamma\eta_c=\eta_n` and :math:`\eta_c=\eta_n/\beta` the step satisfies
    :math:`\tfrac12h_c\le h_n\le h_c` (our algebra, proved in ``zhang2020.ngd``).  The paper
    (Sec. 3.1) says clipped GD is equivalent to NGD "up to a constant factor in the step size
    choice"; its display is unconfirmed, and the factor 2 (:math:`\tfrac12h_c\le h_n\le2h_c`)
    comes from a secondary source.
    ``beta = 0`` is pure normalization :math:`\eta g/\|g\|` (a zero gradient gives a zero step).

    Args:
      eta: :math:`\eta_n>0`.
      beta: :math:`\beta\ge0`.
      schedule: as in :func:`theorysim.methods.gd`.
    """
    return make("normalized_gd", __name__,
                {"eta": positive("eta", eta), "beta": nonnegative("beta", beta)}, schedule,
                source="Zhang et al. 2020, Sec. 3.1: h = eta_n/(||g|| + beta)")


def normalized_gd_theorem3(L0, L1):
    r"""Normalized GD matched to Theorem 3 via :math:`\eta_n=\gamma\eta_c`, :math:`\beta=\gamma`
    (Zhang et al. 2020, Sec. 3.1 equivalence)."""
    from .clipped_gd import clipped_gd_theorem3

    c = clipped_gd_theorem3(L0, L1)
    eta, gamma = c.hyper["eta"], c.hyper["gamma"]
    return normalized_gd(gamma * eta, gamma)
