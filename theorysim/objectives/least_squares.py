r"""Least squares :math:`f(x)=\frac1{2n}\|Ax-b\|^2` with a minibatch oracle.

The oracle averages :math:`a_i(a_i^\top x-b_i)` over a minibatch of ``batch`` rows drawn uniformly
with replacement (unbiased); the recorded loss is the full :math:`f(x)`.  L-smooth with
:math:`L=\lambda_{\max}(A^\top A)/n`.

``params = [n, batch, A (row-major), b]``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import uniform
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    n = int(params[0])
    batch = int(params[1])
    A0 = 2
    b0 = 2 + n * d
    if j1 - j0 < 4:  # a single run (or a narrow block): one column at a time
        for j in range(j0, j1):
            s = 0.0
            for i in range(n):
                r = -params[b0 + i]
                for k in range(d):
                    r += params[A0 + i * d + k] * X[k, j]
                s += r * r
            F[j] = 0.5 * s / n
    else:
        # the block's columns side by side: row i's residuals accumulate in G[0, j0:j1] (free
        # until the gradient below), each column's sums in the same order as alone (same bits);
        # A (n d numbers) is read once per block, not once per column, and the columns'
        # independent sums fill the pipeline: the lr_batch figure's sweeps 38 -> 22 s
        for j in range(j0, j1):
            F[j] = 0.0
        for i in range(n):
            for j in range(j0, j1):
                G[0, j] = -params[b0 + i]
            for k in range(d):
                a = params[A0 + i * d + k]
                for j in range(j0, j1):
                    G[0, j] += a * X[k, j]
            for j in range(j0, j1):
                F[j] += G[0, j] * G[0, j]
        for j in range(j0, j1):
            F[j] = 0.5 * F[j] / n
    for j in range(j0, j1):
        for k in range(d):
            G[k, j] = 0.0
        for _ in range(batch):
            i = min(int(uniform(rng, j) * n), n - 1)
            r = -params[b0 + i]
            for k in range(d):
                r += params[A0 + i * d + k] * X[k, j]
            for k in range(d):
                G[k, j] += r * params[A0 + i * d + k]
        for k in range(d):
            G[k, j] /= batch


@jit
def hess(params, x, H):
    d = x.shape[0]
    n = int(params[0])
    for k in range(d):
        for m in range(d):
            s = 0.0
            for i in range(n):
                s += params[2 + i * d + k] * params[2 + i * d + m]
            H[k, m] = s / n


def make(A=None, b=None, batch=1, n=64, dim=4, seed=0):
    r"""Least squares :math:`\frac1{2n}\|Ax-b\|^2` with minibatch oracle (random A, b from
    ``seed`` when not given)."""
    if A is None:
        rs = np.random.default_rng(seed)
        A = rs.normal(size=(n, dim))
        b = A @ rs.normal(size=dim) + 0.1 * rs.normal(size=n)
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    if A.ndim != 2 or b.shape != (A.shape[0],):
        raise ValueError(f"least_squares: need A of shape (n, d) and b of shape (n,), got "
                         f"{A.shape} and {b.shape}")
    n, d = A.shape
    batch = int(batch)
    if not 1 <= batch:
        raise ValueError(f"least_squares: batch must be >= 1, got {batch}")
    L = float(np.linalg.eigvalsh(A.T @ A / n).max())
    xs = np.linalg.lstsq(A, b, rcond=None)[0]
    fstar = float(0.5 * np.sum((A @ xs - b) ** 2) / n)
    return Objective(
        name="least_squares", dim=d, params=np.concatenate([[n, batch], A.ravel(), b]),
        L0=L, L1=0.0, f_star=fstar, source="finite sum (1/2n)||Ax - b||^2, L = lambda_max(A'A)/n",
        info=dict(stochastic=True, x_star=xs, n=n, batch=batch),
    )
