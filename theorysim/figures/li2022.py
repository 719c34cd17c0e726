r"""Figures after Li, Bhojanapalli, Zaheer, Reddi, Kumar 2022 (scale-invariant architectures,
SIBERT; arXiv 2202.00980) and Lobacheva, Kodryan, Chirkova, Malinin, Vetrov 2021 (periodic
behaviour with BN + WD; arXiv 2106.15739), on the scale-invariant quadratic
``objectives.scale_invariant`` (:math:`L=c\,F(w/\|w\|)`, :math:`F(u)=\frac12u^\top Au`).

* ``scale_robustness`` — steps until :math:`F-F^*\le\varepsilon` over (initial norm, loss
  scale c), each from :math:`10^{-3}` to :math:`10^{3}`, for GD, GD + weight decay and GD + weight
  decay + Li et al.'s clip at :math:`\sqrt{2\lambda/\eta}\|w\|` (full-batch: no noise, so the
  only scales are the two axes).
* ``periodic`` — the periodic regime (Lobacheva et al.): norm saw-tooth, loss spikes, effective
  sharpness :math:`\eta(a_{\max}-a_{\min})c/\|w\|^2` crossing 2; and where it occurs, from a sweep
  over :math:`(\eta,\lambda)` at two noise levels :math:`\sigma`.

What is the papers' and what is ours: the recipe and the periodic phenomenon are read in the
abstracts / Lobacheva et al.'s introduction; the testbed, the equilibrium and edge-of-stability
formulas, the period estimate and the spike criterion are theorysim's (``theorysim.theory.li2022``).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from .. import oracles as _oracles
from ..engine import run, sweep
from ..theory import li2022 as _theory
from . import register
from ._style import apply

A_DIAG = _theory.A_DIAG
#: heat map: step, weight decay, axes, target, horizon
ETA = 0.1
LAM = 0.05
INIT_SCALES = tuple(float(v) for v in np.logspace(-3, 3, 13))
LOSS_SCALES = tuple(float(v) for v in np.logspace(-3, 3, 13))
EPS = 1e-3
HEAT_STEPS = (20_000, 4_000)
RECORD_EVERY = 10
#: periodic regime: the example run and the phase-diagram sweep
PERIODIC = dict(eta=0.1, lam=0.1, sigma=1e-6)
PERIODIC_STEPS = (40_000, 8_000)
PERIODIC_SEED = 0
SWEEP_ETAS = tuple(float(v) for v in np.logspace(-2, 0, 9))
SWEEP_LAMS = tuple(float(v) for v in np.logspace(-3, -0.5, 9))
SWEEP_SIGMAS = (1e-6, 1e-3)
SWEEP_STEPS = (20_000, 4_000)
#: a spike: F - F* rises through SPIKE_LEVEL (F - F* ranges over [0, (a_max - a_min)/2])
SPIKE_LEVEL = 0.1
START = tuple(float(v) for v in np.ones(3) / np.sqrt(3))
W0 = _theory.W0


def heat_methods():
    """GD, GD + L2 weight decay, GD + weight decay + clip (the heat map's three panels)."""
    return {"gd": _methods.gd(ETA), "sgd_wd": _methods.sgd_wd(ETA, LAM),
            "sgd_wd_clip": _methods.sgd_wd_clip(ETA, LAM)}


def heat_data(quick=False):
    """``{method: steps (len(LOSS_SCALES), len(INIT_SCALES))}``, -1 where not reached."""
    steps = HEAT_STEPS[1 if quick else 0]
    u0 = np.asarray(START)
    starts = np.asarray(INIT_SCALES)[:, None] * u0[None, :]
    builders = {"gd": (_methods.gd, {}), "sgd_wd": (_methods.sgd_wd, {"lam": LAM}),
                "sgd_wd_clip": (_methods.sgd_wd_clip, {"lam": LAM})}
    out = {}
    for name, (b, fixed) in builders.items():
        M = np.full((len(LOSS_SCALES), len(INIT_SCALES)), -1, dtype=np.int64)
        for i, c in enumerate(LOSS_SCALES):
            f = _objectives.get("scale_invariant", a=list(A_DIAG), scale=c)
            res = sweep(f, b, grid={"x0": starts, "eta": [ETA]}, fixed=fixed, steps=steps,
                        record_every=RECORD_EVERY)
            gap = res.loss[:, 0, :] / c - min(A_DIAG) / 2
            hit = gap <= EPS
            M[i] = np.where(hit.any(axis=1), res.iteration[hit.argmax(axis=1)], -1)
        out[name] = M
    out["steps"] = steps
    return out


def _heat_caption():
    lo, hi = min(INIT_SCALES), max(INIT_SCALES)
    return (
        "Steps until F(w/||w||) - F* <= " f"{EPS:g} (first recorded iteration, every {RECORD_EVERY}) on the "
        f"scale-invariant quadratic c F(w/||w||), F(u) = u'Au/2, A = diag({', '.join(f'{a:g}' for a in A_DIAG)}), "
        f"from w_0 = s (1, 1, 1)/sqrt(3), over the initial norm s and the loss scale c, each from {lo:g} to {hi:g}; "
        f"full-batch (no noise). eta = {ETA:g}, lambda = {LAM:g}. Left: GD (plain SGD without noise): "
        "converges only on the band where the effective step eta c/||w||^2 is of order 1; a large "
        "effective step throws the norm out (||w||^2 grows by eta^2 ||grad L||^2 per step and never "
        "shrinks), a small one crawls. Centre: GD + L2 weight decay (sgd_wd): every cell converges, "
        "in a number of steps linear in |log(effective step)|: the norm shrinks by (1 - eta lambda) "
        "per step, so where the effective step starts small each decade costs ln 10/(-2 ln(1 - eta "
        f"lambda)) = {np.log(10) / (-2 * np.log(1 - ETA * LAM)):.0f} steps (ours; the measured slope "
        "is in tests/figures/test_li2022.py). Right: GD + WD + the clip at sqrt(2 lambda/eta) ||w|| "
        "(Li et al. 2022's step 3, "
        "sgd_wd_clip): as fast as WD where the effective step starts small, but where it starts "
        "large the clipped step is a fixed angle sqrt(2 eta lambda) and the norm grows only by the "
        "factor 1 + (eta lambda)^2 per step (our algebra), so within the horizon those runs do not "
        "reach the target. Grey: not reached.")


@register("scale_robustness", paper="li2022",
          title="Scale invariance: steps to F - F* <= eps over (initial norm, loss scale)",
          caption=_heat_caption(), methods=heat_methods)
def heat_figure(quick=False):
    """Three heat maps (GD, GD + WD, GD + WD + clip) of the steps to reach the target."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    apply()
    d = heat_data(quick=quick)
    fig, axes = plt.subplots(1, 3, figsize=(14.5, 4.6), constrained_layout=True, sharey=True)
    titles = {"gd": "GD", "sgd_wd": rf"GD + WD ($\lambda={LAM:g}$)",
              "sgd_wd_clip": r"GD + WD + clip $\sqrt{2\lambda/\eta}\,\|w\|$"}
    lx, ly = np.log10(INIT_SCALES), np.log10(LOSS_SCALES)
    ext = (lx[0] - 0.25, lx[-1] + 0.25, ly[0] - 0.25, ly[-1] + 0.25)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("#bbbbbb")
    for ax, name in zip(axes, ("gd", "sgd_wd", "sgd_wd_clip")):
        im = ax.imshow(np.ma.masked_where(d[name] < 0, np.maximum(d[name], 1)), origin="lower",
                       extent=ext, cmap=cmap, norm=LogNorm(RECORD_EVERY, d["steps"]), aspect="auto")
        ax.set_facecolor("#bbbbbb")
        ax.plot(lx, 2 * lx - np.log10(ETA), color="w", lw=1, ls="--",
                label=r"$\eta c/\|w_0\|^2=1$")  # effective step 1
        ax.set_ylim(ext[2], ext[3])
        n_ok = int((d[name] >= 0).sum())
        ax.set_title(f"{titles[name]}: {n_ok}/{d[name].size} reached", fontsize=10)
        ax.set_xlabel(r"$\log_{10}\|w_0\|$")
    axes[0].set_ylabel(r"$\log_{10}c$ (loss scale)")
    axes[0].legend(fontsize=8, loc="lower right")
    fig.colorbar(im, ax=axes, label=f"steps to $F-F^*\\leq{EPS:g}$ (horizon {d['steps']})", shrink=0.9)
    fig.suptitle(rf"Scale-invariant quadratic, $\eta={ETA:g}$: steps to the target over "
                 "initial norm and loss scale", fontsize=10)
    return fig


# --------------------------------------------------------------------------------------------
def periodic_methods():
    """GD + L2 weight decay at the example's (eta, lambda) and the sweep's rule."""
    return {"example": _methods.sgd_wd(PERIODIC["eta"], PERIODIC["lam"])}


def spikes_per_1000(loss, level=SPIKE_LEVEL):
    """Upward crossings of ``F - F* = level`` per 1000 steps (last axis: time)."""
    gap = np.asarray(loss) - min(A_DIAG) / 2
    up = (gap[..., 1:] > level) & (gap[..., :-1] <= level)
    return up.sum(axis=-1) * 1000.0 / gap.shape[-1]


def periodic_data(quick=False):
    """The example run's records and the (sigma, eta, lambda) spike-rate maps."""
    k = 1 if quick else 0
    f = _objectives.get("scale_invariant", a=list(A_DIAG))
    p = PERIODIC
    tr = run(f, _methods.sgd_wd(p["eta"], p["lam"]), x0=list(W0), steps=PERIODIC_STEPS[k],
             noise=_oracles.gaussian(p["sigma"]), seed=PERIODIC_SEED)
    norm = np.linalg.norm(tr.x, axis=1)
    half = len(norm) // 2
    rate = spikes_per_1000(tr.loss[half:])
    maps = []
    for sigma in SWEEP_SIGMAS:
        res = sweep(f, _methods.sgd_wd, grid={"eta": np.array(SWEEP_ETAS), "lam": np.array(SWEEP_LAMS)},
                    x0=list(W0), steps=SWEEP_STEPS[k], record_every=1,
                    noise=_oracles.gaussian(sigma), seed=PERIODIC_SEED)
        h = res.loss.shape[-1] // 2
        maps.append(np.where(res.diverged, np.nan, spikes_per_1000(res.loss[..., h:])))
    # period estimate between spikes (ours): ln(n_hi^2/n_lo^2) / (-2 ln(1 - eta lambda))
    lo, hi = norm[half:].min(), norm[half:].max()
    period = np.log(hi**2 / lo**2) / (-2 * np.log(1 - p["eta"] * p["lam"]))
    return dict(t=tr.iteration, norm=norm, gap=tr.loss - min(A_DIAG) / 2, rate=rate, maps=maps,
                period_pred=float(period), period_meas=1000.0 / rate if rate > 0 else np.inf)


def _periodic_caption():
    p = PERIODIC
    return (
        "GD + L2 weight decay (sgd_wd) on the scale-invariant quadratic F(w/||w||), A = "
        f"diag({', '.join(f'{a:g}' for a in A_DIAG)}), with N(0, sigma^2 I) gradient noise. Top: the "
        f"example eta = {p['eta']:g}, lambda = {p['lam']:g}, sigma = {p['sigma']:g} (last 1000 steps of "
        f"{PERIODIC_STEPS[0]}): the norm decays by (1 - eta lambda) per step until the effective "
        "sharpness eta (a_max - a_min)/||w||^2 passes 2, the iterate is thrown off the minimum (loss "
        "spike), the step pushes the norm up, and a new period starts (Lobacheva et al. 2021's "
        "periodic regime). The period estimate ln(||w||_max^2/||w||_min^2)/(-2 ln(1 - eta lambda)) "
        "is ours. Bottom: spikes per 1000 steps (F - F* rising through "
        f"{SPIKE_LEVEL:g}) over the second half of {SWEEP_STEPS[0]} steps, for eta x lambda on a log grid, "
        f"at sigma = {SWEEP_SIGMAS[0]:g} and {SWEEP_SIGMAS[1]:g}; 0: the run hovers at the edge without "
        "spikes (theorysim.theory.li2022.eos_norm).")


@register("periodic", paper="li2022",
          title="Scale invariance + weight decay: the periodic regime and where it occurs",
          caption=_periodic_caption(), methods=periodic_methods)
def periodic_figure(quick=False):
    """Norm / loss / effective sharpness of one periodic run; spike-rate maps over (eta, lambda)."""
    import matplotlib.pyplot as plt

    apply()
    d = periodic_data(quick=quick)
    p = PERIODIC
    fig = plt.figure(figsize=(13, 8), constrained_layout=True)
    gs = fig.add_gridspec(2, 3)
    sl = slice(max(0, len(d["t"]) - 1000), len(d["t"]))
    t = d["t"][sl]
    ax = fig.add_subplot(gs[0, 0])
    ax.plot(t, d["norm"][sl], color="#1f77b4")
    edge = np.sqrt(p["eta"] * (max(A_DIAG) - min(A_DIAG)) / 2)
    ax.axhline(edge, color="#d62728", lw=1, ls="--", label=r"edge $\sqrt{\eta(a_{max}-a_{min})/2}$")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"$\|w_t\|$")
    ax.set_title(f"norm saw-tooth: period {d['period_meas']:.1f} steps measured, "
                 f"{d['period_pred']:.1f} estimated", fontsize=9)
    ax.legend(fontsize=8)
    ax = fig.add_subplot(gs[0, 1])
    ax.semilogy(t, np.maximum(d["gap"][sl], 1e-16), color="#2ca02c")
    ax.axhline(SPIKE_LEVEL, color="#555555", lw=0.8, ls=":")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"$F(w_t/\|w_t\|)-F^*$")
    ax.set_title(f"loss spikes: {d['rate']:.1f} per 1000 steps", fontsize=9)
    ax = fig.add_subplot(gs[0, 2])
    ax.plot(t, p["eta"] * (max(A_DIAG) - min(A_DIAG)) / d["norm"][sl] ** 2, color="#9467bd")
    ax.axhline(2.0, color="#d62728", lw=1, ls="--", label="2")
    ax.set_xlabel("iteration")
    ax.set_ylabel(r"$\eta(a_{max}-a_{min})/\|w_t\|^2$")
    ax.set_title("effective sharpness on the sphere", fontsize=9)
    ax.legend(fontsize=8)
    le, ll = np.log10(SWEEP_ETAS), np.log10(SWEEP_LAMS)
    de, dl = (le[1] - le[0]) / 2, (ll[1] - ll[0]) / 2
    vmax = max(float(np.nanmax(m)) for m in d["maps"]) or 1.0
    for k, (sigma, M) in enumerate(zip(SWEEP_SIGMAS, d["maps"])):
        ax = fig.add_subplot(gs[1, k])
        im = ax.imshow(M.T, origin="lower", extent=(le[0] - de, le[-1] + de, ll[0] - dl, ll[-1] + dl),
                       cmap="magma", vmin=0, vmax=vmax, aspect="auto")
        ax.plot(np.log10(p["eta"]), np.log10(p["lam"]), "c*", ms=10)
        ax.set_xlabel(r"$\log_{10}\eta$")
        ax.set_ylabel(r"$\log_{10}\lambda$")
        ax.set_title(rf"spikes per 1000 steps, $\sigma={sigma:g}$", fontsize=9)
    fig.colorbar(im, ax=fig.axes[3:5], label="spikes / 1000 steps")
    ax = fig.add_subplot(gs[1, 2])
    ax.axis("off")
    ax.text(0, 0.5, "Between spikes ||w||^2 shrinks by (1 - eta lambda)^2\nper step; a spike starts "
            "when eta (a_max - a_min)/||w||^2\npasses 2 (the edge of stability on the sphere).\n"
            "Cyan star: the example run above.", fontsize=9, va="center")
    fig.suptitle(rf"GD + weight decay on a scale-invariant quadratic: periodic regime "
                 rf"($\eta={p['eta']:g}$, $\lambda={p['lam']:g}$, $\sigma={p['sigma']:g}$)", fontsize=10)
    return fig
