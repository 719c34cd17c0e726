r"""Non-convergent GD and its invariant measure, after Zhang, Li, Sra, Jadbabaie, "Neural network
weights do not converge to stationary points: an invariant measure perspective" (ICML 2022,
arXiv 2110.06256).

Read in the paper [C, abstract]: in large-scale training the gradient norm does not go to 0 while
the loss stabilizes; the *distribution* of the weights converges to an (approximately) invariant
measure.  Nothing beyond the abstract was read.  The testbed and both statements are
**theorysim's own**, on the double well :math:`f(x)=x^4/4-x^2/2`, where GD is the cubic map
:math:`T(x)=(1+\eta)x-\eta x^3`:

* ``zhang2022.period_doubling`` — the minima :math:`\pm1` have multiplier :math:`1-2\eta`, so GD
  converges for :math:`\eta<1` and a 2-cycle is born at :math:`\eta_1=1`; its points satisfy
  :math:`\eta^2x^4-(\eta^2+\eta)x^2+1=0`, its multiplier is :math:`9-2(1+\eta)^2`, and it
  doubles again at :math:`\eta_2=\sqrt5-1`.
* ``zhang2022.chebyshev`` — at :math:`\eta=2`, :math:`T(x)=\sqrt2\sin(3\arcsin(x/\sqrt2))`: GD
  is conjugate to :math:`\theta\mapsto3\theta`, its invariant density on :math:`[-\sqrt2,\sqrt2]` is
  :math:`\rho(x)=1/(\pi\sqrt{2-x^2})`, and time averages converge to
  :math:`\mathbb E_\rho f=-1/8` and :math:`\mathbb E_\rho f'^2=1/2`: the loss averages out while
  the gradient does not vanish.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

_NOTE = ("the paper's abstract [C]: gradients do not vanish, the weights' distribution converges; "
         "the double-well testbed and these exact results are theorysim's")
#: simulation settings: bifurcation search brackets and steps; chaotic-regime runs
BRACKET_1, BRACKET_2 = (0.5, 1.2), (1.05, 1.3)
STEPS_1, STEPS_2 = 40_000, 20_000
RTOL = 1e-3
CHAOS_ETA, CHAOS_STARTS, CHAOS_STEPS, BURN_IN = 2.0, 64, 4000, 100


def gd_map(x, eta=S.eta):
    """The GD map of the double well, :math:`T(x)=x-\\eta(x^3-x)`."""
    return x - eta * (x**3 - x)


def locate(classify, lo, hi, rtol=RTOL, points=33, max_rounds=10):
    """Bracket the first eta in (lo, hi] where ``classify(etas)`` (a boolean array: True below the
    transition) turns False, by nested grids; returns ``(lo, hi)``."""
    for _ in range(max_rounds):
        if hi - lo <= rtol * lo:
            break
        grid = np.linspace(lo, hi, points)
        below = np.asarray(classify(grid))
        if not below[0] or below[-1]:
            raise ValueError(f"locate: no transition inside [{lo:g}, {hi:g}]")
        i = int(np.argmin(below))
        lo, hi = float(grid[i - 1]), float(grid[i])
    return lo, hi


def converges_to_minimum(etas, x0=1.2, steps=STEPS_1, tol=1e-9):
    """Sweep: GD on the double well reaches ||f'|| <= tol (a fixed point) for each eta."""
    import theorysim as ts

    res = ts.sweep(ts.objectives.get("double_well"), ts.methods.gd, grid={"eta": etas}, x0=[x0],
                   steps=steps, tol=tol)
    return res.first_hit >= 0


def period_at_most_two(etas, x0=1.2, steps=STEPS_2, tol=1e-7, tail=16):
    """Sweep: the last ``tail`` gradient norms repeat with period 2 (to ``tol``) for each eta."""
    import theorysim as ts

    res = ts.sweep(ts.objectives.get("double_well"), ts.methods.gd, grid={"eta": etas}, x0=[x0],
                   steps=steps, record_every=1)
    g = res.grad_norm[:, -tail:]
    return ~res.diverged & (np.max(np.abs(g[:, 2:] - g[:, :-2]), axis=1) <= tol)


