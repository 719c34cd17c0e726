r"""Edge of stability on theorysim's flat valley, after Arora, Li, Panigrahi, "Understanding
gradient descent on the edge of stability in deep learning" (ICML 2022, arXiv 2205.09745).

What is the paper's and what is ours.  Read in the paper's abstract [C] (``extended.md`` A1):
normalized GD :math:`x\leftarrow x-\eta\nabla L/\|\nabla L\|` and GD on :math:`\sqrt{L-\min L}`
provably enter the edge of stability and then follow a flow on the manifold of minimisers that
decreases the sharpness :math:`\lambda_1(\nabla^2L)`.  The paper's theorem numbers, its flow
equation and its time scales were **not** read.  Everything below is **theorysim's own**, on its
toy :math:`L(x,y)=\tfrac12(1+y^2)x^2` (``ts.objectives.flat_valley``), with elementary proofs:

* ``arora2022.ngd_cycle`` — normalized GD on :math:`\tfrac a2x^2`: every 2-cycle is
  :math:`\{c,c-\eta\}`, :math:`0<c<\eta`, for every curvature a; the mean of :math:`|x|` over a
  cycle is exactly :math:`\eta/2` (the symmetric cycle has :math:`|x|=\eta/2`).
* ``arora2022.sqrt_cycle`` — GD on :math:`\sqrt L`: the x-coordinate hops by exactly
  :math:`\eta\sqrt{(1+y^2)/2}`, so at every sign change
  :math:`\tfrac12(|x_k|+|x_{k+1}|)=\tfrac\eta2\sqrt{(1+y_k^2)/2}` (on :math:`\sqrt{a/2}\,|x|`:
  :math:`\tfrac\eta2\sqrt{a/2}`).
* ``arora2022.drift`` — the drift along the manifold, to first order in :math:`\eta` per
  2-cycle: GD on :math:`\sqrt L`: :math:`\tfrac{d}{dk}\ln|y|=-\eta^2/4`; normalized GD:
  :math:`\tfrac{d}{dk}(\ln|y|+y^2/2)=-\eta^2/2`.  So both slide to the flattest minimiser
  :math:`y=0` (sharpness :math:`1+y^2\to1`) on the time scale :math:`\eta^{-2}`, while GD with a
  stable step lands at :math:`x=0` and stops: its y, and the sharpness, freeze.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

Y = sp.Symbol("y", positive=True)  #: the valley coordinate (|y|)
A = sp.Symbol("a", positive=True)  #: curvature of a 1-D quadratic
#: the flat-valley run shared by the simulations: start, step, steps
X0 = (1.0, 2.0)
ETA = 0.05
STEPS = 4000
#: iterations after which the 2-cycle is established (drift fits start here)
FIT_FROM = 500

_NOTE = ("paper's abstract [C]: NGD and GD on sqrt(L - min L) reduce sharpness at EoS; the toy, "
         "the cycle and the drift rates are theorysim's own derivations")


def _two_cycle(hop):
    """sympy: the map x -> x - hop*sign(x) sends c in (0, hop) to c - hop and back; returns
    (F(F(c)) - c, mean |x| over the cycle) for c = hop/(1 + u), u > 0."""
    u = sp.Symbol("u", positive=True)
    c = hop / (1 + u)

    def F(v):
        return v - hop * sp.sign(v)

    return sp.simplify(F(F(c)) - c), sp.simplify((sp.Abs(c) + sp.Abs(F(c))) / 2)


def flat_valley_runs(eta=ETA, steps=STEPS, x0=X0):
    """GD, normalized GD (beta = 0) and clipped GD (gamma = 1/2) on L, and GD on sqrt(L), from
    ``x0`` with step ``eta``: ``{label: Trajectory}`` (every iterate recorded)."""
    import theorysim as ts

    f = ts.objectives.get("flat_valley")
    fr = ts.objectives.get("flat_valley", root=True)
    ms = eos_methods(eta)
    return {"gd": ts.run(f, ms["gd"], x0=x0, steps=steps),
            "normalized_gd": ts.run(f, ms["normalized_gd"], x0=x0, steps=steps),
            "sqrt_gd": ts.run(fr, ms["sqrt_gd"], x0=x0, steps=steps),
            "clipped_gd": ts.run(f, ms["clipped_gd"], x0=x0, steps=steps)}


def eos_methods(eta=ETA):
    """The configured methods of the flat-valley runs (same step ``eta`` for all)."""
    import theorysim as ts

    return {"gd": ts.methods.gd(eta), "normalized_gd": ts.methods.normalized_gd(eta, beta=0.0),
            "sqrt_gd": ts.methods.gd(eta), "clipped_gd": ts.methods.clipped_gd(eta, gamma=0.5)}


class NGDCycle(Statement):
    r"""Normalized GD on :math:`\tfrac a2x^2`: 2-cycles :math:`\{c,c-\eta\}`, mean :math:`|x|=\eta/2`.

    **Method.** :math:`x\leftarrow x-\eta\,g/|g|` with :math:`g=ax`, i.e.
    :math:`x\leftarrow x-\eta\,\mathrm{sign}(x)` for every :math:`a>0`.  **Claim (ours).** For
    :math:`0<c<\eta` the map sends c to :math:`c-\eta<0` and back, so every such point is
    2-periodic, whatever a; over a cycle :math:`\tfrac12(|c|+|c-\eta|)=\eta/2`.  **Symbolic:**
    sympy derives the map from the rule, iterates it twice from :math:`c=\eta/(1+u)` and
    simplifies.  **Simulation:** ``normalized_gd`` (:math:`\beta=0`) on ``quadratic`` with
    :math:`a\in\{1,4,25\}`, :math:`\eta\in\{0.3,0.07\}`, from :math:`x_0=1`: the mean of the last
    two :math:`|x|` against :math:`\eta/2`.
    """

    id = "arora2022.ngd_cycle"
    title = "normalized GD on a x^2/2: 2-cycles {c, c - eta}, mean |x| = eta/2 for every a"
    source = Source("arora2022", "abstract (NGD enters EoS); the cycle is ours", "ALP'22 (ours)",
                    "ours", _NOTE)
    assumptions = ("f = a x^2 / 2, a > 0, d = 1", "x <- x - eta g/|g|")
    kind = "identity"
    main = "mean_amplitude"

    def expressions(self):
        return {"mean_amplitude": S.eta / 2}

    def symbolic_check(self):
        g = A * S.x
        step = sp.simplify((S.eta * g / sp.Abs(g)).subs(S.x, sp.Symbol("xp", positive=True)))
        hop = sp.simplify(step)  # eta: independent of a on x > 0
        back, mean = _two_cycle(hop)
        ok = back == 0 and sp.simplify(mean - self.expr) == 0 and sp.diff(hop, A) == 0
        return verdict_from(ok, f"step on x > 0: {hop}; F(F(c)) - c = {back}; mean |x| = {mean}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        worst, parts = 0.0, []
        for a in (1.0, 4.0, 25.0):
            f = ts.objectives.get("quadratic", lam=a)
            for eta in (0.3, 0.07):
                tr = ts.run(f, ts.methods.normalized_gd(eta, beta=0.0), x0=[1.0], steps=200)
                x1, x2 = tr.x[-2, 0], tr.x[-1, 0]
                mean = 0.5 * (abs(x1) + abs(x2))
                claim = self.evaluate(eta=eta)
                worst = max(worst, abs(mean - claim) / claim)
                parts.append(f"a={a:g}, eta={eta:g}: cycle {{{x1:.6g}, {x2:.6g}}}, mean |x| = {mean:.12g}")
        ok = compare(worst, 1e-12, "<=")
        return verdict_from(ok, "; ".join(parts), measured=worst, bound=1e-12, relation="<=",
                            via="engine")


class SqrtCycle(Statement):
    r"""GD on :math:`\sqrt L`: at each sign change :math:`\tfrac12(|x_k|+|x_{k+1}|)=
    \tfrac\eta2\sqrt{(1+y_k^2)/2}`.

    :math:`\partial_x\sqrt{\tfrac12(1+y^2)x^2}=\mathrm{sign}(x)\sqrt{(1+y^2)/2}`, so the x-update
    is a hop of length :math:`h=\eta\sqrt{(1+y_k^2)/2}`; if :math:`x_k` and :math:`x_{k+1}` have
    opposite signs, :math:`|x_k|+|x_{k+1}|=h` exactly (ours).  **Symbolic:** sympy
    differentiates :math:`\sqrt L` and runs the two-cycle algebra with that hop.
    **Simulation:** GD on ``flat_valley(root=True)`` from ``X0`` with step ``ETA``: the largest
    relative deviation over all sign changes.
    """

    id = "arora2022.sqrt_cycle"
    title = "GD on sqrt(L): (|x_k| + |x_k+1|)/2 = (eta/2) sqrt((1 + y_k^2)/2) at every sign change"
    source = Source("arora2022", "abstract (GD on sqrt(L - min L)); the cycle is ours",
                    "ALP'22 (ours)", "ours", _NOTE)
    assumptions = ("L = (1 + y^2) x^2 / 2, GD with constant step eta on sqrt(L)",)
    kind = "identity"
    main = "mean_amplitude"

    def expressions(self):
        return {"mean_amplitude": S.eta / 2 * sp.sqrt((1 + Y**2) / 2)}

    def symbolic_check(self):
        xp = sp.Symbol("xp", positive=True)
        root = sp.sqrt((1 + Y**2) * S.x**2 / 2)
        slope = sp.simplify(sp.diff(root, S.x).subs(S.x, xp))
        hop = S.eta * slope
        back, mean = _two_cycle(hop)
        ok = sp.diff(slope, xp) == 0 and back == 0 and sp.simplify(mean - self.expr) == 0
        return verdict_from(ok, f"d sqrt(L)/dx on x > 0 = {slope}; F(F(c)) - c = {back}; "
                                f"mean |x| = {mean}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("flat_valley", root=True)
        tr = ts.run(f, ts.methods.gd(ETA), x0=X0, steps=STEPS)
        x, y = tr.x[:, 0], tr.x[:, 1]
        flip = np.nonzero(np.sign(x[:-1]) * np.sign(x[1:]) < 0)[0]
        pred = np.array([self.evaluate(eta=ETA, y=abs(y[k])) for k in flip[:: max(1, flip.size // 200)]])
        ks = flip[:: max(1, flip.size // 200)]
        meas = 0.5 * (np.abs(x[ks]) + np.abs(x[ks + 1]))
        worst = float(np.max(np.abs(meas - pred) / pred))
        ok = flip.size > STEPS // 2 and compare(worst, 1e-9, "<=")
        return verdict_from(ok, f"{flip.size} sign changes in {STEPS} steps (eta = {ETA:g}, x0 = "
                                f"{X0}); checked {ks.size} of them; y: {y[0]:g} -> {y[-1]:.4g}",
                            measured=worst, bound=1e-9, relation="<=", via="engine")


class Drift(Statement):
    r"""Drift to the flattest minimiser: GD on :math:`\sqrt L` has :math:`\tfrac{d}{dk}\ln|y|=
    -\eta^2/4`; normalized GD has :math:`\tfrac{d}{dk}(\ln|y|+\tfrac12y^2)=-\eta^2/2`.

    **Derivation (ours, first order in** :math:`\eta` **per 2-cycle).**  GD on :math:`\sqrt L`:
    :math:`y\leftarrow y\,(1-\eta|x|/\sqrt{2(1+y^2)})` and the cycle has
    :math:`|x_k|+|x_{k+1}|=\eta\sqrt{(1+y^2)/2}` (``sqrt_cycle``), so :math:`\ln|y|` drops by
    :math:`\eta^2/2` per cycle.  Normalized GD: :math:`y\leftarrow y\,(1-\eta x^2/\|g\|)` with
    :math:`\|g\|=|x|\sqrt{(1+y^2)^2+x^2y^2}`, and the cycle has :math:`|x_k|+|x_{k+1}|=\eta+O(\eta^3)`,
    so :math:`\ln|y|` drops by :math:`\eta^2/(1+y^2)` per cycle and
    :math:`(\ln|y|+y^2/2)' = (1+y^2)(\ln|y|)' = -\eta^2/2` per step.  **Symbolic:** sympy expands the
    two-step change of :math:`\ln y` in :math:`\eta` with :math:`x_k=\theta h`,
    :math:`x_{k+1}=-(1-\theta)h` and finds the leading term independent of :math:`\theta`.
    **Simulation:** the slopes of :math:`\ln|y_k|` (GD on :math:`\sqrt L`) and of
    :math:`\ln|y_k|+y_k^2/2` (normalized GD) fitted over :math:`k\ge` ``FIT_FROM`` of the shared
    run, against the rates; headline: the worst relative error (bound 2 %).  The detail line also
    reports the final sharpness :math:`1+y^2` of all four methods (GD and clipped GD freeze).
    """

    id = "arora2022.drift"
    title = "drift to the flattest minimiser: sqrt-GD d ln|y|/dk = -eta^2/4; NGD d(ln|y| + y^2/2)/dk = -eta^2/2"
    source = Source("arora2022", "abstract (sharpness-reducing flow); rates are ours",
                    "ALP'22 (ours)", "ours", _NOTE)
    assumptions = ("L = (1 + y^2) x^2 / 2, iterates in the 2-cycle regime (|x| = O(eta))",
                   "first order in eta per 2-cycle")
    kind = "identity"
    main = "sqrt_rate"
    #: relative accuracy of the fitted slopes
    RTOL = 0.02

    def expressions(self):
        return {"sqrt_rate": -S.eta**2 / 4, "ngd_rate": -S.eta**2 / 2}

    def symbolic_check(self):
        th = sp.Symbol("theta", positive=True)
        # GD on sqrt(L): hop h, y-factor 1 - eta |x| / sqrt(2 (1 + y^2))
        h = S.eta * sp.sqrt((1 + Y**2) / 2)
        s = sp.sqrt(2 * (1 + Y**2))
        d_sqrt = sp.log(1 - S.eta * th * h / s) + sp.log(1 - S.eta * (1 - th) * h / s)
        lead_sqrt = sp.simplify(sp.series(d_sqrt, S.eta, 0, 3).removeO() / 2)
        # normalized GD: |x| = theta*eta and (1 - theta)*eta; y-factor 1 - eta x^2/||g||, written
        # with w = 1 + y^2 > 0 so that sqrt(w^2) simplifies
        w = sp.Symbol("w", positive=True)

        def ngd_factor(xa):
            return 1 - S.eta * xa**2 / (xa * sp.sqrt(w**2 + xa**2 * (w - 1)))

        d_ngd = sp.log(ngd_factor(th * S.eta)) + sp.log(ngd_factor((1 - th) * S.eta))
        lead_ngd = sp.simplify(sp.series(d_ngd, S.eta, 0, 3).removeO() / 2 * w)
        e = self.expressions()
        ok = (sp.simplify(lead_sqrt - e["sqrt_rate"]) == 0
              and sp.simplify(lead_ngd - e["ngd_rate"]) == 0)
        return verdict_from(ok, f"per step, to O(eta^2): d ln y = {lead_sqrt} (GD on sqrt L); "
                                f"(1 + y^2) d ln y = {lead_ngd} (NGD)", via="sympy")

    def simulate(self, quick=True):
        runs = flat_valley_runs()
        k = np.arange(STEPS + 1)[FIT_FROM:]
        ys = np.abs(runs["sqrt_gd"].x[FIT_FROM:, 1])
        yn = np.abs(runs["normalized_gd"].x[FIT_FROM:, 1])
        s_sqrt = float(np.polyfit(k, np.log(ys), 1)[0])
        s_ngd = float(np.polyfit(k, np.log(yn) + yn**2 / 2, 1)[0])
        r_sqrt = self.evaluate("sqrt_rate", eta=ETA)
        r_ngd = self.evaluate("ngd_rate", eta=ETA)
        worst = max(abs(s_sqrt - r_sqrt) / abs(r_sqrt), abs(s_ngd - r_ngd) / abs(r_ngd))
        sharp = {m: 1 + tr.x[-1, 1] ** 2 for m, tr in runs.items()}
        ok = compare(worst, self.RTOL, "<=")
        return verdict_from(ok, f"eta = {ETA:g}, x0 = {X0}, {STEPS} steps: slope ln|y| = {s_sqrt:.6g} vs "
                                f"{r_sqrt:.6g} (sqrt-GD), slope ln|y| + y^2/2 = {s_ngd:.6g} vs "
                                f"{r_ngd:.6g} (NGD); final sharpness 1 + y^2: "
                                + ", ".join(f"{m} {v:.4g}" for m, v in sharp.items()),
                            measured=worst, bound=self.RTOL, relation="<=", via="engine")


STATEMENTS = [NGDCycle(), SqrtCycle(), Drift()]

__all__ = ["STATEMENTS", "NGDCycle", "SqrtCycle", "Drift", "flat_valley_runs", "eos_methods", "ETA",
           "STEPS", "X0", "FIT_FROM"]
