r"""Scale-invariant quadratic :math:`L(w)=c\,F(w/\|w\|)`, :math:`F(u)=\tfrac12u^\top Au`,
:math:`A=\mathrm{diag}(a)`: the loss of a weight vector followed by a normalization layer
(Li, Bhojanapalli, Zaheer, Reddi, Kumar 2022, "Robust training of neural networks using scale
invariant architectures", recipe step 1; Lobacheva et al. 2021; Lyu, Li, Arora 2022).

With :math:`q=w^\top Aw`, :math:`n=w^\top w` (theorysim's algebra, checked by sympy in
:mod:`theorysim.theory.li2022`):

* :math:`L=\frac c2\,q/n`, :math:`\nabla L=\frac cn\big(Aw-\frac qn w\big)` (so
  :math:`w\cdot\nabla L=0`, Euler's identity for a 0-homogeneous function);
* :math:`\nabla^2L=c\big[\frac An-\frac2{n^2}(Aww^\top+ww^\top A)-\frac q{n^2}I+\frac{4q}{n^3}ww^\top\big]`,
  homogeneous of degree -2: :math:`\nabla^2L(sw)=s^{-2}\nabla^2L(w)`.

:math:`\min L=c\,a_{\min}/2` on the eigenvector of the smallest :math:`a_i`; there the Hessian
along the eigenvector of :math:`a_i` is :math:`c(a_i-a_{\min})/\|w\|^2`.  Not
:math:`(L_0,L_1)`-smooth for any constants (the Hessian at a minimiser grows like
:math:`\|w\|^{-2}` while the gradient is 0; ``cert.scale_invariant``), so ``L0 = L1 = nan``.
At :math:`w=0` the loss is undefined: the kernel returns NaN and a run stops there (divergence is
data).

``params = [c, a_1..a_d]``.
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    c = params[0]
    for j in range(j0, j1):
        q = 0.0
        n = 0.0
        for i in range(d):
            x = X[i, j]
            q += params[1 + i] * x * x
            n += x * x
        r = q / n
        F[j] = 0.5 * c * r
        for i in range(d):
            G[i, j] = c * (params[1 + i] - r) * X[i, j] / n


@jit
def hess(params, x, H):
    d = x.shape[0]
    c = params[0]
    q = 0.0
    n = 0.0
    for i in range(d):
        q += params[1 + i] * x[i] * x[i]
        n += x[i] * x[i]
    for i in range(d):
        for k in range(d):
            ai = params[1 + i]
            ak = params[1 + k]
            v = -2.0 * (ai + ak) * x[i] * x[k] / (n * n) + 4.0 * q * x[i] * x[k] / (n * n * n)
            if i == k:
                v += ai / n - q / (n * n)
            H[i, k] = c * v


def make(a=(1.0, 4.0, 10.0), scale=1.0, dim=None):
    r"""Scale-invariant quadratic :math:`c\,\tfrac12u^\top\mathrm{diag}(a)u`, :math:`u=w/\|w\|`,
    with loss scale ``scale`` (:math:`c>0`) and eigenvalues ``a`` (:math:`a_i\ge0`)."""
    av = np.atleast_1d(np.asarray(a, dtype=np.float64))
    if av.ndim != 1:
        raise ValueError(f"scale_invariant: a must be a number or a vector, got shape {av.shape}")
    dim = av.size if dim is None else int(dim)
    if dim < 2 or av.size not in (1, dim):
        raise ValueError(f"scale_invariant: need dim >= 2 and a of length 1 or dim, got {av.size} "
                         f"values and dim = {dim}")
    av = np.broadcast_to(av, (dim,)).copy()
    if not np.all(np.isfinite(av)) or np.any(av < 0):
        raise ValueError(f"scale_invariant: a must be finite and >= 0, got {av}")
    c = float(scale)
    if not (np.isfinite(c) and c > 0):
        raise ValueError(f"scale_invariant: scale must be finite and > 0, got {scale!r}")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        q = sum(sp.nsimplify(ai) * x**2 for ai, x in zip(av, xs))
        n = sum(x**2 for x in xs)
        return sp.nsimplify(c) * q / (2 * n), xs

    return Objective(
        name="scale_invariant", dim=dim, params=np.concatenate([[c], av]),
        f_star=0.5 * c * float(av.min()),
        source="0-homogeneous: not (L0, L1)-smooth (Hessian ~ ||w||^-2 at minimisers); "
               "cert.scale_invariant",
        sympy_form=sympy_form,
        info=dict(a=av, scale=c, sphere_sharpness=float(av.max() - av.min())),
    )
