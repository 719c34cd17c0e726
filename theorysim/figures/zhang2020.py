r"""Figures for Zhang, He, Sra, Jadbabaie, "Why gradient clipping accelerates training: a
theoretical justification for adaptivity" (ICLR 2020, arXiv 1905.11881v2).

* ``scaling`` — the headline (Remark 5) by simulation: iterations to reach
  :math:`\|\nabla f\|\le\epsilon` against the initial gradient norm :math:`M`, for fixed-step GD
  (Theorem 6's step and the best fixed step of a sweep), clipped GD (Theorem 3's parameters) and
  normalized GD (matched to Theorem 3), on theorysim's hard instance ``ramp_wall`` and on ``cosh``.
* ``smoothness`` — the analogue of the paper's Figure 1 on synthetic objectives: a local
  smoothness estimate against the gradient norm along a clipped-GD trajectory.

What is the paper's and what is ours.  The step rules and parameter choices (Thm 3:
:math:`\eta_c=1/(10L_0)`, :math:`\gamma=\min\{1/\eta_c,1/(10L_1\eta_c)\}`; Thm 6:
:math:`h=1/(2(ML_1+L_0))`) and Remark 5's orders are read in the paper's text.  The *displayed*
bounds of Theorems 3, 4 and 6 (their constants) could not be read, so only orders are drawn, as
guides, never as bounds.  The hard instance ``ramp_wall`` and its lower bound are theorysim's own
(proof in :mod:`theorysim.objectives.ramp_wall`), not the paper's Appendix D construction.
"""
from __future__ import annotations

import math
import time

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import sweep
from . import register
from ._style import COLORS, apply

#: the four methods of the ``scaling`` figure, in plotting order
METHODS = ("gd_theorem6", "gd_best", "clipped_gd", "normalized_gd")
LABELS = {
    "gd_theorem6": r"GD, Thm 6 step $h=1/(2(ML_1+L_0))$",
    "gd_best": "GD, best fixed step (sweep)",
    "clipped_gd": "clipped GD, Thm 3 parameters",
    "normalized_gd": "normalized GD, matched to Thm 3",
}
_GUIDE_STYLE = {"gd_theorem6": "--", "gd_best": ":", "clipped_gd": "-."}
_COLOR = {"gd_theorem6": COLORS["gd"], "gd_best": COLORS["gd_best"],
          "clipped_gd": COLORS["clipped_gd"], "normalized_gd": COLORS["normalized_gd"]}

#: constants of the ``scaling`` experiment
L0, L1, EPS, DELTA = 1.0, 1.0, 0.1, 10.0
#: initial gradient norms: 4 decades (9 points in the full figure, 5 in quick mode)
M_FULL = np.logspace(1, 5, 9)
M_QUICK = np.logspace(1, 5, 5)
#: the GD step grid is ``h_max * logspace(*GRID_DECADES, n)``, n = GRID_POINTS[quick]
GRID_DECADES = (-0.7, 0.3)
GRID_POINTS = (96, 48)
#: step budget = BUDGET_FACTOR * predicted count
BUDGET_FACTOR = 3.0
#: cosh: starts with initial gradient M * COSH_START_FRACTIONS (all with ||grad f(x0)|| <= M)
COSH_START_FRACTIONS = 10.0 ** (-np.arange(5) / 4.0)


# --------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------
def scaling_methods(L0=L0, L1=L1, M_A4=()):
    r"""The configured methods of the ``scaling`` figure (Zhang et al. 2020, Sec. 3.1):
    ``clipped_gd`` with Theorem 3's :math:`\eta_c=1/(10L_0)`,
    :math:`\gamma=\min\{1/\eta_c,1/(10L_1\eta_c)\}`; ``normalized_gd`` matched to it
    (:math:`\eta_n=\gamma\eta_c`, :math:`\beta=\gamma`); and ``gd_theorem6[M=...]``, Theorem 6's
    :math:`h=1/(2(ML_1+L_0))` for each Assumption-4 constant in ``M_A4``.  (``gd_best``'s step
    comes from a sweep, see :func:`best_fixed_step`.)"""
    out = {"clipped_gd": _methods.clipped_gd_theorem3(L0, L1),
           "normalized_gd": _methods.normalized_gd_theorem3(L0, L1)}
    for M in np.atleast_1d(np.asarray(M_A4, dtype=float)):
        out[f"gd_theorem6[M={M:g}]"] = _methods.gd_theorem6(L0, L1, M)
    return out


