r"""Reddi, Kale, Kumar, *On the convergence of Adam and beyond*, ICLR 2018 (arXiv 1904.09237).

Read in the OpenReview **submission** text (tag ``paper(sub)``; the camera-ready may differ in
wording, ``shared/theory/chen2019-reddi2018-confirmed.md``): the generic method (Algorithm 1),
Adam without bias correction and without :math:`\epsilon`, :math:`m_0=v_0=0`; the quantity
(eq. 2) :math:`\Gamma_{t+1}=\sqrt{V_{t+1}}/\alpha_{t+1}-\sqrt{V_t}/\alpha_t`, positive
semi-definite for SGD/AdaGrad, possibly indefinite for Adam/RMSProp; the online problem of Sec. 3,
:math:`\mathcal F=[-1,1]`, :math:`f_t(x)=Cx` if :math:`t\bmod3=1` and :math:`-x` otherwise,
:math:`C>2`, on which Adam with :math:`\beta_1=0`, :math:`\beta_2=1/(1+C^2)` converges to
:math:`x=+1` (the worst point; :math:`x=-1` is optimal); AMSGrad (Algorithm 2).

**Limit cycles (ours).**  The gradients do not depend on :math:`x`, so :math:`m_t,v_t` are
deterministic linear recursions driven by a periodic input and converge geometrically to the
period-:math:`P` cycle (phase :math:`k` = steps since the large gradient)

.. math:: m_k^*=\frac{(1-\beta_1)\beta_1^k(C+1)}{1-\beta_1^P}-1,\qquad
          v_k^*=\frac{(1-\beta_2)\beta_2^k(C^2-1)}{1-\beta_2^P}+1 .

With :math:`\alpha_t=\alpha/\sqrt t` the displacement over one period starting at :math:`t` is
:math:`-\frac{\alpha}{\sqrt t}F+O(t^{-3/2})`, :math:`F(\beta_1,\beta_2,C)=\sum_km_k^*/\sqrt{v_k^*}`;
since :math:`\sum_t1/\sqrt t=\infty`, Adam drifts to :math:`+1` when :math:`F<0` and to
:math:`-1` when :math:`F>0` (first-order drift argument; the projection only clips).  Hence, for
:math:`C>2` (where :math:`-1` is optimal): **Adam fails on the online problem if**
:math:`F(\beta_1,\beta_2,C)<0` **and converges to the optimum if** :math:`F>0`; on the boundary
:math:`F=0` the first-order argument decides nothing.  This condition is **theorysim's**, not the
paper's; the paper's [C-sub] claim is the single point :math:`\beta_1=0`,
:math:`\beta_2=1/(1+C^2)`, which sympy shows lies in the region :math:`F<0` for every
:math:`C>2`.
The submission's Theorem 2 (any :math:`\beta_1<\sqrt{\beta_2}`) uses other periods; not checked.

**Simulations** run on theorysim's engine (``ts.methods.adam(..., eps=0, bias_correction=False,
schedule="inverse_sqrt")`` and ``ts.methods.amsgrad`` on ``linear_online``); the plain-Python
recurrence :func:`online_path` / :func:`adam_online` is kept as an independent second check of
the same configuration.  Index map: the kernel counts steps from 0, so kernel step k is the
paper's t = k + 1 (:math:`\alpha_t=\alpha/\sqrt{k+1}`, large gradient at ``k % P == 0``, row k of
``tr.x`` = :math:`x_{k+1}`); with it the two agree to rounding (tests: iterates to 1e-12 over
1000 steps).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import PASS, Source, Statement, compare, verdict_from
from ._sympy_tools import nonneg

_CITE = "Reddi+18"


def limit_cycle(beta1, beta2, C, P=3):
    r"""Cycle values :math:`(m_k^*)_{k<P}`, :math:`(v_k^*)_{k<P}` of Adam's moments on the period-P
    problem (large gradient :math:`C` at phase 0, :math:`-1` elsewhere)."""
    m = [(1 - beta1) * beta1**k * (C + 1) / (1 - beta1**P) - 1 for k in range(P)]
    v = [(1 - beta2) * beta2**k * (C**2 - 1) / (1 - beta2**P) + 1 for k in range(P)]
    return m, v


def drift(beta1, beta2, C, P=3):
    r""":math:`F=\sum_km_k^*/\sqrt{v_k^*}`: Adam's iterate drifts to :math:`+1` if :math:`F<0`, to
    :math:`-1` if :math:`F>0`; :math:`F=0` is undecided at first order (our drift argument)."""
    m, v = limit_cycle(beta1, beta2, C, P)
    return sum(mk / sp.sqrt(vk) for mk, vk in zip(m, v))


def online_path(beta1, beta2, C, P=3, alpha=0.5, T=30000, amsgrad=False, x1=0.0):
    r"""Plain-Python scalar recurrence: Adam / AMSGrad (no bias correction, no :math:`\epsilon`,
    :math:`\alpha_t=\alpha/\sqrt t`, projection = clamp to [-1, 1]) on the period-P problem
    (gradient :math:`C` when :math:`t\bmod P=1`, else :math:`-1`; t counts from 1).

    Returns a dict of arrays: ``x`` (:math:`x_1..x_{T+1}`, shape ``(T+1,)``), ``a`` (effective
    steps :math:`a_t=\alpha_t/\sqrt{\hat v_t}`, ``(T,)``), ``gamma``
    (:math:`\Gamma_t=\sqrt{\hat v_t}/\alpha_t-\sqrt{\hat v_{t-1}}/\alpha_{t-1}`, :math:`t=2..T`) and
    ``loss`` (:math:`f_t(x_t)=g_tx_t`, ``(T,)``)."""
    x, m, v, vhat = x1, 0.0, 0.0, 0.0
    prev = None
    xs, As, gams, losses = [x], [], [], []
    for t in range(1, T + 1):
        g = C if t % P == 1 % P else -1.0
        losses.append(g * x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        vhat = max(vhat, v) if amsgrad else v
        at = alpha / math.sqrt(t)
        As.append(at / math.sqrt(vhat))
        cur = math.sqrt(vhat) / at
        if prev is not None:
            gams.append(cur - prev)
        prev = cur
        x = min(1.0, max(-1.0, x - at * m / math.sqrt(vhat)))
        xs.append(x)
    return {"x": np.array(xs), "a": np.array(As), "gamma": np.array(gams), "loss": np.array(losses)}


def adam_online(beta1, beta2, C, P=3, alpha=0.5, T=30000, amsgrad=False, x1=0.0):
    r"""Summary of :func:`online_path` (the NumPy recurrence).

    Returns ``(x_T_mean_last_period, Gamma_min, n_negative_Gamma, avg_regret)``, where
    :math:`\Gamma_t=\sqrt{\hat v_t}/\alpha_t-\sqrt{\hat v_{t-1}}/\alpha_{t-1}` for :math:`t\ge2`
    and the average regret is :math:`R_T/T` against the best fixed point :math:`-1`."""
    return _online_summary(online_path(beta1, beta2, C, P, alpha, T, amsgrad, x1), C, P, T)


def _online_summary(path, C, P, T):
    """The 4-tuple of :func:`adam_online` from a path dict (recurrence or engine)."""
    gam = path["gamma"]
    gmin = float(gam.min()) if gam.size else math.inf
    # f_t(x) = g_t x and the best fixed point is -1 (C > P - 1): R_T = sum_t g_t x_t + g_t
    g = np.where(np.arange(1, T + 1) % P == 1 % P, C, -1.0)
    regret = float(np.sum(path["loss"][:T]) + np.sum(g))
    tail = path["x"][1:][-P:]  # x_(T-P+2)..x_(T+1): the iterates after the last P updates
    return float(np.mean(tail)), gmin, int(np.sum(gam < 0)), regret / T


# --------------------------------------------------------------------------------------------
# the same runs on theorysim's engine
# --------------------------------------------------------------------------------------------
def engine_online(beta1, beta2, C, P=3, alpha=0.5, T=30000, amsgrad=False, scale=1.0,
                  record_every=1):
    r"""Adam (``ts.methods.adam``, ``bias_correction=False, eps=0``) or AMSGrad
    (``ts.methods.amsgrad``) with ``schedule="inverse_sqrt"`` on ``linear_online`` with
    ``a = scale * C``, ``b = -scale``, ``period = P`` (box [-1, 1], :math:`x_1=0`), monitored.

    Index map: the kernel counts t from 0, so kernel step k is the paper's step t = k + 1: its
    schedule :math:`1/\sqrt{k+1}` is :math:`1/\sqrt t`, and ``k % P == 0`` is :math:`t\bmod P=1`;
    row k of ``tr.x`` is the paper's :math:`x_{k+1}`.  Returns ``(objective, trajectory)``."""
    import theorysim as ts

    f = ts.objectives.get("linear_online", a=scale * C, b=-scale, period=P)
    kw = dict(beta1=beta1, beta2=beta2, schedule="inverse_sqrt")
    if amsgrad:
        method = ts.methods.amsgrad(alpha, eps=0.0, bias_correction=False, **kw)
    else:
        method = ts.methods.adam(alpha, eps=0.0, bias_correction=False, **kw)
    return f, ts.run(f, method, steps=T, record_every=record_every, monitor=True)


