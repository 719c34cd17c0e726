r"""Logistic regression :math:`f(w)=\frac1n\sum_i\log(1+e^{-y_ix_i^\top w})`, :math:`y_i=\pm1`, with
a minibatch oracle (the testbed of Hardt, Recht, Singer 2016's stability argument).

Each summand is convex, :math:`\|x_i\|`-Lipschitz and :math:`\|x_i\|^2/4`-smooth, so f is convex,
:math:`L`-Lipschitz and :math:`\beta`-smooth with :math:`L=\max_i\|x_i\|`,
:math:`\beta=\max_i\|x_i\|^2/4` (``info["L"]``, ``info["beta"]``; documented :math:`(L_0,L_1)=(\beta,0)`).
The oracle draws ``batch`` indices uniformly with replacement (``batch = 0``: full gradient); the
indices come first from the run's stream, so two data sets of the same size driven by the same
seed see **the same sample sequence** (the coupling of Hardt et al.'s proof).  The recorded loss
is the full f.

``params = [n, d, batch, X (row-major), y]``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import uniform
from ._base import Objective


@inner
def _loss_and_slope(m):
    """:math:`\\log(1+e^{-m})` and its derivative :math:`-1/(1+e^m)`, stable for large |m|."""
    if m > 0:
        e = np.exp(-m)
        return np.log1p(e), -e / (1.0 + e)
    e = np.exp(m)
    return -m + np.log1p(e), -1.0 / (1.0 + e)


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    n = int(params[0])
    batch = int(params[2])
    x0 = 3
    y0 = 3 + n * d
    m_draw = batch if batch > 0 else n
    for j in range(j0, j1):
        for k in range(d):
            G[k, j] = 0.0
        for s in range(m_draw):
            i = s
            if batch > 0:
                i = min(int(uniform(rng, j) * n), n - 1)
            m = 0.0
            for k in range(d):
                m += params[x0 + i * d + k] * X[k, j]
            m *= params[y0 + i]
            _, sl = _loss_and_slope(m)
            for k in range(d):
                G[k, j] += sl * params[y0 + i] * params[x0 + i * d + k]
        for k in range(d):
            G[k, j] /= m_draw
        tot = 0.0
        for i in range(n):
            m = 0.0
            for k in range(d):
                m += params[x0 + i * d + k] * X[k, j]
            lv, _ = _loss_and_slope(m * params[y0 + i])
            tot += lv
        F[j] = tot / n


@jit
def hess(params, x, H):
    d = x.shape[0]
    n = int(params[0])
    for a in range(d):
        for b in range(d):
            H[a, b] = 0.0
    for i in range(n):
        m = 0.0
        for k in range(d):
            m += params[3 + i * d + k] * x[k]
        p = 1.0 / (1.0 + np.exp(-abs(m)))
        w = p * (1.0 - p)
        for a in range(d):
            for b in range(d):
                H[a, b] += w * params[3 + i * d + a] * params[3 + i * d + b] / n


def make(X=None, y=None, batch=1, n=100, dim=10, seed=0):
    r"""Logistic regression on ``X`` (n x d) with labels ``y`` in {-1, +1}, or random data from
    ``seed`` (Gaussian X, labels from a random linear rule with 10 % flipped)."""
    if X is None:
        rs = np.random.default_rng(seed)
        X = rs.normal(size=(int(n), int(dim)))
        w = rs.normal(size=int(dim))
        y = np.sign(X @ w + 1e-12)
        y[rs.random(int(n)) < 0.1] *= -1
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],) or X.size == 0:
        raise ValueError(f"logistic: need X of shape (n, d) and y of shape (n,), got {X.shape} and {y.shape}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("logistic: labels y must be -1 or +1")
    if not np.all(np.isfinite(X)):
        raise ValueError("logistic: X must be finite")
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 0:
        raise ValueError(f"logistic: batch must be an integer >= 0 (0: full batch), got {batch!r}")
    nn, d = X.shape
    sq = (X**2).sum(axis=1)
    beta = float(sq.max() / 4)
    return Objective(
        name="logistic", dim=d, params=np.concatenate([[nn, d, float(batch)], X.ravel(), y]),
        L0=beta, L1=0.0,
        source="each summand ||x_i||^2/4-smooth: beta = max ||x_i||^2/4, L1 = 0",
        info=dict(stochastic=batch > 0, n=nn, batch=int(batch), X=X, y=y, L=float(np.sqrt(sq.max())),
                  beta=beta),
    )
