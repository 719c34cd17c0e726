r"""Separable quartic :math:`f(x)=\sum_i\big(\tfrac{a_i}{4}x_i^4+\tfrac{b_i}{2}x_i^2\big)`,
:math:`a_i,b_i\ge0`: a d-dimensional (L0,L1)-smooth family with a diagonal Hessian.

Per coordinate :math:`f_i'=a_ix^3+b_ix`, :math:`f_i''=3a_ix^2+b_i`.  Since
:math:`4+|x|^3-3x^2=(|x|-2)^2(|x|+1)\ge0`, :math:`3a_ix^2\le4a_i+a_i|x|^3`, hence
:math:`f_i''\le(4a_i+b_i)+|f_i'|`; with :math:`\|\nabla^2f\|=\max_if_i''` and
:math:`|f_i'|\le\|\nabla f\|` the pair :math:`(L_0,L_1)=(\max_i(4a_i+b_i),\,1)` holds (theorysim's
derivation; the same argument as for ``power`` with p = 4).  :math:`f^*=0` at 0.  The W2 workload
of ``benchmarks/`` (Adam with clipping, d = 10^4).

``params = [a_1..a_d, b_1..b_d]``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    if j1 - j0 == 1:  # one run: the sum in a register, not through F[j] (same order, same bits)
        s = 0.0
        for i in range(d):
            a = params[i]
            b = params[d + i]
            x = X[i, j0]
            x2 = x * x
            G[i, j0] = (a * x2 + b) * x
            s += x2 * ((0.25 * a) * x2 + 0.5 * b)
        F[j0] = s
        return
    for j in range(j0, j1):
        F[j] = 0.0
    for i in range(d):
        a = params[i]
        b = params[d + i]
        a4 = 0.25 * a
        b2 = 0.5 * b
        for j in range(j0, j1):
            x = X[i, j]
            x2 = x * x
            G[i, j] = (a * x2 + b) * x
            F[j] += x2 * (a4 * x2 + b2)


@jit
def hess(params, x, H):
    d = x.shape[0]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = 3.0 * params[i] * x[i] * x[i] + params[d + i]


def make(a=1.0, b=0.0, dim=None):
    r"""Separable quartic with coefficients ``a`` and ``b`` (numbers or vectors of length d)."""
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError("separable_quartic: a and b must be numbers or vectors")
    dim = max(a.size, b.size) if dim is None else int(dim)
    if dim < 1 or a.size not in (1, dim) or b.size not in (1, dim):
        raise ValueError(f"separable_quartic: a has {a.size} and b {b.size} values but dim = {dim}")
    a = np.broadcast_to(a, (dim,)).copy()
    b = np.broadcast_to(b, (dim,)).copy()
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b)) and np.all(a >= 0) and np.all(b >= 0)):
        raise ValueError("separable_quartic: a and b must be finite and >= 0")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        return sum(sp.nsimplify(ai) / 4 * x**4 + sp.nsimplify(bi) / 2 * x**2
                   for ai, bi, x in zip(a, b, xs)), xs

    return Objective(
        name="separable_quartic", dim=dim, params=np.concatenate([a, b]),
        L0=float(np.max(4.0 * a + b)), L1=1.0, f_star=0.0,
        source="(L0, L1) = (max_i(4 a_i + b_i), 1): 4 + |x|^3 - 3x^2 = (|x| - 2)^2 (|x| + 1) >= 0 "
               "(theorysim's derivation)",
        sympy_form=sympy_form,
    )