def engine_steps(tr):
    r"""Effective steps :math:`a_1..a_T` of a one-dimensional monitored run recorded at every step:
    with d = 1 the monitor's :math:`S(T)=\sum_{t\le T}a_t` (``min_i`` over one coordinate), so
    :math:`a_t=S(t)-S(t-1)` (row t of the monitor holds the sum after t updates).  The difference
    of the running sum costs a relative error of about :math:`\varepsilon\,S(t)/a_t` (below
    :math:`10^{-11}` for T = 3000 here)."""
    if tr.record_every != 1 or tr.x.shape[1] != 1:
        raise ValueError("engine_steps needs a one-dimensional run recorded at every step")
    return np.diff(np.asarray(tr.monitor["S"], dtype=float))


def engine_path(beta1, beta2, C, P=3, alpha=0.5, T=30000, amsgrad=False, scale=1.0):
    r""":func:`online_path` computed by the engine: same keys (``x``, ``a``, ``gamma``, ``loss``).

    :math:`\Gamma_t=\sqrt{\hat v_t}/\alpha_t-\sqrt{\hat v_{t-1}}/\alpha_{t-1}=1/a_t-1/a_{t-1}`
    (no :math:`\epsilon`), with :math:`a_t` from :func:`engine_steps`; ``loss`` is the engine's
    recorded :math:`f_t(x_t)`.  With ``scale`` the gradients are ``scale`` times the recurrence's,
    which leaves the iterates unchanged (no :math:`\epsilon`) and divides :math:`a_t` by ``scale``;
    ``a``, ``gamma`` and ``loss`` are returned in the unscaled problem's units."""
    _, tr = engine_online(beta1, beta2, C, P, alpha, T, amsgrad, scale)
    a = engine_steps(tr) * scale
    return {"x": tr.x[:, 0].copy(), "a": a, "gamma": 1 / a[1:] - 1 / a[:-1],
            "loss": tr.loss[:T] / scale}


