r"""Figure after Damian, Ma, Lee, "Label noise SGD provably prefers flat global minimizers"
(NeurIPS 2021, arXiv 2106.06530).

* ``label_noise`` — GD against SGD with label noise (:math:`y\to y+\epsilon`, :math:`\epsilon`
  uniform on :math:`\{\pm\sigma\}`, the paper's definition [read]) on the toy
  :math:`\frac12(ab-1)^2` (paths in the (a, b) plane, the trace of the Hessian along the run) and
  on a small diagonal-net regression with a manifold of interpolators
  (``objectives.diagonal_net``, n = 10, d = 30).  GD stops at the first interpolator it meets;
  label noise moves along the manifold towards smaller :math:`\operatorname{tr}\nabla^2L`
  (``theorysim.theory.damian2021``).  The regularizer's exact form is not drawn (not read).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import run
from ..objectives.diagonal_net import trace_hessian
from . import register
from ._style import apply

#: toy: starts, step, noise levels, steps (full, quick)
TOY_STARTS = ((2.0, 0.5), (0.4, 2.5), (3.0, 0.2))
TOY_ETA = 0.01
TOY_SIGMAS = (0.1, 0.3)
TOY_STEPS = (2_000_000, 400_000)
TOY_SEED = 0
#: regression: data, start, step, noise, steps
REG = dict(n=10, dim=30, sparsity=3, seed=1)
REG_ETA = 0.02
REG_SIGMA = 0.5
REG_STEPS = (1_000_000, 200_000)
REG_START_SEED = 0


def label_noise_methods():
    """GD on both problems (label-noise SGD is GD's rule on the stochastic oracle)."""
    return {"toy": _methods.gd(TOY_ETA), "regression": _methods.gd(REG_ETA)}


def label_noise_data(quick=False):
    k = 1 if quick else 0
    toy = {}
    for sigma in (0.0,) + TOY_SIGMAS:
        if sigma == 0:
            f = _objectives.get("diagonal_net", X=[[1.0]], y=[1.0])
        else:
            f = _objectives.get("diagonal_net", X=[[1.0]], y=[1.0], sigma=sigma, batch=1)
        runs = []
        for s0 in TOY_STARTS:
            steps = 20_000 if sigma == 0 else TOY_STEPS[k]
            tr = run(f, _methods.gd(TOY_ETA), x0=list(s0), steps=steps, record_every=max(1, steps // 4000),
                     **({} if sigma == 0 else {"seed": TOY_SEED}))
            runs.append((tr.iteration, tr.x, trace_hessian(f, tr.x)))
        toy[sigma] = runs
    clean = _objectives.get("diagonal_net", **REG)
    noisy = _objectives.get("diagonal_net", **REG, sigma=REG_SIGMA, batch=1)
    d = clean.info["d"]
    x0 = np.random.default_rng(REG_START_SEED).uniform(0.2, 1.0, 2 * d)
    reg = {}
    for name, f, steps in (("GD", clean, REG_STEPS[k] // 20), ("label noise", noisy, REG_STEPS[k])):
        tr = run(f, _methods.gd(REG_ETA), x0=x0, steps=steps, record_every=max(1, steps // 2000),
                 **({"seed": 0} if f.info["stochastic"] else {}))
        reg[name] = (tr.iteration, trace_hessian(clean, tr.x), tr.loss)
    return dict(toy=toy, reg=reg)


def _caption():
    return (
        "GD vs SGD with label noise (y + eps, eps uniform on {-sigma, +sigma}, the paper's definition). "
        f"Left and centre: the toy L(a, b) = (ab - 1)^2/2, step eta = {TOY_ETA:g}, sigma = "
        f"{', '.join(f'{s:g}' for s in TOY_SIGMAS)}, starts {', '.join(str(s) for s in TOY_STARTS)}, "
        f"{TOY_STEPS[0]} steps: GD stops at the first point of ab = 1 it meets, label noise slides along "
        "ab = 1 to a = b = 1, where tr Hess L = a^2 + b^2 is minimal (= 2; sympy, "
        "theorysim.theory.damian2021). Right: regression with a diagonal linear network beta = u*v, "
        f"n = {REG['n']}, d = {REG['dim']} (a manifold of interpolators), step eta = {REG_ETA:g}, sigma = "
        f"{REG_SIGMA:g}, one example per step: the trace of the Hessian along the run. The paper's "
        "regularizer (its exact form and constants) was not read and is not drawn.")


@register("label_noise", paper="damian2021",
          title="Label-noise SGD slides to the flattest interpolator; GD stops at the first",
          caption=_caption(), methods=label_noise_methods)
def label_noise_figure(quick=False):
    import matplotlib.pyplot as plt

    apply()
    d = label_noise_data(quick=quick)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)
    ax = axes[0]
    a = np.linspace(0.15, 3.5, 400)
    ax.plot(a, 1 / a, color="#555555", lw=1, label="ab = 1")
    cols = {0.0: "#1f77b4", TOY_SIGMAS[0]: "#ff7f0e", TOY_SIGMAS[-1]: "#d62728"}
    for sigma, runs in d["toy"].items():
        for j, (_, x, _) in enumerate(runs):
            lab = ("GD" if sigma == 0 else rf"label noise $\sigma={sigma:g}$") if j == 0 else None
            ax.plot(x[:, 0], x[:, 1], color=cols[sigma], lw=1 if sigma else 2, alpha=0.8, label=lab)
            ax.plot(*x[-1], "o", color=cols[sigma], ms=5)
    ax.plot(1, 1, "k*", ms=12, label="a = b = 1")
    ax.set_xlim(0, 3.5)
    ax.set_ylim(0, 3.5)
    ax.set_xlabel("a")
    ax.set_ylabel("b")
    ax.set_title(r"toy $(ab-1)^2/2$: paths (dots: ends)", fontsize=10)
    ax.legend(fontsize=8)
    ax = axes[1]
    for sigma, runs in d["toy"].items():
        for j, (t, _, trc) in enumerate(runs):
            lab = ("GD" if sigma == 0 else rf"$\sigma={sigma:g}$") if j == 0 else None
            ax.plot(np.maximum(t, 1), trc, color=cols[sigma], lw=1, label=lab)
    ax.axhline(2.0, color="k", lw=0.8, ls="--", label="min on ab = 1: 2")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"tr $\nabla^2L = a^2+b^2$")
    ax.set_title("toy: trace of the Hessian", fontsize=10)
    ax.legend(fontsize=8)
    ax = axes[2]
    for name, (t, trc, loss) in d["reg"].items():
        ax.plot(np.maximum(t, 1), trc, color="#1f77b4" if name == "GD" else "#d62728",
                label=f"{name}: final trace {trc[-1]:.2f}, loss {loss[-1]:.1e}")
    ax.set_xscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"tr $\nabla^2L$")
    ax.set_title(rf"diagonal net, n = {REG['n']}, d = {REG['dim']}", fontsize=10)
    ax.legend(fontsize=8)
    fig.suptitle("Label-noise SGD prefers flat minimizers (after Damian, Ma, Lee 2021)", fontsize=10)
    return fig