def _instance(family, M, eps, L0, L1, Delta):
    """Objective, starts (n, d) and the facts the budgets and guides need."""
    z_eps = math.asinh(L1 * eps / L0)  # |wall or cosh gradient| <= eps  <=>  |L1 y| <= z_eps
    z0 = math.asinh(L1 * M / L0)
    if family == "ramp_wall":
        obj = _objectives.get("ramp_wall", L0=L0, L1=L1, M=M, eps=eps, Delta=Delta)
        info = obj.info
        starts = obj.x0[None, :]
        # Assumption 4's M: sup ||grad f|| on {f <= f(x0)}.  Since 0 <= psi, |psi'| < s and
        # |phi'| grows with phi, the sup lies in [phi'(y*), sqrt(s^2 + phi'(y*)^2)] where
        # phi(y*) = f(x0); we take the upper end (any larger M also satisfies Assumption 4).
        zs = math.acosh(1.0 + info["gap"] * L1**2 / L0)
        m_a4 = math.hypot(info["s"], L0 / L1 * math.sinh(zs))
        ramp_dist = float(obj.x0[0]) - info["x_eps"]
        facts = dict(h_max=info["h_max"], M_A4=m_a4, gap=info["gap"],
                     lower=info["gd_lower_bound"], ramp_dist=ramp_dist, s=info["s"],
                     wall_dist=z0 / L1, z_eps=z_eps)
    elif family == "cosh":
        obj = _objectives.get("cosh", a=L0, s=L1)
        starts = (np.arcsinh(L1 * M * COSH_START_FRACTIONS / L0) / L1)[:, None]
        facts = dict(h_max=2.0 * z0 / (L1 * M), M_A4=M, gap=L0 / L1**2 * (math.cosh(z0) - 1.0),
                     lower=np.nan, ramp_dist=0.0, s=np.inf, wall_dist=z0 / L1, z_eps=z_eps)
    else:
        raise ValueError(f"family must be 'ramp_wall' or 'cosh', got {family!r}")
    return obj, starts, facts


def _predicted(kind, facts, L0, h=None, eta=None, gamma=None):
    r"""Distance-over-speed estimate of the count (sets the step budget only).

    GD with step h: the ramp is crossed at speed :math:`hs`, the exponential part (wall or cosh)
    contracts like :math:`1-hL_0` near its minimum; clipped GD moves :math:`\gamma\eta_c` per
    clipped step.  Normalized GD's step is at least half the matched clipped step.
    """
    tail = math.log(1.0 / facts["z_eps"]) + 1.0
    if kind == "gd":
        return facts["ramp_dist"] / (h * facts["s"]) + tail / (h * L0)
    ramp_speed = min(eta * facts["s"], gamma * eta)
    n = facts["ramp_dist"] / ramp_speed + facts["wall_dist"] / (gamma * eta) + tail / (eta * L0)
    return n if kind == "clipped_gd" else 2.0 * n


def _budget(n):
    return int(BUDGET_FACTOR * n) + 100


def _worst_count(obj, builder, fixed, starts, steps, eps):
    """Largest first-hit count over the starts; raises if a run misses within ``steps``."""
    res = sweep(obj, builder, grid={"x0": starts}, fixed=fixed, steps=steps, tol=eps,
                stop_at_tol=True)
    if np.any(res.first_hit < 0):
        raise RuntimeError(f"{res.method} on {obj.name} did not reach eps={eps} within "
                           f"{steps} steps ({fixed}); raise BUDGET_FACTOR")
    return int(res.first_hit.max())


