r"""Figures after Yaida, "Fluctuation-dissipation relations for stochastic gradient descent"
(arXiv 1810.00004, ICLR 2019).

* ``stationary`` — SGD on the noisy quadratic (``objectives.noisy_quadratic``): (left) both
  sides of the first fluctuation-dissipation relation,
  :math:`\langle\theta\cdot\nabla f\rangle` against :math:`\tfrac\eta2\langle\|g\|^2\rangle`, for a
  grid of step sizes and batch sizes, each point the mean over many seeds with its 95 % interval;
  (right) the stationary variance per eigenvalue, normalised by :math:`\eta c_i/(Bh_i)`, against
  :math:`\eta h_i`, with the curve :math:`1/(2-\eta h_i)` (theorysim's derivation,
  :mod:`theorysim.theory.yaida2018`).

What is the paper's and what is ours: the abstract was read (exact relations at any stationary
state); the form of the first relation comes from a secondary restatement and is re-derived by
sympy; the per-eigenvalue variance is our derivation.  The momentum form is not drawn (unconfirmed).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from ..theory import yaida2018 as _theory
from . import register
from ._style import apply

#: the noisy quadratic (curvatures, per-sample noise variance) — the statements' instance
H_DIAG = _theory.H_DIAG
C_DIAG = _theory.C_DIAG
#: left panel: step sizes x batch sizes
FDR_ETAS = (0.05, 0.1, 0.2, 0.4)
FDR_BATCHES = (1, 4, 16)
#: right panel: step sizes (batch VAR_BATCH); eta * max h reaches 1.8
VAR_ETAS = (0.1, 0.3, 0.5, 0.6)
VAR_BATCH = 1
#: seeds, updates per run and burn-in, (full, quick)
SEEDS = (64, 16)
STEPS = (20_000, 3_000)
BURN = (1_000, 300)
Z95 = 1.96


def stationary_methods():
    """SGD (``methods.gd``: a constant step on the stochastic objective) at every step size."""
    return {f"sgd eta={e:g}": _methods.gd(e) for e in sorted(set(FDR_ETAS) | set(VAR_ETAS))}


def stationary_data(quick=False):
    """Per (eta, B): seed means and standard errors of both FDR sides; per eta: the normalised
    per-eigenvalue variances with their standard errors."""
    k = 1 if quick else 0
    seeds = np.arange(SEEDS[k])
    fdr = []
    for eta in FDR_ETAS:
        for b in FDR_BATCHES:
            lhs, g2 = _theory.fdr_samples(eta, b, seeds, STEPS[k], BURN[k], H_DIAG, C_DIAG)
            rhs = eta / 2 * g2
            (mL, sL), (mR, sR) = _theory.mean_se(lhs), _theory.mean_se(rhs)
            _, sD = _theory.mean_se(lhs - rhs)
            fdr.append(dict(eta=eta, B=b, lhs=mL, lhs_se=sL, rhs=mR, rhs_se=sR, diff_se=sD,
                            z=(mL - mR) / sD))
    h = np.asarray(H_DIAG, float)
    c = np.broadcast_to(np.asarray(C_DIAG, float), h.shape)
    var = []
    for eta in VAR_ETAS:
        x2 = _theory.variance_samples(eta, VAR_BATCH, seeds, STEPS[k], BURN[k], H_DIAG, C_DIAG)
        m, se = _theory.mean_se(x2)
        scale = eta * c / (VAR_BATCH * h)
        var.append(dict(eta=eta, eta_h=eta * h, norm=m / scale, norm_se=se / scale))
    return dict(fdr=fdr, var=var, n_seeds=len(seeds), steps=STEPS[k], burn=BURN[k])


def _caption():
    etas = sorted(set(FDR_ETAS) | set(VAR_ETAS))
    return (
        "SGD (theta <- theta - eta g) on the noisy quadratic f = 1/2 sum_i h_i theta_i^2, h = "
        f"({', '.join(f'{v:g}' for v in H_DIAG)}), gradient noise N(0, c_i/B) with c_i = {C_DIAG:g}, "
        f"from theta_0 = 0; step sizes eta = {', '.join(f'{e:g}' for e in etas)}; "
        f"{SEEDS[0]} seeds per setting, {STEPS[0]} updates, the first {BURN[0]} dropped; each seed "
        "gives one time average, points are seed means with 95 % intervals. Left: Yaida's first "
        "fluctuation-dissipation relation <theta . grad f> = (eta/2) <||g||^2> for eta = "
        f"{', '.join(f'{e:g}' for e in FDR_ETAS)} and batch B = "
        f"{', '.join(str(b) for b in FDR_BATCHES)} (relation form from a secondary source, "
        "re-derived by sympy); centre: its relative residual per setting (the same seeds serve every "
        "setting, and SGD here is linear in the noise, so runs that differ only in B are the same "
        "runs scaled by 1/sqrt(B) and their residuals coincide). Right: stationary variance along "
        "each eigenvector, measured in one "
        f"5-dimensional run per seed (B = {VAR_BATCH}), divided by eta c_i/(B h_i), against eta "
        "h_i; the curve 1/(2 - eta h_i) is theorysim's derivation (discrete Lyapunov equation); "
        "it diverges at eta h_i = 2. theorysim check --paper yaida2018 runs both statements.")


@register("stationary", paper="yaida2018",
          title="SGD's stationary laws on a noisy quadratic: FDR1 and the per-eigenvalue variance",
          caption=_caption(), methods=stationary_methods)
def stationary_figure(quick=False):
    """FDR1 sides against each other (left); normalised stationary variances (right)."""
    import matplotlib.pyplot as plt

    apply()
    d = stationary_data(quick=quick)
    fig, axes = plt.subplots(1, 3, figsize=(15.5, 4.6), constrained_layout=True,
                             gridspec_kw={"width_ratios": [1.15, 0.8, 1.15]})
    ax = axes[0]
    marker = {b: m for b, m in zip(FDR_BATCHES, "os^Dv")}
    cmap = plt.get_cmap("viridis")
    col = {e: cmap(i / max(1, len(FDR_ETAS) - 1)) for i, e in enumerate(FDR_ETAS)}
    lo = min(min(r["lhs"], r["rhs"]) for r in d["fdr"]) / 1.5
    hi = max(max(r["lhs"], r["rhs"]) for r in d["fdr"]) * 1.5
    ax.plot([lo, hi], [lo, hi], color="#555555", lw=1, label="equality")
    for r in d["fdr"]:
        ax.errorbar(r["rhs"], r["lhs"], xerr=Z95 * r["rhs_se"], yerr=Z95 * r["lhs_se"],
                    color=col[r["eta"]], marker=marker[r["B"]], ms=5, lw=1, ls="none",
                    label=rf"$\eta={r['eta']:g}$, $B={r['B']}$")
    zmax = max(abs(r["z"]) for r in d["fdr"])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\frac{\eta}{2}\langle\|g\|^2\rangle$ (measured)")
    ax.set_ylabel(r"$\langle\theta\cdot\nabla f\rangle$ (measured)")
    ax.set_title(f"FDR1: {len(d['fdr'])} settings, max |paired z| = {zmax:.2f}", fontsize=10)
    ax.legend(fontsize=6.5, ncol=2, loc="upper left")
    ax = axes[1]
    for i, r in enumerate(d["fdr"]):
        ax.errorbar(i, (r["lhs"] - r["rhs"]) / r["rhs"], yerr=Z95 * r["diff_se"] / r["rhs"],
                    color=col[r["eta"]], marker=marker[r["B"]], ms=5, lw=1, ls="none")
    ax.axhline(0.0, color="#555555", lw=1)
    ax.set_xticks(range(len(d["fdr"])), [f"{r['eta']:g}/{r['B']}" for r in d["fdr"]], rotation=60,
                  fontsize=7)
    ax.set_xlabel(r"$\eta$ / $B$")
    ax.set_ylabel(r"$(\langle\theta\cdot\nabla f\rangle-\frac{\eta}{2}\langle\|g\|^2\rangle)\,/\,"
                  r"\frac{\eta}{2}\langle\|g\|^2\rangle$")
    ax.set_title("FDR1 relative residual (95 % paired interval)", fontsize=10)
    ax = axes[2]
    x = np.linspace(0.0, 1.95, 400)
    ax.plot(x, 1.0 / (2.0 - x), color="#555555", lw=1.2, label=r"$1/(2-\eta h_i)$ (ours)")
    vc = {e: cmap(i / max(1, len(VAR_ETAS) - 1)) for i, e in enumerate(VAR_ETAS)}
    for r in d["var"]:
        ax.errorbar(r["eta_h"], r["norm"], yerr=Z95 * r["norm_se"], color=vc[r["eta"]], marker="o",
                    ms=5, lw=1, ls="none", label=rf"$\eta={r['eta']:g}$")
    ax.axvline(2.0, color="#d62728", lw=0.8, ls=":")
    ax.set_xlim(0, 2.05)
    ax.set_yscale("log")
    ax.set_xlabel(r"$\eta h_i$")
    ax.set_ylabel(r"$\sigma_i^2\,/\,(\eta c_i/(Bh_i))$")
    ax.set_title(r"stationary variance per eigenvalue ($h_i$ = " + ", ".join(f"{v:g}" for v in H_DIAG)
                 + ")", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"SGD on a noisy quadratic, {d['n_seeds']} seeds per point, {d['steps']} updates "
                 f"(burn-in {d['burn']})", fontsize=10)
    return fig
