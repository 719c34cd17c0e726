r"""Power growth :math:`f(x)=\frac{c}{p}\sum_i |x_i|^p`, :math:`p\ge2`: (L0,L1)-smooth, not L-smooth.

For one coordinate :math:`f'=c\,|x|^{p-1}\mathrm{sign}\,x`, :math:`f''=c(p-1)|x|^{p-2}`.  For any
:math:`L_1>0` the smallest admissible :math:`L_0` is
:math:`\max_a\,[c(p-1)a^{p-2}-L_1 c\,a^{p-1}]=c\,((p-2)/L_1)^{p-2}` (maximiser :math:`a=(p-2)/L_1`);
the Hessian is diagonal and :math:`\|\nabla f\|\ge\max_i|\partial_i f|`, so the same pair holds in
any dimension.  theorysim documents :math:`L_1=1`, :math:`L_0=c\,(p-2)^{p-2}` (``0**0 = 1``).
Examples: :math:`x^3` (``c=3, p=3``) needs :math:`L_0=3/L_1`; :math:`x^4` (``c=4, p=4``) needs
:math:`16/L_1^2`.  Zhang et al. 2020, Lemma 2 (polynomials of degree >= 3 are (L0,L1)- but not
L-smooth); the minimal-L0 formula for ``c = 1`` is Vankov et al. 2025, Example 2.4, re-derived
symbolically in :mod:`theorysim.theory`.

``params = [c, p]``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def _dpow(c, p, x):
    """c |x|^(p-1) sign(x), with exact products for p = 2, 3, 4."""
    if p == 4.0:
        return c * (x * x * x)
    if p == 3.0:
        return c * (x * abs(x))
    if p == 2.0:
        return c * x
    return c * np.copysign(abs(x) ** (p - 1.0), x)


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    c = params[0]
    p = params[1]
    # f = (c/p) sum_i |x_i|^p = (1/p) sum_i x_i g_i  (exact identity, same pass)
    if j1 - j0 == 1:  # one run: the exponent's branch outside the loop, the sum in a register;
        # 1/p written per branch is folded at compile time (the divider stays free for the step)
        if p == 4.0:
            F[j0] = (1.0 / 4.0) * _one(X, G, j0, c, 4.0)
        elif p == 3.0:
            F[j0] = (1.0 / 3.0) * _one(X, G, j0, c, 3.0)
        elif p == 2.0:
            F[j0] = (1.0 / 2.0) * _one(X, G, j0, c, 2.0)
        else:
            F[j0] = (1.0 / p) * _one(X, G, j0, c, p)
        return
    cp = 1.0 / p
    if d == 1:  # one pass: each column's gradient and value together (the same products)
        if p == 4.0:
            _scaled_row(X, G, F, j0, j1, c, 4.0, cp)
        elif p == 3.0:
            _scaled_row(X, G, F, j0, j1, c, 3.0, cp)
        elif p == 2.0:
            _scaled_row(X, G, F, j0, j1, c, 2.0, cp)
        else:
            _scaled_row(X, G, F, j0, j1, c, p, cp)
        return
    for i in range(d):  # one pass per coordinate; the exponent's branch is taken outside the loop
        if p == 4.0:
            _row(X, G, F, i, j0, j1, c, 4.0)
        elif p == 3.0:
            _row(X, G, F, i, j0, j1, c, 3.0)
        elif p == 2.0:
            _row(X, G, F, i, j0, j1, c, 2.0)
        else:
            _row(X, G, F, i, j0, j1, c, p)
    for j in range(j0, j1):
        F[j] *= cp


@inner
def _one(X, G, j, c, p):
    """Column j: G = c|x|^(p-1)sign(x); returns sum_i x_i G_i."""
    s = 0.0
    for i in range(X.shape[0]):
        x = X[i, j]
        g = _dpow(c, p, x)
        G[i, j] = g
        s += x * g
    return s


@inner
def _scaled_row(X, G, F, j0, j1, c, p, cp):
    """d = 1, columns j0..j1: G = c|x|^(p-1)sign(x), F = (x G) / p."""
    for j in range(j0, j1):
        x = X[0, j]
        g = _dpow(c, p, x)
        G[0, j] = g
        F[j] = (x * g) * cp


@inner
def _row(X, G, F, i, j0, j1, c, p):
    """Coordinate i of columns j0..j1: G = c|x|^(p-1)sign(x), F (+)= x G."""
    if i == 0:
        for j in range(j0, j1):
            x = X[i, j]
            g = _dpow(c, p, x)
            G[i, j] = g
            F[j] = x * g
    else:
        for j in range(j0, j1):
            x = X[i, j]
            g = _dpow(c, p, x)
            G[i, j] = g
            F[j] += x * g


@jit
def hess(params, x, H):
    d = x.shape[0]
    c = params[0]
    p = params[1]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = c * (p - 1.0) * abs(x[i]) ** (p - 2.0)


def make(p=4.0, c=1.0, dim=1):
    r"""Power objective :math:`\frac{c}{p}\sum_i|x_i|^p` (``p >= 2``, ``c > 0``)."""
    p, c = float(p), float(c)
    if not (np.isfinite(p) and p >= 2.0):
        raise ValueError(f"power: exponent p must be a finite number >= 2, got {p}")
    if not (np.isfinite(c) and c > 0):
        raise ValueError(f"power: scale c must be finite and > 0, got {c}")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        P, C = sp.nsimplify(p), sp.nsimplify(c)
        return sum(C / P * sp.Abs(x) ** P for x in xs), xs

    return Objective(
        name="power", dim=int(dim), params=np.array([c, p]),
        L0=c * (p - 2.0) ** (p - 2.0), L1=1.0, f_star=0.0,
        source="L0 = c((p-2)/L1)^(p-2) is the smallest L0 for L1 = 1 (Zhang et al. 2020 Lemma 2; "
               "Vankov et al. 2025 Ex. 2.4 for c = 1); proved in theorysim.theory",
        sympy_form=sympy_form,
    )
