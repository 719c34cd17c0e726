r"""Figure after Hardt, Recht, Singer, "Train faster, generalize better: stability of stochastic
gradient descent" (ICML 2016, arXiv 1509.01240).

* ``stability`` — logistic regression (n = 100, d = 10) and the same data with one example
  replaced; SGD with the same sample sequence on both (the same seed): the mean distance
  :math:`\|w_t-w'_t\|` over seeds against the bound :math:`\frac{2G}n\sum_{s<t}\alpha_s`, where G
  bounds the norm of a sampled step's gradient (:math:`L=\max\|x_i\|` without clipping,
  :math:`\min(L,\gamma)` with the clip at :math:`\gamma`), for two constant steps and with
  clipping (clipping named among stability-promoting practices by a secondary summary of the
  paper).  Bound and derivation: ``theorysim.theory.hardt2016`` (ours).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from ..theory import hardt2016 as _theory
from . import register
from ._style import apply

#: steps as fractions of 2/beta, the clip level, horizon and seeds (full, quick)
STEP_FRACTIONS = (0.5, 0.25)
GAMMA = 0.5
STEPS = (3_000, 600)
SEEDS = (64, 8)


def _constants():
    f, g = _theory.coupled_data()
    return max(f.info["beta"], g.info["beta"]), max(f.info["L"], g.info["L"])


def stability_methods():
    beta, _ = _constants()
    out = {}
    for fr in STEP_FRACTIONS:
        a = fr * 2 / beta
        out[f"sgd {fr:g}"] = _methods.gd(a)
        out[f"clipped {fr:g}"] = _methods.clipped_gd(a, GAMMA)
    return out


def stability_data(quick=False):
    k = 1 if quick else 0
    beta, L = _constants()
    seeds = np.arange(SEEDS[k])
    out = {}
    for name, m in stability_methods().items():
        a = m.hyper["eta"]
        G = min(L, GAMMA) if name.startswith("clipped") else L
        D = _theory.coupled_divergence(m, STEPS[k], seeds)
        out[name] = dict(D=D, bound=2 * G * a * np.arange(STEPS[k] + 1) / _theory.N_EX, alpha=a, G=G)
    return dict(runs=out, beta=beta, L=L, n_seeds=len(seeds))


def _caption():
    return (
        f"Logistic regression, n = {_theory.N_EX}, d = {_theory.D_EX}, and the same data with example 0 "
        "replaced (new x, flipped label); SGD with one example per step and the same sample sequence on "
        f"both (same seed), from w = 0; mean of ||w_t - w'_t|| over {SEEDS[0]} seeds (solid) against the "
        "bound (2G/n) sum_s alpha_s (dashed; ours: a step on a shared example is 1-Lipschitz for alpha "
        "<= 2/beta, the differing example moves the runs apart by at most 2 alpha G, with probability "
        "1/n). Constant steps alpha = " + ", ".join(f"{fr:g}" for fr in STEP_FRACTIONS) + " x 2/beta; "
        f"G = L = max ||x_i|| without clipping, G = min(L, gamma) with clipped SGD at gamma = {GAMMA:g}. "
        "The bound holds in every case; clipping lowers the bound but, measured here, not the "
        "divergence itself (clipped steps converge more slowly, so the runs keep drifting apart).")


@register("stability", paper="hardt2016",
          title="Stability of SGD: coupled runs on neighbouring data sets vs (2G/n) sum alpha_t",
          caption=_caption(), methods=stability_methods)
def stability_figure(quick=False):
    import matplotlib.pyplot as plt

    apply()
    d = stability_data(quick=quick)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True)
    cols = {"sgd": ("#1f77b4", "#17becf"), "clipped": ("#d62728", "#ff7f0e")}
    for name, r in d["runs"].items():
        kind, fr = name.split()
        col = cols[kind][STEP_FRACTIONS.index(float(fr))]
        t = np.arange(len(r["D"]))
        for ax in axes:
            ax.plot(t[1:], r["D"][1:], color=col, label=rf"{kind}, $\alpha={fr}\cdot2/\beta$")
            ax.plot(t[1:], r["bound"][1:], color=col, ls="--", lw=1)
    axes[0].set_xscale("log")
    axes[0].set_yscale("log")
    for ax in axes:
        ax.set_xlabel("step t")
        ax.set_ylabel(r"mean $\|w_t-w'_t\|$ (dashed: bound)")
    axes[1].set_ylim(0, 1.3 * max(r["D"].max() for r in d["runs"].values()))
    axes[0].set_title("log-log: bound linear in t, divergence saturates", fontsize=10)
    axes[1].set_title("linear axes, near the data", fontsize=10)
    axes[0].legend(fontsize=8)
    fig.suptitle(rf"Coupled SGD on data sets differing in one of {_theory.N_EX} examples "
                 rf"($\beta={d['beta']:.3g}$, $L={d['L']:.3g}$, {d['n_seeds']} seeds)", fontsize=10)
    return fig
