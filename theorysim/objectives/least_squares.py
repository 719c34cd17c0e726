r"""Least squares :math:`f(x)=\frac1{2n}\|Ax-b\|^2` with a minibatch oracle.

The oracle averages :math:`a_i(a_i^\top x-b_i)` over a minibatch of ``batch`` rows drawn uniformly
with replacement (unbiased); the recorded loss is the full :math:`f(x)`.  L-smooth with
:math:`L=\lambda_{\max}(A^\top A)/n`.

``params = [n, batch, A (row-major), b, A^T (row-major)]``; a block of runs asks for one scratch
row per run (``info["scratch_per_run"]``).
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
    if j1 - j0 < 4 or scratch.shape[0] < j1 - j0:  # one run, a narrow block: column by column
        for j in range(j0, j1):
            s = 0.0
            for i in range(n):
                r = -params[b0 + i]
                for k in range(d):
                    r += params[A0 + i * d + k] * X[k, j]
                s += r * r
            F[j] = 0.5 * s / n
    else:
        _block_loss(params, X, F, j0, j1, n, d, scratch)
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


@inner
def _block_loss(params, X, F, j0, j1, n, d, R):
    r"""F[j] = f(x_j) for the block's columns, each residual and each sum in the same order as
    column by column (same bits), but vectorised: rows in chunks of d, a chunk's residuals of
    column j in ``R[j - j0]``, built coordinate by coordinate from :math:`A^\top` (stored after b,
    so each coordinate's slice of a chunk is contiguous), two coordinates per sweep of R.  The
    lr_batch figure's least-squares loss 2.3x faster than rows one at a time (blocks 16, 16, 5).
    Unsigned indices: no wraparound test, so LLVM sees unit strides."""
    nu = np.uint64(n)
    du = np.uint64(d)
    b0 = np.uint64(2) + nu * du
    T0 = b0 + nu
    one = np.uint64(1)
    d2 = du - du % np.uint64(2)
    for j in range(j0, j1):
        F[j] = 0.0
    for i0 in range(np.uint64(0), nu, du):
        m = min(du, nu - i0)
        for j in range(j0, j1):
            q = j - j0
            for ii in range(np.uint64(0), m):
                R[q, ii] = -params[b0 + i0 + ii]
        for k in range(np.uint64(0), d2, np.uint64(2)):  # r += a_k x_k, then += a_{k+1} x_{k+1}
            a0 = T0 + k * nu + i0
            a1 = a0 + nu
            for j in range(j0, j1):
                x0 = X[k, j]
                x1 = X[k + one, j]
                q = j - j0
                for ii in range(np.uint64(0), m):
                    R[q, ii] = (R[q, ii] + params[a0 + ii] * x0) + params[a1 + ii] * x1
        for k in range(d2, du):
            a0 = T0 + k * nu + i0
            for j in range(j0, j1):
                xk = X[k, j]
                q = j - j0
                for ii in range(np.uint64(0), m):
                    R[q, ii] += params[a0 + ii] * xk
        for ii in range(np.uint64(0), m):  # the squares in row order
            for j in range(j0, j1):
                r = R[j - j0, ii]
                F[j] += r * r
    for j in range(j0, j1):
        F[j] = 0.5 * F[j] / n


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
        name="least_squares", dim=d, params=np.concatenate([[n, batch], A.ravel(), b, A.T.ravel()]),
        L0=L, L1=0.0, f_star=fstar, source="finite sum (1/2n)||Ax - b||^2, L = lambda_max(A'A)/n",
        info=dict(stochastic=True, x_star=xs, n=n, batch=batch, scratch_per_run=1),
    )
