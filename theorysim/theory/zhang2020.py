r"""Zhang, He, Sra, Jadbabaie, *Why gradient clipping accelerates training: a theoretical
justification for adaptivity*, ICLR 2020 (arXiv 1905.11881v2).

**What was confirmed in the paper's text** (the ICLR/v2 main text, read without its display
equations and appendices): the hypotheses of every theorem (Assumptions 1-5,
:math:`L_0,L_1>0`), every *step choice* (Thm 3
:math:`\eta_c=1/(10L_0)`, :math:`\gamma=\min\{1/\eta_c,1/(10L_1\eta_c)\}`; Thm 6
:math:`h=1/(2(ML_1+L_0))`; Thm 7 :math:`\eta=\min\{1/(20L_0),1/(128L_1\tau),1/\sqrt T\}`), Remark 5
(the orders :math:`\Omega(L_1M\Delta/(\epsilon^2\log M))` for fixed-step GD and
:math:`O(L_0\Delta\epsilon^{-2}+L_1^2\Delta L_0^{-1})` for clipped GD) and the order
:math:`O((ML_1+L_0)\Delta\epsilon^{-2})` of Thm 6.  **Not confirmed:** every displayed bound
(Thms 3, 4, 6, 7), the set :math:`\mathcal S`, the hard instance of Appendix D.

So every explicit constant below is **theorysim's own**, derived from the confirmed step choices,
with the proof in the statement's docstring and the algebra re-done by sympy in its symbolic check;
the confirmation column says ``order`` (Theorem 7: ``ours``, its step rule is our reading and its
order is known only from a secondary source).  The constants that circulate for the displays are
not used.

**What the simulations test.**  A worst-case bound evaluated on a benign start (``cosh`` from
:math:`x_0=20`, :math:`\Delta\approx2.4\cdot10^8`) exceeds the measured count by a factor of
:math:`10^{10}` or more: such a run checks the per-step descent the proof uses, not the constant.
So each upper bound is also checked on an instance where it is within a factor 100 of the count,
and that instance is the headline of the check table (``tight``): a slope-:math:`2\epsilon` ramp
(``ramp_wall`` with a small wall, :math:`M=1`) on which every step gains only
:math:`O(\epsilon^2)`, or the slow direction of a quadratic.

Notation: :math:`\Delta=f(x_0)-f^*`, :math:`T_\epsilon=\min\{k:\|\nabla f(x_k)\|\le\epsilon\}`.

**The segment lemma (ours, used by every upper bound here).**  If :math:`f` is
:math:`(L_0,L_1)`-smooth on a set containing the segment :math:`[x,x+d]`, :math:`\|d\|\le\ell`, then
:math:`u(s)=\|\nabla f(x+s\,d/\|d\|)\|` obeys :math:`u'\le L_0+L_1u`, so by comparison with the ODE
(solved by sympy) :math:`L_0+L_1u(s)\le(L_0+L_1u(0))e^{L_1s}`; Taylor's formula then gives, for
:math:`d=-hg`, :math:`G=\|\nabla f(x)\|`,

.. math:: f(x-hg)\le f(x)-h\langle\nabla f(x),g\rangle+\tfrac{e^{L_1\ell}}{2}h^2\|g\|^2(L_0+L_1G).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, Verdict, compare, verdict_from
from ._sympy_tools import holds, is_true, leading_order, resolve_minmax, same

_CITE = "Zhang+20"
_w = sp.Symbol("w", nonnegative=True)  # case parameter: L1 = 1/(10(1+w)) or (1+w)/10


# --------------------------------------------------------------------------------------------
# shared symbolic pieces
# --------------------------------------------------------------------------------------------
def segment_lemma_ode() -> bool:
    r"""Sympy solves :math:`u'=L_0+L_1u`, :math:`u(0)=G` and checks
    :math:`L_0+L_1u(s)=(L_0+L_1G)e^{L_1s}` (the comparison function of the segment lemma)."""
    s = sp.Symbol("s", nonnegative=True)
    u = sp.Function("u")
    sol = sp.dsolve(sp.Eq(u(s).diff(s), S.L0 + S.L1 * u(s)), u(s), ics={u(0): S.g})
    return sp.simplify(S.L0 + S.L1 * sol.rhs - (S.L0 + S.L1 * S.g) * sp.exp(S.L1 * s)) == 0


def thm3_parameters(L0=S.L0, L1=S.L1):
    r"""Theorem 3's confirmed choices :math:`\eta_c=\frac1{10L_0}`,
    :math:`\gamma=\min\{\frac1{\eta_c},\frac1{10L_1\eta_c}\}` and the step-length cap
    :math:`r=\gamma\eta_c`."""
    eta_c = 1 / (10 * L0)
    gam = sp.Min(1 / eta_c, 1 / (10 * L1 * eta_c))
    return eta_c, gam, gam * eta_c


def thm3_bound_expr(L0=S.L0, L1=S.L1, Delta=S.Delta, eps=S.eps, const=20):
    r"""theorysim's explicit bound for Theorem 3:
    :math:`20L_0\Delta/\epsilon^2+20\max\{1/100,L_1^2\}\Delta/L_0`."""
    return (const * L0 * Delta / eps**2
            + const * sp.Max(sp.Rational(1, 100), L1**2) * Delta / L0)


def _l1_cases():
    """The two regimes of Theorem 3's gamma, parametrised so that sympy can resolve Min/Max."""
    return {"L1 <= 1/10": 1 / (10 * (1 + _w)), "L1 >= 1/10": (1 + _w) / 10}


def _ramp_wall_lower(L0, L1, M, eps, Delta):
    r"""Exact lower bound :math:`N_{\rm low}=(x_0-x_\epsilon)/(h_{\max}s)` of the ramp-and-wall
    instance (:mod:`theorysim.objectives.ramp_wall`) as a sympy expression, and its closed-form
    minorant :math:`\frac{L_1M(\Delta-4\,\mathrm{atanh}(1/2)\epsilon^2/L_0)}{8\epsilon^2\,
    \mathrm{asinh}(L_1M/L_0)}`."""
    s = 2 * eps
    delta = s / L0
    x0 = delta * sp.acosh(sp.exp(Delta / (s * delta)))
    z0 = sp.asinh(L1 * M / L0)
    h_max = 2 * z0 / (L0 * sp.sinh(z0))
    x_eps = delta * sp.atanh(sp.Rational(1, 2))
    n_low = (x0 - x_eps) / (h_max * s)
    n_lb = L1 * M * (Delta - 4 * sp.atanh(sp.Rational(1, 2)) * eps**2 / L0) / (
        8 * eps**2 * sp.asinh(L1 * M / L0))
    return dict(s=s, delta=delta, x0=x0, z0=z0, h_max=h_max, x_eps=x_eps, n_low=n_low, n_lb=n_lb)


def _wall_height(L0, L1, M):
    """Height of the wall of ramp_wall above its floor: (L0/L1^2)(cosh(asinh(L1 M/L0)) - 1)."""
    return L0 / L1**2 * (sp.sqrt(1 + (L1 * M / L0) ** 2) - 1)


