r"""GD, clipped GD and normalized GD (Zhang, He, Sra, Jadbabaie, ICLR 2020, Sec. 3.1).

All three take :math:`x_{k+1}=x_k-h_k\nabla f(x_k)` and differ in the scalar :math:`h_k`.
"""
from __future__ import annotations

from ._base import (
    ALPHA,
    BETA,
    CLIP,
    CLIP_DELTA,
    CLIP_OFFSET,
    GAMMA,
    IDENTITY,
    NONE,
    NORMALIZE,
    Method,
    nonnegative,
    positive,
    schedule_code,
)


def gd(eta, schedule="constant"):
    r"""Gradient descent, :math:`h_k=\eta\,\sigma_k`.

    Args:
      eta: step size :math:`\eta>0` (Zhang et al. 2020 write :math:`h`; Theorem 6 takes
        :math:`h=1/(2(ML_1+L_0))`).
      schedule: ``"constant"`` (:math:`\sigma_k=1`), ``"inverse_sqrt"``
        (:math:`1/\sqrt{k+1}`), ``"inverse"`` (:math:`1/(k+1)`) or an array of :math:`\sigma_k`.
    """
    code, vals = schedule_code(schedule)
    return Method("gd", NONE, code, IDENTITY, {"eta": positive("eta", eta)}, {"eta": ALPHA},
                  vals, source="Zhang et al. 2020, Sec. 3.1, eq. (4): fixed-step GD")


def clipped_gd(eta, gamma, schedule="constant"):
    r"""Clipped GD, :math:`h_k=\min\{\eta_c,\ \gamma\eta_c/\|\nabla f(x_k)\|\}` (Zhang et al. 2020, eq. (5)).

    Theorem 3 takes :math:`\eta_c=1/(10L_0)`, :math:`\gamma=\min\{1/\eta_c, 1/(10L_1\eta_c)\}`
    (see :func:`clipped_gd_theorem3`); a clipped step never moves farther than :math:`\gamma\eta_c`.

    Args:
      eta: :math:`\eta_c>0` (multiplied by the schedule).
      gamma: clipping threshold :math:`\gamma>0` on the gradient norm.
    """
    code, vals = schedule_code(schedule)
    return Method("clipped_gd", CLIP, code, IDENTITY,
                  {"eta": positive("eta", eta), "gamma": positive("gamma", gamma)},
                  {"eta": ALPHA, "gamma": GAMMA}, vals,
                  source="Zhang et al. 2020, Sec. 3.1, eq. (5): h = min(eta_c, gamma eta_c/||g||)")


def normalized_gd(eta, beta, schedule="constant"):
    r"""Normalized GD, :math:`h_k=\eta_n/(\|\nabla f(x_k)\|+\beta)` (Zhang et al. 2020, eq. (6)).

    With :math:`\gamma\eta_c=\eta_n` and :math:`\eta_c=\eta_n/\beta` the step satisfies
    :math:`\tfrac12h_c\le h_n\le h_c` (our algebra, proved in ``zhang2020.ngd``).  The paper
    (Sec. 3.1) says clipped GD is equivalent to NGD "up to a constant factor in the step size
    choice"; its display is unconfirmed, and the factor 2 (:math:`\tfrac12h_c\le h_n\le2h_c`)
    comes from a secondary source.
    ``beta = 0`` is pure normalization :math:`\eta g/\|g\|` (a zero gradient gives a zero step).

    Args:
      eta: :math:`\eta_n>0`.
      beta: :math:`\beta\ge0`.
    """
    code, vals = schedule_code(schedule)
    return Method("normalized_gd", NORMALIZE, code, IDENTITY,
                  {"eta": positive("eta", eta), "beta": nonnegative("beta", beta)},
                  {"eta": ALPHA, "beta": BETA}, vals,
                  source="Zhang et al. 2020, Sec. 3.1, eq. (6): h = eta_n/(||g|| + beta)")


def clipped_gd_offset(eta, gamma, delta, schedule="constant"):
    r"""Clipping with an offset, :math:`h_k=\min\{\eta,\ \gamma/(\|g_k\|+\delta)\}`: our reading of
    the step rule of Zhang et al. 2020, Thm 7 (stochastic clipped GD), with :math:`\gamma=1/(16L_1)`,
    :math:`\delta=\tau`.  The copies we read print :math:`\gamma=1/(16\eta L_1)`, with
    :math:`\eta=\min\{\dots,1/\sqrt T\}` in the denominator.  Taken literally, that rule makes
    clipped steps of length about :math:`\sqrt T/(16L_1)`: on ``cosh`` with :math:`T=10^6` from
    :math:`x_0=12` it jumps by 62.5 and falls into the 2-cycle :math:`12\leftrightarrow-50.5`,
    while our reading converges (measured: :func:`theorysim.theory.zhang2020.literal_thm7_rule`).
    :math:`g_k` is the stochastic gradient.

    Args:
      eta: :math:`\eta>0`.
      gamma: :math:`\gamma>0`.
      delta: offset :math:`\delta\ge0` (the noise bound :math:`\tau` in Thm 7).
    """
    code, vals = schedule_code(schedule)
    return Method("clipped_gd_offset", CLIP_OFFSET, code, IDENTITY,
                  {"eta": positive("eta", eta), "gamma": positive("gamma", gamma),
                   "delta": nonnegative("delta", delta)},
                  {"eta": ALPHA, "gamma": GAMMA, "delta": CLIP_DELTA}, vals,
                  source="Zhang et al. 2020, Thm 7 step rule (our reading)")


def clipped_gd_theorem3(L0, L1):
    r"""Clipped GD with Theorem 3's parameters: :math:`\eta_c=\frac1{10L_0}`,
    :math:`\gamma=\min\{\frac1{\eta_c},\frac1{10L_1\eta_c}\}` (Zhang et al. 2020, Thm 3)."""
    L0 = positive("L0", L0)
    L1 = positive("L1", L1)
    eta = 1.0 / (10.0 * L0)
    return clipped_gd(eta, min(1.0 / eta, 1.0 / (10.0 * L1 * eta)))


def normalized_gd_theorem3(L0, L1):
    r"""Normalized GD matched to Theorem 3 via :math:`\eta_n=\gamma\eta_c`, :math:`\beta=\gamma`
    (Zhang et al. 2020, Sec. 3.1 equivalence)."""
    c = clipped_gd_theorem3(L0, L1)
    eta, gamma = c.hyper["eta"], c.hyper["gamma"]
    return normalized_gd(gamma * eta, gamma)


def gd_theorem6(L0, L1, M):
    r"""GD with Theorem 6's step :math:`h=\frac{1}{2(ML_1+L_0)}` (Zhang et al. 2020, Thm 6)."""
    L0, L1, M = positive("L0", L0), positive("L1", L1), positive("M", M)
    return gd(1.0 / (2.0 * (M * L1 + L0)))
