r"""Deep linear chain :math:`f(W_1,\dots,W_N)=\tfrac12\|W_N\cdots W_1-\Phi\|_F^2` with square
:math:`d\times d` factors and target :math:`\Phi` (the model class of Elkabetz & Cohen 2021,
abstract [C]; the instance is theorysim's).

Built with :func:`theorysim.objectives.from_sympy`, so value, gradient and Hessian are generated
from one sympy expression.  The parameter vector stacks the factors row-major:
``x = [W_1.ravel(), ..., W_N.ravel()]`` (:func:`unpack` undoes it).  Gradient:
:math:`\nabla_{W_j}f=(W_N\cdots W_{j+1})^\top E\,(W_{j-1}\cdots W_1)^\top`, :math:`E=W_N\cdots W_1-\Phi`.
Not a registered family (no (L0, L1) certificate is claimed): :math:`f^*=0`, attained on an
unbounded set where the Hessian grows without bound while the gradient is 0.
"""
from __future__ import annotations

import numpy as np


def deep_linear(target, depth=3):
    r"""The chain objective for a square ``target`` :math:`\Phi` (d x d) and ``depth`` N >= 2."""
    import sympy as sp

    from .user import from_sympy

    Phi = np.asarray(target, dtype=float)
    if Phi.ndim != 2 or Phi.shape[0] != Phi.shape[1] or not np.all(np.isfinite(Phi)):
        raise ValueError(f"deep_linear: target must be a finite square matrix, got shape {Phi.shape}")
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 2:
        raise ValueError(f"deep_linear: depth must be an integer >= 2, got {depth!r}")
    d = Phi.shape[0]
    Ws = [sp.Matrix(d, d, lambda i, k, j=j: sp.Symbol(f"w{j + 1}_{i}{k}", real=True))
          for j in range(depth)]
    P = Ws[0]
    for W in Ws[1:]:
        P = W * P
    E = P - sp.Matrix(d, d, [sp.nsimplify(v) for v in Phi.ravel()])
    expr = sum(e**2 for e in E) / 2
    syms = [s for W in Ws for s in W]
    f = from_sympy(expr, syms, name="deep_linear", f_star=0.0)
    f.info.update(d=d, depth=int(depth), target=Phi.copy())
    return f


def unpack(x, d, depth):
    """The factors ``[W_1, ..., W_N]`` of a parameter vector (or of each row of an array)."""
    x = np.asarray(x, dtype=float)
    return [x[..., j * d * d:(j + 1) * d * d].reshape(*x.shape[:-1], d, d) for j in range(depth)]
