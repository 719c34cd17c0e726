r"""Exact step-size thresholds on quadratics: one table statement (issue 9, testbed 6).

On :math:`f(x)=\tfrac\lambda2x^2` (each eigen-direction of :math:`\tfrac12x^\top Hx` separately,
:math:`\lambda` an eigenvalue) three update rules are linear recursions, so their stability edges
are exact:

=============  ======================================================  =========================
rule           recursion                                               stable iff
=============  ======================================================  =========================
GD             :math:`x_{k+1}=(1-\eta\lambda)x_k`                      :math:`\eta\lambda<2`
heavy ball     :math:`x_{k+1}=(1+\mu-\eta\lambda)x_k-\mu x_{k-1}`       :math:`\eta\lambda<2(1+\mu)`
unnorm. SAM    :math:`x_{k+1}=(1-\eta\lambda-\eta\rho\lambda^2)x_k`    :math:`\eta(\lambda+\rho\lambda^2)<2`
=============  ======================================================  =========================

(:math:`\eta>0`, :math:`0\le\mu<1`, :math:`\rho\ge0`.)  GD: textbook.  Heavy ball: Polyak 1964's
method; the region follows from the Jury (Schur–Cohn) conditions for a monic quadratic
:math:`p(z)=z^2+a_1z+a_0`: both roots lie in the open unit disc iff :math:`|a_0|<1`,
:math:`p(1)>0` and :math:`p(-1)>0`; here :math:`a_0=\mu`, :math:`p(1)=\eta\lambda`,
:math:`p(-1)=2(1+\mu)-\eta\lambda`.  SAM: the unnormalized ascent step of the authors' code of
Andriushchenko & Flammarion 2022 (n-SAM); extended.md C2 noted the threshold as an algebra
exercise; it is derived here (tag ``textbook``: a one-line linear-recursion argument, no paper
claim reproduced).

**Symbolic check.**  sympy builds each recursion from the update rule applied to
:math:`\nabla f=\lambda x` (SAM: :math:`x-\eta\nabla f(x+\rho\nabla f(x))`), extracts the factor or
the characteristic polynomial, and solves the stability conditions for :math:`\eta>0`; the
solution set must equal :math:`(0,\text{threshold})`.  For the heavy ball the Jury conditions are
also compared with numerically computed root moduli on a grid of :math:`(\eta\lambda,\mu)`.

**Simulation.**  For each rule and several :math:`\mu`, :math:`\rho` the engine's batched sweeps
(:func:`theorysim.diagnostics.stability_edge`) bracket the empirical edge, starting from a bracket
that does not depend on the claim (:math:`(0.01,8]/\lambda`), down to a relative width of
``RTOL`` = 1e-3; the measured headline is the worst relative distance between the bracket's
midpoint and the claimed threshold, which must be at most ``RTOL``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

#: relative accuracy of the located thresholds
RTOL = 1e-3
#: the cases the simulation locates: (rule, fixed hyperparameters); curvature LAM
LAM = 2.0
CASES = (("gd", {}), ("heavy_ball", {"mu": 0.0}), ("heavy_ball", {"mu": 0.5}),
         ("heavy_ball", {"mu": 0.9}), ("sam", {"rho": 0.25}), ("sam", {"rho": 1.0}))
#: updates per run (SAM: SAM steps; the engine then makes twice as many iterations)
STEPS = 20_000


def _linear_region(expr):
    """``{eta > 0 : expr > 0}`` for ``expr`` affine in eta with a coefficient of known sign."""
    c, d0 = sp.Poly(expr, S.eta).all_coeffs() if sp.degree(expr, S.eta) == 1 else (0, expr)
    if c == 0:
        return sp.Interval.open(0, sp.oo) if sp.simplify(d0).is_positive else sp.S.EmptySet
    root = sp.simplify(-d0 / c)
    if c.is_negative:
        return sp.Interval.open(0, root) if root.is_positive else sp.S.EmptySet
    if c.is_positive:
        return sp.Interval.open(root, sp.oo) if root.is_nonnegative else sp.Interval.open(0, sp.oo)
    raise ValueError(f"sign of the eta coefficient {c} is unknown")


def _solve_eta(cond):
    """``{eta > 0 : cond}`` as a sympy set."""
    return sp.solve_univariate_inequality(cond, S.eta, relational=False).intersect(
        sp.Interval.open(0, sp.oo))


class QuadraticThresholds(Statement):
    r"""GD, heavy ball and unnormalized SAM on :math:`\tfrac\lambda2x^2`: exact stability edges
    (module docstring: the table, the derivations, the checks)."""

    id = "thresholds.quadratic"
    title = "f = lam x^2/2: GD eta lam < 2; heavy ball eta lam < 2(1 + mu); SAM eta (lam + rho lam^2) < 2"
    source = Source("thresholds", "linear recursions on a quadratic (Polyak 1964 heavy ball; "
                    "n-SAM of Andriushchenko-Flammarion 2022's code)", "exact thresholds",
                    "textbook", "derived here from the update rules; no paper's display is reproduced")
    assumptions = ("f(x) = lam x^2 / 2, lam > 0 (each eigenvalue of a quadratic separately)",
                   "constant eta > 0; heavy ball 0 <= mu < 1, x_{-1} = x_0; SAM rho >= 0")
    kind = "condition"
    main = "gd"

    def expressions(self):
        lam, eta, mu, rho, z = S.lam, S.eta, S.mu, S.rho, S.z
        return {"gd": 2 / lam, "heavy_ball": 2 * (1 + mu) / lam, "sam": 2 / (lam + rho * lam**2),
                # the recursions, built from the update rules with grad f = lam x
                "gd_factor": 1 - eta * lam,
                "hb_charpoly": z**2 - (1 + mu - eta * lam) * z + mu,
                "sam_factor": 1 - eta * lam - eta * rho * lam**2}

    # -- symbolic ------------------------------------------------------------------------------
    def derived(self):
        """The thresholds sympy derives from the update rules (independently of ``expressions``'
        threshold entries): ``{rule: (set of eta > 0 that is stable, detail)}``."""
        lam, eta, mu, rho, z, x = S.lam, S.eta, S.mu, S.rho, S.z, S.x

        def grad(p):
            return lam * p

        out = {}
        gd_step = x - eta * grad(x)
        fac = sp.simplify(gd_step / x)
        out["gd"] = (_solve_eta(sp.Abs(fac) < 1), f"factor {fac}")
        sam_step = x - eta * grad(x + rho * grad(x))
        fac = sp.expand(sp.simplify(sam_step / x))
        a = sp.Symbol("a", positive=True)  # a = (1 - factor)/eta = lam + rho lam^2 > 0
        a_val = sp.simplify((1 - fac) / eta)
        s_a = sp.solve_univariate_inequality(sp.Abs(1 - eta * a) < 1, eta, relational=False)
        out["sam"] = (s_a.subs(a, a_val), f"factor {fac} = 1 - eta a, a = {a_val}")
        # heavy ball: x_{k+1} = x_k - eta grad(x_k) + mu (x_k - x_{k-1}); put x_k = z^k and
        # divide by z^{k-1}
        poly = sp.expand(z**2 - (z - eta * grad(z) + mu * (z - 1)))
        p1, pm1 = poly.subs(z, 1), poly.subs(z, -1)
        region = _linear_region(pm1).intersect(_linear_region(p1))
        out["hb_charpoly"] = poly
        out["heavy_ball"] = (region, f"p(z) = {poly}; Jury: |mu| < 1, p(1) = {p1} > 0, "
                                     f"p(-1) = {sp.expand(pm1)} > 0")
        return out

    def symbolic_check(self):
        e = self.expressions()
        der = self.derived()
        ok_each = {}
        lines = []
        for rule in ("gd", "heavy_ball", "sam"):
            got, det = der[rule]
            want = sp.Interval.open(0, e[rule])
            ok_each[rule] = _same_interval(got, want)
            lines.append(f"{rule}: {det}; stable eta = {_as_interval(got)} (claim (0, {e[rule]}): {ok_each[rule]})")
        # the characteristic polynomial the statement states is the derived one
        same_poly = sp.expand(e["hb_charpoly"] - der["hb_charpoly"]) == 0
        # Jury conditions against root moduli on a grid (numpy)
        worst = _jury_vs_roots(e["heavy_ball"])
        ok = all(ok_each.values()) and same_poly and worst == 0
        lines.append(f"heavy ball: claimed region vs max root modulus on a 160 x 10 grid of "
                     f"(eta lam, mu): {worst} disagreements")
        return verdict_from(ok, "; ".join(lines), via="sympy")

    # -- simulation ----------------------------------------------------------------------------
    def simulate(self, quick=True):
        import theorysim as ts
        from theorysim.diagnostics import stability_edge

        f = ts.objectives.get("quadratic", lam=LAM)
        worst, parts = 0.0, []
        for rule, fixed in CASES:
            steps = 2 * STEPS if rule == "sam" else STEPS
            edge = stability_edge(f, ts.methods.builder(rule), [1.0], steps, 0.01 / LAM, 8.0 / LAM,
                                  fixed=fixed, rtol=RTOL)
            vals = {"lambda": LAM, "mu": fixed.get("mu", 0.0), "rho": fixed.get("rho", 0.0)}
            claim = self.evaluate(rule, **{k: v for k, v in vals.items()
                                           if k in _keys(self.expressions()[rule])})
            rel = abs(edge.estimate - claim) / claim
            worst = max(worst, rel)
            tag = ", ".join(f"{k}={v:g}" for k, v in fixed.items())
            parts.append(f"{rule}({tag}) edge in [{edge.lo:.6g}, {edge.hi:.6g}] vs {claim:.6g}")
        ok = compare(worst, RTOL, "<=")
        return verdict_from(ok, f"lam = {LAM:g}, {STEPS} steps per run: " + "; ".join(parts),
                            measured=worst, bound=RTOL, relation="<=", via="engine")


def _keys(expr):
    return {str(s).replace("\\", "") for s in expr.free_symbols}


def _as_interval(a):
    """An intersection of open intervals as one open interval (sympy leaves it unevaluated when
    the ends are symbolic)."""
    if isinstance(a, sp.Intersection) and all(isinstance(i, sp.Interval) and i.left_open
                                              and i.right_open for i in a.args):
        return sp.Interval.open(sp.Max(*[i.start for i in a.args]), sp.Min(*[i.end for i in a.args]))
    return a


def _same_interval(a, b):
    a, b = _as_interval(a), _as_interval(b)
    if not (isinstance(a, sp.Interval) and isinstance(b, sp.Interval)):
        return False
    return (sp.simplify(a.start - b.start) == 0 and sp.simplify(a.end - b.end) == 0
            and a.left_open == b.left_open and a.right_open == b.right_open)


def _jury_vs_roots(threshold):
    """Points of a grid of (eta lam, mu) where 'eta lam < threshold * lam' disagrees with
    'both roots of z^2 - (1 + mu - eta lam) z + mu have modulus < 1' (boundary points skipped)."""
    thr = sp.lambdify((S.mu, S.lam), threshold * S.lam)
    bad = 0
    for mu in np.linspace(0.0, 0.95, 10):
        for a in np.linspace(0.005, 4.0, 160):
            claim = a < thr(mu, 1.0)
            if abs(a - thr(mu, 1.0)) < 1e-9:
                continue
            roots = np.roots([1.0, -(1.0 + mu - a), mu])
            bad += claim != bool(np.max(np.abs(roots)) < 1.0)
    return bad


STATEMENTS = [QuadraticThresholds()]

__all__ = ["STATEMENTS", "QuadraticThresholds", "RTOL", "CASES", "LAM", "STEPS"]