def engine_summary(beta1, beta2, C, P=3, alpha=0.5, T=30000, amsgrad=False, scale=1.0):
    """:func:`adam_online`'s 4-tuple from the engine (:func:`engine_path`)."""
    return _online_summary(engine_path(beta1, beta2, C, P, alpha, T, amsgrad, scale), C, P, T)


def with_second_check(engine, second, agreement=None, brief=False):
    r"""One verdict from the engine check and an independent second check (the NumPy recurrence):
    it passes iff both pass (and the two agree, when ``agreement = (ok, text)`` is given).  The
    headline numbers are the engine's; ``via = "engine"``.  ``brief``: omit the second check's
    detail when it passed (same configuration, so the same numbers as the engine's)."""
    ok = engine.status == PASS and second.status == PASS
    more = "" if (brief and second.status == PASS) else f", {second.detail}"
    detail = f"{engine.detail} | second check ({second.via}): {second.status}{more}"
    if agreement is not None:
        ok = ok and bool(agreement[0])
        detail += f" | engine vs recurrence: {agreement[1]}"
    return verdict_from(ok, detail, measured=engine.measured, bound=engine.bound,
                        relation=engine.relation, via="engine")


class Gamma(Statement):
    r""":math:`\Gamma_t` (Reddi et al. 2018, eq. 2) is indefinite for Adam on the Sec. 3 problem and
    nonnegative for AMSGrad.

    **Adam** (:math:`\beta_1=0`, :math:`\beta_2=1/(1+C^2)`, :math:`\alpha_t=\alpha/\sqrt t`):
    :math:`v_1=(1-\beta_2)C^2`, :math:`v_2=\beta_2v_1+1-\beta_2`, and
    :math:`\Gamma_2=(\sqrt2\sqrt{v_2}-\sqrt{v_1})/\alpha<0` iff :math:`2v_2<v_1`, a rational
    inequality sympy solves: it holds for every :math:`C>2`.  Moreover the cycle values decrease
    after the spike (:math:`v_2^*<v_1^*<v_0^*`), so :math:`\Gamma_t\approx\sqrt t(\sqrt{v_t}-
    \sqrt{v_{t-1}})/\alpha\to-\infty` along two phases of every period: negative infinitely often.

    **AMSGrad** (:math:`\hat v_t=\max(\hat v_{t-1},v_t)`, :math:`\alpha_t` non-increasing): with
    :math:`\hat v_t=a+p`, :math:`\alpha_{t-1}=\alpha_t+q` (:math:`a,p,q\ge0`),
    :math:`\alpha_t(\alpha_t+q)\Gamma_t=q\sqrt{a+p}+\alpha_t\,p/(\sqrt{a+p}+\sqrt a)\ge0`; sympy
    checks the identity and the sign of every term.

    Simulation (engine, second check by the NumPy recurrence, same configuration): :math:`C=3`,
    :math:`\alpha_t=0.1/\sqrt t`; Adam has negative :math:`\Gamma_t`, AMSGrad none, and
    :math:`\Gamma_2` equals sympy's value.  The engine's :math:`\Gamma_t` is
    :math:`1/a_t-1/a_{t-1}` from its monitored effective steps (:func:`engine_path`).
    """

    id = "reddi2018.gamma"
    title = "Gamma_t: indefinite for Adam on the Sec. 3 problem, >= 0 for AMSGrad"
    source = Source("reddi2018", "eq. (2), Sec. 3, Algorithm 2", f"{_CITE} eq 2 / Sec 3",
                    "paper(sub)", "Gamma, problem and AMSGrad read in the submission text; "
                                  "the sign proofs are theorysim's")
    assumptions = ("online problem of Sec. 3, C > 2", "Adam: beta1 = 0, beta2 = 1/(1 + C^2)",
                   "alpha_t = alpha/sqrt t (AMSGrad: any non-increasing alpha_t)")
    kind = "identity"
    main = "gamma2"

    def expressions(self):
        b2 = 1 / (1 + S.C**2)
        v1 = (1 - b2) * S.C**2
        v2 = b2 * v1 + (1 - b2)
        return {"gamma2": (sp.sqrt(2) * sp.sqrt(v2) - sp.sqrt(v1)) / S.alpha, "v1": v1, "v2": v2}

    def symbolic_check(self):
        e = self.expressions()
        Cr = sp.Symbol("C", real=True)
        ineq = sp.simplify((2 * e["v2"] - e["v1"]).subs(S.C, Cr))
        region = sp.solve_univariate_inequality(ineq < 0, Cr, relational=False)
        adam_neg = sp.Interval.open(2, sp.oo).is_subset(region)
        _, v = limit_cycle(0, 1 / (1 + S.C**2), S.C, 3)
        w = sp.Symbol("w", positive=True)
        dec = all(nonneg(sp.simplify((v[k - 1] - v[k]).subs(S.C, 2 + w))) for k in (1, 2))
        a, al = sp.symbols("a alpha_t", positive=True)  # v_hat_(t-1) > 0 once g_1 != 0
        p, q = sp.symbols("p q", nonnegative=True)
        gam = sp.sqrt(a + p) / al - sp.sqrt(a) / (al + q)
        rewritten = q * sp.sqrt(a + p) + al * p / (sp.sqrt(a + p) + sp.sqrt(a))
        ident = sp.simplify(sp.radsimp(al * (al + q) * gam - rewritten)) == 0
        signs = all(term.is_nonnegative for term in rewritten.args)
        ok = adam_neg and dec and ident and signs
        return verdict_from(ok, f"Adam: Gamma_2 < 0 iff C in {region} (contains (2, oo): "
                                f"{adam_neg}); cycle decreasing after the spike: {dec}; AMSGrad: "
                                f"identity {ident}, every term >= 0: {signs}", via="sympy")

    def _measure(self, quick, summary):
        """(ok, detail, numbers) of the simulation claims, with ``summary`` = :func:`adam_online`
        (NumPy recurrence) or :func:`engine_summary` (engine)."""
        Cv, alpha = 3.0, 0.1
        T = 3000 if quick else 300000
        b2 = 1 / (1 + Cv * Cv)
        _, adam_min, adam_neg, _ = summary(0.0, b2, Cv, alpha=alpha, T=T)
        _, ams_min, ams_neg, _ = summary(0.0, b2, Cv, alpha=alpha, T=T, amsgrad=True)
        g2 = self.evaluate(C=Cv, alpha=alpha)
        _, g2_meas, _, _ = summary(0.0, b2, Cv, alpha=alpha, T=2)
        ok = (adam_min < 0 and adam_neg > 0 and ams_min >= -1e-12 * abs(adam_min)
              and compare(g2_meas, g2, "~=", rtol=1e-12))
        detail = (f"C=3, alpha_t=0.1/sqrt t, T={T}: Adam min Gamma = {adam_min:.4g} "
                  f"({adam_neg} negative), Gamma_2 = {g2_meas:.6g} (sympy {g2:.6g}); "
                  f"AMSGrad min Gamma = {ams_min:.4g} ({ams_neg} negative)")
        return ok, detail, (adam_min, adam_neg, ams_min, ams_neg, g2_meas)

    def simulate_engine(self, quick=True):
        r"""The engine: ``ts.methods.adam`` / ``amsgrad`` (no bias correction, eps = 0,
        ``inverse_sqrt``) on ``linear_online(a=3, b=-1, period=3)``; :math:`\Gamma_t=1/a_t-
        1/a_{t-1}` from the monitored effective steps (:func:`engine_path`)."""
        ok, detail, nums = self._measure(quick, engine_summary)
        return verdict_from(ok, detail, measured=nums[0], bound=0.0, relation="<", via="engine")

    def simulate_recurrence(self, quick=True):
        """The independent plain-Python recurrence :func:`adam_online`."""
        ok, detail, nums = self._measure(quick, adam_online)
        return verdict_from(ok, detail, measured=nums[0], bound=0.0, relation="<",
                            via="numpy recurrence")

    def simulate(self, quick=True):
        eng, rec = self.simulate_engine(quick), self.simulate_recurrence(quick)
        # same configuration, deterministic: Gamma_min agrees up to the running-sum rounding of
        # the engine's a_t (engine_steps) and Gamma_2 to rounding
        e_min, r_min = eng.measured, rec.measured
        agree = compare(e_min, r_min, "~=", rtol=1e-8)
        return with_second_check(eng, rec, (agree, f"Adam min Gamma {e_min:.12g} vs {r_min:.12g} "
                                                   f"(rel. diff {abs(e_min / r_min - 1):.1e})"),
                                 brief=True)


