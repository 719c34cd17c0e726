r"""Measures along a trajectory.

So far: the local smoothness estimate of Zhang, He, Sra, Jadbabaie (ICLR 2020), the quantity
plotted against the gradient norm in their Figures 1-3.

>>> import numpy as np, theorysim as ts
>>> from theorysim.diagnostics import local_smoothness
>>> f = ts.objectives.get("cosh")
>>> xs = np.array([[3.0], [2.9], [2.8]])
>>> L, g = local_smoothness(f, xs)
>>> bool(np.all(L <= f.L0 + f.L1 * g))
True
"""
from __future__ import annotations

import numpy as np

from ..objectives._base import Objective

__all__ = ["gradients", "local_smoothness"]


def gradients(objective: Objective, xs) -> np.ndarray:
    r""":math:`\nabla f` at every row of ``xs`` (shape ``(n, d)``), in one batched kernel call.

    Returns an array of shape ``(n, d)``.
    """
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim == 1 and objective.dim == 1:
        xs = xs.reshape(-1, 1)
    if xs.ndim != 2 or xs.shape[1] != objective.dim:
        raise ValueError(f"{objective.name}: points must have shape (n, {objective.dim}), "
                         f"got {xs.shape}")
    X = np.ascontiguousarray(xs.T)
    G = np.empty_like(X)
    F = np.empty(X.shape[1])
    objective.evaluate(X, G, F)
    return G.T.copy()


def local_smoothness(objective: Objective, xs, alphas=(0.5,)):
    r"""Local smoothness estimate along a trajectory, against the gradient norm.

    For consecutive iterates :math:`x_t, x_{t+1}` (rows of ``xs``) and each
    :math:`\alpha\in(0,1)` in ``alphas``, let :math:`x_\alpha=\alpha x_t+(1-\alpha)x_{t+1}`; then

    .. math::
       \hat L_t=\max_{\alpha}\frac{\|\nabla f(x_\alpha)-\nabla f(x_t)\|}{\|x_\alpha-x_t\|},
       \qquad \|x_\alpha-x_t\|=(1-\alpha)\,\|x_{t+1}-x_t\| .

    With the default ``alphas=(0.5,)`` this is the gradient difference over the distance between
    :math:`x_t` and the midpoint of the step.  It is the estimator of the authors' public code
    (``JingzhaoZhang/why-clipping-accelerates``, ``main.py``, ``eval_smooth``: interior points
    ``alphas = arange(1, num_pts+1)/(num_pts+1)``, default one point, i.e. 1/2) behind Figures 1-3
    of Zhang et al. 2020, written here from that description for deterministic gradients.

    By the mean value theorem :math:`\hat L_t\le\sup_{y\in[x_t,x_\alpha]}\|\nabla^2f(y)\|`, so on an
    :math:`(L_0,L_1)`-smooth :math:`f` (Definition 1) the cloud lies below
    :math:`L_0+L_1\sup_{y}\|\nabla f(y)\|`, hence below :math:`L_0+L_1\|\nabla f(x_t)\|` whenever
    the gradient norm does not grow along the segment (e.g. a descent step of a convex 1-D
    function).

    Args:
      objective: a built-in or user :class:`~theorysim.objectives.Objective`.
      xs: iterates, shape ``(n, d)`` (e.g. ``Trajectory.x`` recorded with ``record_every=1``).
      alphas: interior points in :math:`(0,1)`.

    Returns:
      ``(L_hat, grad_norm)``, each of shape ``(n - 1,)``: the estimate for the step
      :math:`t\to t+1` and :math:`\|\nabla f(x_t)\|`.  A step of length zero gives ``nan``.
    """
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim == 1 and objective.dim == 1:
        xs = xs.reshape(-1, 1)
    alphas = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
    if alphas.size == 0 or np.any(~((alphas > 0) & (alphas < 1))):
        raise ValueError(f"alphas must lie in (0, 1), got {alphas}")
    if xs.ndim != 2 or xs.shape[0] < 2:
        raise ValueError(f"need at least two iterates of shape (n, d), got {xs.shape}")
    x_t, x_next = xs[:-1], xs[1:]
    g_t = gradients(objective, x_t)
    step = np.linalg.norm(x_next - x_t, axis=1)
    best = np.full(x_t.shape[0], -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for a in alphas:
            g_a = gradients(objective, a * x_t + (1.0 - a) * x_next)
            est = np.linalg.norm(g_a - g_t, axis=1) / ((1.0 - a) * step)
            best = np.fmax(best, est)
    best[~(step > 0)] = np.nan
    return best, np.linalg.norm(g_t, axis=1)