class PeriodDoubling(Statement):
    r"""GD on :math:`x^4/4-x^2/2`: period doublings at :math:`\eta_1=1` and :math:`\eta_2=\sqrt5-1`.

    **Derivation (ours).** :math:`T'(x)=1+\eta-3\eta x^2`, :math:`T'(\pm1)=1-2\eta`, which crosses
    :math:`-1` at :math:`\eta=1`.  :math:`T(T(x))-x` factors as
    :math:`\eta x(x^2-1)(\eta x^2-\eta-2)(\eta^2x^4-(\eta^2+\eta)x^2+1)`: fixed points, the
    symmetric (repelling) cycle :math:`\pm\sqrt{(2+\eta)/\eta}`, and the cycle :math:`\{a,b\}` near 1
    with :math:`a^2+b^2=(\eta+1)/\eta`, :math:`a^2b^2=1/\eta^2` (real iff :math:`\eta\ge1`).  Its
    multiplier :math:`T'(a)T'(b)=9-2(1+\eta)^2` crosses :math:`-1` at :math:`\eta=\sqrt5-1`.
    **Symbolic:** sympy factors, applies Vieta and solves.  **Simulation:** nested engine sweeps
    over :math:`\eta` from :math:`x_0=1.2` locate (to ``RTOL``) where GD stops reaching a fixed
    point and where the orbit stops having period 2; headline: the worst relative error.
    """

    id = "zhang2022.period_doubling"
    title = "GD on x^4/4 - x^2/2: minima lose stability at eta = 1, the 2-cycle at eta = sqrt(5) - 1"
    source = Source("zhang2022", "abstract [C]; the testbed and cycles are ours", "ZLSJ'22 (ours)",
                    "ours", _NOTE)
    assumptions = ("f = x^4/4 - x^2/2, GD with constant step eta",)
    kind = "identity"
    main = "eta2"

    def expressions(self):
        return {"eta1": sp.Integer(1), "eta2": sp.sqrt(5) - 1,
                "fixed_multiplier": 1 - 2 * S.eta, "cycle_multiplier": 9 - 2 * (1 + S.eta) ** 2}

    def symbolic_check(self):
        e = self.expressions()
        x = S.x
        T = gd_map(x)
        m_fix = sp.simplify(sp.diff(T, x).subs(x, 1))
        eta1 = sp.solve(sp.Eq(m_fix, -1), S.eta)
        quartic = sp.factor(sp.cancel(sp.expand(gd_map(T) - x) / ((T - x) * (S.eta * x**2 - S.eta - 2))))
        u = sp.Symbol("u")
        pu = sp.Poly(sp.expand(quartic).subs(x, sp.sqrt(u)), u)  # even quartic in x: quadratic in u = x^2
        c2, c1, c0 = pu.all_coeffs()
        s_u, p_u = -c1 / c2, c0 / c2  # a^2 + b^2, a^2 b^2
        # T'(a) T'(b) with T'(x) = 1 + eta - 3 eta x^2, by Vieta in u
        mult = sp.simplify((1 + S.eta) ** 2 - 3 * S.eta * (1 + S.eta) * s_u + 9 * S.eta**2 * p_u)
        eta2 = [r for r in sp.solve(sp.Eq(mult, -1), S.eta) if r.is_positive]
        ok = (sp.simplify(m_fix - e["fixed_multiplier"]) == 0 and eta1 == [e["eta1"]]
              and sp.simplify(mult - e["cycle_multiplier"]) == 0
              and len(eta2) == 1 and sp.simplify(eta2[0] - e["eta2"]) == 0)
        return verdict_from(ok, f"T'(1) = {m_fix} = -1 at eta = {eta1}; 2-cycle factor {quartic} = 0, "
                                f"a^2 + b^2 = {sp.simplify(s_u)}, a^2 b^2 = {sp.simplify(p_u)}; multiplier "
                                f"{mult} = -1 at eta = {eta2}", via="sympy")

    def simulate(self, quick=True):
        e1 = self.evaluate("eta1")
        e2 = self.evaluate("eta2")
        l1 = locate(converges_to_minimum, *BRACKET_1)
        l2 = locate(period_at_most_two, *BRACKET_2)
        m1, m2 = 0.5 * sum(l1), 0.5 * sum(l2)
        worst = max(abs(m1 - e1) / e1, abs(m2 - e2) / e2)
        return verdict_from(compare(worst, RTOL, "<="),
                            f"sweeps: GD reaches a fixed point up to eta in [{l1[0]:.6g}, {l1[1]:.6g}] "
                            f"(claim {e1:.6g}); period 2 up to [{l2[0]:.6g}, {l2[1]:.6g}] (claim {e2:.6g})",
                            measured=worst, bound=RTOL, relation="<=", via="engine")