class AdamFailure(Statement):
    r"""Where Adam goes on the online problem of Sec. 3 (theorysim's condition, after the paper's
    Theorem 1): for :math:`C>2`, :math:`F(\beta_1,\beta_2,C)<0` sends Adam to the worst point
    :math:`+1`, :math:`F>0` to the optimum :math:`-1`; :math:`F=0` is left open (the first-order
    drift vanishes there).  The paper [C-sub] states only the failure at :math:`\beta_1=0`,
    :math:`\beta_2=1/(1+C^2)`; the drift condition and its proof are ours.  (The statement keeps
    the id ``reddi2018.thm1`` because it is built on Theorem 1's problem.)

    Symbolic check: (a) :math:`\sum_km_k^*=C-2` for every :math:`\beta_1` (an EMA keeps the period
    mean), so AMSGrad, whose :math:`\hat v` settles at :math:`\max_kv_k^*=v_0^*`, drifts by
    :math:`-(C-2)\alpha_t/\sqrt{v_0^*}` per period: towards the optimum :math:`-1`; (b) at the
    paper's point :math:`\beta_1=0,\beta_2=1/(1+C^2)`, :math:`F<0` for all :math:`C>2`: since
    :math:`v_2^*\le v_1^*`, :math:`1/\sqrt{v_1^*}+1/\sqrt{v_2^*}\ge2/\sqrt{v_1^*}>C/\sqrt{v_0^*}`
    because :math:`C^2v_1^*-4v_0^*<0` (a rational function sympy factors); (c) the drift of Reddi
    et al.'s Figure 1 setting (:math:`P=101`, gradients :math:`1010,-10`, i.e. :math:`C=101` after
    scaling, :math:`\beta_1=0.9,\beta_2=0.99`) is negative, matching the figure's Adam
    :math:`\to+1` [C-sub].  Simulation (engine: ``ts.methods.adam`` / ``amsgrad`` on
    ``linear_online``; second check: the NumPy recurrence :func:`adam_online`, whose final iterates
    must agree with the engine's): for points inside and outside the region, Adam's final iterate
    has the predicted sign and AMSGrad's is negative.
    """

    id = "reddi2018.thm1"
    title = ("Adam on the Sec. 3 problem, C > 2 (ours): F(beta1, beta2, C) < 0 -> x_t -> +1 (fails), "
             "F > 0 -> -1; F = 0 undecided")
    source = Source("reddi2018", "Sec. 3 problem of Theorem 1; drift condition ours",
                    f"{_CITE} Thm 1 problem (ours)", "ours",
                    "problem and the failing point beta1 = 0, beta2 = 1/(1+C^2) [C-sub]; the "
                    "condition F < 0 / F > 0 (first-order drift over the limit cycle; F = 0 "
                    "excluded) is theorysim's")
    assumptions = ("F = [-1, 1], f_t = C x (t mod 3 = 1) else -x", "Adam without bias correction "
                   "or epsilon, alpha_t = alpha/sqrt t", "projection = clamp")
    kind = "condition"
    main = "F"
    POINTS = ((0.0, None, 3.0), (0.3, 0.1, 3.0), (0.0, 0.99, 3.0), (0.5, 0.05, 3.0),
              (0.9, 0.99, 3.0))

    def expressions(self):
        return {"F": drift(S.beta1, S.beta2, S.C), "optimum_at_minus_one": S.C - 2}

    def symbolic_check(self):
        m, _ = limit_cycle(S.beta1, S.beta2, S.C, 3)
        mean_ok = sp.simplify(sum(m) - (S.C - 2)) == 0
        _, v = limit_cycle(0, 1 / (1 + S.C**2), S.C, 3)
        w = sp.Symbol("w", positive=True)
        v_dec = nonneg(sp.simplify((v[1] - v[2]).subs(S.C, 2 + w)))
        key = sp.factor(sp.together(S.C**2 * v[1] - 4 * v[0]))
        key_neg = nonneg(-key)
        F_fig1 = drift(sp.Rational(9, 10), sp.Rational(99, 100), sp.Integer(101), 101)
        fig1 = float(sp.N(F_fig1, 30))
        ok = mean_ok and v_dec and key_neg and fig1 < 0
        return verdict_from(ok, f"sum m* = C - 2: {mean_ok}; paper's point: v2* <= v1*: {v_dec}, "
                                f"C^2 v1* - 4 v0* = {key} < 0: {key_neg} => F < 0 for all C > 2; "
                                f"Figure 1 setting F = {fig1:.4g} < 0 (Adam -> +1)", via="sympy")

    def _points(self, quick):
        pts = [(b1, (1 / (1 + C * C) if b2 is None else b2), C, 3) for b1, b2, C in self.POINTS]
        if not quick:
            pts.append((0.9, 0.99, 101.0, 101))
        return pts

    def _measure(self, quick, summary):
        """(ok, detail, Adam x_T of the first point, all final iterates) with ``summary`` =
        :func:`adam_online` (recurrence) or :func:`engine_summary` (engine)."""
        lines, ok, finals = [], True, []
        for b1, b2, Cv, P in self._points(quick):
            F = float(sp.N(drift(sp.nsimplify(b1), sp.nsimplify(b2), sp.nsimplify(Cv), P), 20))
            T = 30000 if P == 3 else 1_000_000
            alpha = 0.5 if P == 3 else 1.0
            # Figure 1 setting: the engine runs the paper's gradients 1010, -10 (scale 10); without
            # epsilon and bias correction Adam is invariant under g -> 10 g (the recurrence's C=101)
            kw = {"scale": 10.0} if (P != 3 and summary is engine_summary) else {}
            xT, _, _, reg = summary(b1, b2, Cv, P, alpha=alpha, T=T, **kw)
            xA, _, _, _ = summary(b1, b2, Cv, P, alpha=alpha, T=T, amsgrad=True, **kw)
            fails = F < 0
            # the condition says nothing on F = 0: a test point there would test nothing
            agree = F != 0 and (xT > 0) == fails and xA < 0
            ok &= agree
            lines.append(f"(b1={b1:g}, b2={b2:.3g}, C={Cv:g}, P={P}): F={F:+.3f} -> "
                         f"{'fail' if fails else 'ok'}; Adam x_T={xT:+.3f}, AMSGrad {xA:+.3f}, "
                         f"avg regret {reg:.3f}")
            finals += [xT, xA]
        return ok, "; ".join(lines), finals[0], np.array(finals)

    def simulate_engine(self, quick=True):
        """The engine: ``ts.methods.adam`` / ``amsgrad`` on ``linear_online`` (box [-1, 1])."""
        ok, detail, head, _ = self._measure(quick, engine_summary)
        return verdict_from(ok, detail, measured=head, bound=0.0, relation=">", via="engine")

    def simulate_recurrence(self, quick=True):
        """The independent plain-Python recurrence :func:`adam_online`."""
        ok, detail, head, _ = self._measure(quick, adam_online)
        return verdict_from(ok, detail, measured=head, bound=0.0, relation=">",
                            via="numpy recurrence")

    def simulate(self, quick=True):
        ok_e, det_e, head_e, fin_e = self._measure(quick, engine_summary)
        ok_r, det_r, head_r, fin_r = self._measure(quick, adam_online)
        eng = verdict_from(ok_e, det_e, measured=head_e, bound=0.0, relation=">", via="engine")
        rec = verdict_from(ok_r, det_r, measured=head_r, bound=0.0, relation=">",
                           via="numpy recurrence")
        gap = float(np.max(np.abs(fin_e - fin_r)))
        # deterministic and the same configuration: the final iterates agree to rounding
        return with_second_check(eng, rec, (gap <= 1e-9, f"max |x_T engine - x_T recurrence| = "
                                                         f"{gap:.1e} over {fin_e.size} runs"),
                                 brief=True)


STATEMENTS = [Gamma(), AdamFailure()]

__all__ = ["STATEMENTS", "limit_cycle", "drift", "online_path", "adam_online", "engine_online",
           "engine_steps", "engine_path", "engine_summary", "with_second_check", "Gamma",
           "AdamFailure"]

if __name__ == "__main__":  # pragma: no cover
    from . import check_all, format_table

    print(format_table(check_all(paper="reddi2018")))