def best_fixed_step(obj, starts, h_ref, steps, eps, n_grid=96, decades=GRID_DECADES):
    r"""The fixed GD step with the fewest iterations, worst case over ``starts``.

    Sweeps :math:`h\in h_{\rm ref}\cdot10^{[a,b]}` (``n_grid`` log-spaced points) from every start
    and returns the step minimising :math:`\max_{x_0}T_\epsilon(h,x_0)` (a run that never reaches
    :math:`\epsilon` within ``steps``, or diverges, counts as :math:`\infty`) — the inf over
    :math:`h` of the sup over starts in the complexity notion Zhang et al. 2020 (Sec. 4) take from
    Carmon et al.

    Returns a dict with ``eta``, ``count``, ``index``, ``grid``, ``worst`` (per grid point) and
    ``interior`` (the best is not the first or last grid point, and a step above it fails).
    """
    grid = h_ref * np.logspace(decades[0], decades[1], n_grid)
    res = sweep(obj, _methods.gd, grid={"eta": grid, "x0": starts}, steps=steps, tol=eps,
                stop_at_tol=True)
    fh = res.first_hit.astype(float)
    fh[fh < 0] = np.inf
    worst = fh.max(axis=1)
    i = int(np.argmin(worst))
    if not np.isfinite(worst[i]):
        raise RuntimeError(f"no fixed step on the grid reached eps={eps} on {obj.name}")
    interior = bool(0 < i < n_grid - 1 and not np.all(np.isfinite(worst[i + 1:])))
    return dict(eta=float(grid[i]), count=int(worst[i]), index=i, grid=grid, worst=worst,
                interior=interior)


def scaling_counts(family, Ms=None, eps=EPS, quick=False, *, L0=L0, L1=L1, Delta=DELTA):
    r"""Iterations to reach :math:`\|\nabla f\|\le\epsilon` against the initial gradient norm M.

    For each M in ``Ms`` (default: :data:`M_FULL`, or :data:`M_QUICK` when ``quick``) and
    ``family``:

    * ``"ramp_wall"``: theorysim's hard instance with wall gradient M at its start, ramp drop
      ``Delta``; one start, ``obj.x0`` (the one its lower bound is proved for);
    * ``"cosh"``: :math:`f=\frac{L_0}{L_1^2}\cosh(L_1x)`, starts with initial gradient
      :math:`M\cdot\{1,10^{-1/4},\dots,10^{-1}\}` (the largest is
      :math:`x_0=\operatorname{asinh}(L_1M/L_0)/L_1`).  Counts are the worst over these
      starts.  Several starts are needed because a step tuned to one start can land on the
      minimiser (:math:`h=x_0/\sinh x_0` reaches 0 in one step), a luck no step rule for the
      class can rely on.

    Methods (Zhang et al. 2020, Sec. 3.1):

    * ``gd_theorem6``: :math:`h=1/(2(M_4L_1+L_0))`, Thm 6, with :math:`M_4` Assumption 4's
      :math:`\sup\{\|\nabla f(x)\|:f(x)\le f(x_0)\}` (``M_A4``: :math:`\approx M+L_1\Delta` on
      ramp_wall, exactly M on cosh);
    * ``gd_best``: the best fixed step of a sweep over ``n`` log-spaced steps (96; 48 when
      ``quick``) in :math:`h_{\max}\cdot[10^{-0.7},10^{0.3}]`, where :math:`h_{\max}=
      2\operatorname{asinh}(L_1M/L_0)/(L_1M)` is the largest step that does not diverge from the
      top start (see :func:`best_fixed_step`); raises if the best lies on the grid's edge;
    * ``clipped_gd``: Thm 3, :math:`\eta_c=1/(10L_0)`,
      :math:`\gamma=\min\{1/\eta_c,1/(10L_1\eta_c)\}`;
    * ``normalized_gd``: :math:`\eta_n=\gamma\eta_c`, :math:`\beta=\gamma` (Sec. 3.1 equivalence).

    Every run stops at the tolerance; its step budget is 3x a distance-over-speed prediction.

    Returns a dict: ``M``, ``counts`` (method -> int array), ``gd_best_eta``, ``gd_best_index``,
    ``gd_best_interior``, ``grid_size``, ``h_max``, ``M_A4``, ``gap`` (:math:`f(x_0)-f^*`),
    ``gd_lower_bound`` (ramp_wall: the proved bound every fixed step obeys; NaN for cosh),
    ``orders`` (shape of each guide, see :func:`order_guides`), ``seconds`` and the constants.
    """
    if Ms is None:
        Ms = M_QUICK if quick else M_FULL
    Ms = np.asarray(Ms, dtype=float)
    n_grid = GRID_POINTS[bool(quick)]
    fixed_methods = scaling_methods(L0, L1)
    clip, ngd = fixed_methods["clipped_gd"], fixed_methods["normalized_gd"]
    eta_c, gamma = clip.hyper["eta"], clip.hyper["gamma"]
    keys = ("h_max", "M_A4", "gap", "lower")
    out = {k: np.empty(len(Ms)) for k in keys}
    counts = {m: np.empty(len(Ms), dtype=np.int64) for m in METHODS}
    best_eta = np.empty(len(Ms))
    best_idx = np.empty(len(Ms), dtype=np.int64)
    interior = np.empty(len(Ms), dtype=bool)
    t0 = time.perf_counter()
    for j, M in enumerate(Ms):
        obj, starts, facts = _instance(family, float(M), eps, L0, L1, Delta)
        for k in keys:
            out[k][j] = facts[k]
        h6 = _methods.gd_theorem6(L0, L1, facts["M_A4"]).hyper["eta"]
        counts["gd_theorem6"][j] = _worst_count(
            obj, _methods.gd, {"eta": h6}, starts, _budget(_predicted("gd", facts, L0, h=h6)), eps)
        best = best_fixed_step(obj, starts, facts["h_max"],
                               _budget(_predicted("gd", facts, L0, h=facts["h_max"])), eps, n_grid)
        if not best["interior"]:
            raise RuntimeError(f"{family}, M={M:g}: the best fixed step is at the edge of the grid "
                               f"(index {best['index']} of {n_grid}); widen GRID_DECADES")
        counts["gd_best"][j], best_eta[j] = best["count"], best["eta"]
        best_idx[j], interior[j] = best["index"], best["interior"]
        pc = _predicted("clipped_gd", facts, L0, eta=eta_c, gamma=gamma)
        counts["clipped_gd"][j] = _worst_count(
            obj, _methods.clipped_gd, dict(clip.hyper), starts, _budget(pc), eps)
        counts["normalized_gd"][j] = _worst_count(
            obj, _methods.normalized_gd, dict(ngd.hyper), starts, _budget(2 * pc), eps)
    res = dict(family=family, M=Ms, eps=eps, L0=L0, L1=L1, Delta=Delta, counts=counts,
               gd_best_eta=best_eta, gd_best_index=best_idx, gd_best_interior=interior,
               grid_size=n_grid, h_max=out["h_max"], M_A4=out["M_A4"], gap=out["gap"],
               gd_lower_bound=out["lower"], eta_c=eta_c, gamma=gamma)
    res["orders"] = order_shapes(res)
    res["seconds"] = time.perf_counter() - t0
    return res