# --------------------------------------------------------------------------------------------
# simulation helpers (engine)
# --------------------------------------------------------------------------------------------
def _descent_run(f, method, x0, steps, tol, factor=0.5):
    r"""Run the engine and measure (a) :math:`T_\epsilon` and (b) the worst slack of the per-step
    guarantee :math:`f(x_k)-f(x_{k+1})\ge\text{factor}\cdot h_k\|\nabla f(x_k)\|^2` over all steps
    (negative slack = violated; a rounding allowance of a few ulps of :math:`f(x_k)` is given)."""
    import theorysim as ts

    tr = ts.run(f, method, x0=x0, steps=steps, tol=tol, stop_at_tol=True)
    loss, gn, hk = tr.loss, tr.grad_norm, tr.step_size
    ok = np.isfinite(hk[:-1])
    dec = loss[:-1] - loss[1:]
    need = factor * hk[:-1] * gn[:-1] ** 2
    allow = 8 * np.finfo(float).eps * np.maximum(1.0, np.abs(loss[:-1]))
    slack = (dec - need + allow)[ok]
    worst = float(slack.min()) if slack.size else 0.0
    return tr, worst


def _gap(f, x0):
    return float(f.value(np.asarray(x0, float)) - f.f_star)


def _sublevel_grad_sup_1d(f, x0):
    r""":math:`M=\sup\{|f'(x)|:f(x)\le f(x_0)\}` for a 1-D even convex objective, computed from its
    sympy form: sympy checks evenness and :math:`f''\ge0` on :math:`x>0`, so the sublevel set is
    :math:`[-|x_0|,|x_0|]` and :math:`|f'|` peaks at its ends."""
    expr, (xs,) = f.sympy_form()
    xp = sp.Symbol("xp", positive=True)
    if sp.simplify(expr.subs(xs, -xp) - expr.subs(xs, xp)) != 0:
        raise ValueError(f"{f.name}: not even; M needs another argument")
    f1 = sp.diff(expr, xs)
    f2 = sp.simplify(sp.diff(expr, xs, 2).subs(xs, xp))
    if not f2.is_nonnegative:
        raise ValueError(f"{f.name}: cannot prove f'' >= 0 on x > 0")
    return float(abs(f1.subs(xs, abs(float(x0[0])))))


#: an upper-bound check's headline instance must have bound / measured count <= TIGHT_FACTOR
TIGHT_FACTOR = 100.0


def tight_ramp(L0=1.0, L1=1.0, M=1.0, eps=0.1, Delta=10.0):
    r"""The instance on which the explicit upper bounds are within a small factor of the count:
    ``ramp_wall`` with a small wall (:math:`M=1`).  On its ramp the gradient is just above
    :math:`\epsilon` (slope :math:`s=2\epsilon`) for a distance :math:`\approx\Delta/s`, so every
    step of a descent method gains only :math:`O(h\epsilon^2)`: the situation the counting
    argument of each proof charges for.  Returns ``(objective, x0, gap, M_A4)`` with
    ``gap`` :math:`=f(x_0)-f^*` (ramp drop plus wall height: the :math:`\Delta` the bounds take) and
    ``M_A4``, an admissible :math:`M` for Assumption 4 on :math:`\{f\le f(x_0)\}`: there
    :math:`0\le\psi`, so :math:`\varphi(y)\le f(x_0)-f^*`, :math:`|\varphi'|` is largest where
    :math:`\varphi=f(x_0)-f^*`, i.e. at :math:`\cosh(L_1y^*)=1+(f(x_0)-f^*)L_1^2/L_0`, and
    :math:`|\psi'|<s`, so :math:`\|\nabla f\|\le\sqrt{s^2+\varphi'(y^*)^2}`."""
    import theorysim as ts

    f = ts.objectives.get("ramp_wall", L0=L0, L1=L1, M=M, eps=eps, Delta=Delta)
    gap = float(f.info["gap"])
    zs = math.acosh(1.0 + gap * L1**2 / L0)
    m_a4 = math.hypot(f.info["s"], L0 / L1 * math.sinh(zs))
    return f, list(map(float, f.x0)), gap, m_a4


def _upper_checks(statement, cases, steps):
    r"""Run upper-bound cases ``(label, objective, x0, tol, method, values)``; ``values`` are the
    keyword values of :meth:`Statement.evaluate`.  Every case must reach ``tol`` within the bound
    with the per-step descent :math:`f_k-f_{k+1}\ge\frac12h_k\|\nabla f_k\|^2`; the **first** case is
    the headline and must also be tight (bound / count :math:`\le` :data:`TIGHT_FACTOR`).  The
    other cases, whose bounds can exceed the count by :math:`10^{10}`, test the descent only and
    say so."""
    lines, ok, head = [], True, None
    for i, (label, f, x0, tol, method, values) in enumerate(cases):
        bound = statement.evaluate(**values)
        tr, slack = _descent_run(f, method, x0, steps, tol)
        hit = int(tr.first_hit)
        factor = bound / hit if hit > 0 else math.inf
        this = hit >= 0 and compare(hit, bound, "<=") and slack >= 0
        if i == 0:
            this = this and factor <= TIGHT_FACTOR
            head = (float(hit), bound)
            what = f"tight (bound/T = {factor:.3g} <= {TIGHT_FACTOR:g})"
        else:
            what = f"descent check only (bound/T = {factor:.2g})"
        ok &= this
        lines.append(f"{label}: T_eps={hit} <= {bound:.4g}, {what}, step slack {slack:.2g}")
    return verdict_from(ok, "; ".join(lines) + " (f_k - f_k+1 >= h_k g_k^2/2 on every step)",
                        measured=head[0], bound=head[1], relation="<=", via="engine")


