r"""(L0, L1) certificates: sympy proves :math:`\|\nabla^2f(x)\|\le L_0+L_1\|\nabla f(x)\|` for the
documented pair of every built-in objective (Zhang, He, Sra, Jadbabaie 2020, Definition 1 /
Assumption 3 [C]).

**Method (ours).**  Every built-in objective is *separable*,
:math:`f(x)=\sum_i f_i(x_i)`, with even coordinate functions and :math:`f_i''\ge0`.  Sympy checks
these three facts on the objective's own sympy form (the form its numeric kernels are generated
from or documented against).  Then :math:`\|\nabla^2 f\|=\max_if_i''(x_i)` and
:math:`\|\nabla f\|\ge\max_i|f_i'(x_i)|`, so the pair holds in every dimension as soon as, for
each coordinate function,

.. math:: L_0\;\ge\;L_0^{\min}(L_1):=\sup_{x>0}\big(f''(x)-L_1|f'(x)|\big),

computed by :func:`smallest_L0` from the end-point limits and the critical points (or a proved
sign of the derivative).  :math:`L_0^{\min}=\infty` means no :math:`L_0` works for that
:math:`L_1`.  :func:`l_smoothness` decides whether :math:`\sup f''<\infty` (L-smooth) or not.

The simulation cross-check evaluates the numeric kernels' ratio
:math:`\|\nabla^2f\|/(L_0+L_1\|\nabla f\|)` (``Objective.smoothness_ratio``) along an engine
trajectory and on a grid: it must stay :math:`\le1`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from
from ._sympy_tools import holds, same, sup_on_halfline

_xp = sp.Symbol("x", positive=True)


# --------------------------------------------------------------------------------------------
# one-dimensional analysis
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OneDim:
    """Result of :func:`analyse_1d` for one coordinate function."""

    f: sp.Expr
    even: bool
    convex_on_halfline: bool  # f'' >= 0 on x > 0
    increasing_on_halfline: bool  # f' >= 0 on x > 0
    L1: sp.Expr
    L0_min: sp.Expr
    argsup: sp.Expr
    how: str
    sup_f2: sp.Expr  # sup of f'' on x > 0 (oo: not L-smooth)


def smallest_L0(f, x, L1):
    r""":math:`L_0^{\min}(L_1)=\sup_{x>0}(f''-L_1f')` for an even :math:`f` with :math:`f'\ge0`
    on :math:`x>0` (so :math:`|f'|=f'` there).  Returns ``(value, argsup, how)``."""
    xp = sp.Symbol("xq", positive=True)
    fp = f.subs(x, xp)
    f1, f2 = sp.diff(fp, xp), sp.diff(fp, xp, 2)
    return sup_on_halfline(f2 - L1 * f1, xp)


def l_smoothness(f, x):
    r""":math:`\sup_{x>0}f''(x)` (``oo``: :math:`f` is not :math:`L`-smooth for any finite L)."""
    xp = sp.Symbol("xq", positive=True)
    return sup_on_halfline(sp.diff(f.subs(x, xp), xp, 2), xp)[0]


def analyse_1d(f, x, L1) -> OneDim:
    """Evenness, monotonicity, convexity on :math:`x>0`, smallest L0 for ``L1``, sup of f''."""
    f = sp.sympify(f)
    even = sp.simplify(f.subs(x, -_xp) - f.subs(x, _xp)) == 0
    fp = f.subs(x, _xp)
    f1 = sp.diff(fp, _xp)
    f2 = sp.diff(fp, _xp, 2)
    convex = bool(f2.is_nonnegative) or holds(0, f2)
    incr = bool(f1.is_nonnegative) or holds(0, f1)
    if not (even and convex and incr):
        raise ValueError(f"analyse_1d needs an even f with f', f'' >= 0 on x > 0; got {f}")
    val, where, how = smallest_L0(f, x, L1)
    return OneDim(f, even, convex, incr, sp.sympify(L1), val, where, how, l_smoothness(f, x))


def separable_parts(expr, xs):
    """Check that ``expr`` is a sum of one-variable functions (Hessian diagonal, each diagonal
    entry depending on its own variable only); return the coordinate functions."""
    H = sp.hessian(expr, xs)
    for i in range(len(xs)):
        for j in range(len(xs)):
            if i != j and sp.simplify(H[i, j]) != 0:
                raise ValueError(f"not separable: d2f/dx{i}dx{j} = {H[i, j]}")
        if H[i, i].free_symbols - {xs[i]}:
            raise ValueError(f"not separable: d2f/dx{i}^2 depends on other variables")
    parts = []
    for i in range(len(xs)):
        others = {xj: 0 for j, xj in enumerate(xs) if j != i}
        fi = sp.simplify(expr.subs(others) - expr.subs({xj: 0 for xj in xs}))
        parts.append(fi)
    if sp.simplify(sum(parts) + expr.subs({xj: 0 for xj in xs}) - expr) != 0:
        raise ValueError("not separable: parts do not add up")
    return parts


def certify(obj, L0=None, L1=None):
    """Certify ``obj`` (a built-in :class:`~theorysim.objectives.Objective`) with its documented
    pair, or with ``(L0, L1)`` if given.  Returns ``(ok, tight, analyses)``: ``ok`` iff
    :math:`L_0\\ge L_0^{\\min}(L_1)` for every coordinate function."""
    expr, xs = obj.sympy_form()
    L0 = sp.nsimplify(obj.L0 if L0 is None else L0)
    L1 = sp.nsimplify(obj.L1 if L1 is None else L1)
    analyses = []
    ok, tight = True, False
    seen = {}
    for xi, fi in zip(xs, separable_parts(expr, list(xs))):
        key = sp.srepr(fi.subs(xi, S.x))
        if key not in seen:
            seen[key] = analyse_1d(fi.subs(xi, S.x), S.x, L1)
        a = seen[key]
        analyses.append(a)
        if a.L0_min == sp.oo:
            ok = False
            continue
        ok &= holds(a.L0_min, L0)
        tight |= same(a.L0_min, L0)
    return bool(ok), bool(tight), analyses


def _ratio_sweep(obj, points):
    """Largest numeric smoothness ratio over ``points`` (rows)."""
    return max(obj.smoothness_ratio(p) for p in points)


def _simulate_ratio(objs_starts, L_override=None):
    """Run clipped GD (Theorem 3 parameters) from a far start on each objective with the engine
    and evaluate the kernels' smoothness ratio at every recorded iterate and on a grid."""
    import theorysim as ts

    worst, lines = 0.0, []
    for obj, x0 in objs_starts:
        tr = ts.run(obj, ts.methods.clipped_gd_theorem3(max(obj.L0, 1e-12), max(obj.L1, 1e-12)),
                    x0=x0, steps=2000, record_every=10)
        pts = list(tr.x)
        span = np.max(np.abs(np.asarray(x0, float)))
        grid1 = np.linspace(-span, span, 41)
        pts += [np.full(obj.dim, v) for v in grid1]
        pts += [np.r_[v, np.zeros(obj.dim - 1)] for v in grid1]
        r = _ratio_sweep(obj, pts)
        worst = max(worst, r)
        label = tuple(round(float(v), 4) for v in obj.params)
        lines.append(f"{obj.name}{label}: max ratio {r:.6f} over {len(pts)} points")
    return worst, lines


