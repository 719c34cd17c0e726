r"""Figure after Ahn, Zhang, Sra 2022 (unstable convergence) on theorysim's flat valley.

* ``unstable_convergence`` — GD on :math:`L(x,y)=\tfrac12(1+y^2)x^2` from a start whose sharpness
  :math:`1+y_0^2` exceeds :math:`2/\eta`: the loss rises before it falls, the directional
  curvature :math:`\kappa_{\rm dir}` starts above :math:`2/\eta` and ends below it, and the relative
  progress RP is positive exactly while :math:`\kappa_{\rm dir}>2/\eta` (on a quadratic the
  identity :math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}` is exact: statement
  ``ahn2022.rp_identity``).  Last panel: over a grid of steps, the sharpness where GD ends against
  :math:`2/\eta`.  The toy is theorysim's (see :mod:`theorysim.diagnostics.progress`).
* ``edge_hugging`` — GD with :math:`\eta=0.02` on theorysim's toy :math:`\log\cosh(xy-1)` from
  :math:`(1,14)`, where the valley floor's sharpness :math:`x^2+y^2` is twice :math:`2/\eta`:
  for thousands of steps the paper's directional smoothness :math:`L(x,\eta g)` (a secant along the
  step) stays within 0.03% of :math:`2/\eta`, RP sits just below 0, and the loss zigzags down,
  while the curvature at the iterate (:math:`\kappa_{\rm dir}`, sharpness) is far below
  :math:`2/\eta` (statement ``ahn2022.edge_hugging``).
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from . import register
from ._style import apply

#: start (sharpness 1 + 2^2 = 5 > 2/eta for eta > 0.4) and run length
X0 = (0.1, 2.0)
STEPS = 150
#: the three runs drawn in full (one stable, two unstable at the start)
ETAS = (0.35, 0.5, 0.65)
#: the grid of the last panel
ETA_GRID = np.linspace(0.2, 0.9, 36)
GRID_STEPS = 2000
_RUN_COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def unstable_methods():
    """``gd`` at each of ``ETAS``, and ``gd`` over ``ETA_GRID`` (the last panel)."""
    out = {f"gd[eta={e:g}]": _methods.gd(e) for e in ETAS}
    out["gd_grid"] = _methods.gd(ETA_GRID)
    return out


def unstable_data():
    """Per eta of ``ETAS``: loss, kappa_dir, sharpness, RP along the run; and the final
    sharpness over ``ETA_GRID`` (NaN where GD diverged)."""
    from ..diagnostics import directional_curvature, relative_progress, sharpness_along
    from ..engine import run
    from ..objectives import get

    f = get("flat_valley")
    runs = {}
    for e in ETAS:
        tr = run(f, _methods.gd(e), x0=list(X0), steps=STEPS)
        xs = tr.x
        runs[e] = dict(k=tr.iteration, loss=tr.loss, kd=directional_curvature(f, xs),
                       sharp=sharpness_along(f, xs), rp=relative_progress(f, xs, e))
    final = np.full(ETA_GRID.size, np.nan)
    for i, e in enumerate(ETA_GRID):
        tr = run(f, _methods.gd(float(e)), x0=list(X0), steps=GRID_STEPS, record_every=GRID_STEPS)
        if not tr.diverged:
            final[i] = 1.0 + tr.x[-1, 1] ** 2
    return runs, final


def _caption():
    m = unstable_methods()
    etas = [m[f"gd[eta={e:g}]"].hyper["eta"] for e in ETAS]
    grid = m["gd_grid"].hyper["eta"]
    return (
        f"GD on theorysim's flat valley L = (1 + y^2) x^2/2 from x0 = ({X0[0]:g}, {X0[1]:g}), whose "
        f"sharpness is 1 + y0^2 = {1 + X0[1] ** 2:g}, with eta = {', '.join(f'{e:g}' for e in etas)} "
        f"({STEPS} steps; the first is below 2/{1 + X0[1] ** 2:g}, the others above it). (a) loss. "
        "(b) directional curvature kappa_dir = g'Hg/||g||^2 (solid) and sharpness lambda_1 (thin), "
        "each against its 2/eta (dashed). (c) relative progress RP = (f(x - eta g) - f(x))/(eta "
        "||g||^2): the loss rises exactly when RP > 0; on a quadratic RP = -1 + (eta/2) kappa_dir "
        "(statement ahn2022.rp_identity, ours). (d) sharpness where GD ends after "
        f"{GRID_STEPS} steps for eta = {grid.min():g} ... {grid.max():g} ({grid.size} values; "
        "missing: diverged), against 2/eta: every run that converges ends where eta lambda_1 <= 2, "
        "even when it started above (unstable convergence, Ahn, Zhang, Sra 2022, Sec. 1 [C]); "
        "the definitions of RP and kappa_dir here are theorysim's.")


_CAPTION = _caption()


@register("unstable_convergence", paper="ahn2022",
          title="Unstable convergence: GD with eta > 2/sharpness still converges, after a rise in the loss",
          caption=_CAPTION, methods=unstable_methods)
def unstable_figure(quick=False):
    """Four panels: loss, curvatures vs 2/eta, RP, final sharpness vs eta."""
    import matplotlib.pyplot as plt

    apply()
    runs, final = unstable_data()
    fig, axes = plt.subplots(2, 2, figsize=(11.0, 7.6), constrained_layout=True)
    (a, b), (c, d) = axes
    for (e, r), col in zip(runs.items(), _RUN_COLORS):
        lab = rf"$\eta={e:g}$"
        a.plot(r["k"], np.maximum(r["loss"], 1e-300), color=col, label=lab)
        b.plot(r["k"], r["kd"], color=col, label=lab + r": $\kappa_{\rm dir}$")
        b.plot(r["k"], r["sharp"], color=col, lw=0.7, alpha=0.7)
        b.axhline(2 / e, color=col, ls="--", lw=1.0)
        c.plot(r["k"], r["rp"], color=col, label=lab)
    a.set_yscale("log")
    a.set_ylim(1e-12, 10)
    a.set_ylabel(r"$L(x_k)$")
    a.set_title("(a) loss")
    b.set_ylabel(r"$\kappa_{\rm dir}$ (solid), $\lambda_1$ (thin); $2/\eta$ dashed")
    b.set_title("(b) curvature along the step vs 2/eta")
    c.axhline(0.0, color="k", lw=0.8)
    c.set_ylabel("relative progress RP")
    c.set_title("(c) relative progress")
    ok = np.isfinite(final)
    d.plot(ETA_GRID[ok], final[ok], "o", color="#9467bd", ms=4, label="final sharpness (GD converged)")
    ee = np.linspace(ETA_GRID.min(), ETA_GRID.max(), 200)
    d.plot(ee, 2 / ee, "k--", lw=1.0, label=r"$2/\eta$")
    d.axhline(1 + X0[1] ** 2, color="#555555", lw=0.8, label=r"start: $1+y_0^2$")
    d.set_xlabel(r"step size $\eta$")
    d.set_ylabel(r"$\lambda_1$ at the end")
    d.set_title("(d) where GD ends")
    for ax in (a, b, c):
        ax.set_xlabel("iteration k")
        ax.set_xlim(0, 60)
    for ax in (a, b, c, d):
        ax.legend(fontsize=7.5)
    return fig


#: the hugging figure: a longer run of the statement's setting (theorysim.theory.ahn2022)
HUG_STEPS = 4000
HUG_ZOOM = (500, 530)


def hugging_methods():
    """``gd`` at the statement's step."""
    from ..theory.ahn2022 import HUG_ETA

    return {f"gd[eta={HUG_ETA:g}]": _methods.gd(HUG_ETA)}


