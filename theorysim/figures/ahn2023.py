r"""Figure for theorysim's :math:`\ell(xy)` edge-of-stability toy (statement ``ahn2023.edge``; in the
spirit of Ahn, Bubeck, Chewi, Lee, Suarez, Zhang 2023, whose reduced model could not be confirmed).

* ``phase_diagram`` — (a) the limit :math:`|y_\infty|` of GD on :math:`\log\cosh(\sqrt a\,xy)`
  against the step size, for two curvatures :math:`a=\ell''(0)`, with the stability edge
  :math:`y^2=2/(\eta a)` drawn from the statement and the gradient-flow limit
  :math:`\sqrt{y_0^2-x_0^2}`; (b) trajectories in the :math:`(x,y)` plane; (c) the sharpness
  :math:`a\,y_k^2` along the runs against :math:`2/\eta`.
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from ..theory import ahn2023 as _th
from . import register
from ._style import apply

X0 = _th.X0
CURVS = _th.CURVS
#: phase diagram: step sizes as multiples of eta* = 2/(a (y0^2 - x0^2))
FACTORS = np.linspace(0.1, 3.0, 59)
#: trajectories (a = 1): multiples of eta*, steps drawn
TRAJ_FACTORS = (0.5, 1.5, 2.5)
TRAJ_STEPS = 300
_COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def phase_methods():
    """``gd`` over ``FACTORS * eta*`` for each curvature, and the three trajectory runs."""
    out = {f"gd_grid[a={a:g}]": _methods.gd(FACTORS * _th.eta_star(a)) for a in CURVS}
    for c in TRAJ_FACTORS:
        out[f"gd[{c:g} eta*]"] = _methods.gd(c * _th.eta_star(1.0))
    return out


def phase_data():
    """Limits per curvature, and the trajectories of panel (b, c)."""
    from ..engine import run
    from ..objectives import product_loss

    lim = {a: _th.limits(a, FACTORS * _th.eta_star(a)) for a in CURVS}
    f = product_loss(1.0)
    traj = {}
    for c in TRAJ_FACTORS:
        e = c * _th.eta_star(1.0)
        traj[c] = (e, run(f, _methods.gd(e), x0=list(X0), steps=TRAJ_STEPS).x)
    return lim, traj


def _caption():
    m = phase_methods()
    g1 = m[f"gd_grid[a={CURVS[0]:g}]"].hyper["eta"]
    return (
        f"GD on f(x, y) = log cosh(sqrt(a) x y) (theorysim's own l(xy) toy, l''(0) = a) from "
        f"({X0[0]:g}, {X0[1]:g}), {_th.STEPS} steps. (a) limit |y_inf| against eta for a = "
        f"{', '.join(f'{a:g}' for a in CURVS)} ({FACTORS.size} steps each, from {FACTORS.min():g} to "
        f"{FACTORS.max():g} times eta* = 2/(a (y0^2 - x0^2)); for a = {CURVS[0]:g}: eta = {g1.min():.3g} ... "
        f"{g1.max():.3g}); solid: the stability edge y^2 = 2/(eta a) of statement ahn2023.edge; dotted: "
        "the gradient-flow limit sqrt(y0^2 - x0^2) (GF conserves x^2 - y^2). Below eta* GD ends near "
        "the flow limit; above it GD oscillates across the valley and sheds |y| until it lies just "
        "inside the edge: a phase transition in the step size. (b) trajectories for a = 1 at "
        f"eta = {', '.join(f'{c:g}' for c in TRAJ_FACTORS)} eta*. (c) their sharpness a y_k^2 "
        "against 2/eta (dashed).")


_CAPTION = _caption()


@register("phase_diagram", paper="ahn2023",
          title="l(xy): large steps end at a flatter minimiser, just inside the stability edge",
          caption=_CAPTION, methods=phase_methods)
def phase_figure(quick=False):
    """Three panels: limit |y| vs eta, trajectories, sharpness."""
    import matplotlib.pyplot as plt

    apply()
    lim, traj = phase_data()
    st = _th.Edge()
    fig, axes = plt.subplots(1, 3, figsize=(14.0, 4.3), constrained_layout=True)
    a_ax, b_ax, c_ax = axes
    y_flow = np.sqrt(X0[1] ** 2 - X0[0] ** 2)
    for a, col in zip(CURVS, ("#9467bd", "#ff7f0e")):
        etas = FACTORS * _th.eta_star(a)
        a_ax.plot(etas, lim[a], "o", color=col, ms=3.5, label=rf"GD limit, $a={a:g}$")
        ee = np.linspace(etas.min(), etas.max(), 300)
        a_ax.plot(ee, np.sqrt([st.evaluate(eta=e, a=a) for e in ee]), color=col, lw=1.2,
                  label=rf"edge $y^2=2/(\eta a)$, $a={a:g}$")
    a_ax.axhline(y_flow, color="k", ls=":", lw=1.0, label=r"flow limit $\sqrt{y_0^2-x_0^2}$")
    a_ax.set_ylim(0, 2 * y_flow)
    a_ax.set_xscale("log")
    a_ax.set_xlabel(r"step size $\eta$")
    a_ax.set_ylabel(r"$|y_\infty|$")
    a_ax.set_title("(a) where GD ends")
    for (c, (e, xs)), col in zip(traj.items(), _COLORS):
        b_ax.plot(xs[:, 0], xs[:, 1], "-", color=col, lw=0.7, marker=".", ms=2, label=rf"$\eta={c:g}\,\eta^*$")
        k = np.arange(xs.shape[0])
        c_ax.plot(k, xs[:, 1] ** 2, color=col, label=rf"$\eta={c:g}\,\eta^*$")
        c_ax.axhline(2 / e, color=col, ls="--", lw=0.9)
    b_ax.set_xlabel("x")
    b_ax.set_ylabel("y")
    b_ax.set_title(r"(b) trajectories, $a=1$")
    c_ax.set_xlabel("iteration k")
    c_ax.set_ylabel(r"sharpness $a\,y_k^2$ ($2/\eta$ dashed)")
    c_ax.set_title("(c) sharpness against 2/eta")
    for ax in axes:
        ax.legend(fontsize=7.5)
    return fig
