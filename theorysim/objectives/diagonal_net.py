r"""Regression with a diagonal linear network, :math:`\beta=u\odot v`, and a label-noise oracle.

:math:`f(u,v)=\frac1{2n}\sum_{i=1}^n(\langle u\odot v,x_i\rangle-y_i)^2`, parameters
:math:`\theta=(u,v)\in\mathbb R^{2d}` (the iterate's first d coordinates are u).  With
:math:`n<d` (or :math:`n=d=1`) the interpolators form a manifold; with :math:`n=d=1`,
:math:`x=y=1` this is the toy :math:`f(a,b)=\frac12(ab-1)^2` (Damian, Ma, Lee 2021, C1 testbed);
with :math:`n=40,d=100` and a sparse :math:`\beta^*` it is the sparse-regression testbed of
Andriushchenko & Flammarion 2022 (model :math:`\beta=u\odot v` as in their code).

**Oracle.**  ``batch = 0``: the full gradient (labels perturbed too if ``sigma > 0``).
``batch = B >= 1``: B examples drawn uniformly with replacement.  **Label noise**
(Damian et al. 2021, definition in the introduction [read]): each used label :math:`y_i` is
replaced by :math:`y_i+\epsilon`, :math:`\epsilon` uniform on :math:`\{-\sigma,\sigma\}`, fresh at
every use; the gradient is that of :math:`\frac12(\langle u\odot v,x_i\rangle-y_i-\epsilon)^2`.
The recorded loss is the clean :math:`f`.  ``sigma = 0, batch = 0`` is deterministic GD.

**Hessian.**  With residuals :math:`r_i` and :math:`g_i=\nabla_\theta p_i=(v\odot x_i,u\odot x_i)`:
:math:`\nabla^2f=\frac1n\sum_i(g_ig_i^\top+r_iM_i)`, :math:`M_i` with :math:`x_{ik}` at
:math:`(u_k,v_k)` and :math:`(v_k,u_k)`; so
:math:`\operatorname{tr}\nabla^2f=\frac1n\sum_{i,k}x_{ik}^2(u_k^2+v_k^2)` (the :math:`M_i` have zero
diagonal) — :math:`a^2+b^2` for the toy.  Not :math:`(L_0,L_1)`-smooth globally for any documented
pair (quartic in :math:`\theta`); ``L0 = L1 = nan``, see ``cert.diagonal_net``.

``params = [n, d, batch, sigma, X (row-major, n*d), y (n)]``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import uniform
from ._base import Objective


@inner
def example(s, batch, n, rng, j):
    """Index of the s-th example of this step: s itself (full batch), or drawn uniformly."""
    return s if batch <= 0 else min(int(uniform(rng, j) * n), n - 1)


@inner
def residual(r, params, X, j, i, d, x0):
    r"""``r`` plus :math:`\langle u\odot v,x_i\rangle` of run j, summed in coordinate order."""
    for k in range(d):
        r += X[k, j] * X[d + k, j] * params[x0 + i * d + k]
    return r


@inner
def loss(params, X, j, n, d, x0, y0):
    r""":math:`f=\frac1{2n}\sum_ir_i^2` of run j (no label noise)."""
    s2 = 0.0
    for i in range(n):
        r = residual(-params[y0 + i], params, X, j, i, d, x0)
        s2 += r * r
    return 0.5 * s2 / n


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    n = int(params[0])
    d = int(params[1])
    batch = int(params[2])
    sigma = params[3]
    x0 = 4
    y0 = 4 + n * d
    m = batch if batch > 0 else n
    for j in range(j0, j1):
        for k in range(2 * d):
            G[k, j] = 0.0
        for s in range(m):
            i = example(s, batch, n, rng, j)
            r = -params[y0 + i]
            if sigma > 0.0:
                r -= sigma if uniform(rng, j) < 0.5 else -sigma
            r = residual(r, params, X, j, i, d, x0)
            for k in range(d):
                xk = params[x0 + i * d + k]
                G[k, j] += r * X[d + k, j] * xk
                G[d + k, j] += r * X[k, j] * xk
        for k in range(2 * d):
            G[k, j] /= m
        F[j] = loss(params, X, j, n, d, x0, y0)


@jit
def hess(params, x, H):
    n = int(params[0])
    d = int(params[1])
    x0 = 4
    y0 = 4 + n * d
    D = 2 * d
    for a in range(D):
        for b in range(D):
            H[a, b] = 0.0
    g = np.empty(D)
    for i in range(n):
        r = -params[y0 + i]
        for k in range(d):
            xk = params[x0 + i * d + k]
            r += x[k] * x[d + k] * xk
            g[k] = x[d + k] * xk
            g[d + k] = x[k] * xk
        for a in range(D):
            for b in range(D):
                H[a, b] += g[a] * g[b]
        for k in range(d):
            xk = params[x0 + i * d + k]
            H[k, d + k] += r * xk
            H[d + k, k] += r * xk
    for a in range(D):
        for b in range(D):
            H[a, b] /= n


def make(X=None, y=None, sigma=0.0, batch=0, n=40, dim=100, sparsity=5, seed=0):
    r"""Diagonal-net regression on ``X`` (n x d), ``y`` (n), or random data from ``seed``:
    Gaussian :math:`X`, a ``sparsity``-sparse :math:`\beta^*` with entries :math:`\pm1`,
    :math:`y=X\beta^*`.  ``sigma``: label-noise level; ``batch``: 0 (full) or B >= 1.

    The toy :math:`\frac12(ab-1)^2`: ``make(X=[[1.0]], y=[1.0], ...)``.
    """
    info = {}
    if X is None:
        rs = np.random.default_rng(seed)
        X = rs.normal(size=(int(n), int(dim)))
        beta = np.zeros(int(dim))
        idx = rs.choice(int(dim), size=int(sparsity), replace=False)
        beta[idx] = rs.choice([-1.0, 1.0], size=int(sparsity))
        y = X @ beta
        info["beta_star"] = beta
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],) or X.size == 0:
        raise ValueError(f"diagonal_net: need X of shape (n, d) and y of shape (n,), got {X.shape} "
                         f"and {y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("diagonal_net: X and y must be finite")
    sigma = float(sigma)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"diagonal_net: sigma must be finite and >= 0, got {sigma!r}")
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 0:
        raise ValueError(f"diagonal_net: batch must be an integer >= 0 (0: full batch), got {batch!r}")
    nn, d = X.shape
    info.update(stochastic=bool(sigma > 0 or batch > 0), n=nn, d=d, sigma=sigma, batch=int(batch),
                X=X, y=y)
    return Objective(
        name="diagonal_net", dim=2 * d,
        params=np.concatenate([[nn, d, float(batch), sigma], X.ravel(), y]),
        f_star=0.0 if nn <= d else float("nan"),
        source="quartic in (u, v): no global (L0, L1) pair; cert.diagonal_net",
        info=info,
    )


def trace_hessian(objective, theta):
    r""":math:`\operatorname{tr}\nabla^2f=\frac1n\sum_{i,k}x_{ik}^2(u_k^2+v_k^2)` at ``theta``
    (rows of a 2-D array are points)."""
    X = objective.info["X"]
    d = objective.info["d"]
    th = np.atleast_2d(np.asarray(theta, dtype=float))
    w = (X**2).mean(axis=0)
    return (th[:, :d] ** 2 + th[:, d:] ** 2) @ w
