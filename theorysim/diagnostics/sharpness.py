r"""Sharpness (the top Hessian eigenvalue :math:`\lambda_1(\nabla^2f)`) along a trajectory, against
the stability edge :math:`2/\eta` of GD with step :math:`\eta` (a quadratic with curvature above
:math:`2/\eta` is unstable under GD: statement ``thresholds.quadratic``).

* small dimension (``d <= EXACT_MAX_DIM``): the exact top eigenvalue of the objective's Hessian
  kernel (``numpy.linalg.eigvalsh``);
* larger dimension: Lanczos (ARPACK's implicitly restarted Lanczos, :func:`scipy.sparse.linalg.eigsh`)
  on Hessian-vector products, each a central difference of two gradient kernels,
  :math:`\nabla^2f(x)v\approx(\nabla f(x+\epsilon v)-\nabla f(x-\epsilon v))/(2\epsilon)`
  (error :math:`O(\epsilon^2)`, :math:`\epsilon` scaled to :math:`\|x\|`); no Hessian is formed.
"""
from __future__ import annotations

import numpy as np

#: largest dimension for which :func:`sharpness` forms the Hessian by default
EXACT_MAX_DIM = 64


def hvp(objective, x, v, eps=None):
    r""":math:`\nabla^2f(x)v` by a central difference of gradients (step ``eps``, default
    :math:`10^{-5}(1+\|x\|)/\|v\|`)."""
    x = np.asarray(x, dtype=float)
    v = np.asarray(v, dtype=float)
    nv = float(np.linalg.norm(v))
    if nv == 0.0:
        return np.zeros_like(x)
    e = 1e-5 * (1.0 + float(np.linalg.norm(x))) / nv if eps is None else float(eps)
    return (objective.grad(x + e * v) - objective.grad(x - e * v)) / (2.0 * e)


def sharpness(objective, x, method="auto", tol=1e-10):
    r"""Top eigenvalue :math:`\lambda_1(\nabla^2 f(x))` at one point.

    Args:
      objective: an objective with a Hessian kernel (``method="exact"``) or any objective
        (``method="lanczos"``).
      x: the point, shape ``(d,)``.
      method: ``"exact"``, ``"lanczos"`` or ``"auto"`` (exact up to ``EXACT_MAX_DIM``).
      tol: ARPACK's relative tolerance (Lanczos only).
    """
    if method not in ("auto", "exact", "lanczos"):
        raise ValueError(f"sharpness: method must be 'auto', 'exact' or 'lanczos', got {method!r}")
    x = np.asarray(x, dtype=float)
    if method == "exact" or (method == "auto" and objective.dim <= EXACT_MAX_DIM):
        return float(np.linalg.eigvalsh(objective.hessian(x))[-1])
    if objective.dim < 3:
        raise ValueError("sharpness: Lanczos needs dim >= 3; use method='exact'")
    from scipy.sparse.linalg import LinearOperator, eigsh

    op = LinearOperator((objective.dim, objective.dim), matvec=lambda v: hvp(objective, x, v.ravel()),
                        dtype=float)
    v0 = np.ones(objective.dim) / np.sqrt(objective.dim)
    return float(eigsh(op, k=1, which="LA", tol=tol, v0=v0, return_eigenvectors=False)[0])


def sharpness_along(objective, xs, method="auto"):
    """:func:`sharpness` at every row of ``xs`` (shape ``(n, d)``, e.g. ``Trajectory.x``)."""
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 2 or xs.shape[1] != objective.dim:
        raise ValueError(f"sharpness_along: xs must have shape (n, {objective.dim}), got {xs.shape}")
    return np.array([sharpness(objective, x, method) for x in xs])
