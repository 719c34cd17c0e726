r"""Figure after Zhang, Li, Sra, Jadbabaie 2022 (weights do not converge; invariant measure) on
theorysim's double well :math:`f(x)=x^4/4-x^2/2`.

* ``invariant_measure`` — (a) where GD's iterates live after a burn-in, against the step size
  (bifurcation diagram; the period doublings :math:`\eta_1=1`, :math:`\eta_2=\sqrt5-1` of statement
  ``zhang2022.period_doubling`` drawn from the statement); (b) the multipliers of the fixed point
  and of the 2-cycle from the same statement; (c) at :math:`\eta=2`, the histogram of the iterates of
  many runs against the exact invariant density :math:`1/(\pi\sqrt{2-x^2})` (statement
  ``zhang2022.chebyshev``); (d) running time averages of :math:`f` and :math:`f'^2` converging to
  :math:`-1/8` and :math:`1/2` while :math:`|f'(x_k)|` itself keeps jumping.  The testbed and the
  exact results are theorysim's; the paper's abstract [C] gives the phenomenon.
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from ..theory import zhang2022 as _th
from . import register
from ._style import apply

#: bifurcation diagram: step grid, start, burn-in, points drawn per step
BIF_ETAS = np.linspace(0.8, 2.0, 241)
BIF_X0 = 1.2
BIF_BURN, BIF_KEEP = 2000, 64
#: chaotic regime: step, starts (seeded), steps per run, burn-in
ETA_CHAOS = 2.0
N_STARTS = 64
STEPS = 4000
BURN_IN = 100
SEED = 2022


def measure_methods():
    """``gd`` over ``BIF_ETAS`` (panel a) and ``gd`` at ``ETA_CHAOS`` (panels c, d)."""
    return {"gd_grid": _methods.gd(BIF_ETAS), "gd_chaos": _methods.gd(ETA_CHAOS)}


def measure_data():
    """Bifurcation points, chaotic iterates, running averages (see the module docstring)."""
    from ..engine import run
    from ..objectives import get

    f = get("double_well")
    bif = []
    for e in BIF_ETAS:
        tr = run(f, _methods.gd(float(e)), x0=[BIF_X0], steps=BIF_BURN + BIF_KEEP)
        xs = tr.x[-BIF_KEEP:, 0] if not tr.diverged else np.full(BIF_KEEP, np.nan)
        bif.append(xs)
    starts = np.random.default_rng(np.random.SeedSequence(SEED)).uniform(-1.4, 1.4, N_STARTS)
    xs, fs, gs = [], [], []
    for x0 in starts:
        tr = run(f, _methods.gd(ETA_CHAOS), x0=[x0], steps=STEPS)
        if tr.diverged:
            continue
        xs.append(tr.x[BURN_IN:, 0])
        fs.append(tr.loss[BURN_IN:])
        gs.append(tr.grad_norm[BURN_IN:])
    F, G = np.array(fs), np.array(gs)
    k = np.arange(1, F.shape[1] + 1)
    return dict(bif=np.array(bif), x=np.concatenate(xs), f_avg=np.cumsum(F.mean(axis=0)) / k,
                g2_avg=np.cumsum((G**2).mean(axis=0)) / k, g_one=G[0], kept=len(xs))


def _caption():
    m = measure_methods()
    grid = m["gd_grid"].hyper["eta"]
    return (
        f"GD on the double well f = x^4/4 - x^2/2 (theorysim's testbed). (a) the last {BIF_KEEP} of "
        f"{BIF_BURN + BIF_KEEP} iterates from x0 = {BIF_X0:g} for eta = {grid.min():g} ... {grid.max():g} "
        f"({grid.size} values); dashed: the period doublings eta1 = 1 and eta2 = sqrt(5) - 1 "
        "(statement zhang2022.period_doubling, ours). (b) multipliers of the minimum (1 - 2 eta) and "
        "of the 2-cycle (9 - 2(1 + eta)^2); a cycle is stable while its multiplier lies in (-1, 1). "
        f"(c) at eta = {m['gd_chaos'].hyper['eta']:g}: histogram of the iterates of {N_STARTS} runs "
        f"(seeded starts in (-1.4, 1.4), {STEPS} steps, burn-in {BURN_IN}) against the exact "
        "invariant density 1/(pi sqrt(2 - x^2)) (statement zhang2022.chebyshev, ours: GD is "
        "conjugate to theta -> 3 theta). (d) running time averages over the runs: f -> -1/8 and "
        "f'^2 -> 1/2, while |f'(x_k)| of one run keeps jumping: the loss averages out, the "
        "gradient does not vanish (the phenomenon of Zhang, Li, Sra, Jadbabaie 2022's abstract).")


_CAPTION = _caption()


@register("invariant_measure", paper="zhang2022",
          title="GD that does not converge: period doubling, chaos, and an exact invariant measure",
          caption=_CAPTION, methods=measure_methods)
def invariant_measure_figure(quick=False):
    """Four panels: bifurcation diagram, multipliers, invariant density, time averages."""
    import matplotlib.pyplot as plt

    apply()
    D = measure_data()
    st = _th.PeriodDoubling()
    ch = _th.Chebyshev()
    e1, e2 = st.evaluate("eta1"), st.evaluate("eta2")
    fig, axes = plt.subplots(2, 2, figsize=(11.0, 7.6), constrained_layout=True)
    (a, b), (c, d) = axes
    ee = np.repeat(BIF_ETAS, BIF_KEEP)
    a.plot(ee, D["bif"].ravel(), ",", color="#1f77b4", alpha=0.6, label="iterates after burn-in")
    for v, lab in ((e1, r"$\eta_1=1$"), (e2, r"$\eta_2=\sqrt{5}-1$")):
        a.axvline(v, color="k", ls="--", lw=0.9, label=lab)
    a.set_xlabel(r"step size $\eta$")
    a.set_ylabel(r"$x_k$")
    a.set_title("(a) where the iterates live")
    eg = np.linspace(0.5, 1.6, 300)
    b.plot(eg, [st.evaluate("fixed_multiplier", eta=v) for v in eg], label=r"minimum: $1-2\eta$")
    e_cyc = eg[eg >= 1.0]
    b.plot(e_cyc, [st.evaluate("cycle_multiplier", eta=v) for v in e_cyc], label=r"2-cycle: $9-2(1+\eta)^2$")
    b.axhspan(-1, 1, color="#2ca02c", alpha=0.08, label="stable")
    b.axhline(-1, color="k", lw=0.8)
    b.set_xlabel(r"step size $\eta$")
    b.set_ylabel("multiplier")
    b.set_title("(b) multipliers (sympy)")
    c.hist(D["x"], bins=120, density=True, color="#9467bd", alpha=0.6, label=f"iterates, {D['kept']} runs")
    xx = np.linspace(-np.sqrt(2) * 0.9995, np.sqrt(2) * 0.9995, 400)
    c.plot(xx, [ch.evaluate("density", x=v) for v in xx], "k-", lw=1.2, label=r"$1/(\pi\sqrt{2-x^2})$")
    c.set_ylim(0, 2.0)
    c.set_xlabel("x")
    c.set_ylabel("density")
    c.set_title(rf"(c) invariant density at $\eta={ETA_CHAOS:g}$")
    k = np.arange(1, D["f_avg"].size + 1)
    d.plot(k, D["g_one"], color="#cccccc", lw=0.4, label=r"$|f'(x_k)|$, one run")
    d.plot(k, D["f_avg"], color="#d62728", label=r"running mean of $f$")
    d.plot(k, D["g2_avg"], color="#1f77b4", label=r"running mean of $f'^2$")
    d.axhline(ch.evaluate("mean_loss"), color="#d62728", ls="--", lw=0.9, label=r"$-1/8$")
    d.axhline(ch.evaluate("mean_sq_grad"), color="#1f77b4", ls="--", lw=0.9, label=r"$1/2$")
    d.set_xscale("log")
    d.set_xlabel("steps after burn-in")
    d.set_title("(d) time averages converge, the gradient does not")
    for ax in (a, b, c, d):
        ax.legend(fontsize=7.5, loc="best")
    return fig