# --------------------------------------------------------------------------------------------
# statements
# --------------------------------------------------------------------------------------------
class GDLSmooth(Statement):
    r"""GD under L-smoothness: :math:`T_\epsilon\le 2L\Delta/\epsilon^2` with :math:`h=1/L`.

    **Problem.** :math:`f` is :math:`L`-smooth (:math:`\|\nabla^2f\|\le L`, Zhang et al. 2020,
    Sec. 2.1) and bounded below by :math:`f^*`.  **Method.** GD, :math:`x_{k+1}=x_k-h\nabla f(x_k)`.

    **Guarantee (upper).**  Sec. 4.1 of the paper states the order
    :math:`O(L\Delta\epsilon^{-2})` [C] without a constant.  theorysim's constant (textbook): the
    descent lemma gives :math:`f(x_{k+1})\le f(x_k)-h\|g_k\|^2+\frac L2h^2\|g_k\|^2`, minimised at
    :math:`h=1/L` with decrease :math:`\|g_k\|^2/(2L)`; if :math:`x_0..x_{K-1}` are not
    :math:`\epsilon`-stationary then :math:`K\epsilon^2/(2L)<\Delta`, so
    :math:`T_\epsilon\le2L\Delta/\epsilon^2`.  The PEPit fixture (``classical.gd_nonconvex``) shows
    the tight per-N constant is :math:`4/3` instead of 2; sympy checks that 2 is never below it.
    """

    id = "zhang2020.gd_lsmooth"
    title = "GD under L-smoothness, h = 1/L: T_eps <= 2 L Delta / eps^2"
    source = Source("zhang2020", "Sec. 4.1 (order); constant: descent lemma", f"{_CITE} Sec 4.1",
                    "order", "order O(L Delta eps^-2) [C]; constant 2 is the textbook descent "
                    "lemma (theorysim), not printed in the paper")
    assumptions = ("f is L-smooth on R^d", "f >= f* > -oo", "fixed step h = 1/L")
    kind = "upper bound"

    def expressions(self):
        return {"bound": 2 * S.L * S.Delta / S.eps**2, "step": 1 / S.L,
                "decrease": S.g**2 / (2 * S.L), "order": S.L * S.Delta / S.eps**2}

    def symbolic_check(self):
        e = self.expressions()
        model = -S.h * S.g**2 + S.L * S.h**2 * S.g**2 / 2
        hstar = sp.solve(sp.diff(model, S.h), S.h)
        ok_step = hstar == [e["step"]]
        ok_dec = sp.simplify(-model.subs(S.h, e["step"]) - e["decrease"]) == 0
        K = sp.Symbol("K", positive=True)
        kmax = sp.solve(sp.Eq(K * S.eps**2 / (2 * S.L), S.Delta), K)[0]
        ok_count = sp.simplify(kmax - e["bound"]) == 0
        ratio = sp.limit(e["bound"] / e["order"], S.eps, 0)
        ok_order = bool(ratio.is_positive and ratio.is_finite)
        # consistency with PEPit: textbook per-N constant 2/N is never below PEPit's value
        from .classical import load_fixture

        rows = load_fixture()["gd_nonconvex_fN"]
        Nn = sp.Symbol("Nn", positive=True)
        valid = all(float((2 * S.L / Nn).subs({S.L: r["L"], Nn: r["N"]})) >= r["value"] * (1 - 1e-6)
                    for r in rows)
        ok = ok_step and ok_dec and ok_count and ok_order and valid
        return verdict_from(ok, f"argmin of descent model h = {hstar}; decrease g^2/(2L); count "
                                f"bound re-derived; bound/order -> {ratio} as eps->0; 2L/N >= "
                                f"PEPit min||g||^2 for N in {[r['N'] for r in rows]}: {valid}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("quadratic", lam=[1.0, 0.01], dim=2)
        L, tol = f.L0, 1e-3
        cases = []
        for label, x0 in (("slow direction of the quadratic lam=(1, 0.01), x0=(0, 0.5)", [0.0, 0.5]),
                          ("quadratic lam=(1, 0.01), x0=(1, 10)", [1.0, 10.0])):
            cases.append((label, f, x0, tol, ts.methods.gd(1.0 / L),
                          dict(L=L, Delta=_gap(f, x0), epsilon=tol)))
        return _upper_checks(self, cases, 20_000)


class ClippedGDThm3(Statement):
    r"""Clipped GD (Zhang et al. 2020, Theorem 3): iteration bound with the paper's parameters.

    **Problem** [C]: Assumptions 1-3 (:math:`f\ge f^*`, twice differentiable,
    :math:`(L_0,L_1)`-smooth) on a neighbourhood of the sublevel set.  theorysim's reading of
    :math:`\mathcal S` (the display is unconfirmed): the set of points within distance
    :math:`r=\gamma\eta_c\le1` of :math:`\{f\le f(x_0)\}`, which contains every segment the method
    walks since it decreases :math:`f` and never steps farther than :math:`r`.

    **Method** [C]: :math:`x_{k+1}=x_k-h_k\nabla f(x_k)`,
    :math:`h_k=\min\{\eta_c,\gamma\eta_c/\|\nabla f(x_k)\|\}`, :math:`\eta_c=\frac1{10L_0}`,
    :math:`\gamma=\min\{\frac1{\eta_c},\frac1{10L_1\eta_c}\}`.

    **Guarantee (upper; constant ours).**

    .. math:: T_\epsilon\le\frac{20L_0\Delta}{\epsilon^2}+\frac{20\max\{1/100,L_1^2\}\Delta}{L_0},

    of the order of Remark 5 [C].  *Proof.*  :math:`r=\gamma\eta_c=\min\{1,\frac1{10L_1}\}`, so
    :math:`L_1r\le\frac1{10}` and the segment lemma's factor is :math:`e^{L_1r}\le e^{1/10}`.
    Unclipped (:math:`G\le\gamma`): :math:`h=\eta_c` and :math:`L_1G\le L_1\gamma\le L_0`, so
    :math:`h(L_0+L_1G)\le\frac15`.  Clipped (:math:`G>\gamma`): :math:`h(L_0+L_1G)=rL_0/G+rL_1
    <rL_0/\gamma+rL_1\le\frac1{10}+\frac1{10}` (:math:`rL_0/\gamma=\frac1{10}` exactly).  Either way
    :math:`f(x_{k+1})\le f(x_k)-h_kG^2(1-\frac{e^{1/10}}{10})\le f(x_k)-\frac12h_kG^2`.  While
    :math:`G>\epsilon`: an unclipped step lowers :math:`f` by more than
    :math:`\epsilon^2/(20L_0)`, a clipped one by more than :math:`r\gamma/2=
    L_0/(2\max\{\frac1{10},10L_1^2\})`; summing against :math:`\Delta` gives the bound.  Sympy
    re-derives each step in both regimes :math:`L_1\lessgtr\frac1{10}`.
    """

    id = "zhang2020.thm3"
    title = "clipped GD, Thm 3 parameters: T_eps <= 20 L0 D/eps^2 + 20 max(1/100, L1^2) D/L0"
    source = Source("zhang2020", "Theorem 3 (+ Remark 5 order)", f"{_CITE} Thm 3", "order",
                    "hypotheses, eta_c and gamma [C]; order via Remark 5 [C]; the displayed bound "
                    "is unconfirmed, the constant 20 here is theorysim's (proved)")
    assumptions = ("f >= f* (A1)", "f twice differentiable (A2)",
                   "(L0,L1)-smooth within distance gamma*eta_c of {f <= f(x0)} (A3 on S)")
    kind = "upper bound"

    def expressions(self):
        eta_c, gam, r = thm3_parameters()
        return {"bound": thm3_bound_expr(), "eta_c": eta_c, "gamma": gam, "step_cap": r,
                "order": S.L0 * S.Delta / S.eps**2 + S.L1**2 * S.Delta / S.L0}

    def symbolic_check(self):
        E = sp.exp(sp.Rational(1, 10))
        facts = {"comparison ODE": segment_lemma_ode(),
                 "1 - e^(1/10)/10 >= 1/2": is_true(1 - E / 10 >= sp.Rational(1, 2))}
        for name, L1c in _l1_cases().items():
            eta_c, gam, r = thm3_parameters(S.L0, L1c)
            gam, r = resolve_minmax(gam), resolve_minmax(r)
            facts[f"[{name}] r L1 <= 1/10"] = holds(r * L1c, sp.Rational(1, 10))
            facts[f"[{name}] r L0/gamma = 1/10"] = same(r * S.L0 / gam, sp.Rational(1, 10))
            facts[f"[{name}] eta_c(L0 + L1 gamma) <= 1/5"] = holds(
                eta_c * (S.L0 + L1c * gam), sp.Rational(1, 5))
            counted = S.Delta / (eta_c * S.eps**2 / 2) + S.Delta / (r * gam / 2)
            bound = resolve_minmax(self.expr.subs(S.L1, L1c))
            facts[f"[{name}] count = bound"] = same(counted, bound)
        b = self.expr
        lim_eps = sp.limit(b * S.eps**2 / (S.L0 * S.Delta), S.eps, 0)
        L1c = _l1_cases()["L1 >= 1/10"]
        b2 = resolve_minmax(b.subs(S.L1, L1c))
        lim_l1 = sp.limit(b2 * S.L0 / (L1c**2 * S.Delta), _w, sp.oo)
        facts["Remark 5 order (eps->0, L1->oo limits finite > 0)"] = bool(
            lim_eps.is_positive and lim_eps.is_finite and lim_l1.is_positive and lim_l1.is_finite)
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, ("all steps re-derived: " + "; ".join(facts)) if not bad
                            else f"not proved: {bad}", via="sympy")

    #: simulation cases: (family, parameters, start or None for the family's own, epsilon)
    CASES = (("cosh", {}, (20.0,), 1e-3), ("power", {"p": 4.0}, (10.0,), 1e-3),
             ("ramp_wall", {"M": 1e3}, None, 0.1))
    #: step budget of each simulated run (it stops at epsilon)
    SIM_STEPS = 200_000

    def measure(self):
        r"""Run clipped GD with Theorem 3's parameters on each of :data:`CASES`.

        Returns ``{family: (T_eps, bound, slack)}``: :math:`T_\epsilon` (first k with
        :math:`\|\nabla f(x_k)\|\le\epsilon`, -1 if never), the bound at
        :math:`(L_0, L_1, \Delta=f(x_0)-f^*, \epsilon)` and the worst slack of the per-step
        decrease :math:`f(x_k)-f(x_{k+1})\ge\frac12h_k\|\nabla f(x_k)\|^2`."""
        import theorysim as ts

        out = {}
        for name, params, x0, tol in self.CASES:
            f = ts.objectives.get(name, **params)
            x0 = f.x0 if x0 is None else list(x0)
            bound = self.evaluate(L0=f.L0, L1=f.L1, Delta=_gap(f, x0), epsilon=tol)
            tr, slack = _descent_run(f, ts.methods.clipped_gd_theorem3(f.L0, f.L1), x0,
                                     self.SIM_STEPS, tol)
            out[name] = (int(tr.first_hit), float(bound), slack)
        return out

    def simulate(self, quick=True):
        import theorysim as ts

        return _upper_checks(self, _thm3_cases(ts.methods.clipped_gd_theorem3), 200_000)