class Chebyshev(Statement):
    r"""At :math:`\eta=2` GD on :math:`x^4/4-x^2/2` has the invariant density
    :math:`1/(\pi\sqrt{2-x^2})`; time averages: :math:`\bar f=-1/8`, :math:`\overline{f'^2}=1/2`.

    **Derivation (ours).** :math:`T(x)=3x-2x^3`; with :math:`x=\sqrt2\sin\theta`,
    :math:`T=\sqrt2(3\sin\theta-4\sin^3\theta)=\sqrt2\sin3\theta`.  The map
    :math:`\theta\mapsto3\theta` preserves the uniform measure, whose image under
    :math:`\theta\mapsto\sqrt2\sin\theta` is the arcsine density :math:`\rho`; the moments follow by
    integration.  **Symbolic:** the trigonometric identity; :math:`\int\rho=1`; the transfer-operator
    identity :math:`\sum_{T(y)=x}\rho(y)/|T'(y)|=\rho(x)` at three points (roots of the cubic to
    30 digits); the two moments.  **Simulation:** ``CHAOS_STARTS`` engine runs with
    :math:`\eta=2` from seeded starts in :math:`(-1.4,1.4)`, ``CHAOS_STEPS`` steps each (runs that
    escape through a rounding at :math:`\pm\sqrt2` are dropped): time averages of f and
    :math:`f'^2` after ``BURN_IN`` steps, and the Kolmogorov distance between the iterates and
    :math:`\rho`'s distribution function :math:`\tfrac12+\arcsin(x/\sqrt2)/\pi`; headline: the
    largest of the three errors, bound 0.02.
    """

    id = "zhang2022.chebyshev"
    title = "GD on x^4/4 - x^2/2 at eta = 2: invariant density 1/(pi sqrt(2 - x^2)); mean f = -1/8, mean f'^2 = 1/2"
    source = Source("zhang2022", "abstract [C]; the exact invariant measure is ours", "ZLSJ'22 (ours)",
                    "ours", _NOTE)
    assumptions = ("f = x^4/4 - x^2/2, GD with eta = 2, start in (-sqrt 2, sqrt 2)",)
    kind = "identity"
    main = "mean_loss"
    BOUND = 0.02

    def expressions(self):
        return {"density": 1 / (sp.pi * sp.sqrt(2 - S.x**2)), "mean_loss": sp.Rational(-1, 8),
                "mean_sq_grad": sp.Rational(1, 2)}

    def symbolic_check(self):
        e = self.expressions()
        x, th = S.x, sp.Symbol("theta", real=True)
        T = gd_map(x, 2)
        trig = sp.simplify(sp.expand_trig(sp.sqrt(2) * sp.sin(3 * th)) - T.subs(x, sp.sqrt(2) * sp.sin(th))) == 0
        rho = e["density"]
        r2 = sp.sqrt(2)
        mass = sp.simplify(sp.integrate(rho, (x, -r2, r2)))
        ef = sp.simplify(sp.integrate((x**4 / 4 - x**2 / 2) * rho, (x, -r2, r2)))
        eg = sp.simplify(sp.integrate((x**3 - x) ** 2 * rho, (x, -r2, r2)))
        worst = 0.0
        for x0 in (sp.Rational(1, 2), sp.Rational(-6, 5), sp.Rational(1, 10)):
            ys = sp.Poly(T - x0, x).nroots(n=30)
            tot = sum(rho.subs(x, y) / abs(sp.diff(T, x).subs(x, y)) for y in ys)
            worst = max(worst, float(abs(sp.N(tot - rho.subs(x, x0), 30))))
        ok = (trig and mass == 1 and sp.simplify(ef - e["mean_loss"]) == 0
              and sp.simplify(eg - e["mean_sq_grad"]) == 0 and worst < 1e-20)
        return verdict_from(ok, f"T(sqrt2 sin t) = sqrt2 sin 3t: {trig}; int rho = {mass}; transfer operator "
                                f"fixes rho at 3 points (err {worst:.1e}); E f = {ef}, E f'^2 = {eg}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("double_well")
        rng = np.random.default_rng(np.random.SeedSequence(2022))
        starts = rng.uniform(-1.4, 1.4, CHAOS_STARTS)
        xs, fs, gs, lost = [], [], [], 0
        for x0 in starts:
            tr = ts.run(f, ts.methods.gd(CHAOS_ETA), x0=[x0], steps=CHAOS_STEPS)
            if tr.diverged:
                lost += 1
                continue
            xs.append(tr.x[BURN_IN:, 0])
            fs.append(tr.loss[BURN_IN:])
            gs.append(tr.grad_norm[BURN_IN:] ** 2)
        x = np.sort(np.concatenate(xs))
        cdf = 0.5 + np.arcsin(np.clip(x / np.sqrt(2), -1, 1)) / np.pi
        n = x.size
        ks = float(np.max(np.maximum(np.arange(1, n + 1) / n - cdf, cdf - np.arange(n) / n)))
        mf, mg = float(np.mean(np.concatenate(fs))), float(np.mean(np.concatenate(gs)))
        e = self.expressions()
        err = max(abs(mf - float(e["mean_loss"])), abs(mg - float(e["mean_sq_grad"])), ks)
        gfinal = np.median([g[-1] for g in gs]) ** 0.5
        return verdict_from(compare(err, self.BOUND, "<="),
                            f"{len(xs)} runs kept ({lost} escaped by rounding), {CHAOS_STEPS} steps: mean f = "
                            f"{mf:.5f} (-1/8), mean f'^2 = {mg:.5f} (1/2), Kolmogorov distance {ks:.4f}; "
                            f"median final |f'| = {gfinal:.3g} (no convergence)",
                            measured=err, bound=self.BOUND, relation="<=", via="engine")


STATEMENTS = [PeriodDoubling(), Chebyshev()]

__all__ = ["STATEMENTS", "PeriodDoubling", "Chebyshev", "gd_map", "locate", "converges_to_minimum",
           "period_at_most_two"]