# --------------------------------------------------------------------------------------------
# statements
# --------------------------------------------------------------------------------------------
class _Certificate(Statement):
    """Common parts of the certificate statements."""

    kind = "certificate"
    main = "L0_min"
    family = ""
    instances: tuple = ()  # (params dict, start) pairs checked symbolically and by simulation

    def objects(self):
        import theorysim as ts

        return [(ts.objectives.get(self.family, **p), x0) for p, x0 in self.instances]

    def symbolic_check(self):
        lines, ok = [], True
        for obj, _ in self.objects():
            good, tight, an = certify(obj)
            ok &= good
            sups = [a.sup_f2 for a in an]
            lsm = ("not L-smooth (sup f'' = oo)" if sp.oo in sups
                   else f"L-smooth, L = {sp.Max(*sups)}")
            lines.append(f"{obj.name}{tuple(round(float(v), 4) for v in obj.params)}: documented "
                         f"(L0, L1)=({obj.L0:g}, {obj.L1:g}) >= L0_min = "
                         f"{[str(a.L0_min) for a in an][:2]} -> {good}"
                         f"{' (tight)' if tight else ''}; {lsm}")
        fam_ok, fam_line = self.family_check()
        return verdict_from(ok and fam_ok, "; ".join(lines + [fam_line]), via="sympy")

    def family_check(self):
        return True, ""

    def simulate(self, quick=True):
        worst, lines = _simulate_ratio(self.objects())
        return verdict_from(compare(worst, 1.0, "<=", rtol=1e-12), "; ".join(lines),
                            measured=worst, bound=1.0, relation="<=", via="engine")


class CoshCertificate(_Certificate):
    r""":math:`f(x)=\frac a{s^2}\sum_i\cosh(sx_i)` is exactly :math:`(a,s)`-smooth, not L-smooth.

    Family check (sympy, symbolic :math:`a,s`): :math:`L_0^{\min}(L_1)=a` for every
    :math:`L_1\ge s` (the slope of :math:`f''-L_1f'` is :math:`-as\,e^{-sx}-wa\cosh(sx)<0` with
    :math:`L_1=s+w`) and :math:`=\infty` for :math:`L_1<s`; :math:`\sup f''=\infty`.
    """

    id = "cert.cosh"
    title = "cosh family: ||Hess|| <= a + s ||grad||, tight; not L-smooth"
    source = Source("cert", "Definition 1 (Zhang+20) applied to cosh", "theorysim cert", "ours",
                    "pair (a, s) proved here; the paper defines the class [C]")
    assumptions = ("f(x) = a/s^2 sum_i cosh(s x_i), a, s > 0",)
    family = "cosh"
    instances = (({}, [6.0]), ({"a": 2.0, "s": 0.5, "dim": 2}, [8.0, -3.0]))

    def expressions(self):
        a, s = sp.symbols("a s", positive=True)
        return {"L0_min": a, "f": a / s**2 * sp.cosh(s * S.x)}

    def family_check(self):
        a, s = sp.symbols("a s", positive=True)
        w = sp.Symbol("w", positive=True)
        f = self.expressions()["f"]
        above = smallest_L0(f, S.x, s + w)[0]
        at = smallest_L0(f, S.x, s)[0]
        below = smallest_L0(f, S.x, s / (1 + w))[0]
        ok = same(above, a) and same(at, a) and below == sp.oo and l_smoothness(f, S.x) == sp.oo
        return ok, (f"family: L0_min(L1 > s) = {above}, L0_min(s) = {at}, L0_min(L1 < s) = "
                    f"{below}; sup f'' = oo")


class PowerCertificate(_Certificate):
    r""":math:`f(x)=\frac cp\sum_i|x_i|^p`, :math:`p\ge2`: documented :math:`(c(p-2)^{p-2},1)`.

    Family check (sympy, symbolic :math:`c,L_1`, :math:`p=2+q`): the critical point of
    :math:`f''-L_1f'` is :math:`x=(p-2)/L_1` and :math:`L_0^{\min}(L_1)=c((p-2)/L_1)^{p-2}`
    (Vankov et al. 2025, Ex. 2.4 for :math:`c=1` [S]; Checkable 3-4: :math:`x^3\to3/L_1`,
    :math:`x^4\to16/L_1^2`); :math:`\sup f''=\infty` for :math:`p>2`.
    """

    id = "cert.power"
    title = "power family: L0_min(L1) = c((p-2)/L1)^(p-2); not L-smooth for p > 2"
    source = Source("cert", "Lemma 2 (Zhang+20) / Ex. 2.4 (Vankov+25)", "theorysim cert", "ours",
                    "minimal L0 derived here; Lemma 2's claim [C]; Vankov's formula [S]")
    assumptions = ("f(x) = c/p sum_i |x_i|^p, p >= 2, c > 0",)
    family = "power"
    instances = (({"p": 4.0}, [5.0]), ({"p": 3.0, "c": 3.0}, [4.0]),
                 ({"p": 2.5, "c": 1.0, "dim": 2}, [6.0, 2.0]), ({"p": 2.0, "c": 2.0}, [3.0]))

    def expressions(self):
        p, cc = sp.symbols("p c", positive=True)
        return {"L0_min": cc * ((p - 2) / S.L1) ** (p - 2), "f": cc / p * sp.Abs(S.x) ** p}

    def family_check(self):
        q, cc = sp.symbols("q c", positive=True)
        f = cc / (2 + q) * sp.Abs(S.x) ** (2 + q)
        val, where, _ = smallest_L0(f, S.x, S.L1)
        ok1 = same(where, q / S.L1) and same(val, cc * (q / S.L1) ** q)
        x3 = smallest_L0(sp.Abs(S.x) ** 3, S.x, S.L1)[0]
        x4 = smallest_L0(S.x**4, S.x, S.L1)[0]
        ok2 = same(x3, 3 / S.L1) and same(x4, 16 / S.L1**2)
        ok3 = l_smoothness(f, S.x) == sp.oo
        return ok1 and ok2 and ok3, (f"family: argsup = {where}, L0_min = {sp.simplify(val)}; "
                                     f"|x|^3 -> {x3}, x^4 -> {x4}; sup f'' = oo")


