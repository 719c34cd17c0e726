r"""Reddi, Kale, Kumar (ICLR 2018), Sec. 5 and Thm 3: the stochastic linear problem on :math:`[-1,1]`.

:math:`f_t(x)=a\,x` with probability p, else :math:`b\,x` (Sec. 5: 1010, -10, p = 0.01; Thm 3's
construction uses p = (1+δ)/(C+1)).  The recorded loss is the expected objective
:math:`F(x)=(pa+(1-p)b)\,x`; with :math:`pa+(1-p)b>0` the minimiser over :math:`[-1,1]` is
:math:`x^*=-1`.

``params = [a, b, p]``; ``dim = 1``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import uniform
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    a = params[0]
    b = params[1]
    p = params[2]
    mean = p * a + (1.0 - p) * b
    for j in range(j0, j1):
        G[0, j] = a if uniform(rng, j) < p else b
        F[j] = mean * X[0, j]


@jit
def hess(params, x, H):
    H[0, 0] = 0.0


def make(a=1010.0, b=-10.0, p=0.01):
    r"""Reddi et al.'s stochastic problem (Sec. 5, Fig. 1 right; Thm 3 pattern)."""
    a, b, p = float(a), float(b), float(p)
    if not (0.0 < p < 1.0):
        raise ValueError(f"linear_stochastic: p must lie in (0, 1), got {p}")
    mean = p * a + (1 - p) * b
    return Objective(
        name="linear_stochastic", dim=1, params=np.array([a, b, p]), L0=0.0, L1=0.0,
        f_star=-abs(mean), x0=np.array([0.0]),
        source="Reddi, Kale, Kumar 2018, Sec. 5 (Fig. 1, right) / Thm 3 pattern, on [-1, 1]",
        info=dict(box=(-1.0, 1.0), stochastic=True, x_star=-float(np.sign(mean)), mean_slope=mean),
    )