def order_shapes(res):
    r"""M-dependence of the orders drawn as guides (constants unconfirmed, so shapes only).

    With :math:`M` Assumption 4's :math:`M_4` and :math:`\Delta` held fixed (see the notes: on
    ramp_wall :math:`\Delta` is the ramp drop; the full gap :math:`f(x_0)-f^*` grows like
    :math:`M/L_1`):

    * ``gd_theorem6``: :math:`ML_1+L_0` — Thm 6's order :math:`O((ML_1+L_0)\Delta\epsilon^{-2})`;
    * ``gd_best``: :math:`L_1M/\log M+L_0` — Remark 5's lower order
      :math:`\Omega((L_1M/\log M+L_0)\Delta\epsilon^{-2})` (Thm 4 with Carmon et al.);
    * ``clipped_gd``: ramp_wall: constant — Thm 3's order
      :math:`O(L_0\Delta\epsilon^{-2}+L_1^2\Delta L_0^{-1})`; cosh: theorysim's own estimate
      :math:`\operatorname{asinh}(L_1M/L_0)/(L_1\gamma\eta_c)+\log(1/z_\epsilon)/(\eta_cL_0)`
      (clipped steps of length :math:`\gamma\eta_c` over a distance :math:`\approx\log(2M)/L_1`,
      then an unclipped tail), not the paper's.
    """
    M4, L0_, L1_ = res["M_A4"], res["L0"], res["L1"]
    shapes = {"gd_theorem6": L1_ * M4 + L0_, "gd_best": L1_ * M4 / np.log(M4) + L0_}
    if res["family"] == "ramp_wall":
        shapes["clipped_gd"] = np.ones_like(M4)
    else:
        z_eps = math.asinh(L1_ * res["eps"] / L0_)
        clip_step = L1_ * res["gamma"] * res["eta_c"]
        shapes["clipped_gd"] = (np.arcsinh(L1_ * res["M"] / L0_) / clip_step
                                + math.log(1.0 / z_eps) / (res["eta_c"] * L0_))
    return shapes