class QuadraticCertificate(_Certificate):
    r""":math:`\frac12\sum_i\lambda_ix_i^2` is :math:`(\lambda_{\max},0)`-smooth, i.e. L-smooth."""

    id = "cert.quadratic"
    title = "quadratic: (max lambda, 0); L-smooth with L = max lambda"
    source = Source("cert", "Sec. 2.1 (Zhang+20): L1 = 0 is L-smoothness", "theorysim cert", "ours")
    assumptions = ("f(x) = 1/2 sum_i lambda_i x_i^2, lambda_i >= 0",)
    family = "quadratic"
    instances = (({"lam": [3.0, 1.0], "dim": 2}, [2.0, -5.0]), ({"lam": 0.5}, [4.0]))

    def expressions(self):
        return {"L0_min": S.lam, "f": S.lam * S.x**2 / 2}

    def family_check(self):
        f = self.expressions()["f"]
        v = smallest_L0(f, S.x, 0)[0]
        ok = same(v, S.lam) and same(l_smoothness(f, S.x), S.lam)
        return ok, f"family: L0_min(0) = {v}, sup f'' = lambda (L-smooth)"


class SeparableQuarticCertificate(_Certificate):
    r""":math:`\sum_i\frac{a_i}4x_i^4+\frac{b_i}2x_i^2` (:math:`a_i,b_i\ge0`): documented
    :math:`(\max_i(4a_i+b_i),1)`.

    Family check (sympy, symbolic :math:`a,b>0`): :math:`(|x|-2)^2(|x|+1)=|x|^3-3x^2+4` (so
    :math:`3ax^2\le4a+a|x|^3` and :math:`f''\le4a+b+|f'|`); with :math:`b=0` the pair is tight,
    :math:`L_0^{\min}(1)=4a`; :math:`\sup f''=\infty` for :math:`a>0`.
    """

    id = "cert.separable_quartic"
    title = "separable quartic: (max(4a + b), 1); tight for b = 0; not L-smooth"
    source = Source("cert", "Definition 1 (Zhang+20) applied to a x^4/4 + b x^2/2", "theorysim cert",
                    "ours", "pair derived here")
    assumptions = ("f(x) = sum_i a_i x_i^4/4 + b_i x_i^2/2, a_i, b_i >= 0",)
    family = "separable_quartic"
    instances = (({"a": [1.0, 0.5], "b": [0.0, 3.0]}, [4.0, -3.0]), ({"a": 2.0, "b": 1.0}, [5.0]))

    def expressions(self):
        a, b = sp.symbols("a b", positive=True)
        return {"L0_min": 4 * a + b, "f": a * S.x**4 / 4 + b * S.x**2 / 2}

    def family_check(self):
        a = sp.Symbol("a", positive=True)
        u = sp.Symbol("u", nonnegative=True)  # u = |x|
        ident = sp.expand((u - 2) ** 2 * (u + 1) - (u**3 - 3 * u**2 + 4)) == 0
        tight = smallest_L0(a * S.x**4 / 4, S.x, 1)[0]
        ok = ident and same(tight, 4 * a) and l_smoothness(self.expressions()["f"], S.x) == sp.oo
        return ok, (f"family: (|x|-2)^2(|x|+1) = |x|^3 - 3x^2 + 4: {ident}; b = 0: L0_min(1) = "
                    f"{tight}; sup f'' = oo")


class RampWallCertificate(_Certificate):
    r"""ramp_wall (theorysim's hard instance) is :math:`(L_0,L_1)`-smooth on :math:`\mathbb R^2`.

    Ramp :math:`s\delta\log\cosh(x/\delta)` with :math:`\delta=s/L_0`: :math:`L_0^{\min}=L_0`;
    wall :math:`\frac{L_0}{L_1^2}(\cosh L_1y-1)`: :math:`L_0^{\min}=L_0` (cosh family).  Family
    check with symbolic :math:`L_0,L_1,s`.
    """

    id = "cert.ramp_wall"
    title = "ramp_wall: ramp is L0-smooth, wall is exactly (L0, L1)-smooth"
    source = Source("cert", "theorysim ramp_wall (after Zhang+20 Thm 4)", "theorysim cert", "ours")
    assumptions = ("f(x, y) = s delta log cosh(x/delta) + L0/L1^2 (cosh(L1 y) - 1), delta = s/L0",)
    family = "ramp_wall"
    instances = (({}, None), ({"L0": 2.0, "L1": 0.5, "M": 50.0, "eps": 0.2, "Delta": 3.0}, None))

    def objects(self):
        import theorysim as ts

        out = []
        for p, _ in self.instances:
            f = ts.objectives.get("ramp_wall", **p)
            out.append((f, f.x0))
        return out

    def expressions(self):
        s = sp.Symbol("s", positive=True)
        delta = s / S.L0
        return {"L0_min": S.L0, "ramp": s * delta * sp.log(sp.cosh(S.x / delta)),
                "wall": S.L0 / S.L1**2 * (sp.cosh(S.L1 * S.x) - 1)}

    def family_check(self):
        e = self.expressions()
        r = smallest_L0(e["ramp"], S.x, S.L1)[0]
        w = smallest_L0(e["wall"], S.x, S.L1)[0]
        ok = same(r, S.L0) and same(w, S.L0)
        return ok, f"family: ramp L0_min = {r}, wall L0_min = {w} (symbolic L0, L1, s)"