def hugging_data(steps=HUG_STEPS):
    """Trajectory and per-iterate measures of the statement's run, ``steps`` long, plus the valley
    floor's sharpness :math:`x^2+y^2` below each iterate."""
    from ..theory.ahn2022 import hugging_run

    tr, m = hugging_run(steps=steps)
    m.update(k=tr.iteration, loss=tr.loss, floor=tr.x[:, 0] ** 2 + tr.x[:, 1] ** 2)
    return m


def _hug_caption():
    from ..theory.ahn2022 import HUG_C, HUG_ETA, HUG_WINDOW, HUG_X0

    return (
        f"GD with eta = {HUG_ETA:g} (2/eta = {2 / HUG_ETA:g}) on theorysim's toy log cosh(xy - {HUG_C:g}) from "
        f"({HUG_X0[0]:g}, {HUG_X0[1]:g}), {HUG_STEPS} steps. (a) loss, with a zoom on steps {HUG_ZOOM[0]}-"
        f"{HUG_ZOOM[1]}: it rises at every other step yet falls overall. (b) the paper's directional "
        "smoothness L(x, eta g) = <g - grad f(x - eta g), g>/(eta ||g||^2) (a secant along the step), the "
        "curvature at the iterate kappa_dir = g'Hg/||g||^2, the sharpness lambda_1 (dotted; it coincides "
        "with kappa_dir), and the valley floor's sharpness x^2 + y^2, against 2/eta (dashed). (c) relative "
        "progress RP: after the first steps within 0.001 of 0, alternating in sign while the loss zigzags. "
        "(d) |eta L/2 - 1| "
        f"and |eta kappa_dir/2 - 1| (log scale); shaded: the window {HUG_WINDOW} of the check row "
        "ahn2022.edge_hugging. GD bounces between the walls of the valley, where the loss is almost linear: "
        "the gradient flips (L = 2/eta exactly for a flip) while the curvature at the iterates stays far "
        "below 2/eta; it drifts to flatter floor until x^2 + y^2 < 2/eta, then converges. Definitions of RP "
        "and L after Ahn, Zhang, Sra 2022 (as quoted by a reproduction [S]); the toy is theorysim's.")


