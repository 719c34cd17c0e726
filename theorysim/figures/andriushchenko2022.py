r"""Figure after Andriushchenko & Flammarion, "Towards understanding sharpness-aware minimization"
(ICML 2022, arXiv 2206.06232).

* ``sam`` — (left) unnormalized SAM on :math:`\frac h2x^2`: which :math:`(h,\eta)` shrink, against
  the edge :math:`\eta(h+\rho h^2)=2` and GD's :math:`\eta h=2`; (centre) normalized SAM on
  :math:`\frac12(x_1^2+3x_2^2)`: the 2-cycle :math:`\pm\eta h\rho/(2-\eta h)` on the top
  eigenvector while the other coordinate vanishes; (right) sparse regression with a diagonal
  linear network :math:`\beta=u\odot v` (n = 40, d = 100, 5-sparse): test loss
  :math:`\frac12\|\beta-\beta^*\|^2` (the population risk for isotropic Gaussian inputs) and
  :math:`\|\beta\|_1` for GD, unnormalized full-batch SAM ("n-SAM", ``methods.sam``) and 1-SAM
  (per-example ascent: ``methods.gd`` on ``objectives.diagonal_net_1sam``), same step, start and
  number of SAM steps as the statement ``andriushchenko2022.one_sam_sparser``.
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import run, sweep
from ..theory import andriushchenko2022 as _theory
from . import register
from ._style import apply

#: stability map: rho, curvatures, steps per run (engine iterations = 2 x SAM steps)
MAP_RHO = 0.5
MAP_H = tuple(float(v) for v in np.linspace(0.1, 4.0, 40))
MAP_ETAS = tuple(float(v) for v in np.linspace(0.02, 2.5, 125))
MAP_STEPS = 400
#: 2-cycle: the statement's instance
CYCLE_LAM = _theory.NSAMTwoCycle.LAM
CYCLE_ETA = _theory.NSAMTwoCycle.ETA
CYCLE_RHO = _theory.NSAMTwoCycle.RHO
CYCLE_STEPS = 600
#: diagonal net: data, init u = ALPHA, v = 0, step, SAM steps (full, quick): the statement's
NET = _theory.OneSAMSparser.NET
ALPHA = _theory.OneSAMSparser.ALPHA
NET_ETA = _theory.OneSAMSparser.ETA
NET_STEPS = _theory.OneSAMSparser.STEPS
#: radii of n-SAM and of 1-SAM (the first of each is the statement's)
NET_RHOS = (0.05, 0.2)
ONE_SAM_RHOS = (0.05, 0.1)


def sam_methods():
    """GD and the SAM variants the figure runs."""
    out = {"gd": _methods.gd(NET_ETA), "cycle": _methods.sam_normalized(CYCLE_ETA, CYCLE_RHO),
           "map": _methods.sam_normalized(1.0, MAP_RHO, normalized=False)}
    for r in NET_RHOS:
        out[f"nsam rho={r:g}"] = _methods.sam_normalized(NET_ETA, r, normalized=False)
    for r in ONE_SAM_RHOS:  # 1-SAM is GD on the objective diagonal_net_1sam(rho = r)
        out[f"1sam rho={r:g}"] = _methods.gd(NET_ETA)
    return out


def sam_data(quick=False):
    k = 1 if quick else 0
    shrink = np.zeros((len(MAP_H), len(MAP_ETAS)), bool)
    for i, h in enumerate(MAP_H):
        f = _objectives.get("quadratic", lam=h)
        res = sweep(f, _methods.sam_normalized, grid={"eta": np.array(MAP_ETAS)},
                    fixed={"rho": MAP_RHO, "normalized": False}, x0=[1.0], steps=MAP_STEPS)
        shrink[i] = np.isfinite(res.final_loss) & (res.final_loss < 0.5 * h)
    q = _objectives.get("quadratic", lam=list(CYCLE_LAM))
    cyc = run(q, _methods.sam_normalized(CYCLE_ETA, CYCLE_RHO), x0=[1.0, 1.0], steps=CYCLE_STEPS)
    f = _objectives.get("diagonal_net", **NET)
    d = f.info["d"]
    beta_star = f.info["beta_star"]
    x0 = np.concatenate([np.full(d, ALPHA), np.zeros(d)])
    net = {}
    steps = NET_STEPS[k]
    runs = {"GD": (f, _methods.gd(NET_ETA), steps, 1)}
    for r in NET_RHOS:
        runs[rf"n-SAM $\rho={r:g}$"] = (f, _methods.sam_normalized(NET_ETA, r, normalized=False), 2 * steps, 2)
    for r in ONE_SAM_RHOS:
        runs[rf"1-SAM $\rho={r:g}$"] = (_objectives.get("diagonal_net_1sam", rho=r, **NET),
                                          _methods.gd(NET_ETA), steps, 1)
    for name, (obj, m, n_it, per) in runs.items():
        # the cadence is a multiple of 2 for SAM: every record is at an even engine iteration,
        # i.e. a SAM iterate (not a perturbed point)
        tr = run(obj, m, x0=x0, steps=n_it, record_every=per * max(1, steps // 1000))
        xs = tr.x
        beta = xs[:, :d] * xs[:, d:]
        net[name] = dict(t=np.arange(len(xs)) * max(1, steps // 1000),
                         test=0.5 * ((beta - beta_star) ** 2).sum(axis=1), l1=np.abs(beta).sum(axis=1))
    pred = _theory.NSAMTwoCycle().evaluate(eta=CYCLE_ETA, hi=max(CYCLE_LAM), rho=CYCLE_RHO)
    return dict(shrink=shrink, cycle=cyc.x[::2], amp=pred, net=net, beta_l1=float(np.abs(beta_star).sum()))


def _caption():
    return (
        f"Left: unnormalized SAM x <- x - eta f'(x + rho f'(x)) on f = h x^2/2 with rho = {MAP_RHO:g}, "
        f"{MAP_STEPS // 2} SAM steps from x = 1: shaded where the run shrinks; the edge eta (h + rho h^2) = 2 "
        "(our algebra, theorysim check andriushchenko2022.usam_stability) and GD's eta h = 2. Centre: "
        f"normalized SAM (Foret et al.) on (x1^2 + 3 x2^2)/2, step eta = {CYCLE_ETA:g}, rho = {CYCLE_RHO:g}: "
        "x2 settles into the 2-cycle +-eta h rho/(2 - eta h) (2-cycle from Bartlett-Long-Bousquet's "
        "abstract, a secondary source; amplitude ours) while x1 vanishes. Right: diagonal linear "
        f"network beta = u*v, sparse regression n = {NET['n']}, d = {NET['dim']}, {NET['sparsity']}-sparse "
        f"beta*, init u = {ALPHA:g}, v = 0, step eta = {NET_ETA:g}, GD and full-batch unnormalized SAM "
        f"(n-SAM) with rho = {', '.join(f'{r:g}' for r in NET_RHOS)}, and 1-SAM (per-example "
        "unnormalized ascent, gradients averaged over all n examples, as in the authors' code; our rho "
        f"is twice the code's) with rho = {', '.join(f'{r:g}' for r in ONE_SAM_RHOS)}: test loss "
        "||beta - beta*||^2/2 (solid) and ||beta||_1 (dashed) against SAM steps. Measured here, 1-SAM "
        "ends with the lowest test loss and ||beta||_1 (theorysim check andriushchenko2022.one_sam_sparser) "
        "while n-SAM is not better than GD.")


@register("sam", paper="andriushchenko2022",
          title="SAM: the stability edge on a quadratic, normalized SAM's 2-cycle, diagonal nets",
          caption=_caption(), methods=sam_methods)
def sam_figure(quick=False):
    import matplotlib.pyplot as plt

    apply()
    d = sam_data(quick=quick)
    fig, axes = plt.subplots(1, 4, figsize=(20, 4.6), constrained_layout=True)
    ax = axes[0]
    H, E = np.meshgrid(MAP_H, MAP_ETAS, indexing="ij")
    ax.scatter(H[d["shrink"]], E[d["shrink"]], s=3, color="#2ca02c", label="run shrinks")
    h = np.linspace(min(MAP_H), max(MAP_H), 300)
    ax.plot(h, 2 / (h + MAP_RHO * h**2), color="#d62728", lw=1.5, label=r"$\eta(h+\rho h^2)=2$")
    ax.plot(h, 2 / h, color="#555555", lw=1, ls="--", label=r"GD: $\eta h=2$")
    ax.set_ylim(0, max(MAP_ETAS))
    ax.set_xlabel("h")
    ax.set_ylabel(r"$\eta$")
    ax.set_title(rf"unnormalized SAM, $\rho={MAP_RHO:g}$: stable region", fontsize=10)
    ax.legend(fontsize=8)
    ax = axes[1]
    c = d["cycle"]
    t = np.arange(len(c))
    ax.plot(t, np.abs(c[:, 1]), color="#d62728", label=r"$|x_2|$ (h = 3)")
    ax.plot(t, np.maximum(np.abs(c[:, 0]), 1e-300), color="#1f77b4", label=r"$|x_1|$ (h = 1)")
    ax.axhline(d["amp"], color="k", lw=0.8, ls="--", label=rf"$\eta h\rho/(2-\eta h)$ = {d['amp']:.4g}")
    ax.set_yscale("log")
    ax.set_ylim(1e-12, 2)
    ax.set_xlabel("SAM step")
    ax.set_title("normalized SAM: 2-cycle on the top eigenvector", fontsize=10)
    ax.legend(fontsize=8)
    ax, ax2 = axes[2], axes[3]
    cols = ["#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd"]
    for (name, r), col in zip(d["net"].items(), cols):
        t = np.maximum(r["t"], 1)
        ax.plot(t, r["test"], color=col, label=f"{name}: {r['test'][-1]:.2g}")
        ax2.plot(t, r["l1"], color=col, label=f"{name}: {r['l1'][-1]:.4f}")
    ax2.axhline(d["beta_l1"], color="k", lw=0.8, ls=":", label=rf"$\|\beta^*\|_1$ = {d['beta_l1']:g}")
    for a in (ax, ax2):
        a.set_xscale("log")
        a.set_xlabel("SAM step")
    ax.set_yscale("log")
    ax.set_ylabel(r"test loss $\|\beta-\beta^*\|^2/2$")
    ax.set_title(rf"diagonal net, $u_0={ALPHA:g}$, $v_0=0$, $\eta={NET_ETA:g}$: test loss", fontsize=10)
    ax.legend(fontsize=8, loc="lower left", title="final test loss", title_fontsize=8)
    last = [r["l1"][-1] for r in d["net"].values()]
    lo, hi = min(last + [d["beta_l1"]]), max(last)
    ax2.set_ylim(lo - 0.4 * (hi - lo), hi + 1.5 * (hi - lo))  # zoom on the end (the runs rise from 0)
    ax2.set_ylabel(r"$\|\beta\|_1$")
    ax2.set_title(r"$\|\beta\|_1$ (zoomed on the final values)", fontsize=10)
    ax2.legend(fontsize=8, loc="upper left", title=r"final $\|\beta\|_1$", title_fontsize=8)
    fig.suptitle("Sharpness-aware minimization on closed-form testbeds (after Andriushchenko & "
                 "Flammarion 2022)", fontsize=10)
    return fig