class Lemma2(Statement):
    r"""Zhang et al. 2020, Lemma 2 [C]: a univariate polynomial of degree :math:`d\ge3` is
    :math:`(L_0,L_1)`-smooth for some constants but not L-smooth.

    The paper's proof [C]: :math:`|f'/f''|\to\infty` at :math:`\pm\infty` and :math:`f''` is
    unbounded.  Symbolic check: sympy computes both limits for the general cubic and quartic with
    symbolic coefficients (leading coefficient positive; :math:`-f` has the same
    :math:`|f'|,|f''|`), and :func:`smallest_L0` gives :math:`x^4\to16/L_1^2` (Checkable 4).
    Simulation: the engine's kernels for :math:`x^4` (``power``, ``p=4, c=4``, documented
    :math:`(16,1)`) keep the ratio :math:`\le1` along a clipped-GD run.
    """

    id = "zhang2020.lemma2"
    title = "polynomials of degree >= 3: (L0,L1)-smooth, not L-smooth"
    source = Source("zhang2020", "Lemma 2", "Zhang+20 Lem 2", "paper",
                    "statement and proof idea read in the paper [C]")
    assumptions = ("f(x) = sum_{i<=d} a_i x^i, d >= 3, a_d != 0",)
    kind = "certificate"
    main = "f4"

    def expressions(self):
        a = sp.symbols("a0:5", real=True)
        a3, a4 = sp.symbols("a3 a4", positive=True)
        f3 = a3 * S.x**3 + a[2] * S.x**2 + a[1] * S.x
        f4 = a4 * S.x**4 + a[3] * S.x**3 + a[2] * S.x**2 + a[1] * S.x
        return {"f3": f3, "f4": f4}

    def symbolic_check(self):
        lines, ok = [], True
        for name, f in self.expressions().items():
            f1, f2 = sp.diff(f, S.x), sp.diff(f, S.x, 2)
            r_pos = sp.limit(sp.Abs(f1 / f2), S.x, sp.oo)
            r_neg = sp.limit(sp.Abs(f1 / f2), S.x, -sp.oo)
            unb = sp.limit(sp.Abs(f2), S.x, sp.oo)
            this = r_pos == sp.oo and r_neg == sp.oo and unb == sp.oo
            ok &= this
            lines.append(f"{name}: |f'/f''| -> {r_pos}, {r_neg} at +-oo; |f''| -> {unb}")
        x4 = smallest_L0(S.x**4, S.x, S.L1)[0]
        ok &= same(x4, 16 / S.L1**2)
        return verdict_from(ok, "; ".join(lines) + f"; x^4: L0_min(L1) = {x4}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("power", p=4.0, c=4.0)
        good, _, _ = certify(f)
        worst, lines = _simulate_ratio([(f, [6.0])])
        return verdict_from(good and compare(worst, 1.0, "<=", rtol=1e-12), "; ".join(lines),
                            measured=worst, bound=1.0, relation="<=", via="engine")


class _LSmoothCertificate(Statement):
    r"""Objectives documented with :math:`L_1=0` (i.e. :math:`L`-smooth, Zhang et al. 2020,
    Sec. 2.1) and no sympy form of their own: theorysim writes the sympy form from the family's
    documented formula, checks it against the numeric kernels (values and Hessians at sample
    points), and proves :math:`\sup\|\nabla^2f\|\le L_0` symbolically."""

    kind = "certificate"
    main = "L"
    families: tuple = ()

    def instances(self):
        """``[(objective, sympy expr, symbols, sample points)]``."""
        raise NotImplementedError

    def sup_hessian(self, expr, xs):
        """``(sup ||Hess||, how)`` proved by sympy."""
        raise NotImplementedError

    def symbolic_check(self):
        lines, ok = [], True
        for obj, expr, xs, pts in self.instances():
            fv = sp.lambdify(xs, expr)
            Hs = sp.lambdify(xs, sp.hessian(expr, xs))
            kern = max(abs(obj.value(np.array(p, float)) - float(fv(*p))) / (1 + abs(fv(*p)))
                       for p in pts)
            kernH = max(float(np.max(np.abs(obj.hessian(np.array(p, float))
                                            - np.array(Hs(*p), float)))) for p in pts)
            consistent = kern < 1e-9 and kernH < 1e-9
            L, how = self.sup_hessian(expr, xs)
            good = consistent and obj.L1 == 0.0 and L.is_finite and (
                abs(float(L) - obj.L0) <= 1e-12 * max(1.0, obj.L0) or float(L) <= obj.L0)
            ok &= bool(good)
            lines.append(f"{obj.name}: kernels match the sympy form ({consistent}); sup||H|| = "
                         f"{sp.N(L, 8)} ({how}) vs documented L0 = {obj.L0:.8g}, L1 = {obj.L1:g}")
        return verdict_from(ok, "; ".join(lines), via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        ok, head, lines = True, None, []
        for obj, _, _, pts in self.instances():
            kw = {"seed": 0} if obj.info.get("stochastic") else {}
            tr = ts.run(obj, ts.methods.gd(1e-2), x0=np.array(pts[0], float), steps=200,
                        record_every=10, **kw)
            where = [np.asarray(p, float) for p in pts] + list(tr.x)
            hmax = max(float(np.linalg.norm(obj.hessian(p), 2)) for p in where)
            ok &= compare(hmax, obj.L0, "<=", rtol=1e-12)
            head = head or (hmax, obj.L0)
            lines.append(f"{obj.name}: max ||H|| = {hmax:.6g} <= L0 = {obj.L0:.6g} over "
                         f"{len(where)} points")
        return verdict_from(ok, "; ".join(lines), measured=head[0], bound=head[1],
                            relation="<=", via="engine")


class LinearCertificate(_LSmoothCertificate):
    r"""Reddi et al.'s linear problems (``linear_online``, ``linear_stochastic``): every
    :math:`f_t(x)=a x` or :math:`bx` has zero Hessian, so the documented pair :math:`(0,0)` holds
    (and so does every positive pair, as Definition 1 asks for positive constants)."""

    id = "cert.linear"
    title = "linear_online / linear_stochastic: Hessian 0, pair (0, 0)"
    source = Source("cert", "Reddi+18 Sec. 3/5 problems", "theorysim cert", "ours")
    assumptions = ("f_t(x) = a x or b x on [-1, 1]",)
    families = ("linear_online", "linear_stochastic")

    def expressions(self):
        return {"L": sp.Integer(0)}

    def instances(self):
        import theorysim as ts

        x = sp.Symbol("x0", real=True)
        on = ts.objectives.get("linear_online", a=3.0, b=-1.0, period=3)
        st = ts.objectives.get("linear_stochastic", a=1010.0, b=-10.0, p=0.01)
        mean = sp.nsimplify(st.info["mean_slope"])
        pts = [[-0.9], [0.0], [0.7]]
        return [(on, sp.nsimplify(on.params[0]) * x, [x], pts), (st, mean * x, [x], pts)]

    def sup_hessian(self, expr, xs):
        H = sp.hessian(expr, xs)
        return (sp.Integer(0) if H.is_zero_matrix else sp.oo), "Hessian is the zero matrix"


class LeastSquaresCertificate(_LSmoothCertificate):
    r"""``least_squares``: :math:`f=\frac1{2n}\|Ax-b\|^2` has the constant Hessian
    :math:`A^\top A/n`, so it is :math:`L`-smooth with :math:`L=\lambda_{\max}(A^\top A)/n`, the
    documented :math:`L_0` (and :math:`L_1=0`).  Sympy checks that the Hessian does not depend on
    :math:`x`; for an integer instance it computes :math:`\lambda_{\max}` exactly, for the default
    random instance numerically (eigvalsh of sympy's Hessian)."""

    id = "cert.least_squares"
    title = "least_squares: constant Hessian A'A/n, L0 = lambda_max, L1 = 0"
    source = Source("cert", "finite-sum least squares", "theorysim cert", "ours")
    assumptions = ("f(x) = ||Ax - b||^2/(2n)",)
    families = ("least_squares",)

    def expressions(self):
        return {"L": sp.Symbol("lambda_max", positive=True)}

    def instances(self):
        import theorysim as ts

        out = []
        A_int = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]])
        for obj, exact in ((ts.objectives.get("least_squares", A=A_int, b=np.array([1.0, 0, 2])),
                            True), (ts.objectives.get("least_squares", n=16, dim=3), False)):
            n, d = int(obj.params[0]), obj.dim
            A = obj.params[2:2 + n * d].reshape(n, d)
            b = obj.params[2 + n * d:]
            xs = list(sp.symbols(f"x0:{d}", real=True))
            conv = sp.nsimplify if exact else sp.Float
            expr = sum((sum(conv(A[i, k]) * xs[k] for k in range(d)) - conv(b[i])) ** 2
                       for i in range(n)) / (2 * n)
            rs = np.random.default_rng(1)
            out.append((obj, expr, xs, [list(rs.normal(size=d)) for _ in range(3)]))
        return out

    def sup_hessian(self, expr, xs):
        H = sp.hessian(expr, xs)
        if any(e.free_symbols for e in H):
            return sp.oo, "Hessian depends on x"
        if all(e.is_Rational for e in H):
            return sp.Max(*H.eigenvals()), "constant Hessian, exact eigenvalues"
        lam = float(np.linalg.eigvalsh(np.array(H.evalf(), float)).max())
        return sp.Float(lam), "constant Hessian, eigvalsh"