def order_guides(res):
    """Each order shape scaled by one factor (geometric-mean fit to its method's counts).

    Returns ``{method: (guide array, factor, max ratio deviation)}``; the deviation is
    ``max(r)/min(r)`` of ``counts / guide`` over M (1 = the order is followed exactly).
    """
    out = {}
    for m, shape in res["orders"].items():
        r = res["counts"][m] / shape
        c = float(np.exp(np.mean(np.log(r))))
        out[m] = (c * shape, c, float(r.max() / r.min()))
    return out


def fit_slope(Ms, counts) -> float:
    r"""Least-squares slope of :math:`\log(\text{count})` against :math:`\log M` (all points)."""
    x = np.log(np.asarray(Ms, dtype=float))
    y = np.log(np.asarray(counts, dtype=float))
    return float(np.polyfit(x, y, 1)[0])


def fit_log_linear(Ms, counts):
    r"""Least-squares fit :math:`\text{count}\approx a+b\log M`; returns ``(a, b, r2)``."""
    x = np.log(np.asarray(Ms, dtype=float))
    y = np.asarray(counts, dtype=float)
    b, a = np.polyfit(x, y, 1)
    resid = y - (a + b * x)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return float(a), float(b), r2


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def _decades(Ms):
    n = round(math.log10(Ms[-1] / Ms[0]))
    return f"{n} decade" + ("s" if n != 1 else "")


def _scaling_caption():
    m = scaling_methods(L0, L1, M_FULL)
    clip, ngd = m["clipped_gd"].hyper, m["normalized_gd"].hyper
    low = COSH_START_FRACTIONS.min()
    span = "[M/10, M]" if np.isclose(low, 0.1) else f"[{low:.3g} M, M]"
    return (
        f"Iterations to reach ||grad f|| <= eps = {EPS:g} against the initial gradient norm M "
        f"({_decades(M_FULL)}, {len(M_FULL)} values), L0 = {L0:g}, L1 = {L1:g}. Left: theorysim's own "
        "hard instance ramp_wall (not the paper's Appendix D construction, which we could not "
        f"read) with ramp drop Delta = {DELTA:g}; the gray line is its proved lower bound for "
        "every fixed step (proof in theorysim.objectives.ramp_wall). Right: cosh, worst case over "
        f"{len(COSH_START_FRACTIONS)} starts with initial gradient in {span}. GD uses Theorem 6's "
        "step h = 1/(2(M L1 + L0)) (M = Assumption 4's sup of ||grad f|| on the sublevel set) and "
        f"the best fixed step of a {GRID_POINTS[0]}-point log-grid sweep; clipped GD uses Theorem "
        f"3's eta_c = 1/(10 L0) = {clip['eta']:g}, gamma = min{{1/eta_c, 1/(10 L1 eta_c)}} = "
        f"{clip['gamma']:g}; normalized GD eta_n = gamma eta_c = {ngd['eta']:g}, beta = gamma = "
        f"{ngd['beta']:g}. Black dashed/dotted lines: orders only (Thm 6: M L1 + L0; Remark 5 "
        "lower: L1 M/log M + L0; Thm 3: constant; on cosh the clipped guide is our own log-M "
        "estimate), each scaled by one fitted factor, because the displayed constants of Theorems "
        "3, 4 and 6 are unconfirmed. The orders hold Delta fixed; on ramp_wall f(x0) - f* = Delta "
        "+ (cosh(asinh M) - 1) grows like M/L1, as it must for every (L0,L1)-smooth function whose "
        "gradient grows, and Delta counts only the ramp, the part of the gap that costs "
        "iterations.")


