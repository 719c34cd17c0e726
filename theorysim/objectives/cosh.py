r"""Exponential growth :math:`f(x)=\frac{a}{s^2}\sum_i\cosh(s x_i)`: exactly :math:`(a, s)`-smooth.

Per coordinate :math:`f'=\frac{a}{s}\sinh(sx)`, :math:`f''=a\cosh(sx)`, and
:math:`\cosh u-|\sinh u|=e^{-|u|}\in(0,1]`, so :math:`f''\le a+s|f'|`; with a diagonal Hessian and
:math:`\|\nabla f\|\ge\max_i|\partial_i f|` the pair :math:`(L_0,L_1)=(a,s)` holds in any dimension
and neither constant can be lowered (equality at :math:`x=0`; ratio :math:`\to1` as
:math:`|x|\to\infty`).  With ``a = s = 1`` this is :math:`\cosh x`, theorysim's standard
(1,1)-smooth teaching function; :math:`f^*=d\,a/s^2` at 0.  Not L-smooth for any finite L.

``params = [a, s]``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    a = params[0]
    s = params[1]
    ga = a / s
    fa = a / (s * s)
    if j1 - j0 == 1:
        v = 0.0
        for i in range(d):
            u = s * X[i, j0]
            G[i, j0] = ga * np.sinh(u)
            v += fa * np.cosh(u)
        F[j0] = v
        return
    for i in range(d):  # one pass per coordinate
        if i == 0:
            for j in range(j0, j1):
                u = s * X[i, j]
                G[i, j] = ga * np.sinh(u)
                F[j] = fa * np.cosh(u)
        else:
            for j in range(j0, j1):
                u = s * X[i, j]
                G[i, j] = ga * np.sinh(u)
                F[j] += fa * np.cosh(u)


@jit
def hess(params, x, H):
    d = x.shape[0]
    a = params[0]
    s = params[1]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = a * np.cosh(s * x[i])


def make(a=1.0, s=1.0, dim=1):
    r"""Objective :math:`\frac{a}{s^2}\sum_i\cosh(s x_i)`, :math:`(L_0,L_1)=(a,s)`; ``cosh`` when ``a = s = 1``."""
    a, s = float(a), float(s)
    if not (np.isfinite(a) and a > 0 and np.isfinite(s) and s > 0):
        raise ValueError(f"cosh: a and s must be finite and > 0, got a={a}, s={s}")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        A, S = sp.nsimplify(a), sp.nsimplify(s)
        return sum(A / S**2 * sp.cosh(S * x) for x in xs), xs

    return Objective(
        name="cosh", dim=int(dim), params=np.array([a, s]), L0=a, L1=s, f_star=dim * a / s**2,
        source="cosh u - |sinh u| = exp(-|u|) <= 1 (exact pair; theorysim, checked in theorysim.theory)",
        sympy_form=sympy_form,
    )
