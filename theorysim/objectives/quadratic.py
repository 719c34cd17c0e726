r"""Diagonal quadratic :math:`f(x)=\tfrac12\sum_i \lambda_i x_i^2` — the L-smooth baseline.

:math:`\nabla^2 f=\mathrm{diag}(\lambda)`, so :math:`f` is :math:`(L_0,L_1)=(\max_i|\lambda_i|,0)`
smooth, i.e. :math:`L`-smooth with :math:`L=\max_i|\lambda_i|` (Zhang et al. 2020, Sec. 2.1: the
case :math:`L_1=0`).  GD with a constant step is stable iff :math:`\eta<2/\lambda_{\max}`.

``params = [lambda_1, ..., lambda_d]``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    """Columns ``j0 <= j < j1`` of ``X``: :math:`g=\\lambda\\odot x`, :math:`f=\tfrac12\\sum_ix_ig_i`."""
    d = X.shape[0]
    if j1 - j0 == 1:
        s = 0.0
        for i in range(d):
            g = params[i] * X[i, j0]
            G[i, j0] = g
            s += X[i, j0] * g
        F[j0] = 0.5 * s
        return
    # f = 1/2 sum_i lam_i x_i^2 = 1/2 sum_i x_i g_i, one pass per coordinate
    for i in range(d):
        lam = params[i]
        if i == 0:
            for j in range(j0, j1):
                x = X[i, j]
                g = lam * x
                G[i, j] = g
                F[j] = x * g
        else:
            for j in range(j0, j1):
                x = X[i, j]
                g = lam * x
                G[i, j] = g
                F[j] += x * g
    for j in range(j0, j1):
        F[j] *= 0.5


@jit
def hess(params, x, H):
    d = x.shape[0]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = params[i]


def make(lam=1.0, dim=None):
    r"""Quadratic :math:`\tfrac12\sum_i\lambda_i x_i^2` with eigenvalues ``lam``.

    ``lam`` is a scalar (then ``dim`` defaults to 1) or a vector (``dim`` defaults to its length).
    """
    lam = np.atleast_1d(np.asarray(lam, dtype=np.float64))
    if lam.ndim != 1:
        raise ValueError(f"quadratic: lam must be a number or a vector, got shape {lam.shape}")
    dim = lam.size if dim is None else int(dim)
    if lam.size not in (1, dim) or dim < 1:
        raise ValueError(f"quadratic: lam has {lam.size} values but dim = {dim}")
    lam = np.broadcast_to(lam, (dim,)).copy()
    if not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError(f"quadratic: lam must be finite and >= 0 (eigenvalues), got {lam}")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        return sum(sp.Rational(1, 2) * sp.nsimplify(l) * x**2 for l, x in zip(lam, xs)), xs

    return Objective(
        name="quadratic", dim=int(dim), params=lam, L0=float(lam.max()), L1=0.0, f_star=0.0,
        source="L-smooth with L = max eigenvalue (Zhang et al. 2020, Sec. 2.1, L1 = 0)",
        sympy_form=sympy_form,
    )