_SCALING_CAPTION = _scaling_caption()


@register("scaling", paper="zhang2020",
          title="Fixed-step GD needs ~M/log M iterations; clipped and normalized GD do not",
          caption=_SCALING_CAPTION,
          methods=lambda: scaling_methods(L0, L1, M_FULL), cost=35)  # cosh: Assumption 4's M is M
def scaling_figure(quick=False):
    """Counts vs M on ramp_wall and cosh for the four methods, with bounds and order guides."""
    import matplotlib.pyplot as plt

    apply()
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 4.6), constrained_layout=True)
    low = COSH_START_FRACTIONS.min()
    span = "[M/10,M]" if np.isclose(low, 0.1) else f"[{low:.3g}M,M]"
    titles = {"ramp_wall": rf"ramp_wall (theorysim's hard instance), $\Delta={DELTA:g}$",
              "cosh": rf"$\cosh x$, starts with $\|\nabla f(x_0)\|\in{span}$"}
    for ax, family in zip(axes, ("ramp_wall", "cosh")):
        res = scaling_counts(family, quick=quick)
        M = res["M"]
        if family == "ramp_wall":
            ax.plot(M, res["gd_lower_bound"], color=COLORS["bound"], lw=2.4, alpha=0.55,
                    label="proved lower bound, every fixed step (ours)")
        guides = order_guides(res)
        guide_label = {"gd_theorem6": r"order $ML_1+L_0$ (Thm 6)",
                       "gd_best": r"order $L_1M/\log M+L_0$ (Remark 5)",
                       "clipped_gd": ("order const. (Thm 3, $\\Delta$ fixed)"
                                      if family == "ramp_wall" else
                                      r"$\propto$ distance $\log(2M)$ / clip step (ours)")}
        for m in METHODS:
            slope = fit_slope(M, res["counts"][m])
            ax.plot(M, res["counts"][m], marker="o", ms=4, color=_COLOR[m],
                    label=f"{LABELS[m]} (slope {slope:.2f})")
        for m, (g, _, _) in guides.items():  # on top, so a guide that fits stays visible
            ax.plot(M, g, ls=_GUIDE_STYLE[m], lw=1.1, color="k", alpha=0.75, zorder=5,
                    label=guide_label[m])
        a, b, r2 = fit_log_linear(M, res["counts"]["clipped_gd"])
        note = f"clipped GD: {a:.0f} + {b:.1f} ln M  ($R^2$ = {r2:.4f})"
        if family == "ramp_wall":
            ratio = res["counts"]["gd_best"] / res["gd_lower_bound"]
            note += f"\nbest fixed step / proved bound: {ratio.min():.3f} to {ratio.max():.3f}"
        ax.text(0.98, 0.03, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"initial gradient norm $M$")
        ax.set_ylabel(rf"iterations to $\|\nabla f\|\leq\epsilon={res['eps']:g}$")
        ax.set_title(titles[family], fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Zhang et al. 2020, Remark 5 by simulation: fixed-step GD pays for M, clipping "
                 "does not  (black broken lines: orders only, constants unconfirmed)", fontsize=10)
    return fig


#: the ``smoothness`` figure: objectives, start gradient norm, steps (full / quick)
SMOOTH_FAMILIES = {"cosh": dict(), "power": dict(p=4.0)}
SMOOTH_GRAD0 = 1e4
SMOOTH_STEPS = {"cosh": (200, 100), "power": (2000, 600)}


def _smooth_objective(family):
    if family not in SMOOTH_FAMILIES:
        raise ValueError(f"family must be one of {', '.join(SMOOTH_FAMILIES)}, got {family!r}")
    return _objectives.get(family, **SMOOTH_FAMILIES[family])


def smoothness_methods():
    r"""The configured methods of the ``smoothness`` figure: clipped GD with Theorem 3's
    parameters for each objective's documented :math:`(L_0,L_1)` (Zhang et al. 2020, Thm 3)."""
    out = {}
    for family in SMOOTH_FAMILIES:
        obj = _smooth_objective(family)
        out[family] = _methods.clipped_gd_theorem3(obj.L0, obj.L1)
    return out