class NoisyQuadraticCertificate(_LSmoothCertificate):
    r"""``noisy_quadratic``: the mean :math:`f=\tfrac12\sum_ih_i\theta_i^2` has the constant Hessian
    :math:`\mathrm{diag}(h)`, so it is :math:`L`-smooth with :math:`L=\max_ih_i` (documented
    :math:`L_0`, :math:`L_1=0`).  The oracle's additive noise :math:`\mathcal N(0,c_i/B)` does not
    depend on :math:`\theta`, so every sampled gradient map has the same Hessian.  Sympy builds the
    Hessian of the family's formula and takes its largest (exact) eigenvalue."""

    id = "cert.noisy_quadratic"
    title = "noisy_quadratic: Hessian diag(h), L0 = max h, L1 = 0 (noise independent of x)"
    source = Source("cert", "noisy quadratic (Yaida 2018 testbed)", "theorysim cert", "ours")
    assumptions = ("f(x) = 1/2 sum_i h_i x_i^2, h_i > 0; oracle noise independent of x",)
    families = ("noisy_quadratic",)

    def expressions(self):
        return {"L": sp.Symbol("h_max", positive=True)}

    def instances(self):
        import theorysim as ts

        obj = ts.objectives.get("noisy_quadratic", h=[0.5, 3.0, 1.5], c=[1.0, 2.0, 0.5], batch=4)
        expr, xs = obj.sympy_form()
        # the kernel's gradient is noisy; values (the mean f) and the Hessian are deterministic
        return [(obj, expr, list(xs), [[0.3, -1.0, 2.0], [4.0, 0.5, -0.7], [0.0, 0.0, 1.0]])]

    def sup_hessian(self, expr, xs):
        H = sp.hessian(expr, xs)
        if any(e.free_symbols for e in H):
            return sp.oo, "Hessian depends on x"
        return sp.Max(*H.eigenvals()), "constant Hessian, exact eigenvalues"


