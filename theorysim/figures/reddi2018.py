r"""Figures for Reddi, Kale, Kumar, "On the convergence of Adam and beyond" (ICLR 2018, arXiv
1904.09237; read in the OpenReview submission text).

* ``synthetic`` — the analogue of the paper's Figure 1 (Sec. 5): on the online problem
  :math:`f_t(x)=1010x` if :math:`t\bmod101=1`, :math:`-10x` otherwise, and on its stochastic twin
  (:math:`1010x` with probability 0.01), both on :math:`\mathcal F=[-1,1]`, Adam and AMSGrad with
  :math:`\beta_1=0.9`, :math:`\beta_2=0.99`: average regret :math:`R_t/t` (left), online iterate
  (centre), stochastic iterate (right).
* ``counterexample`` — the online problem of Sec. 3 with :math:`C=3` and the paper's
  :math:`\beta_1=0`, :math:`\beta_2=1/(1+C^2)`: iterates, average regret, and the mechanism (the
  step each method takes in one period of the limit cycle).

What is the paper's and what is ours.  The problems, :math:`\beta_1=0.9,\beta_2=0.99` for Figure 1,
:math:`\beta_2=1/(1+C^2)` for Sec. 3, the analysed Adam (no bias correction, no :math:`\epsilon`)
and AMSGrad (Algorithm 2) are read in the paper's text.  **The step size, start and horizon of
Figure 1 are not stated in the text we read**; we use :math:`\alpha_t=0.5/\sqrt t` (the schedule
of the paper's theory), :math:`x_1=0`, and horizons of our choosing, and say so in the caption.
Sec. 3's step is ours too (:math:`\alpha_t=0.1/\sqrt t`).  The limits of the average regret, the
limit cycle of the moments and the per-period drift are our own algebra.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import run, sweep
from . import register
from ._style import COLORS, apply

#: Figure 1 problem (Sec. 5): slopes a (once per period), b (otherwise), period; stochastic p
SYNTH = dict(a=1010.0, b=-10.0, period=101, p=0.01)
#: Figure 1's betas as read in the paper (Sec. 5: "we set beta1 = 0.9 and beta2 = 0.99")
PAPER_FIG1_BETAS = (0.9, 0.99)
#: Figure 1 hyperparameters the recipe runs with, and our step: alpha_t = ALPHA_SYNTH / sqrt(t)
BETA1, BETA2 = PAPER_FIG1_BETAS
ALPHA_SYNTH = 0.5
#: horizons (full / quick): online runs are recorded at every step (regret needs every loss)
ONLINE_STEPS = (1_000_000, 100_000)
STOCH_STEPS = (10_000_000, 1_000_000)
STOCH_SEEDS = np.arange(4)
#: the stochastic runs are also recorded finely over their first PREFIX_STEPS steps
PREFIX_STEPS = 10_000
#: Sec. 3 counterexample: C and our step alpha_t = ALPHA_SEC3 / sqrt(t)
C_SEC3 = 3.0
ALPHA_SEC3 = 0.1
SEC3_STEPS = (1_000_000, 100_000)

LABELS = {"adam": "Adam", "amsgrad": "AMSGrad"}
METHODS = ("adam", "amsgrad")


# --------------------------------------------------------------------------------------------
# the experiments
# --------------------------------------------------------------------------------------------
def method_specs(alpha, beta1, beta2):
    r"""``{name: (builder, keyword arguments)}`` of the analysed forms with
    :math:`\alpha_t=\alpha/\sqrt t`: Adam (Reddi eq. 1: no bias correction, no :math:`\epsilon`)
    and AMSGrad (Algorithm 2).  Single runs call the builder; seed sweeps pass the arguments as
    ``fixed``, so both run the same configuration."""
    common = dict(alpha=alpha, beta1=beta1, beta2=beta2, schedule="inverse_sqrt")
    return {"adam": (_methods.adam, dict(common, eps=0.0, bias_correction=False)),
            "amsgrad": (_methods.amsgrad, dict(common))}


def make_methods(alpha, beta1, beta2):
    """The configured methods of :func:`method_specs`."""
    return {k: b(**kw) for k, (b, kw) in method_specs(alpha, beta1, beta2).items()}


def sec3_beta2(C):
    r"""Reddi et al. 2018, Sec. 3 (Theorem 1): :math:`\beta_2=1/(1+C^2)`."""
    return 1.0 / (1.0 + C**2)


def synthetic_methods():
    """The methods the ``synthetic`` figure runs (Figure 1's betas, our step)."""
    return make_methods(ALPHA_SYNTH, BETA1, BETA2)


def counterexample_methods(C=C_SEC3, alpha=ALPHA_SEC3):
    r"""The methods the ``counterexample`` figure runs: :math:`\beta_1=0`,
    :math:`\beta_2=1/(1+C^2)`, :math:`\alpha_t=\alpha/\sqrt t`."""
    return make_methods(alpha, 0.0, sec3_beta2(C))


def adam_regret_limit(a, b, period):
    r"""Limit of :math:`R_t/t` for iterates that settle at the worst corner (ours).

    With per-period slope :math:`s=a+(P-1)b>0` the best point is :math:`-1` (loss :math:`-s` per
    period) and :math:`x=+1` loses :math:`+s`, so :math:`R_t/t\to2s/P`: :math:`2/3` for Sec. 3
    (:math:`C=3`), :math:`20/101\approx0.198` for Figure 1.
    """
    s = a + (period - 1) * b
    return 2.0 * abs(s) / period


def log_rows(n, k=1500):
    """About ``k`` row indices in ``[0, n)``, log-spaced (always 0 and n - 1), for plotting."""
    if n <= k:
        return np.arange(n)
    idx = np.unique(np.round(np.logspace(0.0, math.log10(n - 1), k)).astype(np.int64))
    return np.concatenate([[0], idx])


def log_sample(t, k=1500):
    r"""About ``k`` indices into the increasing array ``t`` (first and last included), spread
    evenly in :math:`\log t`: the rows to plot on a log time axis when the rows are not evenly
    spaced (spliced recordings)."""
    t = np.asarray(t, dtype=float)
    lo = max(t[0], 1.0)
    grid = np.logspace(math.log10(lo), math.log10(t[-1]), k)
    idx = np.clip(np.searchsorted(t, grid), 0, len(t) - 1)
    return np.unique(np.concatenate([[0], idx, [len(t) - 1]]))


def online_runs(obj, meths, steps, monitor=False):
    r"""Run each method on an online problem, recorded at every step.

    Returns a dict: ``t`` (the paper's index :math:`t=1,\dots,\text{steps}+1` of :math:`x_t`),
    ``x`` and ``regret`` (:math:`R_t/t`) per method, ``x_end`` (mean of the last period of
    iterates), ``traj`` (the trajectories) and ``seconds``.
    """
    t0 = time.perf_counter()
    P = int(obj.info["slopes"][2])
    out = dict(t=None, x={}, regret={}, x_end={}, traj={})
    for name, m in meths.items():
        tr = run(obj, m, steps=steps, record_every=1, monitor=monitor)
        out["t"] = tr.iteration + 1.0
        out["x"][name] = tr.x[:, 0].copy()
        out["regret"][name] = _objectives.regret(tr, obj)
        out["x_end"][name] = float(tr.x[-P:, 0].mean())
        out["traj"][name] = tr
    out["seconds"] = time.perf_counter() - t0
    return out


def synthetic_online(steps=None, quick=False, alpha=ALPHA_SYNTH):
    """Figure 1, left and centre: Adam and AMSGrad on the online problem (see
    :func:`online_runs`); also ``limit``, Adam's regret limit :math:`20/101`."""
    steps = steps or ONLINE_STEPS[bool(quick)]
    obj = _objectives.get("linear_online", a=SYNTH["a"], b=SYNTH["b"], period=SYNTH["period"])
    res = online_runs(obj, make_methods(alpha, BETA1, BETA2), steps)
    res.update(limit=adam_regret_limit(SYNTH["a"], SYNTH["b"], SYNTH["period"]), alpha=alpha,
               steps=steps)
    return res


def synthetic_stochastic(steps=None, seeds=None, quick=False, alpha=ALPHA_SYNTH, methods=METHODS):
    r"""Figure 1, right: Adam and AMSGrad on the stochastic problem, one run per seed.

    The recorded loss is :math:`F(x)=0.2x`, so :math:`x_t=F/0.2`.  Returns a dict: ``t``,
    ``x`` (method -> array (seeds, rows)), ``x_end`` (method -> per-seed mean of the last 10 %
    of the run, 200 equally spaced rows), ``seeds``, ``steps``, ``seconds``; ``methods`` selects
    a subset of ``("adam", "amsgrad")``.
    """
    steps = steps or STOCH_STEPS[bool(quick)]
    seeds = STOCH_SEEDS if seeds is None else np.asarray(seeds)
    obj = _objectives.get("linear_stochastic", a=SYNTH["a"], b=SYNTH["b"], p=SYNTH["p"])
    specs = method_specs(alpha, BETA1, BETA2)
    # a run with seed s draws the same numbers whatever its length, so a short finely recorded
    # run is exactly the start of the long one: splice them for a log time axis
    prefix = min(steps, PREFIX_STEPS)
    t0 = time.perf_counter()
    out = dict(x={}, x_end={}, seeds=seeds, steps=steps, alpha=alpha)
    for name in methods:
        builder, fixed = specs[name]
        kw = dict(x0=[0.0], fixed=fixed)
        head = sweep(obj, builder, {"seed": seeds}, steps=prefix, record_every=1, **kw)
        tail = sweep(obj, builder, {"seed": seeds}, steps=steps,
                     record_every=max(1, steps // 2000), **kw)
        later = tail.iteration > head.iteration[-1]
        it = np.concatenate([head.iteration, tail.iteration[later]])
        x = np.concatenate([head.loss, tail.loss[:, later]], axis=1) / obj.info["mean_slope"]
        out["t"] = it + 1.0
        out["x"][name] = x
        out["x_end"][name] = tail.loss[:, int(0.9 * tail.loss.shape[1]):].mean(axis=1) \
            / obj.info["mean_slope"]
    out["seconds"] = time.perf_counter() - t0
    return out


def limit_cycle_v(beta2, C, period=3):
    r"""Adam's second moment on its limit cycle (ours): phase k = steps since the large gradient,
    :math:`v_k^*=\frac{(1-\beta_2)\beta_2^k(C^2-1)}{1-\beta_2^P}+1` (slopes C and -1)."""
    k = np.arange(period)
    return (1 - beta2) * beta2**k * (C**2 - 1) / (1 - beta2**period) + 1.0


def adam_bias_ratio_limit(beta2, C, period=3):
    r"""Limit of Chen et al.'s :math:`B(T)/S(T)` for Adam with :math:`\beta_1=0` on the period-P
    problem (ours): the effective step :math:`a_t=\alpha_t/\sqrt{v_t}` follows the cycle up to the
    slowly decaying :math:`\alpha_t`, so :math:`B/S\to\sum_k|u_k-u_{k-1}|/\sum_ku_k` with
    :math:`u_k=1/\sqrt{v_k^*}` (0.5938 for C = 3, :math:`\beta_2=0.1`)."""
    u = 1.0 / np.sqrt(limit_cycle_v(beta2, C, period))
    return float(np.abs(np.diff(np.append(u, u[0]))).sum() / u.sum())


def counterexample_data(C=C_SEC3, alpha=ALPHA_SEC3, steps=None, quick=False, window_at=1000):
    r"""Sec. 3: :math:`f_t=Cx` if :math:`t\bmod3=1` else :math:`-x` on [-1, 1], :math:`\beta_1=0`,
    :math:`\beta_2=1/(1+C^2)`, :math:`\alpha_t=\alpha/\sqrt t`, :math:`x_1=0`.

    Returns :func:`online_runs`' dict plus ``limit`` (Adam's regret limit :math:`2(C-2)/3`),
    ``beta2``, and ``cycle``: per method the step :math:`-g_ta_t/\alpha_t` (in units of
    :math:`\alpha_t`, before projection) for the two periods starting at the large gradient at or
    after iteration ``window_at``, with ``drift`` = their sum per period (> 0: towards +1).
    The effective step :math:`a_t` is read from the monitor (:math:`S(t+1)-S(t)` in one dimension).
    """
    steps = steps or SEC3_STEPS[bool(quick)]
    beta2 = sec3_beta2(C)
    obj = _objectives.get("linear_online", a=C, b=-1.0, period=3)
    res = online_runs(obj, counterexample_methods(C, alpha), steps, monitor=True)
    start = 3 * math.ceil(window_at / 3)  # kernel iteration with the large gradient (t mod 3 = 1)
    k = np.arange(start, start + 6)
    slope = np.where(k % 3 == 0, C, -1.0)
    cycle = {}
    for name, tr in res["traj"].items():
        a_t = np.diff(tr.monitor["S"])[k]
        step = -slope * a_t / (alpha / np.sqrt(k + 1.0))
        cycle[name] = dict(step=step, drift=float(step[:3].sum()))
    res.update(limit=adam_regret_limit(C, -1.0, 3), beta2=beta2, C=C, alpha=alpha, steps=steps,
               cycle=cycle, window=k + 1)
    return res


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def _fraction(v):
    """``v`` as a short fraction when it is one (2/3), else to 4 significant digits."""
    fr = Fraction(v).limit_denominator(1000)
    return str(fr) if abs(float(fr) - v) <= 1e-12 * max(1.0, abs(v)) else f"{v:.4g}"


def _num(v):
    """A number as the captions print it: ``10^k`` for powers of ten from 10^4 on, else ``%g``."""
    k = math.log10(v) if v > 0 else 0.0
    if v >= 1e4 and k == int(k):
        return f"10^{int(k)}"
    return f"{v:g}"


def _regret_fraction():
    """Adam's regret limit on Figure 1's problem as the fraction 2s/P (20/101)."""
    P = int(SYNTH["period"])
    return f"{2 * abs(SYNTH['a'] + (P - 1) * SYNTH['b']):g}/{P}"


def _synth_caption():
    a, b, P, p = SYNTH["a"], SYNTH["b"], int(SYNTH["period"]), SYNTH["p"]
    paper = ("the paper's values" if (BETA1, BETA2) == PAPER_FIG1_BETAS else
             "the paper uses beta1 = {:g}, beta2 = {:g}".format(*PAPER_FIG1_BETAS))
    return (
        "Analogue of Reddi et al. 2018, Figure 1 (Sec. 5): Adam (analysed form: no bias "
        f"correction, no epsilon) and AMSGrad (Algorithm 2) with beta1 = {BETA1:g}, beta2 = "
        f"{BETA2:g} ({paper}), feasible set [-1, 1], optimum x = -1. Left and centre: online "
        f"problem f_t(x) = {a:g}x if t mod {P} = 1, {b:g}x otherwise; average regret R_t/t "
        f"(log-log; dotted: {_regret_fraction()}, the limit for iterates stuck at x = +1, our "
        f"algebra) and iterate x_t. Right: stochastic problem f_t(x) = {a:g}x with probability "
        f"{p:g}, {b:g}x otherwise; x_t for {len(STOCH_SEEDS)} seeds (thin) and their median. "
        "The step size, start and horizon of the paper's Figure 1 are NOT stated in the text we "
        f"read (unconfirmed); we use alpha_t = {ALPHA_SYNTH:g}/sqrt(t), x_1 = 0, "
        f"{_num(ONLINE_STEPS[0])} online and {_num(STOCH_STEPS[0])} stochastic steps. AMSGrad's "
        f"stochastic iterate needs millions of steps: its drift to -1 (mean slope "
        f"{(1 - p) * b + p * a:g}) competes with kicks of the rare large gradient.")


_SYNTH_CAPTION = _synth_caption()


def _style_time_axis(ax, t_max):
    ax.set_xscale("log")
    ax.set_xlim(1, t_max)
    ax.set_xlabel("iteration $t$")


@register("synthetic", paper="reddi2018",
          title="Adam converges to the worst point of Reddi et al.'s synthetic problem; AMSGrad "
                "does not",
          caption=_SYNTH_CAPTION, methods=synthetic_methods, cost=15)
def synthetic_figure(quick=False):
    """Reddi et al. 2018, Figure 1 analogue: regret and iterates, online and stochastic."""
    import matplotlib.pyplot as plt

    apply()
    on = synthetic_online(quick=quick)
    st = synthetic_stochastic(quick=quick)
    fig, axes = plt.subplots(1, 3, figsize=(13.5, 4.1), constrained_layout=True)
    rows = log_rows(len(on["t"]))
    t = on["t"][rows]
    ax = axes[0]
    for m in METHODS:
        r = on["regret"][m]
        ax.plot(t, r[rows], color=COLORS[m], label=f"{LABELS[m]}  ($R_t/t$ = {r[-1]:.3f} at end)")
    ax.axhline(on["limit"], color=COLORS["bound"], ls=":", lw=1.2,
               label=f"{_regret_fraction()} = {on['limit']:.3f}: limit if $x_t\\to+1$ (ours)")
    ax.set_yscale("log")
    _style_time_axis(ax, t[-1])
    ax.set_ylabel("average regret $R_t/t$")
    ax.set_title("online: average regret", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    ax = axes[1]
    for m in METHODS:
        ax.plot(t, on["x"][m][rows], color=COLORS[m],
                label=f"{LABELS[m]}  (last period: {on['x_end'][m]:+.3f})")
    _style_time_axis(ax, t[-1])
    ax.set_ylim(-1.08, 1.08)
    ax.set_ylabel("iterate $x_t$")
    ax.set_title(rf"online: ${SYNTH['a']:g}x$ if $t$ mod {int(SYNTH['period'])} = 1, else "
                 rf"${SYNTH['b']:g}x$", fontsize=10)
    ax.legend(fontsize=8, loc="center right")
    ax = axes[2]
    srows = log_sample(st["t"])
    for m in METHODS:
        x = st["x"][m][:, srows]
        for row in x:
            ax.plot(st["t"][srows], row, color=COLORS[m], lw=0.6, alpha=0.35)
        ax.plot(st["t"][srows], np.median(x, axis=0), color=COLORS[m], lw=1.8,
                label=f"{LABELS[m]}, median of {len(x)} seeds (last 10 %: "
                      f"{np.median(st['x_end'][m]):+.3f})")
    _style_time_axis(ax, st["t"][-1])
    ax.set_xlim(1, st["t"][-1])
    ax.set_ylim(-1.08, 1.08)
    ax.set_ylabel("iterate $x_t$")
    ax.set_title(rf"stochastic: ${SYNTH['a']:g}x$ w.p. {SYNTH['p']:g}, else ${SYNTH['b']:g}x$",
                 fontsize=10)
    ax.legend(fontsize=8, loc="lower left", frameon=True, framealpha=0.9, edgecolor="none")
    fig.suptitle(rf"After Reddi et al. 2018, Fig. 1: $\beta_1={BETA1:g}$, $\beta_2={BETA2:g}$; "
                 rf"optimum $x^*=-1$; step $\alpha_t={ALPHA_SYNTH:g}/\sqrt{{t}}$ is ours (the "
                 "paper's is unconfirmed)", fontsize=10)
    return fig


def _sec3_caption():
    C, b2 = C_SEC3, sec3_beta2(C_SEC3)
    return (
        f"Reddi et al. 2018, Sec. 3 (Theorem 1): f_t(x) = {C:g}x if t mod 3 = 1, -x otherwise, on "
        f"[-1, 1] (C = {C:g}), with the paper's beta1 = 0, beta2 = 1/(1 + C^2) = {b2:g}, no bias "
        f"correction, no epsilon; step alpha_t = {ALPHA_SEC3:g}/sqrt(t) and x_1 = 0 are our choice "
        "(the proof's step is in the appendix, which we could not read). Left: iterate x_t. "
        f"Centre: average regret R_t/t; dotted: 2(C - 2)/3 = {_fraction(adam_regret_limit(C, -1.0, 3))}, "
        "the limit when x_t -> +1 (our algebra). Right: the mechanism, one period of the limit "
        "cycle: the step -g_t a_t / alpha_t each method takes, before projection (a_t = "
        f"alpha_t/sqrt(v_hat_t), the effective step). Adam divides the large gradient {C:g} by its "
        "largest v and the small gradients -1 by smaller ones, so the period's net step points to "
        "+1; AMSGrad's max keeps the large v for all three steps and drifts to -1 (our analysis "
        "of the limit cycle).")


_SEC3_CAPTION = _sec3_caption()


@register("counterexample", paper="reddi2018",
          title=f"Reddi et al.'s Sec. 3 counterexample (C = {C_SEC3:g}): Adam goes to +1, "
                "AMSGrad to -1",
          caption=_SEC3_CAPTION, methods=counterexample_methods)
def counterexample_figure(quick=False):
    """Sec. 3 online counterexample: iterates, regret and the per-period mechanism."""
    import matplotlib.pyplot as plt

    apply()
    d = counterexample_data(quick=quick)
    fig, axes = plt.subplots(1, 3, figsize=(13.5, 4.1), constrained_layout=True,
                             gridspec_kw=dict(width_ratios=[1, 1, 0.85]))
    rows = log_rows(len(d["t"]))
    t = d["t"][rows]
    ax = axes[0]
    for m in METHODS:
        ax.plot(t, d["x"][m][rows], color=COLORS[m],
                label=f"{LABELS[m]}  (last period: {d['x_end'][m]:+.4f})")
    _style_time_axis(ax, t[-1])
    ax.set_ylim(-1.08, 1.08)
    ax.set_ylabel("iterate $x_t$")
    ax.set_title(rf"$f_t={d['C']:g}x$ if $t$ mod 3 = 1, else $-x$;  $x^*=-1$", fontsize=10)
    ax.legend(fontsize=8, loc="center right")
    ax = axes[1]
    for m in METHODS:
        r = d["regret"][m]
        ax.plot(t, r[rows], color=COLORS[m], label=f"{LABELS[m]}  ($R_t/t$ = {r[-1]:.4f} at end)")
    ax.axhline(d["limit"], color=COLORS["bound"], ls=":", lw=1.2,
               label=rf"$2(C-2)/3={_fraction(d['limit'])}$: limit if $x_t\to+1$ (ours)")
    ax.set_yscale("log")
    _style_time_axis(ax, t[-1])
    ax.set_ylabel("average regret $R_t/t$")
    ax.set_title("average regret", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    ax = axes[2]
    k = np.arange(6)
    width = 0.38
    for j, m in enumerate(METHODS):
        c = d["cycle"][m]
        ax.bar(k + (j - 0.5) * width, c["step"], width, color=COLORS[m],
               label=f"{LABELS[m]}: net {c['drift']:+.3f}" + r"$\,\alpha_t$ per period")
    ax.axhline(0.0, color="k", lw=0.8)
    ax.axvline(2.5, color=COLORS["bound"], lw=0.8, ls="--")
    ax.set_xticks(k, [f"{int(w)}\n{'g=' + format(d['C'], 'g') if (w - 1) % 3 == 0 else 'g=-1'}"
                      for w in d["window"]], fontsize=8)
    ax.set_xlabel("iteration $t$ and gradient $g_t$")
    ax.set_ylabel(r"step $-g_t\,a_t/\alpha_t$ (before projection)")
    ax.set_title("mechanism: two periods of the limit cycle", fontsize=10)
    ax.set_ylim(-1.75, 1.15)  # room for the legend below the bars
    ax.legend(fontsize=8, loc="lower center")
    ax.grid(axis="x", visible=False)
    fig.suptitle(rf"Reddi et al. 2018, Sec. 3 with $C={d['C']:g}$, $\beta_1=0$, "
                 rf"$\beta_2=1/(1+C^2)={d['beta2']:g}$; step $\alpha_t={d['alpha']:g}/\sqrt{{t}}$ "
                 "(ours)", fontsize=10)
    return fig


# --------------------------------------------------------------------------------------------
# where Adam goes on the period-3 problem: the (beta2, C) map
# --------------------------------------------------------------------------------------------
#: the map's grid (full / quick): beta2 and C log-spaced, beta1 slices, steps (a multiple of 3)
MAP_BETA2 = (np.logspace(-2.0, math.log10(0.99), 30), np.logspace(-2.0, math.log10(0.99), 12))
MAP_C = (np.logspace(math.log10(2.1), math.log10(20.0), 30), np.logspace(math.log10(2.1), 1.3, 12))
MAP_BETA1 = (np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.9]), np.array([0.0, 0.3]))
MAP_STEPS = (6000, 3000)
MAP_ALPHA = 0.5


def drift_function():
    r"""The symbolic drift :math:`F(\beta_1,\beta_2,C)=\sum_km_k^*/\sqrt{v_k^*}` of
    :func:`theorysim.theory.reddi2018.drift` (period 3), lambdified for NumPy arrays."""
    import sympy as sp

    from ..theory.reddi2018 import drift

    b1, b2, C = sp.symbols("beta1 beta2 C", positive=True)
    return sp.lambdify((b1, b2, C), drift(b1, b2, C, 3), "numpy")


def drift_boundary(beta1, beta2_range=(0.01, 0.99), C_range=(2.1, 20.0), n=240):
    r"""The curves :math:`F(\beta_1,\beta_2,C)=0` (sympy's drift, theory module) in the
    :math:`(\beta_2,C)` rectangle, traced on an ``n`` x ``n`` log-spaced grid (contourpy).

    Adam (no bias correction, no :math:`\epsilon`, :math:`\alpha_t=\alpha/\sqrt t`) drifts to
    :math:`+1` where :math:`F<0` and to :math:`-1` where :math:`F>0` (first-order drift over the
    limit cycle; our algebra, :mod:`theorysim.theory.reddi2018`).  Returns a list of arrays of
    points :math:`(\beta_2, C)`, shape ``(k, 2)``."""
    import contourpy

    F = drift_function()
    lb = np.linspace(*np.log10(beta2_range), n)
    lc = np.linspace(*np.log10(C_range), n)
    Z = F(beta1, 10.0 ** lb[None, :], 10.0 ** lc[:, None])
    lines = contourpy.contour_generator(lb, lc, np.asarray(Z, dtype=float)).lines(0.0)
    return [10.0 ** np.asarray(seg) for seg in lines if len(seg) > 1]


def divergence_map_data(beta1s=None, beta2s=None, Cs=None, steps=None, alpha=MAP_ALPHA,
                        quick=False):
    r"""Where Adam goes on Reddi et al.'s Sec. 3 problem, over a :math:`(\beta_1,\beta_2,C)` grid.

    For each C, one batched ``ts.sweep`` of Adam (analysed form: no bias correction, no
    :math:`\epsilon`, :math:`\alpha_t=\alpha/\sqrt t`, :math:`x_1=0`) on
    ``linear_online(a=C, b=-1, period=3)`` over the :math:`(\beta_1,\beta_2)` grid.  ``steps`` is
    a multiple of 3, so the last recorded loss is :math:`f(x)=Cx` and the final iterate is
    ``final_loss / C``.  The paper's claim (Sec. 3) is the point :math:`\beta_1=0`,
    :math:`\beta_2=1/(1+C^2)`; the map over the whole grid is ours.

    Returns a dict: ``beta1``, ``beta2``, ``C`` (the axes), ``x_final`` of shape
    ``(len(beta1), len(beta2), len(C))``, ``F`` (sympy's drift on the same grid), ``steps``,
    ``alpha``, ``seconds``.
    """
    q = int(bool(quick))
    beta1s = MAP_BETA1[q] if beta1s is None else np.asarray(beta1s, dtype=float)
    beta2s = MAP_BETA2[q] if beta2s is None else np.asarray(beta2s, dtype=float)
    Cs = MAP_C[q] if Cs is None else np.asarray(Cs, dtype=float)
    steps = MAP_STEPS[q] if steps is None else int(steps)
    if steps <= 0 or steps % 3:
        raise ValueError(f"steps must be a positive multiple of 3 (the period), got {steps}")
    t0 = time.perf_counter()
    x = np.empty((len(beta1s), len(beta2s), len(Cs)))
    fixed = dict(alpha=alpha, eps=0.0, bias_correction=False, schedule="inverse_sqrt")
    for j, C in enumerate(Cs):
        obj = _objectives.get("linear_online", a=float(C), b=-1.0, period=3)
        res = sweep(obj, _methods.adam, {"beta1": beta1s, "beta2": beta2s}, steps=steps,
                    fixed=fixed)
        x[:, :, j] = res.final_loss / C
    F = drift_function()(beta1s[:, None, None], beta2s[None, :, None], Cs[None, None, :])
    return dict(beta1=beta1s, beta2=beta2s, C=Cs, x_final=x, F=np.asarray(F, dtype=float),
                steps=steps, alpha=alpha, seconds=time.perf_counter() - t0)


#: the two beta1 panels of the static figure
MAP_PANELS = (0.0, 0.2)


def divergence_map_methods():
    """The configured Adam of each panel (beta2 is the sweep's axis; its first value here)."""
    return {f"adam beta1={b1:g}": _methods.adam(MAP_ALPHA, beta1=b1, beta2=float(MAP_BETA2[0][0]),
                                                eps=0.0, bias_correction=False,
                                                schedule="inverse_sqrt")
            for b1 in MAP_PANELS}


_MAP_CAPTION = (
    "Where Adam goes on Reddi et al. 2018's Sec. 3 problem f_t = Cx (t mod 3 = 1), -x otherwise, "
    f"on [-1, 1]: colour = Adam's iterate after {MAP_STEPS[0]} steps (analysed form: no bias "
    f"correction, no epsilon; alpha_t = {MAP_ALPHA:g}/sqrt(t), x_1 = 0, our choices), over a "
    f"{len(MAP_BETA2[0])} x {len(MAP_C[0])} log grid of (beta2, C), one batched sweep per C; "
    f"left beta1 = {MAP_PANELS[0]:g}, right beta1 = {MAP_PANELS[1]:g}. Black line: "
    "F(beta1, beta2, C) = 0, the sign change of the first-order drift over Adam's limit cycle "
    "(sympy, theorysim.theory.reddi2018.drift; our algebra): Adam goes to the worst point +1 where "
    "F < 0 (below/left of the line). Dashed: the paper's beta2 = 1/(1 + C^2), for which Sec. 3 "
    "states that Adam converges to +1 (beta1 = 0); the rest of the map is ours. Near the line the "
    f"drift is slow and {MAP_STEPS[0]} steps do not reach a corner.")


@register("divergence_map", paper="reddi2018",
          title="Where Adam goes on Reddi et al.'s period-3 problem, over (beta2, C), with the "
                "symbolic boundary F = 0",
          caption=_MAP_CAPTION, methods=divergence_map_methods)
def divergence_map_figure(quick=False):
    """Adam's final iterate over (beta2, C) for beta1 = 0 and 0.2, with sympy's boundary."""
    import matplotlib.pyplot as plt

    apply()
    b1s = np.array(MAP_PANELS)
    d = divergence_map_data(beta1s=b1s, quick=quick)
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.3), constrained_layout=True, sharey=True)
    cdense = np.logspace(math.log10(d["C"][0]), math.log10(d["C"][-1]), 200)
    for i, (ax, b1) in enumerate(zip(axes, b1s)):
        mesh = ax.pcolormesh(d["beta2"], d["C"], d["x_final"][i].T, cmap="RdBu_r", vmin=-1,
                             vmax=1, shading="nearest", rasterized=True)
        for k, seg in enumerate(drift_boundary(b1, (d["beta2"][0], d["beta2"][-1]),
                                               (d["C"][0], d["C"][-1]))):
            ax.plot(seg[:, 0], seg[:, 1], color="k", lw=1.6,
                    label=r"$F(\beta_1,\beta_2,C)=0$ (sympy)" if k == 0 else None)
        if b1 == 0.0:
            ax.plot(1.0 / (1.0 + cdense**2), cdense, color="k", ls="--", lw=1.2,
                    label=r"paper: $\beta_2=1/(1+C^2)$")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(d["beta2"][0], d["beta2"][-1])
        ax.set_ylim(d["C"][0], d["C"][-1])
        ax.set_xticks([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.99], ["0.01", "0.02", "0.05", "0.1", "0.2",
                                                               "0.5", "0.99"])
        ax.set_yticks([3, 5, 10, 20], ["3", "5", "10", "20"])
        ax.minorticks_off()
        ax.set_xlabel(r"$\beta_2$")
        ax.set_title(rf"$\beta_1={b1:g}$: Adam's $x_T$, T = {d['steps']}", fontsize=10)
        ax.grid(False)
        ax.legend(fontsize=8, loc="upper right", frameon=True, framealpha=0.85, edgecolor="none")
    axes[0].set_ylabel(r"$C$ (large gradient; the others are $-1$)")
    fig.colorbar(mesh, ax=axes, label=r"Adam's final iterate $x_T$ ($+1$: worst point)")
    fig.suptitle(r"Reddi et al. 2018, Sec. 3 problem: Adam ($\alpha_t=0.5/\sqrt{t}$, ours) "
                 r"goes to $+1$ where the drift $F<0$", fontsize=10)
    return fig
