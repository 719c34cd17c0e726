r"""Figure for the exact step-size thresholds on quadratics (statement ``thresholds.quadratic``).

* ``thresholds`` — stability maps measured by the engine on :math:`f=\tfrac\lambda2x^2`: left,
  Polyak's heavy ball over :math:`(\eta\lambda,\mu)` with the edge :math:`\eta\lambda=2(1+\mu)`;
  right, unnormalized SAM over :math:`(\eta\lambda,\rho\lambda)` with the edge
  :math:`\eta\lambda=2/(1+\rho\lambda)`; GD is the row :math:`\mu=0` (left) and the column
  :math:`\rho=0` (right), edge :math:`\eta\lambda=2`.  The colour is
  :math:`\log_{10}(\|\nabla f(x_N)\|/\|\nabla f(x_0)\|)` after N steps (clipped to
  :math:`\pm` ``CLIP``; divergence is drawn at ``+CLIP``, an exact landing on the minimiser
  at ``-CLIP``); the lines are the statement's thresholds, derived by sympy, and the dots the edges located by
  :func:`theorysim.diagnostics.stability_edge`.  All derivations are theorysim's (textbook linear
  recursions); SAM's ascent step is the unnormalized one of Andriushchenko & Flammarion's code.
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from . import register
from ._style import apply

#: curvature of f = LAM x^2 / 2
LAM = 1.0
#: steps per run (SAM: SAM steps, i.e. 2 * N_STEPS engine iterations)
N_STEPS = 400
#: grids: eta * lam, heavy-ball momentum mu, SAM rho * lam
ETA_H = np.linspace(0.05, 4.2, 84)
MUS = np.linspace(0.0, 0.95, 20)
RHO_H = np.linspace(0.0, 2.0, 21)
#: momenta and radii at which the edge is located to 1e-3 (dots)
EDGE_MUS = (0.0, 0.5, 0.9)
EDGE_RHO_H = (0.0, 0.5, 1.0, 2.0)
EDGE_STEPS = 20_000
#: colour range (decades)
CLIP = 8.0


def threshold_methods():
    r"""The configured methods the recipe sweeps: heavy ball over the grid :math:`\eta=`
    ``ETA_H``/``LAM`` :math:`\times` :math:`\mu=` ``MUS``, SAM over :math:`\eta\times\rho=`
    ``RHO_H``/``LAM`` (grids as hyperparameter arrays, as :func:`theorysim.sweep` builds them)."""
    return {"heavy_ball": _methods.heavy_ball(eta=ETA_H / LAM, mu=MUS),
            "sam": _methods.sam(eta=ETA_H / LAM, rho=RHO_H / LAM)}


def threshold_maps(steps=N_STEPS):
    """``{"heavy_ball": (len(MUS), len(ETA_H)), "sam": (len(RHO_H), len(ETA_H))}`` arrays of
    log10(final / initial gradient norm), clipped to +-CLIP (diverged runs: +CLIP)."""
    from ..engine import sweep

    f = _objectives.get("quadratic", lam=LAM)
    g0 = float(np.linalg.norm(f.grad([1.0])))
    out = {}
    for rule, key, vals, n in (("heavy_ball", "mu", MUS, steps), ("sam", "rho", RHO_H / LAM, 2 * steps)):
        res = sweep(f, _methods.builder(rule), grid={key: vals, "eta": ETA_H / LAM}, x0=[1.0], steps=n)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.log10(res.final_grad_norm / g0)
        r[res.diverged | np.isnan(r)] = CLIP  # -inf (landed exactly on 0) is clipped to -CLIP
        out[rule] = np.clip(r, -CLIP, CLIP)
    return out


def located_edges(steps=EDGE_STEPS):
    """Edges in eta * lam located by :func:`theorysim.diagnostics.stability_edge` (rtol 1e-3):
    ``{"heavy_ball": [(mu, edge)], "sam": [(rho * lam, edge)]}``."""
    from ..diagnostics import stability_edge

    f = _objectives.get("quadratic", lam=LAM)
    hb = [(mu, LAM * stability_edge(f, _methods.heavy_ball, [1.0], steps, 0.01 / LAM, 8.0 / LAM,
                                    fixed={"mu": mu}).estimate) for mu in EDGE_MUS]
    sam = [(r, LAM * stability_edge(f, _methods.sam, [1.0], 2 * steps, 0.01 / LAM, 8.0 / LAM,
                                    fixed={"rho": r / LAM}).estimate) for r in EDGE_RHO_H]
    return {"heavy_ball": hb, "sam": sam}


def _caption():
    m = threshold_methods()
    hb, sam = m["heavy_ball"].hyper, m["sam"].hyper
    return (
        f"Stability maps on f = lam x^2/2 with lam = {LAM:g}, measured by the engine from x0 = 1 "
        f"after N = {N_STEPS} steps (colour: log10 of final over initial gradient norm, clipped "
        f"to +-{CLIP:g}; diverged runs at +{CLIP:g}). Left: Polyak's heavy ball, eta = "
        f"{hb['eta'].min():g} ... {hb['eta'].max():g} ({hb['eta'].size} values) and mu = "
        f"{hb['mu'].min():g} ... {hb['mu'].max():g} ({hb['mu'].size} values); the line is the "
        "exact edge eta lam = 2(1 + mu), the row mu = 0 is GD (edge eta lam = 2). Right: "
        f"unnormalized SAM x+ = x - eta grad f(x + rho grad f(x)), rho = {sam['rho'].min():g} ... "
        f"{sam['rho'].max():g} ({sam['rho'].size} values); the line is the exact edge "
        "eta (lam + rho lam^2) = 2. Dots: edges located by nested sweeps to 1e-3 relative "
        f"({EDGE_STEPS} steps per run). The thresholds are derived by sympy from the update rules "
        "(statement thresholds.quadratic; theorysim's derivation, textbook linear recursions).")


_CAPTION = _caption()


@register("thresholds", paper="thresholds",
          title="Exact step-size thresholds on a quadratic: GD, heavy ball, unnormalized SAM",
          caption=_CAPTION, methods=threshold_methods, cost=15)
def thresholds_figure(quick=False):
    """The two stability maps with the exact edges and the located ones."""
    import matplotlib.pyplot as plt

    from ..theory import get

    apply()
    st = get("thresholds.quadratic")
    maps = threshold_maps(steps=N_STEPS)
    edges = located_edges(steps=EDGE_STEPS // 4 if quick else EDGE_STEPS)
    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.3), constrained_layout=True)
    de = (ETA_H[1] - ETA_H[0]) / 2
    for ax, rule, yv, ylab, title in (
            (axes[0], "heavy_ball", MUS, r"momentum $\mu$", "heavy ball"),
            (axes[1], "sam", RHO_H, r"$\rho\lambda$", "unnormalized SAM")):
        dy = (yv[1] - yv[0]) / 2
        im = ax.imshow(maps[rule], origin="lower", aspect="auto", cmap="RdBu_r", vmin=-CLIP, vmax=CLIP,
                       extent=(ETA_H[0] - de, ETA_H[-1] + de, yv[0] - dy, yv[-1] + dy))
        yy = np.linspace(yv[0], yv[-1], 200)
        if rule == "heavy_ball":
            xx = [LAM * st.evaluate("heavy_ball", **{"lambda": LAM, "mu": m}) for m in yy]
            lab = r"exact edge $\eta\lambda=2(1+\mu)$"
        else:
            xx = [LAM * st.evaluate("sam", **{"lambda": LAM, "rho": r / LAM}) for r in yy]
            lab = r"exact edge $\eta(\lambda+\rho\lambda^2)=2$"
        ax.plot(xx, yy, color="k", lw=1.4, label=lab)
        ax.axvline(LAM * st.evaluate("gd", **{"lambda": LAM}), color="k", ls=":", lw=1.0,
                   label=r"GD edge $\eta\lambda=2$")
        pts = np.array(edges[rule])
        ax.plot(pts[:, 1], pts[:, 0], "o", color="#ff7f0e", ms=6, label="located (nested sweeps)")
        ax.set_xlabel(r"$\eta\lambda$")
        ax.set_ylabel(ylab)
        ax.set_title(title)
        ax.legend(loc="upper left" if rule == "heavy_ball" else "upper right", fontsize=8,
                  frameon=True, framealpha=0.9)
    fig.colorbar(im, ax=axes, label=r"$\log_{10}\|\nabla f(x_N)\|/\|\nabla f(x_0)\|$")
    return fig