def _smooth_caption():
    m = smoothness_methods()
    c, q = _smooth_objective("cosh"), _smooth_objective("power")
    mc, mq = m["cosh"].hyper, m["power"].hyper
    return (
        "Analogue of Zhang et al. 2020, Fig. 1 on synthetic objectives: along one clipped-GD "
        f"trajectory (Theorem 3 parameters: eta_c = {mc['eta']:g}, gamma = {mc['gamma']:g} on "
        f"cosh x; eta_c = {mq['eta']:g}, gamma = {mq['gamma']:g} on x^4/4; start with gradient "
        f"norm {SMOOTH_GRAD0:g}), the local smoothness estimate ||grad f(x_mid) - grad f(x_t)|| / "
        "||x_mid - x_t|| (x_mid the midpoint of the step, the estimator of the authors' code, "
        "theorysim.diagnostics.local_smoothness) against ||grad f(x_t)||, coloured by iteration. "
        "Dashed: L0 + L1 ||grad f||, the (L0,L1) bound of Definition 1. Left: cosh x, (L0,L1) = "
        f"({c.L0:g},{c.L1:g}), where smoothness grows linearly with the gradient. Right: x^4/4, "
        f"(L0,L1) = ({q.L0:g},{q.L1:g}) (the smallest L0 for L1 = {q.L1:g}), where it grows like "
        "||grad f||^(2/3): still positively correlated (Remark 1), below the linear bound.")


_SMOOTH_CAPTION = _smooth_caption()


def smoothness_data(family, grad0=SMOOTH_GRAD0, steps=None):
    """Clipped-GD (Thm 3) trajectory on ``family`` ('cosh' or 'power' with p = 4) from a start
    with gradient norm ``grad0``; returns ``(L_hat, grad_norm, objective)``."""
    from ..diagnostics import local_smoothness
    from ..engine import run

    obj = _smooth_objective(family)
    if family == "cosh":
        x0 = math.asinh(grad0)
    else:
        x0 = grad0 ** (1.0 / 3.0)
    steps = steps or SMOOTH_STEPS[family][0]
    tr = run(obj, smoothness_methods()[family], x0=[x0], steps=steps,
             record_every=1, record_iterates=True)
    L_hat, g = local_smoothness(obj, tr.x)
    keep = np.isfinite(L_hat) & (g > 0) & (L_hat > 0)
    return L_hat[keep], g[keep], obj


@register("smoothness", paper="zhang2020",
          title="Local smoothness grows with the gradient norm along clipped GD",
          caption=_SMOOTH_CAPTION, methods=smoothness_methods)
def smoothness_figure(quick=False):
    """Local smoothness estimate vs gradient norm along clipped GD on cosh and on x^4/4."""
    import matplotlib.pyplot as plt

    apply()
    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.3), constrained_layout=True)
    names = {"cosh": r"$f=\cosh x$", "power": r"$f=x^4/4$"}
    for ax, family in zip(axes, ("cosh", "power")):
        L_hat, g, obj = smoothness_data(family, steps=SMOOTH_STEPS[family][bool(quick)])
        sc = ax.scatter(g, L_hat, c=np.arange(len(g)), cmap="viridis", s=9,
                        label="estimate along clipped GD")
        gg = np.logspace(np.log10(g.min()), np.log10(g.max()), 200)
        ax.plot(gg, obj.L0 + obj.L1 * gg, ls="--", color=COLORS["bound"],
                label=rf"$L_0+L_1\|\nabla f\|$ = {obj.L0:g} + {obj.L1:g}$\|\nabla f\|$")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"gradient norm $\|\nabla f(x_t)\|$")
        ax.set_ylabel("local smoothness estimate")
        ax.set_title(rf"{names[family]}, $(L_0,L_1)=({obj.L0:g},{obj.L1:g})$", fontsize=10)
        ax.legend(fontsize=8, loc="upper left")
        fig.colorbar(sc, ax=ax, label="iteration")
    fig.suptitle("Gradient norm vs local smoothness (after Zhang et al. 2020, Fig. 1)",
                 fontsize=10)
    return fig
