r"""Ramp-and-wall: theorysim's own hard instance for fixed-step GD, after Zhang et al. 2020, Thm 4.

**This is not the construction of Zhang, He, Sra, Jadbabaie (ICLR 2020), Appendix D**, which we
could not read; it is a two-dimensional instance built for theorysim with a complete proof.

.. math::
   f(x,y)=\underbrace{s\,\delta\,\log\cosh(x/\delta)}_{\psi(x):\ \text{ramp}}
         +\underbrace{\tfrac{L_0}{L_1^2}\big(\cosh(L_1y)-1\big)}_{\varphi(y):\ \text{wall}},
   \qquad s=2\epsilon,\ \delta=s/L_0 .

*Smoothness.* :math:`\psi''=L_0\,\mathrm{sech}^2(x/\delta)\le L_0` and
:math:`\varphi''=L_0\cosh(L_1y)\le L_0+L_1|\varphi'|` (since :math:`\cosh u-|\sinh u|\le1`); the
Hessian is diagonal and :math:`\|\nabla f\|\ge\max(|\psi'|,|\varphi'|)`, hence :math:`f` is
:math:`(L_0,L_1)`-smooth on all of :math:`\mathbb R^2`, with :math:`f^*=0` at the origin.

*Start.* :math:`y_0=\operatorname{asinh}(L_1M/L_0)/L_1` gives :math:`\varphi'(y_0)=M`, and
:math:`x_0=\delta\operatorname{acosh}(e^{\Delta/(s\delta)})` gives :math:`\psi(x_0)=\Delta` (the ramp's
drop); :math:`x_0\ge\Delta/s` because :math:`\log\cosh u\le|u|`.

*Lower bound for every fixed step h (our proof).*  GD acts on the two coordinates separately.
With :math:`z=L_1y`, :math:`z_{k+1}=z_k\,(1-hL_0\,r(z_k))`, :math:`r(z)=\sinh z/z` even and
increasing in :math:`|z|`.  (a) If :math:`h>h_{\max}:=\frac{2z_0}{L_0\sinh z_0}
=\frac{2\operatorname{asinh}(L_1M/L_0)}{L_1M}` then :math:`hL_0r(z_0)>2`, so
:math:`|z_1|>|z_0|`, :math:`r(z_1)>r(z_0)`, and by induction :math:`|z_k|` increases forever:
:math:`\|\nabla f(x_k)\|\ge|\varphi'(y_k)|\ge M>\epsilon` for all k — never
:math:`\epsilon`-stationary.  (b) If :math:`h\le h_{\max}`: :math:`|x_{k+1}-x_k|=h\,|\psi'(x_k)|<hs`,
and :math:`\|\nabla f\|\le\epsilon` needs :math:`|\psi'(x_k)|=s\tanh(|x_k|/\delta)\le\epsilon`, i.e.
:math:`|x_k|\le x_\epsilon:=\delta\,\operatorname{atanh}(1/2)`.  Travelling from :math:`x_0` to there
takes at least

.. math:: N_{\text{low}}=\frac{x_0-x_\epsilon}{h_{\max}\,s}
   \;\ge\;\frac{L_1M\,\big(\Delta-\operatorname{atanh}(\tfrac12)\,4\epsilon^2/L_0\big)}
              {8\,\epsilon^2\,\operatorname{asinh}(L_1M/L_0)}

iterations — the shape of Remark 5's order :math:`L_1M\Delta/(\epsilon^2\log M)` (Zhang et al.
2020), **but with a different** :math:`\Delta`: here :math:`\Delta` is the ramp's drop, while the
paper's :math:`\Delta` is :math:`f(x_0)-f^*`, which on this instance is :math:`\Delta` plus the wall
height :math:`\varphi(y_0)\approx M/L_1` (``info["gap"]``; see *Why the gap grows with M* below).
In the paper's :math:`\Delta` the bound reads
:math:`L_1M(f(x_0)-f^*-\varphi(y_0)-4\,\mathrm{atanh}(\frac12)\epsilon^2/L_0)/(8\epsilon^2\,
\mathrm{asinh}(L_1M/L_0))`.
Every fixed step needs at least :math:`N_{\text{low}}` iterations (``info["gd_lower_bound"]``).

*Clipped GD* (Thm 3 parameters) crosses the wall at the clipped speed
:math:`\gamma\eta_c` in :math:`O(\log M)` steps and the ramp unclipped in
:math:`O(L_0\Delta/\epsilon^2)`, independent of M.

*Why the gap grows with M.*  :math:`f(x_0)-f^*=\Delta+\varphi(y_0)\approx\Delta+M/L_1`.  This is
unavoidable: along the gradient flow :math:`\frac{d}{dt}\|\nabla f\|\ge-(L_0+L_1\|\nabla f\|)\|\nabla f\|`
and :math:`\frac{d}{dt}f=-\|\nabla f\|^2`, so descending from gradient norm M to 1 lowers f by at least
:math:`\int_1^M\frac{u\,du}{L_0+L_1u}\approx M/L_1`; no (L0,L1)-smooth function keeps
:math:`f(x_0)-f^*` bounded while its gradient in the sublevel set grows.  Here :math:`\Delta` counts
only the ramp, the part that costs iterations.

``params = [L0, L1, s, delta]``; ``dim = 2``; coordinates ``(x, y)``.
"""
import math

