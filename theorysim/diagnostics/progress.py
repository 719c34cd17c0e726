r"""Per-step measures of unstable convergence (after Ahn, Zhang, Sra, ICML 2022, arXiv 2204.01050).

For GD with step :math:`\eta` at an iterate :math:`x` with gradient :math:`g=\nabla f(x)\ne0`:

* **relative progress** :math:`\mathrm{RP}(x)=\dfrac{f(x-\eta g)-f(x)}{\eta\|g\|^2}`: negative when
  the step decreases f, and :math:`-1` in the limit :math:`\eta\to0`;
* **directional smoothness** (a secant along the step :math:`v=\eta g`)
  :math:`L(x,v)=\dfrac{\langle\nabla f(x)-\nabla f(x-v),\,v\rangle}{\|v\|^2}
  =\dfrac{\langle g,\,g-\nabla f(x-\eta g)\rangle}{\eta\|g\|^2}`;
* **directional curvature** :math:`\kappa_{\rm dir}(x)=\dfrac{g^\top\nabla^2f(x)\,g}{\|g\|^2}`, the
  curvature along the step *at the iterate* (the limit of :math:`L(x,sv)` as :math:`s\to0`), at
  most the sharpness :math:`\lambda_1(\nabla^2f(x))`.

On a quadratic the three are tied exactly: :math:`L=\kappa_{\rm dir}` and
:math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}` (statement ``ahn2022.rp_identity``).  For any
:math:`C^1` f, :math:`\mathrm{RP}=-1+\eta\int_0^1 s\,L(x,s\eta g)\,ds` (statement
``ahn2022.edge_hugging``, ours).  Where the two differ: during an oscillation across a valley whose
walls flatten (a Lipschitz loss) the secant :math:`L` spans both walls and sits at :math:`2/\eta`,
while :math:`\kappa_{\rm dir}` at the iterate is far smaller (figure ``ahn2022/edge_hugging``).

Sources: the paper's abstract and introduction were read [C] (descent lemma, their eqs.
(1.1)-(1.2)).  The definitions of RP and of the directional smoothness :math:`L(\theta,\eta\nabla
f(\theta))` above are as quoted from the paper by a public reproduction
(GiilDe/Understanding-the-unstable-convergence-of-gradient-descent, README) [S]: the paper's own
text past the introduction, with its equation numbers, could not be read.  ``directional_curvature``
is theorysim's pointwise variant.
"""
from __future__ import annotations

import numpy as np


def relative_progress(objective, xs, eta):
    r""":math:`\mathrm{RP}(x_k)` at every row of ``xs`` (NaN where :math:`g=0`)."""
    def rp(x, v, g, gg, eta):
        return (objective.value(x - eta * g) - v) / (eta * gg)

    return _along_step("relative_progress", objective, xs, eta, rp)


def directional_smoothness(objective, xs, eta):
    r"""The secant curvature along the GD step, :math:`L(x_k,\eta g_k)=\langle g_k,\,g_k-\nabla
    f(x_k-\eta g_k)\rangle/(\eta\|g_k\|^2)`, at every row of ``xs`` (NaN where :math:`g=0`).

    Along a GD trajectory :math:`\nabla f(x_k-\eta g_k)=g_{k+1}`; an exact flip
    :math:`g_{k+1}=-g_k` gives :math:`L=2/\eta`.  Definition as quoted from Ahn, Zhang, Sra (2022)
    [S] (module docstring)."""
    def secant(x, v, g, gg, eta):
        return float(g @ (g - objective.grad(x - eta * g))) / (eta * gg)

    return _along_step("directional_smoothness", objective, xs, eta, secant)


def _along_step(name, objective, xs, eta, measure):
    """``measure(x, f(x), g, |g|^2, eta)`` at every row of ``xs``; NaN where g = 0."""
    xs = _rows(objective, xs)
    eta = float(eta)
    if not (eta > 0 and np.isfinite(eta)):
        raise ValueError(f"{name}: eta must be finite and > 0, got {eta}")
    out = np.full(xs.shape[0], np.nan)
    for k, x in enumerate(xs):
        v, g = objective.value_and_grad(x)
        gg = float(g @ g)
        if gg > 0:
            out[k] = measure(x, v, g, gg, eta)
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