class ScaleInvariantNoCertificate(Statement):
    r"""``scale_invariant`` (:math:`L=c\,F(w/\|w\|)`) has **no** :math:`(L_0,L_1)` pair, so it is
    documented with ``L0 = L1 = nan``: at a minimiser :math:`w=re_{\min}` the gradient is 0 while
    the Hessian has the eigenvalue :math:`c(a_{\max}-a_{\min})/r^2`, unbounded as
    :math:`r\to0`, so :math:`\|\nabla^2L\|\le L_0+L_1\|\nabla L\|` fails for every pair.
    (A 0-homogeneous loss is smooth only away from the origin; theorysim's remark.)
    Symbolic check: sympy computes gradient and Hessian on the ray (d = 2, symbolic
    :math:`a, c, r`) and the limit :math:`r\to0^+`.  Simulation: the kernels at
    :math:`r\in\{1,10^{-2},10^{-4}\}`: :math:`\nabla L=0` and
    :math:`\|\nabla^2L\|\,r^2=c(a_{\max}-a_{\min})` to rounding."""

    id = "cert.scale_invariant"
    title = "scale_invariant: not (L0, L1)-smooth (Hessian ~ r^-2 at minimisers, gradient 0)"
    source = Source("cert", "Definition 1 (Zhang+20) fails for a 0-homogeneous loss", "theorysim cert",
                    "ours", "no pair exists; documented L0 = L1 = nan")
    assumptions = ("L(w) = c u'Au/2, u = w/||w||, a_min < a_max",)
    kind = "certificate"
    main = "H_ray"
    families = ("scale_invariant",)

    def expressions(self):
        a0, a1, c, r = sp.symbols("a0 a1 c r", positive=True)
        return {"H_ray": c * (a1 - a0) / r**2}

    def symbolic_check(self):
        a0, a1, c, r = sp.symbols("a0 a1 c r", positive=True)
        w0, w1 = sp.symbols("w0 w1", real=True)
        L = c * (a0 * w0**2 + a1 * w1**2) / (2 * (w0**2 + w1**2))
        at = {w0: r, w1: 0}
        grad = [sp.simplify(sp.diff(L, v).subs(at)) for v in (w0, w1)]
        H = sp.simplify(sp.diff(L, w1, 2).subs(at))
        lim = sp.limit(H.subs(a1, a0 + 1), r, 0, "+")
        ok = grad == [0, 0] and sp.simplify(H - self.expr) == 0 and lim == sp.oo
        return verdict_from(ok, f"on the ray r e_min: grad = {grad}, Hessian along e_max = {H}, "
                            f"limit r -> 0+: {lim}; no (L0, L1) pair", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("scale_invariant", a=[1.0, 4.0, 10.0], scale=2.0)
        worst = 0.0
        for r in (1.0, 1e-2, 1e-4):
            w = np.array([r, 0.0, 0.0])
            g = f.grad(w)
            Hn = np.linalg.norm(f.hessian(w), 2)
            worst = max(worst, float(np.abs(g).max()), abs(Hn * r**2 / (2.0 * 9.0) - 1.0))
        return verdict_from(compare(worst, 1e-12, "<="), f"max(|grad|, relative error of ||H|| r^2 "
                            f"vs c(a_max - a_min)) = {worst:.3g}", measured=worst, bound=1e-12,
                            relation="<=", via="engine")


class DiagonalNetNoCertificate(Statement):
    r"""``diagonal_net`` (:math:`\frac1{2n}\sum_i(\langle u\odot v,x_i\rangle-y_i)^2`) has **no**
    :math:`(L_0,L_1)` pair, so it is documented with ``L0 = L1 = nan`` (so is ``diagonal_net_1sam``,
    the same loss with the 1-SAM direction as its oracle).  On the toy
    :math:`\frac12(ab-1)^2` along :math:`(a,b)=(t,0)`: :math:`\|\nabla L\|=t` while
    :math:`\nabla^2L=\begin{pmatrix}0&-1\\-1&t^2\end{pmatrix}` has norm :math:`\ge t^2`, so
    :math:`\|\nabla^2L\|/(L_0+L_1\|\nabla L\|)\to\infty` for every pair (theorysim's remark;
    unlike a univariate polynomial, Zhang et al. 2020, Lemma 2).  Symbolic check: sympy on the ray;
    simulation: the kernels at t = 10, 100, 1000 against the formulas."""

    id = "cert.diagonal_net"
    title = "diagonal_net: not (L0, L1)-smooth (||Hess|| ~ t^2 while ||grad|| = t on (t, 0))"
    source = Source("cert", "Definition 1 (Zhang+20) fails for (ab - 1)^2/2", "theorysim cert",
                    "ours", "no pair exists; documented L0 = L1 = nan")
    assumptions = ("L = (1/2n) sum (<u*v, x_i> - y_i)^2; the toy n = d = 1, x = y = 1",)
    kind = "certificate"
    main = "ratio"
    families = ("diagonal_net", "diagonal_net_1sam")  # the 1-SAM family has the same loss f

    def expressions(self):
        t = sp.Symbol("t", positive=True)
        return {"ratio": t}  # ||Hess|| / ||grad|| >= t^2 / t on the ray

    def symbolic_check(self):
        a, b = sp.symbols("a b", real=True)
        t = sp.Symbol("t", positive=True)
        L = (a * b - 1) ** 2 / 2
        at = {a: t, b: 0}
        g = sp.sqrt(sum(sp.diff(L, v).subs(at) ** 2 for v in (a, b)))
        H = sp.hessian(L, (a, b)).subs(at)
        lam = max(H.eigenvals(), key=lambda e: sp.limit(e / t**2, t, sp.oo))
        ratio = sp.simplify(lam / g)
        ok = sp.simplify(g - t) == 0 and sp.limit(ratio / self.expr, t, sp.oo) == 1
        return verdict_from(ok, f"on (t, 0): ||grad|| = {sp.simplify(g)}, top Hessian eigenvalue "
                            f"{sp.simplify(lam)}, ratio ~ {self.expr} -> oo", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("diagonal_net", X=[[1.0]], y=[1.0])
        worst = 0.0
        for t in (10.0, 100.0, 1000.0):
            w = np.array([t, 0.0])
            g = np.linalg.norm(f.grad(w))
            H = f.hessian(w)
            worst = max(worst, abs(g / t - 1), float(np.abs(H - np.array([[0, -1], [-1, t * t]])).max()))
        return verdict_from(compare(worst, 1e-12, "<="), f"kernels on (t, 0): max error {worst:.3g}",
                            measured=worst, bound=1e-12, relation="<=", via="engine")


class LogisticCertificate(Statement):
    r"""``logistic``: :math:`\frac1n\sum_i\ell(y_ix_i^\top w)`, :math:`\ell(m)=\log(1+e^{-m})`,
    has :math:`\nabla^2f=\frac1n\sum_i\ell''(m_i)x_ix_i^\top` with
    :math:`\ell''(m)=s(1-s)\le\frac14` (:math:`s` the sigmoid), so it is :math:`\beta`-smooth with
    the documented :math:`\beta=\max_i\|x_i\|^2/4` (:math:`L_1=0`).  Symbolic check: sympy finds
    the stationary point of :math:`\ell''` (m = 0), its value 1/4, and the limits 0 at
    :math:`\pm\infty`.  Simulation: :math:`\|\nabla^2f\|\le\beta` at random points and along a run."""

    id = "cert.logistic"
    title = "logistic: Hessian <= max ||x_i||^2/4 (l'' <= 1/4), L1 = 0"
    source = Source("cert", "logistic loss curvature", "theorysim cert", "ours", "textbook bound")
    assumptions = ("f = (1/n) sum log(1 + exp(-y_i x_i'w)), y_i = +-1",)
    kind = "certificate"
    main = "l2max"
    families = ("logistic",)

    def expressions(self):
        return {"l2max": sp.Rational(1, 4)}

    def symbolic_check(self):
        m = sp.Symbol("m", real=True)
        ell = sp.log(1 + sp.exp(-m))
        l2 = sp.simplify(sp.diff(ell, m, 2))
        crit = sp.solve(sp.diff(l2, m), m)
        top = sp.simplify(l2.subs(m, 0))
        ends = (sp.limit(l2, m, sp.oo), sp.limit(l2, m, -sp.oo))
        ok = crit == [0] and top == self.expr and ends == (0, 0)
        return verdict_from(ok, f"l'' = {l2}; critical points {crit}; l''(0) = {top}; limits {ends}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("logistic", n=50, dim=5, seed=3, batch=0)
        beta = float(self.expr) * float((f.info["X"] ** 2).sum(axis=1).max())
        rs = np.random.default_rng(0)
        pts = [rs.normal(size=5) * s for s in (0.0, 0.1, 1.0, 10.0) for _ in range(5)]
        tr = ts.run(f, ts.methods.gd(1.0 / beta), x0=np.zeros(5), steps=200, record_every=10)
        worst = max(float(np.linalg.norm(f.hessian(p), 2)) for p in pts + list(tr.x))
        return verdict_from(compare(worst, beta, "<=", rtol=1e-12) and beta == f.L0,
                            f"max ||H|| = {worst:.5g} <= beta = {beta:.5g} (documented L0 = {f.L0:.5g})",
                            measured=worst, bound=beta, relation="<=", via="engine")


class SignSplitCertificate(_LSmoothCertificate):
    r"""``sign_split`` (theorysim's finite sum after Chen et al. 2019): :math:`f=\bar c\,h` with
    the Huber function :math:`h`.  Sympy checks :math:`h\in C^1` (values and slopes agree at
    :math:`|x|=1`) and :math:`h''\in\{1,0\}` on the pieces, so :math:`\nabla f` is
    :math:`\bar c`-Lipschitz: the documented :math:`(\bar c,0)` in the first-order form of
    Definition 1 (Zhang et al. 2020, remark after Assumption 3 [C]; :math:`f` is not twice
    differentiable at :math:`\pm1`).  The sampled components :math:`c_ih` are
    :math:`|c_i|`-smooth."""

    id = "cert.sign_split"
    title = "sign_split: c_bar * Huber, gradient c_bar-Lipschitz (L1 = 0)"
    source = Source("cert", "theorysim sign_split (after Chen+19)", "theorysim cert", "ours")
    assumptions = ("f = mean(c) h, h Huber with threshold 1",)
    families = ("sign_split",)

    def expressions(self):
        return {"L": sp.Symbol("cbar", positive=True)}

    def instances(self):
        import theorysim as ts

        obj = ts.objectives.get("sign_split")
        x = sp.Symbol("x0", real=True)
        cbar = sp.nsimplify(obj.info["cbar"])
        half = sp.Rational(1, 2)
        h = sp.Piecewise((x**2 / 2, (x >= -1) & (x <= 1)), (x - half, x > 1), (-x - half, True))
        return [(obj, cbar * h, [x], [[0.3], [-0.8], [2.5], [-4.0]])]

    def sup_hessian(self, expr, xs):
        (x,) = xs
        cbar, pw = expr.as_independent(x, as_Add=False)
        (inner, _), (right, _), (left, _) = pw.args
        c1 = all(sp.simplify((inner - outer).subs(x, x0)) == 0
                 and sp.simplify(sp.diff(inner - outer, x).subs(x, x0)) == 0
                 for outer, x0 in ((right, 1), (left, -1)))
        second = [cbar * sp.diff(e, x, 2) for e in (inner, right, left)]
        if not c1 or any(e.free_symbols for e in second):
            return sp.oo, "not C1 or non-constant pieces"
        return sp.Max(*[abs(e) for e in second]), "C1 at +-1, piecewise-constant f''"


class DoubleWellCertificate(_Certificate):
    r""":math:`\sum_i(x_i^4/4-x_i^2/2)`: documented :math:`(2+16\sqrt3/9,\,1)`, tight; not
    L-smooth.

    Family check (sympy): the smallest :math:`L_0` for :math:`L_1=1` of :math:`x^4/4-x^2/2` is
    :math:`2+16\sqrt3/9` and :math:`\sup f''=\infty`.
    """

    id = "cert.double_well"
    title = "double well x^4/4 - x^2/2: (2 + 16 sqrt(3)/9, 1), tight; not L-smooth"
    source = Source("cert", "Definition 1 (Zhang+20) applied to x^4/4 - x^2/2", "theorysim cert", "ours",
                    "pair derived here")
    assumptions = ("f(x) = sum_i x_i^4/4 - x_i^2/2",)
    family = "double_well"
    instances = (({}, [1.5]), ({"dim": 2}, [0.3, -1.7]))

    def expressions(self):
        return {"L0_min": 2 + 16 * sp.sqrt(3) / 9, "f": S.x**4 / 4 - S.x**2 / 2}

    def symbolic_check(self):
        # analyse_1d (used by certify) needs f', f'' >= 0 on x > 0, which the double well
        # violates; the per-coordinate analysis is done here with smallest_L0 directly
        e = self.expressions()
        tight = smallest_L0(e["f"], S.x, 1)[0]
        fam_ok = same(tight, e["L0_min"]) and l_smoothness(e["f"], S.x) == sp.oo
        lines = []
        ok = fam_ok
        for obj, _ in self.objects():
            good = obj.L1 == 1.0 and obj.L0 >= float(tight) * (1 - 1e-15)
            ok &= good
            lines.append(f"{obj.name}(dim={obj.dim}): documented ({obj.L0:.6g}, {obj.L1:g}) >= "
                         f"({sp.N(tight, 7)}, 1) -> {good}")
        return verdict_from(ok, "; ".join(lines + [f"family: L0_min(1) = {tight} (tight); "
                                                   f"sup f'' = oo"]), via="sympy")


class FlatValleyNotL0L1(Statement):
    r"""``flat_valley`` (theorysim's EoS toy, :math:`L=\tfrac12(1+\|y\|^2)\|x\|^2` and
    :math:`\sqrt L`) is **not** :math:`(L_0,L_1)`-smooth for any pair; it is documented with
    :math:`L_0=L_1=` NaN, and this statement proves why no pair can be documented.

    On the manifold of minimisers :math:`x=0` the gradient vanishes while the top Hessian
    eigenvalue is :math:`1+\|y\|^2`, unbounded; so :math:`\|\nabla^2L\|\le L_0+L_1\|\nabla L\|=L_0`
    fails wherever :math:`\|y\|^2>L_0-1`.  (:math:`\sqrt L` is not even twice differentiable on
    :math:`x=0`.)  **Symbolic check** (sympy, ``nx = ny = 1``): gradient at :math:`x=0` is 0,
    the Hessian's eigenvalues there are :math:`\{1+y^2,0\}`, and their sup over :math:`y` is
    :math:`\infty`.  **Simulation**: for candidate pairs :math:`(L_0,L_1)=(c,c)`, GD from
    :math:`(1,y_0)`, :math:`y_0=1.2\sqrt c`, with the stable step :math:`1/(1+y_0^2)` lands
    near the manifold; there the measured :math:`(L_0+L_1\|\nabla L\|)/\|\nabla^2L\|` must be
    below 1 (the pair fails) for every c.
    """

    id = "cert.flat_valley"
    title = "flat_valley: no (L0, L1) pair exists (grad = 0, sharpness 1 + |y|^2 on x = 0)"
    source = Source("cert", "Definition 1 (Zhang+20) tested on theorysim's flat valley",
                    "theorysim cert", "ours", "non-(L0, L1) family; documented pair NaN")
    assumptions = ("L(x, y) = (1 + |y|^2)|x|^2 / 2",)
    kind = "certificate"
    main = "sharpness_on_manifold"
    family = "flat_valley"
    PAIRS = (1.0, 10.0, 100.0)

    def expressions(self):
        y = sp.Symbol("y", real=True)
        return {"sharpness_on_manifold": 1 + y**2, "f": (1 + y**2) * S.x**2 / 2}

    def symbolic_check(self):
        y = sp.Symbol("y", real=True)
        f = self.expressions()["f"]
        grad0 = [sp.simplify(sp.diff(f, v).subs(S.x, 0)) for v in (S.x, y)]
        eig = sp.hessian(f, (S.x, y)).subs(S.x, 0).eigenvals()
        top = sp.Max(*eig)
        sup = sp.limit(top, y, sp.oo)
        same_top = sp.simplify(top - self.expr) == 0
        ok = all(g == 0 for g in grad0) and sup == sp.oo and same_top
        return verdict_from(ok, f"on x = 0: grad = {grad0}, Hessian eigenvalues {list(eig)}, "
                                f"sup over y = {sup}: no (L0, L1) pair", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("flat_valley")
        worst, parts = 0.0, []
        for c in self.PAIRS:
            y0 = 1.2 * np.sqrt(c)
            tr = ts.run(f, ts.methods.gd(1.0 / (1.0 + y0 * y0)), x0=[1.0, y0], steps=2000)
            x = tr.x[-1]
            ratio = (c + c * float(np.linalg.norm(f.grad(x)))) / float(np.linalg.norm(f.hessian(x), 2))
            worst = max(worst, ratio)
            parts.append(f"(L0, L1) = ({c:g}, {c:g}): at x = ({x[0]:.3g}, {x[1]:.4g}) "
                         f"(L0 + L1||g||)/||H|| = {ratio:.4g}")
        return verdict_from(compare(worst, 1.0, "<"), "; ".join(parts), measured=worst, bound=1.0,
                            relation="<", via="engine")


STATEMENTS = [Lemma2(), CoshCertificate(), PowerCertificate(), QuadraticCertificate(),
              SeparableQuarticCertificate(),
              RampWallCertificate(), LinearCertificate(), LeastSquaresCertificate(),
              SignSplitCertificate(), FlatValleyNotL0L1(), DoubleWellCertificate(),
              NoisyQuadraticCertificate(), ScaleInvariantNoCertificate(),
              DiagonalNetNoCertificate(), LogisticCertificate()]

__all__ = ["STATEMENTS", "certify", "smallest_L0", "l_smoothness", "analyse_1d",
           "separable_parts", "OneDim", "CoshCertificate", "PowerCertificate",
           "QuadraticCertificate", "RampWallCertificate", "Lemma2", "LinearCertificate",
           "LeastSquaresCertificate", "SignSplitCertificate", "FlatValleyNotL0L1",
           "DoubleWellCertificate", "NoisyQuadraticCertificate", "ScaleInvariantNoCertificate",
           "DiagonalNetNoCertificate", "LogisticCertificate"]

if __name__ == "__main__":  # pragma: no cover
    from . import check_all, format_table

    print(format_table(check_all(paper="cert")))