import numpy as np

from .._jit import inner, jit
from ._base import Objective

_ATANH_HALF = math.atanh(0.5)


@inner
def _log_cosh(u):
    a = abs(u)
    return a + np.log1p(np.exp(-2.0 * a)) - np.log(2.0)


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    L0 = params[0]
    L1 = params[1]
    s = params[2]
    delta = params[3]
    wall_g = L0 / L1
    wall_f = L0 / (L1 * L1)
    ramp_f = s * delta
    for j in range(j0, j1):
        u = X[0, j] / delta
        z = L1 * X[1, j]
        G[0, j] = s * np.tanh(u)
        G[1, j] = wall_g * np.sinh(z)
        F[j] = ramp_f * _log_cosh(u) + wall_f * (np.cosh(z) - 1.0)


@jit
def hess(params, x, H):
    L0 = params[0]
    L1 = params[1]
    delta = params[3]
    c = np.cosh(x[0] / delta)
    H[0, 0] = L0 / (c * c)
    H[0, 1] = 0.0
    H[1, 0] = 0.0
    H[1, 1] = L0 * np.cosh(L1 * x[1])


def make(L0=1.0, L1=1.0, M=1e3, eps=0.1, Delta=10.0):
    r"""The ramp-and-wall instance for constants ``(L0, L1)``, wall gradient ``M``, tolerance ``eps``
    and ramp drop ``Delta`` (not :math:`f(x_0)-f^*`, which adds the wall height and is
    ``info["gap"]``); its ``x0`` attribute is the start the lower bound is proved for."""
    vals = dict(L0=L0, L1=L1, M=M, eps=eps, Delta=Delta)
    for k, v in vals.items():
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"ramp_wall: {k} must be finite and > 0, got {v}")
    L0, L1, M, eps, Delta = (float(v) for v in (L0, L1, M, eps, Delta))
    if M <= eps:
        raise ValueError(f"ramp_wall: need M > eps, got M={M}, eps={eps}")
    s = 2.0 * eps
    delta = s / L0
    u = Delta / (s * delta)
    x0 = delta * (u + math.log1p(math.sqrt(-math.expm1(-2.0 * u))))  # delta*acosh(exp(u))
    z0 = math.asinh(L1 * M / L0)
    y0 = z0 / L1
    h_max = 2.0 * z0 / (L1 * M)
    x_eps = delta * _ATANH_HALF
    n_low = (x0 - x_eps) / (h_max * s)
    wall_gap = L0 / L1**2 * (math.cosh(z0) - 1.0)

    def sympy_form():
        import sympy as sp

        x, y = sp.symbols("x y", real=True)
        S, D = sp.nsimplify(s), sp.nsimplify(delta)
        A, K = sp.nsimplify(L0), sp.nsimplify(L1)
        return S * D * sp.log(sp.cosh(x / D)) + A / K**2 * (sp.cosh(K * y) - 1), (x, y)

    return Objective(
        name="ramp_wall", dim=2, params=np.array([L0, L1, s, delta]), L0=L0, L1=L1, f_star=0.0,
        x0=np.array([x0, y0]),
        source="theorysim's own construction after Zhang et al. 2020 Thm 4 (not the paper's "
               "Appendix D instance); proof in theorysim.objectives.ramp_wall",
        sympy_form=sympy_form,
        info=dict(M=M, eps=eps, Delta=Delta, s=s, delta=delta, h_max=h_max, x_eps=x_eps,
                  gd_lower_bound=n_low, gap=Delta + wall_gap),
    )
