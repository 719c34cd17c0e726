r"""Reddi, Kale, Kumar (ICLR 2018), Sec. 3 and 5: the online linear problem on :math:`[-1,1]`.

:math:`f_t(x)=a\,x` if :math:`t\bmod P=1`, else :math:`b\,x` (t from 1), with feasible set
:math:`\mathcal F=[-1,1]` (Sec. 3: :math:`a=C>2`, :math:`b=-1`, :math:`P=3`; Sec. 5, Fig. 1:
:math:`a=1010`, :math:`b=-10`, :math:`P=101`).  The recorded "loss" of a run is the online loss
:math:`f_t(x_t)`; :func:`regret` turns a trajectory into :math:`R_t/t`.  With a per-period sum
:math:`a+(P-1)b>0` the minimiser over :math:`\mathcal F` is :math:`x^*=-1`.  Kernel time index t
counts from 0, so the paper's :math:`t\bmod P=1` is ``t % P == 0`` here.

``params = [a, b, P]``; ``dim = 1``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    a = params[0]
    b = params[1]
    P = int(params[2])
    c = a if t % P == 0 else b
    for j in range(j0, j1):
        G[0, j] = c
        F[j] = c * X[0, j]


@jit
def hess(params, x, H):
    H[0, 0] = 0.0


def make(a=3.0, b=-1.0, period=3):
    r"""Reddi et al.'s online problem (Sec. 3 with ``a = C``; Sec. 5 with 1010, -10, 101)."""
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError("linear_online: a and b must be finite")
    P = int(period)
    if P < 1 or P != period:
        raise ValueError(f"linear_online: period must be an integer >= 1, got {period}")
    per_period = a + (P - 1) * b
    return Objective(
        name="linear_online", dim=1, params=np.array([a, b, float(P)]), L0=0.0, L1=0.0,
        f_star=-abs(per_period) / P, x0=np.array([0.0]),
        source="Reddi, Kale, Kumar 2018, Sec. 3 (Thm 1) and Sec. 5 (Fig. 1), feasible set [-1, 1]",
        info=dict(box=(-1.0, 1.0), online=True, x_star=-float(np.sign(per_period)) or 0.0,
                  slopes=(a, b, P)),
    )


def regret(trajectory, objective):
    r"""Average regret :math:`R_t/t` of an online run recorded at every step
    (:math:`R_t=\sum_{s\le t}f_s(x_s)-\min_{x\in[-1,1]}\sum_{s\le t}f_s(x)`)."""
    if trajectory.record_every != 1:
        raise ValueError("regret needs a trajectory recorded at every step (record_every=1)")
    a, b, P = objective.info["slopes"]
    t = np.arange(len(trajectory.loss))
    slopes = np.where(t % P == 0, a, b)
    cum_loss = np.cumsum(trajectory.loss)
    best = -np.abs(np.cumsum(slopes))
    n = t + 1
    return (cum_loss - best) / n
