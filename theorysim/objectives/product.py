r"""Two-parameter product model :math:`f(x,y)=\ell(xy-c)` with an even, convex, Lipschitz
:math:`\ell` and a target :math:`c` (default 0).

Here :math:`\ell(s)=\log\cosh(\sqrt a\,s)`, so :math:`\ell'(s)=\sqrt a\tanh(\sqrt a\,s)`
(:math:`|\ell'|<\sqrt a`), :math:`\ell''(0)=a`.  The minimisers are the two axes :math:`xy=0`; on
:math:`x=0` the Hessian is :math:`\mathrm{diag}(a y^2,0)`, so the sharpness there is
:math:`\ell''(0)y^2` and GD with step :math:`\eta` can only settle where :math:`\eta\ell''(0)y^2\le2`
(statement ``ahn2023.edge``).  With a target :math:`c\ne0` (a scalar factorisation
:math:`xy\approx c` under a Lipschitz loss) the minimisers are the hyperbola :math:`xy=c`, where the
Hessian is :math:`\ell''(0)\,(y,x)(y,x)^\top` with sharpness :math:`\ell''(0)(x^2+y^2)`; the two
sides of the valley are then not mirror images, so an oscillating GD run has a non-monotone loss
(figure ``ahn2022/edge_hugging``).

This is **theorysim's own** minimalist edge-of-stability example.  Ahn, Bubeck, Chewi, Lee,
Suarez, Zhang (NeurIPS 2023, abstract [C]) analyse simplified two-layer ReLU models and find a
sharp phase transition in the step size; whether their reduced model is :math:`\ell(xy)` could not
be confirmed in their text, so no claim of theirs is reproduced here.  Built with
:func:`theorysim.objectives.from_sympy` (value, gradient, Hessian from one expression).
"""
from __future__ import annotations

import numpy as np


def product_loss(a=1.0, c=0.0):
    r""":math:`f(x,y)=\log\cosh(\sqrt a\,(xy-c))` with :math:`\ell''(0)=a>0` and target :math:`c`
    (module docstring); ``c = 0`` is the even model :math:`\ell(xy)`."""
    import sympy as sp

    from .user import from_sympy

    try:
        a = float(a)
    except (TypeError, ValueError):
        raise ValueError(f"product_loss: a must be a real number > 0, got {a!r}") from None
    if not (np.isfinite(a) and a > 0):
        raise ValueError(f"product_loss: a must be finite and > 0, got {a}")
    try:
        c = float(c)
    except (TypeError, ValueError):
        raise ValueError(f"product_loss: c must be a finite real number, got {c!r}") from None
    if not np.isfinite(c):
        raise ValueError(f"product_loss: c must be a finite real number, got {c}")
    x, y = sp.symbols("x y", real=True)
    s = x * y - sp.nsimplify(c) if c != 0 else x * y
    f = from_sympy(sp.log(sp.cosh(sp.sqrt(sp.nsimplify(a)) * s)), [x, y], name="product_logcosh",
                   f_star=0.0)
    f.info.update(a=a, c=c, curvature_at_0=a)
    return f
