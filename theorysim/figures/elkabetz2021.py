r"""Figure after Elkabetz & Cohen 2021 (GD vs gradient flow).

* ``gd_vs_flow`` — a deep linear chain :math:`\tfrac12\|W_3W_2W_1-\Phi\|_F^2` (2x2 factors,
  ``theorysim.objectives.deep_linear``): the loss of gradient flow (``ts.flow``) and of GD at
  several steps; the gap :math:`\max_k\|\theta^{GD}_k-\theta^{GF}(k\eta)\|` against :math:`\eta`
  (linear for small :math:`\eta`, until :math:`\eta` nears :math:`2/\max_t\lambda_1` along the
  flow); the drift of the balancedness :math:`B_j=W_{j+1}^\top W_{j+1}-W_jW_j^\top` (conserved by
  the flow, moved by :math:`\eta^2` per GD step); and the exact 1-D gap on :math:`\tfrac a2x^2`.
  Statements ``elkabetz2021.*`` (theorysim's own; the paper's abstract [C] gives the picture).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from ..theory import elkabetz2021 as _th
from . import register
from ._style import apply

T_END, TARGET, DEPTH = _th.T_END, _th.TARGET, _th.DEPTH
#: GD steps drawn in the loss and drift panels, and the grid of the gap panel
ETAS = (0.4, 0.2, 0.1, 0.05)
ETA_GRID = np.logspace(-2.3, np.log10(0.45), 14)
#: 1-D panel
A_1D, T_1D, ETAS_1D = _th.A_1D, _th.T_1D, (0.2, 0.1, 0.05)
_COLORS = ("#d62728", "#ff7f0e", "#2ca02c", "#1f77b4")


def flow_methods():
    """``gd`` at each of ``ETAS`` and over ``ETA_GRID`` (the flow itself is not a Method)."""
    out = {f"gd[eta={e:g}]": _methods.gd(e) for e in ETAS}
    out["gd_grid"] = _methods.gd(ETA_GRID)
    return out


def flow_data():
    """Runs of the four panels (see the module docstring)."""
    from ..diagnostics import balancedness_drift, sharpness_along
    from ..engine import run
    from ..flow import flow
    from ..objectives import deep_linear, get

    f = deep_linear(np.array(TARGET), depth=DEPTH)
    d = f.info["d"]
    x0 = _th.chain_start(d=d)
    ref = flow(f, x0, T_END, eta=min(ETAS))
    edge = 2.0 / float(np.max(sharpness_along(f, ref.x)))
    runs = {}
    for e in ETAS:
        gd = run(f, _methods.gd(e), x0=x0, steps=int(round(T_END / e)))
        runs[e] = dict(t=e * gd.iteration, loss=gd.loss, drift=balancedness_drift(gd.x, d, DEPTH))
    gaps = []
    for e in ETA_GRID:
        n = int(np.floor(T_END / e + 1e-9))
        gd = run(f, _methods.gd(float(e)), x0=x0, steps=n)
        gf = flow(f, x0, n * e, eta=float(e))
        gaps.append(float(np.max(np.linalg.norm(gd.x - gf.x, axis=1))) if not gd.diverged else np.nan)
    q = get("quadratic", lam=A_1D)
    one_d = {}
    for e in ETAS_1D:
        n = int(round(T_1D / e))
        gd = run(q, _methods.gd(e), x0=[1.0], steps=n)
        gf = flow(q, [1.0], T_1D, eta=e)
        one_d[e] = (e * gd.iteration, gd.x[:, 0] - gf.x[:, 0])
    return dict(ref=ref, edge=edge, runs=runs, gaps=np.array(gaps),
                flow_drift=balancedness_drift(ref.x, d, DEPTH), one_d=one_d)


def _caption():
    m = flow_methods()
    grid = m["gd_grid"].hyper["eta"]
    etas = ", ".join(f"{m[f'gd[eta={e:g}]'].hyper['eta']:g}" for e in ETAS)
    return (
        f"Deep linear chain ||W3 W2 W1 - Phi||_F^2/2 with 2x2 factors, Phi = {[list(r) for r in TARGET]}, "
        f"seeded random start (seed {_th.SEED}, scale {_th.SCALE:g}), up to time t = {T_END:g}. "
        f"(a) loss of gradient flow (ts.flow: solve_ivp DOP853, rtol 1e-10) and of GD with eta = {etas}, "
        "against t = k eta. (b) gap max_k ||theta_GD(k) - theta_GF(k eta)|| for eta = "
        f"{grid.min():.3g} ... {grid.max():.3g} ({grid.size} values), with a slope-1 guide and the "
        "step 2/max_t lambda_1 along the flow. (c) balancedness drift max_j ||B_j(t) - B_j(0)||, "
        "B_j = W_j+1' W_j+1 - W_j W_j': the flow conserves it to solver accuracy; one GD step moves it "
        "by exactly eta^2 (G_j+1' G_j+1 - G_j G_j') (statement elkabetz2021.balancedness, ours). "
        f"(d) 1-D: GD minus GF on a x^2/2 with a = {A_1D:g}, x0 = 1, eta = "
        f"{', '.join(f'{e:g}' for e in ETAS_1D)}: dots measured, lines the exact gap "
        "(1 - eta a)^k - exp(-a eta k), dashed its O(eta) term -(eta a^2 t/2) exp(-a t) "
        "(statement elkabetz2021.gap_1d, ours).")


_CAPTION = _caption()


@register("gd_vs_flow", paper="elkabetz2021",
          title="GD against gradient flow: the gap is O(eta), balancedness is conserved only by the flow",
          caption=_CAPTION, methods=flow_methods)
def gd_vs_flow_figure(quick=False):
    """Four panels: loss, gap vs eta, balancedness drift, 1-D gap."""
    import matplotlib.pyplot as plt

    apply()
    D = flow_data()
    fig, axes = plt.subplots(2, 2, figsize=(11.0, 7.6), constrained_layout=True)
    (a, b), (c, d) = axes
    ref = D["ref"]
    tref = min(ETAS) * ref.iteration
    a.plot(tref, np.maximum(ref.loss, 1e-300), "k-", lw=2.2, label="gradient flow")
    c.plot(tref[1:], np.maximum(D["flow_drift"][1:], 1e-16), "k-", lw=2.2, label="gradient flow")
    for (e, r), col in zip(D["runs"].items(), _COLORS):
        a.plot(r["t"], np.maximum(r["loss"], 1e-300), color=col, lw=1.0, label=rf"GD $\eta={e:g}$")
        c.plot(r["t"][1:], np.maximum(r["drift"][1:], 1e-16), color=col, lw=1.0, label=rf"GD $\eta={e:g}$")
    a.set_yscale("log")
    a.set_ylim(1e-16, 10)
    a.set_xlabel(r"time $t=k\eta$")
    a.set_ylabel("loss")
    a.set_title("(a) loss: flow and GD")
    ok = np.isfinite(D["gaps"])
    b.loglog(ETA_GRID[ok], D["gaps"][ok], "o-", color="#9467bd", ms=4,
             label=r"$\max_k\|\theta^{GD}_k-\theta^{GF}(k\eta)\|$")
    i0 = int(np.argmax(ok))
    b.loglog(ETA_GRID, D["gaps"][i0] * ETA_GRID / ETA_GRID[i0], "k:", lw=1.0, label=r"slope 1")
    b.axvline(D["edge"], color="#555555", ls="--", lw=1.0, label=r"$2/\max_t\lambda_1$ along the flow")
    b.set_xlabel(r"step size $\eta$")
    b.set_ylabel("gap")
    b.set_title("(b) gap against eta")
    c.set_yscale("log")
    c.set_xlabel(r"time $t=k\eta$")
    c.set_ylabel(r"$\max_j\|B_j(t)-B_j(0)\|_F$")
    c.set_title("(c) balancedness drift")
    st = _th.Gap1D()
    for e, col in zip(ETAS_1D, _COLORS):
        t, g = D["one_d"][e]
        d.plot(t, g, "o", color=col, ms=3, label=rf"$\eta={e:g}$ measured")
        tt = np.linspace(0, T_1D, 300)
        kk = tt / e
        d.plot(tt, (1 - e * A_1D) ** kk - np.exp(-A_1D * e * kk), color=col, lw=0.9)
        d.plot(tt, [st.evaluate("leading", eta=e, a=A_1D, t=v) for v in tt], color=col, ls="--", lw=0.9)
    d.set_xlabel(r"time $t=k\eta$")
    d.set_ylabel(r"$x^{GD}_k-x^{GF}(k\eta)$")
    d.set_title(rf"(d) 1-D: $a={A_1D:g}$, exact gap and $O(\eta)$ term")
    for ax in (a, b, c, d):
        ax.legend(fontsize=7.5)
    return fig