def _thm3_cases(builder):
    """Cases of the Theorem 3 checks (clipped and normalized GD): the tight ramp first."""
    import theorysim as ts

    f, x0, gap, _ = tight_ramp()
    cases = [("ramp_wall M=1 (ramp of slope 2 eps)", f, x0, 0.1, builder(f.L0, f.L1),
              dict(L0=f.L0, L1=f.L1, Delta=gap, epsilon=0.1))]
    for name, params, x0, tol in [("cosh", {}, [20.0], 1e-3), ("power", {"p": 4.0}, [10.0], 1e-3),
                                  ("ramp_wall", {"M": 1e3}, None, 0.1)]:
        f = ts.objectives.get(name, **params)
        x0 = list(f.x0) if x0 is None else x0
        label = f"{name}{''.join(f' {k}={v:g}' for k, v in params.items())} x0={x0[0]:g}"
        cases.append((label, f, x0, tol, builder(f.L0, f.L1),
                      dict(L0=f.L0, L1=f.L1, Delta=_gap(f, x0), epsilon=tol)))
    return cases


class NormalizedGD(Statement):
    r"""Normalized GD matched to Theorem 3 (Zhang et al. 2020, Sec. 3.1 equivalence).

    **Method** [C]: :math:`h_n=\eta_n/(\|\nabla f\|+\beta)`; with :math:`\gamma\eta_c=\eta_n`,
    :math:`\eta_c=\eta_n/\beta` [C] (so :math:`\beta=\gamma`) and Theorem 3's
    :math:`\eta_c,\gamma`.  The paper has no separate NGD theorem [C: "we omit repeating"].

    **Guarantee (upper; constant ours).**  Sympy proves :math:`\frac12h_c\le h_n\le h_c` for every
    gradient norm (the paper's display is unconfirmed; the upper factor 1 is sharper than the 2
    reported by a secondary source).  Since :math:`h_n\le h_c`, Theorem 3's proof gives
    :math:`f(x_{k+1})\le f(x_k)-\frac12h_nG^2\le f(x_k)-\frac14h_cG^2`, hence

    .. math:: T_\epsilon\le\frac{40L_0\Delta}{\epsilon^2}+\frac{40\max\{1/100,L_1^2\}\Delta}{L_0}.
    """

    id = "zhang2020.ngd"
    title = "normalized GD (eta_n = gamma eta_c, beta = gamma): 2x the Thm 3 bound"
    source = Source("zhang2020", "Sec. 3.1 (NGD <-> clipping equivalence) + Thm 3",
                    f"{_CITE} Sec 3.1", "order",
                    "parameter correspondence [C]; no NGD theorem in the paper; constant 40 ours")
    assumptions = ClippedGDThm3.assumptions
    kind = "upper bound"

    def expressions(self):
        eta_c, gam, _ = thm3_parameters()
        return {"bound": thm3_bound_expr(const=40), "eta_n": gam * eta_c, "beta": gam,
                "h_n": gam * eta_c / (S.g + gam),
                "h_c": sp.Min(eta_c, gam * eta_c / S.g)}

    def symbolic_check(self):
        facts = {}
        q = sp.Symbol("q", nonnegative=True)
        for regime, G in (("G <= gamma", S.gamma / (1 + q)), ("G >= gamma", S.gamma * (1 + q))):
            hc = resolve_minmax(sp.Min(S.eta, S.gamma * S.eta / G))
            hn = S.gamma * S.eta / (G + S.gamma)
            facts[f"[{regime}] h_n >= h_c/2"] = holds(hc / 2, hn)
            facts[f"[{regime}] h_n <= h_c"] = holds(hn, hc)
        facts["bound = 2 x Thm 3 bound"] = sp.simplify(self.expr - 2 * thm3_bound_expr()) == 0
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, "; ".join(facts) if not bad else f"not proved: {bad}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        return _upper_checks(self, _thm3_cases(ts.methods.normalized_gd_theorem3), 200_000)