@register("edge_hugging", paper="ahn2022",
          title="Unstable convergence: directional smoothness hugs 2/eta while the loss zigzags down",
          caption=_hug_caption(), methods=hugging_methods)
def hugging_figure(quick=False):
    """Four panels: loss (with a zoom), curvatures vs 2/eta, RP, deviation from 2/eta."""
    import matplotlib.pyplot as plt

    from ..theory.ahn2022 import HUG_ETA, HUG_WINDOW

    apply()
    m = hugging_data(1200 if quick else HUG_STEPS)
    k, edge = m["k"], 2 / HUG_ETA
    fig, axes = plt.subplots(2, 2, figsize=(11.0, 7.6), constrained_layout=True)
    (a, b), (c, d) = axes
    a.plot(k, m["loss"], color="#1f77b4", lw=0.8)
    a.set_yscale("log")
    a.set_ylabel(r"$f(x_k)$")
    a.set_title("(a) loss")
    z0, z1 = HUG_ZOOM
    if z1 < k.size:
        ins = a.inset_axes([0.45, 0.55, 0.5, 0.4])
        ins.plot(k[z0:z1 + 1], m["loss"][z0:z1 + 1], "o-", color="#1f77b4", ms=2.5, lw=0.8)
        ins.set_title(f"steps {z0}-{z1}", fontsize=7.5)
        ins.tick_params(labelsize=6.5)
    b.plot(k, m["ds"], color="#d62728", label=r"$L(x_k,\eta g_k)$ (paper's, secant)")
    b.plot(k, m["kd"], color="#2ca02c", label=r"$\kappa_{\rm dir}=g^\top Hg/\|g\|^2$ at $x_k$")
    b.plot(k, m["sharp"], color="#555555", lw=0.7, ls=":", label=r"sharpness $\lambda_1$ at $x_k$")
    b.plot(k, m["floor"], color="#9467bd", lw=0.9, label=r"valley floor $x^2+y^2$")
    b.axhline(edge, color="k", ls="--", lw=1.0, label=r"$2/\eta$")
    b.set_ylim(0, 1.1 * float(np.nanmax(m["floor"])))
    b.set_ylabel("curvature")
    b.set_title(r"(b) curvature along the step vs $2/\eta$")
    c.plot(k, m["rp"], color="#ff7f0e", lw=0.8)
    c.axhline(0.0, color="k", lw=0.8)
    c.set_ylim(-0.003, 0.002)
    c.set_ylabel("relative progress RP")
    c.set_title("(c) relative progress")
    d.semilogy(k, np.abs(HUG_ETA * m["ds"] / 2 - 1), color="#d62728", lw=0.8, label=r"$|\eta L/2-1|$")
    d.semilogy(k, np.abs(HUG_ETA * m["kd"] / 2 - 1), color="#2ca02c", lw=0.8,
               label=r"$|\eta\kappa_{\rm dir}/2-1|$")
    d.axvspan(*HUG_WINDOW, color="#cccccc", alpha=0.5, lw=0, label="check window")
    d.set_ylabel(r"distance from $2/\eta$ (relative)")
    d.set_title(r"(d) how close to $2/\eta$")
    for ax in (a, b, c, d):
        ax.set_xlabel("iteration k")
    for ax in (b, d):
        ax.legend(fontsize=7.5)
    return fig
