r"""Flat valley :math:`L(x,y)=\tfrac12(1+\|y\|^2)\|x\|^2`, :math:`x\in\mathbb R^p`,
:math:`y\in\mathbb R^q` (``nx = p``, ``ny = q``) — the edge-of-stability toy of issue 9 after
Arora, Li, Panigrahi (ICML 2022, arXiv 2205.09745), whose abstract [C] proves that normalized GD
on L and GD on :math:`\sqrt{L-\min L}` drift along the manifold of minimisers towards smaller
sharpness.  The toy itself is **theorysim's own** (the paper's experiments and constructions were
not read).

The minimisers are the manifold :math:`\Gamma=\{x=0\}`; on it :math:`\nabla L=0` and the Hessian
is :math:`\mathrm{diag}((1+\|y\|^2)I_p,\,0_q)`, so the **sharpness** (top Hessian eigenvalue) is
:math:`1+\|y\|^2`, smallest at :math:`y=0`.  Off :math:`\Gamma`:
:math:`\nabla_xL=(1+\|y\|^2)x`, :math:`\nabla_yL=\|x\|^2y`, and
:math:`\nabla^2L=\begin{pmatrix}(1+\|y\|^2)I&2xy^\top\\2yx^\top&\|x\|^2I\end{pmatrix}`.

With ``root=True`` the family is :math:`\sqrt{L}=\|x\|\sqrt{(1+\|y\|^2)/2}` (:math:`\min L=0`),
the second objective of Arora et al.'s abstract: gradient
:math:`\nabla L/(2\sqrt L)`, set to 0 where :math:`L=0` (the kink; a subgradient there).

Not :math:`(L_0,L_1)`-smooth for any pair: on :math:`\Gamma` the gradient is 0 while the Hessian
norm :math:`1+\|y\|^2` is unbounded (statement ``cert.flat_valley``).

``params = [nx, root]``.
"""
import math

import numpy as np

from .._jit import inner, jit
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    p = int(params[0])
    root = params[1] != 0.0
    for j in range(j0, j1):
        xx = 0.0
        for i in range(p):
            xx += X[i, j] * X[i, j]
        yy = 0.0
        for i in range(p, d):
            yy += X[i, j] * X[i, j]
        a = 1.0 + yy
        val = 0.5 * a * xx
        c = 1.0
        if root:
            if val > 0.0:
                r = math.sqrt(val)
                c = 0.5 / r
                val = r
            else:
                c = 0.0
                val = 0.0
        F[j] = val
        for i in range(p):
            G[i, j] = c * a * X[i, j]
        for i in range(p, d):
            G[i, j] = c * xx * X[i, j]


@jit
def hess(params, x, H):
    d = x.shape[0]
    p = int(params[0])
    xx = 0.0
    for i in range(p):
        xx += x[i] * x[i]
    yy = 0.0
    for i in range(p, d):
        yy += x[i] * x[i]
    a = 1.0 + yy
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
    for i in range(p):
        H[i, i] = a
        for k in range(p, d):
            H[i, k] = 2.0 * x[i] * x[k]
            H[k, i] = 2.0 * x[i] * x[k]
    for k in range(p, d):
        H[k, k] = xx
    if params[1] != 0.0:  # Hessian of sqrt(L): (H_L - g_L g_L^T / (2 L)) / (2 sqrt L)
        val = 0.5 * a * xx
        if val > 0.0:
            r = math.sqrt(val)
            g = np.empty(d)
            for i in range(p):
                g[i] = a * x[i]
            for i in range(p, d):
                g[i] = xx * x[i]
            for i in range(d):
                for k in range(d):
                    H[i, k] = (H[i, k] - g[i] * g[k] / (2.0 * val)) / (2.0 * r)
        else:
            for i in range(d):
                for k in range(d):
                    H[i, k] = np.inf if i == k and i < p else 0.0


def make(nx=1, ny=1, root=False):
    r"""Flat valley :math:`\tfrac12(1+\|y\|^2)\|x\|^2` with ``nx`` x- and ``ny`` y-coordinates;
    ``root=True`` gives :math:`\sqrt L`."""
    if isinstance(nx, bool) or not isinstance(nx, (int, np.integer)) or nx < 1:
        raise ValueError(f"flat_valley: nx must be an integer >= 1, got {nx!r}")
    if isinstance(ny, bool) or not isinstance(ny, (int, np.integer)) or ny < 1:
        raise ValueError(f"flat_valley: ny must be an integer >= 1, got {ny!r}")
    if not isinstance(root, (bool, np.bool_)):
        raise ValueError(f"flat_valley: root must be True or False, got {root!r}")
    nx, ny, dim = int(nx), int(ny), int(nx) + int(ny)

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        L = sp.Rational(1, 2) * (1 + sum(v**2 for v in xs[nx:])) * sum(v**2 for v in xs[:nx])
        return (sp.sqrt(L) if root else L), xs

    return Objective(
        name="flat_valley", dim=dim, params=np.array([float(nx), float(root)]),
        L0=float("nan"), L1=float("nan"), f_star=0.0,
        source="theorysim's EoS toy after Arora, Li, Panigrahi 2022 (abstract); not (L0, L1)-smooth "
               "(cert.flat_valley)",
        sympy_form=sympy_form, info=dict(nx=nx, ny=ny, root=bool(root)),
    )