class GDLowerThm4(Statement):
    r"""Fixed-step GD lower bound (Zhang et al. 2020, Theorem 4 / Remark 5) on theorysim's instance.

    **Not the paper's construction** (Appendix D is unread).  The instance is
    :mod:`theorysim.objectives.ramp_wall`, which is :math:`(L_0,L_1)`-smooth on
    :math:`\mathbb R^2`, has :math:`\|\nabla f(x_0)\|\ge M`, and for which **every** fixed step
    :math:`h` needs at least

    .. math:: N_{\rm low}=\frac{x_0-x_\epsilon}{h_{\max}s}\;\ge\;
       \frac{L_1M\,(\Delta-4\,\mathrm{atanh}(\frac12)\epsilon^2/L_0)}{8\epsilon^2\,
       \mathrm{asinh}(L_1M/L_0)}

    iterations (proof in that module: a step above
    :math:`h_{\max}=2\,\mathrm{asinh}(L_1M/L_0)/(L_1M)` makes the wall coordinate grow forever;
    a step below it crosses the ramp at speed :math:`<hs`).  Here :math:`\Delta` is the ramp's
    drop, **not** the paper's :math:`\Delta=f(x_0)-f^*`: on this instance
    :math:`f(x_0)-f^*=\Delta+W(M)` with a wall height :math:`W(M)\approx M/L_1`, and no
    :math:`(L_0,L_1)`-smooth function keeps :math:`f(x_0)-f^*` bounded while :math:`M` grows (proof
    in the module).  In the paper's :math:`\Delta` the bound reads
    :math:`\Omega(L_1M(f(x_0)-f^*-W(M))/(\epsilon^2\log M))`.  The order
    :math:`L_1M\Delta/(\epsilon^2\log M)` is Remark 5's [C]; the constant is ours.

    Symbolic check: sympy verifies :math:`h_{\max}=2z_0/(L_0\sinh z_0)` with
    :math:`z_0=\mathrm{asinh}(L_1M/L_0)`, :math:`x_0\ge\Delta/s` (as
    :math:`e^v-\cosh v=\sinh v\ge0`), the closed-form minorant, its Remark-5 order (limit as
    :math:`M\to\infty`), and that the number the objective carries (``info["gd_lower_bound"]``)
    equals the expression.
    """

    id = "zhang2020.thm4"
    title = "fixed-step GD lower bound on ramp_wall: T_eps >= L1 M (D - c eps^2)/(8 eps^2 asinh)"
    source = Source("zhang2020", "Theorem 4 / Remark 5 (order); instance: theorysim ramp_wall",
                    f"{_CITE} Thm 4", "order",
                    "hypotheses and order Omega(L1 M D/(eps^2 log M)) [C]; the paper's display and "
                    "Appendix D instance unconfirmed; instance and constant are theorysim's")
    assumptions = ("L0, L1 > 0, M > eps", "f = ramp_wall(L0, L1, M, eps, Delta), x0 = f.x0",
                   "Delta = the ramp's drop, not the paper's f(x0) - f* (which adds the wall "
                   "height, about M/L1)", "any fixed step h > 0")
    kind = "lower bound"
    main = "n_lb"

    def expressions(self):
        return _ramp_wall_lower(S.L0, S.L1, S.M, S.eps, S.Delta)

    def symbolic_check(self):
        e = self.expressions()
        facts = {}
        facts["h_max = 2 asinh(L1M/L0)/(L1M)"] = sp.simplify(
            e["h_max"] - 2 * sp.asinh(S.L1 * S.M / S.L0) / (S.L1 * S.M)) == 0
        v = sp.Symbol("v", positive=True)
        facts["acosh(e^v) >= v  (e^v - cosh v = sinh v >= 0)"] = bool(
            same(sp.exp(v) - sp.cosh(v), sp.sinh(v)) and sp.sinh(v).is_positive)
        minor = (S.Delta / e["s"] - e["x_eps"]) / (e["h_max"] * e["s"])
        facts["minorant algebra"] = sp.simplify(minor - e["n_lb"]) == 0
        lim = sp.limit(e["n_lb"] * S.eps**2 * sp.log(S.M) / (S.L1 * S.M * S.Delta), S.M, sp.oo)
        expect = (1 - 4 * sp.atanh(sp.Rational(1, 2)) * S.eps**2 / (S.L0 * S.Delta)) / 8
        facts["order L1 M D/(eps^2 log M)"] = same(lim, expect)
        import theorysim as ts

        pars = dict(L0=1.0, L1=2.0, M=500.0, eps=0.05, Delta=3.0)
        f = ts.objectives.get("ramp_wall", **pars)
        sym = float(e["n_low"].subs({S.L0: 1, S.L1: 2, S.M: 500, S.eps: sp.Rational(1, 20),
                                      S.Delta: 3}).evalf(30))
        facts["objective info == expression"] = math.isclose(
            f.info["gd_lower_bound"], sym, rel_tol=1e-9)
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, ("; ".join(facts) + f"; M-limit constant {lim}") if not bad
                            else f"not proved: {bad}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        Ms = [1e3] if quick else [1e3, 1e4]
        lines, ok, head = [], True, None
        for M in Ms:
            pars = dict(L0=1.0, L1=1.0, M=M, eps=0.1, Delta=10.0)
            f = ts.objectives.get("ramp_wall", **pars)
            n_low = self.evaluate("n_low", **{**pars, "epsilon": pars["eps"]})
            h_max = f.info["h_max"]
            steps = int(2 * n_low) + 1000
            etas = np.concatenate([np.logspace(np.log10(h_max) - 3, np.log10(h_max) + 0.5, 47),
                                   [h_max * (1 - 1e-9)]])
            res = ts.sweep(f, ts.methods.gd, grid={"eta": etas}, x0=f.x0, steps=steps,
                           tol=f.info["eps"], stop_at_tol=True)
            hits = res.first_hit[res.first_hit >= 0]
            best = float(hits.min()) if hits.size else float(steps)
            this = best >= n_low
            ok &= this
            lines.append(f"M={M:g}: best over {etas.size} fixed steps = "
                         f"{f'{best:.0f}' if hits.size else f'> {steps} (none hit)'}"
                         f" >= N_low={n_low:.6g} ({hits.size} runs hit)")
            head = head or (best, n_low)
        return verdict_from(ok, "; ".join(lines), measured=head[0], bound=head[1],
                            relation=">=", via="engine")


class GDUpperThm6(Statement):
    r"""Fixed-step GD upper bound (Zhang et al. 2020, Theorem 6) with the paper's step.

    **Problem** [C]: Assumptions 1-4 on :math:`\mathcal S`; :math:`M` bounds
    :math:`\|\nabla f\|` on the sublevel set :math:`\{f\le f(x_0)\}` (theorysim's reading of A4).
    **Method** [C]: :math:`h=\frac1{2(ML_1+L_0)}`.

    **Guarantee (upper; constant ours).**  :math:`T_\epsilon\le4(ML_1+L_0)\Delta/\epsilon^2`, the
    order stated after the theorem [C].  *Proof.*  By induction :math:`x_k` stays in the
    sublevel set, so :math:`G\le M`; the step length is :math:`hG\le\frac1{2L_1}`, the segment
    factor :math:`e^{1/2}`, and :math:`h(L_0+L_1G)\le\frac12`, so
    :math:`f(x_{k+1})\le f(x_k)-hG^2(1-e^{1/2}/4)\le f(x_k)-\frac12hG^2`; count as usual.  With
    Theorem 4 this is tight up to :math:`\log M` (Remark 5 [C]); sympy checks that ratio.
    """

    id = "zhang2020.thm6"
    title = "GD with h = 1/(2(M L1 + L0)): T_eps <= 4 (M L1 + L0) Delta / eps^2"
    source = Source("zhang2020", "Theorem 6", f"{_CITE} Thm 6", "order",
                    "hypotheses, step h [C]; order O((M L1 + L0) D/eps^2) [C]; displayed "
                    "constant unconfirmed, 4 is theorysim's (proved)")
    assumptions = ("f >= f*, twice differentiable", "(L0,L1)-smooth within distance 1/(2 L1) of "
                   "{f <= f(x0)} (our reading of S)", "A4: ||grad f|| <= M on {f <= f(x0)}",
                   "h = 1/(2(M L1 + L0))")
    kind = "upper bound"

    def expressions(self):
        return {"bound": 4 * (S.M * S.L1 + S.L0) * S.Delta / S.eps**2,
                "step": 1 / (2 * (S.M * S.L1 + S.L0)),
                "order": (S.M * S.L1 + S.L0) * S.Delta / S.eps**2}

    def symbolic_check(self):
        e = self.expressions()
        hh = e["step"]
        facts = {
            "step length <= 1/(2 L1)": holds(hh * S.M * S.L1, sp.Rational(1, 2)),
            "h (L0 + L1 M) = 1/2": sp.simplify(hh * (S.L0 + S.L1 * S.M)) == sp.Rational(1, 2),
            "1 - e^(1/2)/4 >= 1/2": is_true(1 - sp.exp(sp.Rational(1, 2)) / 4 >= sp.Rational(1, 2)),
            "count = bound": sp.simplify(S.Delta / (hh * S.eps**2 / 2) - e["bound"]) == 0,
        }
        lim = sp.limit(e["bound"] / e["order"], S.M, sp.oo)
        facts["order [C]"] = bool(lim.is_positive and lim.is_finite)
        lb_order = S.L1 * S.M * S.Delta / (S.eps**2 * sp.log(S.M))
        gap = sp.limit(e["bound"] / lb_order / sp.log(S.M), S.M, sp.oo)
        facts["tight up to log M vs Remark 5"] = bool(gap.is_positive and gap.is_finite)
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, "; ".join(facts) if not bad else f"not proved: {bad}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f, x0, gap, m_a4 = tight_ramp()
        cases = [(f"ramp_wall M=1 (ramp of slope 2 eps; A4: M={m_a4:.4g})", f, x0, 0.1,
                  ts.methods.gd_theorem6(f.L0, f.L1, m_a4),
                  dict(M=m_a4, L0=f.L0, L1=f.L1, Delta=gap, epsilon=0.1))]
        for name, params, x0 in [("cosh", {}, [5.0]), ("power", {"p": 4.0}, [3.0])]:
            f = ts.objectives.get(name, **params)
            M = _sublevel_grad_sup_1d(f, x0)
            tol = 1e-3
            cases.append((f"{name} x0={x0[0]:g} (M={M:.4g})", f, x0, tol,
                          ts.methods.gd_theorem6(f.L0, f.L1, M),
                          dict(M=M, L0=f.L0, L1=f.L1, Delta=_gap(f, x0), epsilon=tol)))
        return _upper_checks(self, cases, 2_000_000)


