r"""Per-step measures of unstable convergence (after Ahn, Zhang, Sra, ICML 2022, arXiv 2204.01050).

For GD with step :math:`\eta` at an iterate :math:`x` with gradient :math:`g=\nabla f(x)\ne0`:

* **relative progress** :math:`\mathrm{RP}(x)=\dfrac{f(x-\eta g)-f(x)}{\eta\|g\|^2}`: negative when
  the step decreases f, and :math:`-1` in the limit :math:`\eta\to0`;
* **directional curvature** :math:`\kappa_{\rm dir}(x)=\dfrac{g^\top\nabla^2f(x)\,g}{\|g\|^2}`, the
  curvature along the step, at most the sharpness :math:`\lambda_1(\nabla^2f(x))`.

On a quadratic, :math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}` exactly, so the step decreases f iff
:math:`\kappa_{\rm dir}<2/\eta` (statement ``ahn2022.rp_identity``).  The paper's abstract and
introduction [C] discuss GD converging with :math:`\eta>2/L` and the descent-lemma condition
(their eqs. (1.1)-(1.2)); that the paper defines exactly these two ratios is recalled, not read
(extended.md A2 [?]), so the definitions here are theorysim's.
"""
from __future__ import annotations

import numpy as np


def relative_progress(objective, xs, eta):
    r""":math:`\mathrm{RP}(x_k)` at every row of ``xs`` (NaN where :math:`g=0`)."""
    xs = _rows(objective, xs)
    eta = float(eta)
    if not (eta > 0 and np.isfinite(eta)):
        raise ValueError(f"relative_progress: eta must be finite and > 0, got {eta}")
    out = np.full(xs.shape[0], np.nan)
    for k, x in enumerate(xs):
        v, g = objective.value_and_grad(x)
        gg = float(g @ g)
        if gg > 0:
            out[k] = (objective.value(x - eta * g) - v) / (eta * gg)
    return out


def directional_curvature(objective, xs):
    r""":math:`\kappa_{\rm dir}(x_k)=g^\top\nabla^2f\,g/\|g\|^2` at every row of ``xs`` (NaN where
    :math:`g=0`); Hessian kernel when the objective has one, else a Hessian-vector product by
    central differences (:func:`theorysim.diagnostics.hvp`)."""
    from .sharpness import hvp

    xs = _rows(objective, xs)
    out = np.full(xs.shape[0], np.nan)
    for k, x in enumerate(xs):
        g = objective.grad(x)
        gg = float(g @ g)
        if gg == 0:
            continue
        try:
            Hg = objective.hessian(x) @ g
        except ValueError:
            Hg = hvp(objective, x, g)
        out[k] = float(g @ Hg) / gg
    return out


def _rows(objective, xs):
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 2 or xs.shape[1] != objective.dim:
        raise ValueError(f"xs must have shape (n, {objective.dim}), got {xs.shape}")
    return xs
