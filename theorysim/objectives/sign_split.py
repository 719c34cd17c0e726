r"""A sign-split finite sum: theorysim's own construction after Chen, Liu, Sun, Hong (2019).

**Not** the paper's example, which we could not read.  One-dimensional components
:math:`f_i(x)=c_i\,h(x)` with the Huber function :math:`h(x)=x^2/2` for :math:`|x|\le1`,
:math:`|x|-\tfrac12` otherwise; the oracle returns :math:`c_I h'(x)` for I uniform.  With
:math:`\bar c=\frac1n\sum c_i>0`, :math:`f=\bar c\,h` is convex with minimiser 0, yet when most
:math:`c_i` are negative the *sign* of a sampled gradient points away from 0 most of the time.
See :mod:`theorysim.diagnostics` for which of Chen et al.'s conditions Adam and AMSGrad violate
on it, with the proof.

``params = [n, c_1..c_n]``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import uniform
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    n = int(params[0])
    cbar = 0.0
    for i in range(n):
        cbar += params[1 + i]
    cbar /= n
    for j in range(j0, j1):
        x = X[0, j]
        ax = abs(x)
        dh = x if ax <= 1.0 else np.sign(x)
        i = min(int(uniform(rng, j) * n), n - 1)
        G[0, j] = params[1 + i] * dh
        h = 0.5 * x * x if ax <= 1.0 else ax - 0.5
        F[j] = cbar * h


@jit
def hess(params, x, H):
    n = int(params[0])
    cbar = 0.0
    for i in range(n):
        cbar += params[1 + i]
    H[0, 0] = cbar / n if abs(x[0]) <= 1.0 else 0.0


def make(c=(10.0,) + (-0.5,) * 10):
    r"""theorysim's sign-split finite sum after Chen et al. 2019 (components ``c``, mean > 0)."""
    c = np.asarray(c, dtype=float).ravel()
    if c.size < 2 or not np.all(np.isfinite(c)):
        raise ValueError("sign_split: c must hold at least two finite numbers")
    cbar = float(c.mean())
    if cbar <= 0:
        raise ValueError(f"sign_split: the mean of c must be > 0 (got {cbar}) so that f is convex")
    return Objective(
        name="sign_split", dim=1, params=np.concatenate([[c.size], c]), L0=cbar, L1=0.0,
        f_star=0.0, x0=np.array([2.0]),
        source="theorysim's own construction after Chen et al. 2019 (not the paper's example)",
        info=dict(stochastic=True, x_star=0.0, c=c, cbar=cbar),
    )