class ClippedSGDThm7(Statement):
    r"""Stochastic clipped GD (Zhang et al. 2020, Theorem 7): an :math:`\epsilon^{-4}` bound.

    **Problem** [C]: Assumptions 1-3 and 5 **globally**, :math:`L_1>0`; unbiased
    :math:`g_k=\nabla f(x_k)+\xi_k`, :math:`\|\xi_k\|\le\tau` a.s.

    **Method.**  :math:`\eta=\min\{\frac1{20L_0},\frac1{128L_1\tau},\frac1{\sqrt T}\}` [C] and
    :math:`h_k=\min\{\eta,\frac{1}{16L_1(\|g_k\|+\tau)}\}` (**our reading**).  The copies of the
    paper we could read print :math:`h=\min\{\frac{1}{16\eta L_1(\|g_k\|+\tau)},\eta\}`, with
    :math:`\eta` in the denominator.  Taken literally that rule cannot converge: for large
    :math:`T`, :math:`\eta=1/\sqrt T`, so a clipped step has length
    :math:`\|g_k\|/(16\eta L_1(\|g_k\|+\tau))\approx\sqrt T/(16L_1)`; on ``cosh`` with
    :math:`T=10^6` from :math:`x_0=12` it jumps by 62.5 and falls into the 2-cycle
    :math:`12\leftrightarrow-50.5` (measured by :func:`literal_thm7_rule`, part of the simulation
    check), while our reading converges.  So the statement below is theorysim's, about our reading
    (confirmation ``ours``); check the PDF.

    **Guarantee (upper; ours).**  With :math:`N=L_0\tau^2+L_1\tau^3` and
    :math:`T\ge\max\{400L_0^2,(128L_1\tau)^2,(\frac{128}{3}L_1\sqrt{2(\Delta+N)})^{4/3}\}`,

    .. math:: \frac1T\sum_{k<T}\mathbb E\|\nabla f(x_k)\|\le\sqrt{2(\Delta+N)}\;T^{-1/4},

    so :math:`T=4(\Delta+N)^2/\epsilon^4` iterations suffice: the order :math:`\epsilon^{-4}`
    reported by a secondary source [S] (course notes citing the paper); the paper's display and
    the quantity it bounds are unconfirmed.

    *Proof.*  Step length :math:`<1/(16L_1)`, segment factor :math:`E=e^{1/16}`.  Let
    :math:`G=\|\nabla f(x_k)\|`, :math:`R=1/(16L_1\eta)\ge8\tau`.
    (i) :math:`G+2\tau\le R`: then :math:`h_k=\eta` surely, and
    :math:`\mathbb E_kf_{k+1}\le f_k-\eta G^2+\frac E2\eta^2(G^2+\tau^2)(L_0+L_1G)`; with
    :math:`\eta L_0\le\frac1{20}`, :math:`\eta L_1G\le\frac1{16}` and
    :math:`\tau^2L_1G\le\frac{G^2}{8\eta}+2\eta\tau^4L_1^2` (AM-GM) this is
    :math:`\le f_k-\eta G^2(1-\frac{19E}{160})+\eta^2N\le f_k-\frac12\eta G^2+\eta^2N`.
    (ii) otherwise :math:`G>6\tau`, so :math:`\langle\nabla f,g\rangle\ge\frac56G^2`,
    :math:`\|g\|\le\frac76G`, :math:`\|g\|+\tau\ge G`, :math:`h_k(L_0+L_1G)\le\frac9{80}` and
    :math:`h_k\ge\min\{\eta,\frac3{64L_1G}\}`; surely
    :math:`f_{k+1}\le f_k-h_kG^2(\frac56-\frac{441E}{5760})\le f_k-\min\{\frac{\eta G^2}2,
    \frac{3G}{128L_1}\}`.  Summing: :math:`\sum_k\mathbb E\psi(G_k)\le\Delta+T\eta^2N` with
    :math:`\psi(G)=\min\{\eta G^2/2,3G/(128L_1)\}\ge\eta\epsilon G-\eta\epsilon^2/2` for
    :math:`\epsilon\le3/(128L_1\eta)`; divide, put :math:`\eta=1/\sqrt T`, optimise
    :math:`\epsilon`.
    """

    id = "zhang2020.thm7"
    title = "clipped SGD, our reading of the Thm 7 step: (1/T) sum E||grad f|| <= sqrt(2(Delta + N)) T^(-1/4)"
    source = Source("zhang2020", "Theorem 7 (our reading)", f"{_CITE} Thm 7 (ours; order [S])",
                    "ours",
                    "hypotheses and eta [C]; step rule read WITHOUT the printed eta in the "
                    "denominator (ours: the literal rule steps ~sqrt(T)/16 and 2-cycles on cosh, "
                    "measured); order eps^-4 from a secondary source only [S]; bound and "
                    "constants theorysim's")
    assumptions = ("A1-A3 and A5 globally, L1 > 0", "||g_k - grad f(x_k)|| <= tau a.s., unbiased",
                   "h_k = min(eta, 1/(16 L1 (||g_k|| + tau)))",
                   "eta = min(1/(20 L0), 1/(128 L1 tau), 1/sqrt T), T >= T0")
    kind = "upper bound"

    def expressions(self):
        Nn = S.L0 * S.tau**2 + S.L1 * S.tau**3
        K = S.Delta + Nn
        T0 = sp.Max(400 * S.L0**2, (128 * S.L1 * S.tau) ** 2,
                    (sp.Rational(128, 3) * S.L1 * sp.sqrt(2 * K)) ** sp.Rational(4, 3))
        return {"bound": sp.sqrt(2 * K) * S.T ** sp.Rational(-1, 4), "noise": Nn, "T0": T0,
                "T_eps": 4 * K**2 / S.eps**4,
                "eta": sp.Min(1 / (20 * S.L0), 1 / (128 * S.L1 * S.tau), 1 / sp.sqrt(S.T))}

    def symbolic_check(self):
        E = sp.exp(sp.Rational(1, 16))
        G, a, e_, K = sp.symbols("G a e K", positive=True)
        half = sp.Rational(1, 2)
        facts = {
            "comparison ODE": segment_lemma_ode(),
            "(i) 1 - E(1/40 + 1/32 + 1/16) >= 1/2": is_true(
                1 - E * (sp.Rational(1, 40) + sp.Rational(1, 32) + sp.Rational(1, 16)) >= half),
            "(i) E/2 <= 1": is_true(E / 2 <= 1),
            "(ii) 5/6 - (E/2)(9/80)(49/36) >= 1/2": is_true(
                sp.Rational(5, 6) - E / 2 * sp.Rational(9, 80) * sp.Rational(49, 36) >= half),
            "AM-GM": sp.expand(a * G**2 + S.tau**4 * S.L1**2 / (4 * a) - S.tau**2 * S.L1 * G
                               - (sp.sqrt(a) * G - S.tau**2 * S.L1 / (2 * sp.sqrt(a))) ** 2) == 0,
        }
        w = sp.Symbol("w", nonnegative=True)
        eta_small = 1 / (128 * S.L1 * S.tau * (1 + w))
        facts["R = 1/(16 L1 eta) >= 8 tau"] = bool(
            sp.simplify(1 / (16 * S.L1 * eta_small) - 8 * S.tau).is_nonnegative)
        facts["psi >= eta e G - eta e^2/2"] = same(
            S.eta * G**2 / 2 - (S.eta * e_ * G - S.eta * e_**2 / 2), S.eta * (G - e_) ** 2 / 2)
        ex = self.expressions()
        Kval = S.Delta + ex["noise"]
        crit = sp.solve(sp.diff(e_ / 2 + K / (e_ * sp.sqrt(S.T)), e_), e_)
        val = sp.simplify((e_ / 2 + K / (e_ * sp.sqrt(S.T))).subs(e_, crit[0]))
        facts["optimal eps gives the stated bound"] = same(val.subs(K, Kval), self.expr)
        Tsol = sp.solve(sp.Eq(self.expr, S.eps), S.T)
        facts["T_eps from the bound (order eps^-4 [S])"] = (
            len(Tsol) == 1 and same(Tsol[0], ex["T_eps"])
            and leading_order(Tsol[0], S.eps)[1:] == (-4, 0))
        cond = sp.solve(sp.Eq(sp.sqrt(2 * K) * S.T ** sp.Rational(-1, 4),
                              3 * sp.sqrt(S.T) / (128 * S.L1)), S.T)
        facts["eps* <= 3/(128 L1 eta) from T0"] = bool(cond) and any(
            same(cond[0].subs(K, Kval), arg) for arg in sp.Max.make_args(ex["T0"]))
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, "; ".join(facts) if not bad else f"not proved: {bad}",
                            via="sympy")

    _SETUP = dict(tau=0.1, x0=3.0, L0=1.0, L1=1.0, seeds=64)

    def _setup(self, quick):
        c = self._SETUP
        T = 4096 if quick else 65536
        vals = dict(L0=c["L0"], L1=c["L1"], tau=c["tau"], Delta=math.cosh(c["x0"]) - 1.0, T=T)
        return c, T, vals, self.evaluate("T0", **vals), self.evaluate(**vals), \
            self.evaluate("eta", **vals)

    def simulate(self, quick=True):
        """Engine check (bounded-noise oracle, many seeds), with the NumPy recurrence as a
        second, independent check; both must pass."""
        eng = self.simulate_engine(quick)
        rec = self.simulate_recurrence(quick)
        lit = literal_thm7_rule()
        ok = eng.ok and rec.ok and lit["two_cycle"] and lit["reading_converges"]
        return verdict_from(ok, f"{eng.detail}; second check ({rec.via}): {rec.status}, "
                                f"{rec.measured:.4g} <= {rec.bound:.4g}; the literal printed rule "
                                f"(eta in the denominator), T={lit['T']:.0e}, cosh from x0="
                                f"{lit['x0']:g}: step length {lit['step']:.4g} (sqrt(T)/16 = "
                                f"{lit['sqrt_T_over_16']:.4g}), 2-cycle {lit['cycle'][0]:.4g} <-> "
                                f"{lit['cycle'][1]:.4g}: {lit['two_cycle']}; our reading ends at "
                                f"x = {lit['reading_end']:.2g}",
                            measured=eng.measured, bound=eng.bound, relation="<=", via="engine")

    def simulate_engine(self, quick=True):
        r"""Engine: cosh (1,1) from :math:`x_0=3`, noise uniform in :math:`[-\tau,\tau]` (the
        bounded oracle, Assumption 5), step rule ``clipped_gd_offset(eta, 1/(16 L1), tau)``;
        the seed mean of :math:`\frac1T\sum_{k<T}\|\nabla f(x_k)\|` estimates the expectation."""
        import theorysim as ts

        c, T, vals, T0, bound, eta = self._setup(quick)
        if T < T0:
            return Verdict("fail", f"T={T} below T0={T0:.4g}", via="engine")
        res = ts.sweep(ts.objectives.get("cosh"), ts.methods.clipped_gd_offset,
                       {"seed": np.arange(c["seeds"])},
                       fixed=dict(eta=eta, gamma=1.0 / (16 * c["L1"]), delta=c["tau"]),
                       x0=[c["x0"]], steps=T, noise=ts.oracles.bounded(c["tau"]), record_every=1)
        measured = float(np.mean(res.grad_norm[:, :T].mean(axis=1)))
        ok = compare(measured, bound, "<=") and not np.any(res.diverged)
        return verdict_from(ok, f"cosh, x0={c['x0']}, tau={c['tau']}, T={T}, {c['seeds']} seeds "
                                f"(engine, bounded oracle); T0={T0:.4g}",
                            measured=measured, bound=bound, relation="<=", via="engine")

    def simulate_recurrence(self, quick=True):
        r"""NumPy recurrence: the same problem with NumPy's generator (uniform noise on
        :math:`[-\tau,\tau]`)."""
        c, T, vals, T0, bound, eta = self._setup(quick)
        if T < T0:
            return Verdict("fail", f"T={T} below T0={T0:.4g}", via="numpy recurrence")
        tau, L1, seeds = c["tau"], c["L1"], c["seeds"]
        rng = np.random.default_rng(np.random.SeedSequence(20200101))
        x = np.full(seeds, c["x0"])
        acc = np.zeros(seeds)
        for _ in range(T):
            gt = np.sinh(x)
            acc += np.abs(gt)
            g = gt + rng.uniform(-tau, tau, seeds)
            hk = np.minimum(eta, 1.0 / (16 * L1 * (np.abs(g) + tau)))
            x = x - hk * g
        measured = float(np.mean(acc / T))
        ok = compare(measured, bound, "<=")
        return verdict_from(ok, f"cosh, x0={c['x0']}, tau={tau}, T={T}, {seeds} seeds (mean "
                                f"estimates E); T0={T0:.4g}",
                            measured=measured, bound=bound, relation="<=", via="numpy recurrence")


def literal_thm7_rule(T=10**6, x0=12.0, tau=0.1, L0=1.0, L1=1.0, steps=400):
    r"""The Theorem 7 step rule as printed in the copies we read, run on ``cosh`` (the engine,
    deterministic gradients: the noise bound :math:`\tau` enters only the rule).

    Printed: :math:`h_k=\min\{\frac1{16\eta L_1(\|g_k\|+\tau)},\eta\}`,
    :math:`\eta=\min\{\frac1{20L_0},\frac1{128L_1\tau},\frac1{\sqrt T}\}`; that is
    ``clipped_gd_offset(eta, gamma=1/(16 eta L1), delta=tau)``, whose clipped step has length
    :math:`\gamma\|g\|/(\|g\|+\tau)\to\gamma=\sqrt T/(16L_1)` when :math:`\eta=1/\sqrt T`.
    Our reading, ``clipped_gd_offset(eta, 1/(16 L1), tau)``, is run beside it.

    Returns a dict: ``T``, ``x0``, ``eta``, ``step`` (first step length), ``sqrt_T_over_16``,
    ``cycle`` (the last two of ``steps`` iterates), ``two_cycle`` (the last 100 iterates alternate
    in sign, stay away from 0 and repeat with period 2 up to a relative drift of 1e-3),
    ``reading_end`` (our reading's iterate after T steps) and ``reading_converges``
    (``|x| < 0.01``)."""
    import theorysim as ts

    f = ts.objectives.get("cosh", a=L0, s=L1)
    eta = min(1.0 / (20.0 * L0), 1.0 / (128.0 * L1 * tau), 1.0 / math.sqrt(T))
    lit = ts.run(f, ts.methods.clipped_gd_offset(eta, 1.0 / (16.0 * eta * L1), tau), x0=[x0],
                 steps=steps)
    ours = ts.run(f, ts.methods.clipped_gd_offset(eta, 1.0 / (16.0 * L1), tau), x0=[x0],
                  steps=T, record_every=max(1, T // 10))
    x = lit.x[:, 0]
    tail = x[-100:]
    # period 2: signs alternate, |x| stays large, x_(k+2) is x_k up to a slow drift (the offset
    # tau shortens each jump by a relative tau/||g||)
    two_cycle = bool(np.all(np.isfinite(tail)) and np.all(tail[1:] * tail[:-1] < 0)
                     and np.min(np.abs(tail)) > 1.0
                     and np.all(np.abs(tail[2:] - tail[:-2]) <= 1e-3 * np.abs(tail[:-2])))
    end = float(ours.x[-1, 0])
    return dict(T=T, x0=x0, eta=eta, step=float(abs(x[1] - x[0])),
                sqrt_T_over_16=math.sqrt(T) / (16.0 * L1), cycle=(float(tail[-2]), float(tail[-1])),
                two_cycle=two_cycle, reading_end=end, reading_converges=abs(end) < 0.01)


class Remark5(Statement):
    r"""Remark 5 (Zhang et al. 2020): clipped GD is arbitrarily faster than fixed-step GD as
    :math:`M\to\infty`.

    **Claim** [C]: fixed-step GD needs :math:`\Omega((L_1M/\log M+L_0)\Delta\epsilon^{-2})`,
    clipped GD :math:`O(L_0\Delta\epsilon^{-2}+L_1^2\Delta L_0^{-1})`.

    **Symbolic check.**  (a) Order level: the ratio of the two orders tends to :math:`\infty` as
    :math:`M\to\infty` (sympy limit).  (b) Explicit level: the lower bound of
    ``zhang2020.thm4`` over the explicit Theorem 3 bound of ``zhang2020.thm3``, *both evaluated
    on the same ramp_wall instance*, tends to :math:`\infty`.  The second needs care: on ramp_wall
    :math:`f(x_0)-f^*=\Delta_{\rm ramp}+W(M)` with wall height :math:`W(M)\approx M/L_1` (no
    :math:`(L_0,L_1)`-smooth function keeps the gap bounded while :math:`M` grows), so we let the
    ramp drop grow with the wall, :math:`\Delta_{\rm ramp}=\kappa W(M)`, and the clipped bound
    uses the total gap :math:`(1+\kappa)W(M)`; the ratio still grows like :math:`M/\log M`.

    **Simulation.**  On ramp_wall with a fixed ramp, for growing :math:`M`, the engine measures
    the best fixed-step GD count (a sweep) and clipped GD's count (Theorem 3 parameters); their
    ratio must grow with :math:`M`.
    """

    id = "zhang2020.remark5"
    title = "(GD lower bound)/(clipped GD upper bound) -> oo as M -> oo"
    source = Source("zhang2020", "Remark 5", f"{_CITE} Rem 5", "order",
                    "the two orders and the conclusion [C]; explicit constants theorysim's "
                    "(thm3, thm4 statements)")
    assumptions = ("L0, L1 >= 1, M > 1 (Thm 4 class)",
                   "order level: the same Delta = f(x0) - f* in both orders",
                   "explicit level (ramp_wall): ramp drop kappa W(M) in the GD lower bound, total "
                   "gap (1 + kappa) W(M) in the clipped upper bound")
    kind = "condition"
    main = "ratio_order"

    def expressions(self):
        lb = S.L1 * S.M * S.Delta / (S.eps**2 * sp.log(S.M)) + S.L0 * S.Delta / S.eps**2
        ub = S.L0 * S.Delta / S.eps**2 + S.L1**2 * S.Delta / S.L0
        W = _wall_height(S.L0, S.L1, S.M)
        n_lb = _ramp_wall_lower(S.L0, S.L1, S.M, S.eps, S.kappa * W)["n_lb"]
        clipped = ClippedGDThm3().expr.subs(S.Delta, (1 + S.kappa) * W)
        return {"ratio_order": lb / ub, "ratio_explicit": n_lb / clipped, "wall": W}

    def symbolic_check(self):
        e = self.expressions()
        lim_a = sp.limit(e["ratio_order"], S.M, sp.oo)
        lim_b = sp.limit(e["ratio_explicit"], S.M, sp.oo)
        ok = lim_a == sp.oo and lim_b == sp.oo
        return verdict_from(ok, f"lim_(M->oo) order ratio = {lim_a}; explicit ratio on ramp_wall "
                                f"(ramp = kappa x wall) = {lim_b}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        Ms = [1e2, 1e3, 1e4] if quick else [1e2, 1e3, 1e4, 1e5]
        ratios, lines, ok = [], [], True
        for M in Ms:
            f = ts.objectives.get("ramp_wall", L0=1.0, L1=1.0, M=M, eps=0.1, Delta=10.0)
            tol = f.info["eps"]
            clip = ts.run(f, ts.methods.clipped_gd_theorem3(1.0, 1.0), x0=f.x0, steps=1_000_000,
                          tol=tol, stop_at_tol=True, record_iterates=False, record_every=10_000)
            n_low, h_max = f.info["gd_lower_bound"], f.info["h_max"]
            steps = int(3 * n_low) + 1000
            etas = h_max * np.linspace(0.3, 1.0, 29)[:-1]
            res = ts.sweep(f, ts.methods.gd, grid={"eta": etas}, x0=f.x0, steps=steps, tol=tol,
                           stop_at_tol=True)
            hits = res.first_hit[res.first_hit >= 0]
            gd_best = float(hits.min()) if hits.size else float("inf")
            ok &= clip.first_hit > 0 and gd_best >= n_low
            ratios.append(gd_best / max(clip.first_hit, 1))
            lines.append(f"M={M:g}: GD best {gd_best:.0f} (>= N_low {n_low:.0f}), clipped "
                         f"{clip.first_hit}")
        grows = all(b > a for a, b in zip(ratios, ratios[1:]))
        return verdict_from(ok and grows, "; ".join(lines) + "; ratio GD/clipped "
                            + " < ".join(f"{r:.3g}" for r in ratios),
                            measured=ratios[-1], bound=ratios[0], relation=">", via="engine")


STATEMENTS = [GDLSmooth(), ClippedGDThm3(), NormalizedGD(), GDLowerThm4(), GDUpperThm6(),
              ClippedSGDThm7(), Remark5()]

__all__ = ["STATEMENTS", "GDLSmooth", "ClippedGDThm3", "NormalizedGD", "GDLowerThm4",
           "GDUpperThm6", "ClippedSGDThm7", "Remark5", "thm3_bound_expr", "thm3_parameters",
           "segment_lemma_ode", "literal_thm7_rule", "tight_ramp", "TIGHT_FACTOR"]

if __name__ == "__main__":  # pragma: no cover
    from . import check_all, format_table

    print(format_table(check_all(paper="zhang2020")))
