r"""Chen, Liu, Sun, Hong, *On the convergence of a class of Adam-type algorithms for non-convex
optimization*, ICLR 2019 (arXiv 1808.02941).

**Only the abstract was read** (``shared/theory/chen2019-reddi2018-confirmed.md``): the class
contains Adam, AMSGrad, AdaGrad; "mild sufficient conditions" give :math:`O(\log T/\sqrt T)`
for non-convex stochastic optimisation; AdaFom = AdaGrad with first-order momentum; violating
the conditions can make an algorithm diverge [C].  The algorithm, the assumptions and the form of
Theorem 3.1 below come from a **secondary source** (a blog summary) [S]; the constants
:math:`C_1..C_4` were not found and stay named symbols.  The corollaries' hypotheses (step
:math:`\alpha_t=1/\sqrt t`, a lower bound :math:`|g_{1,j}|\ge c`) are our reading [?].

**Generic update** [S]: :math:`m_t=\beta_{1,t}m_{t-1}+(1-\beta_{1,t})g_t`,
:math:`\hat v_t=h_t(g_1..g_t)`, :math:`x_{t+1}=x_t-\alpha_tm_t/\sqrt{\hat v_t}`; effective step
:math:`a_t=\alpha_t/\sqrt{\hat v_t}` (coordinate-wise).

**Theorem 3.1 (form [S]).**  Under A1 (L-smooth, bounded below), A2 (:math:`\|\nabla f\|,\|g_t\|
\le H`), A3 (unbiased independent noise), :math:`\beta_{1,t}\le\beta_1<1` non-increasing and
:math:`\|\alpha_tm_t/\sqrt{\hat v_t}\|\le G`:

.. math:: \mathbb E\sum_{t=1}^T\alpha_t\langle\nabla f(x_t),\nabla f(x_t)/\sqrt{\hat v_t}\rangle
   \le\mathbb E\Big[C_1\underbrace{\sum_{t=1}^T\|\alpha_tg_t/\sqrt{\hat v_t}\|^2}_{A(T)}
   +C_2\underbrace{\sum_{t=2}^T\|a_t-a_{t-1}\|_1}_{B(T)}
   +C_3\underbrace{\sum_{t=2}^T\|a_t-a_{t-1}\|^2}_{B_2(T)}\Big]+C_4 .

With :math:`\gamma_t=\min_j\min_{g_{1:t}}a_{t,j}` the left side is at least
:math:`\sum_t\gamma_t\cdot\min_t\mathbb E\|\nabla f(x_t)\|^2`, so (our algebra)

.. math:: \min_{t\le T}\mathbb E\|\nabla f(x_t)\|^2\le
   \frac{C_1A(T)+C_2B(T)+C_3B_2(T)+C_4}{S(T)},\qquad S(T)=\sum_{t\le T}\gamma_t,

and the **conditions** (our statement of them): :math:`S(T)\to\infty` and
:math:`A(T),B(T),B_2(T)=o(S(T))`.

**Quantity bounds (ours, coordinate-wise** :math:`|g_{t,j}|\le H`, :math:`|g_{1,j}|\ge c>0`,
:math:`\alpha_t` **positive non-increasing).**

* SGD (:math:`\hat v=1`): :math:`\gamma_t=\alpha_t`, :math:`A\le dH^2\sum\alpha_t^2`,
  :math:`B\le d\alpha_1`, :math:`B_2\le d\alpha_1^2`.
* AMSGrad (:math:`\hat v_t=\max(\hat v_{t-1},v_t)`): :math:`(1-\beta_2)c^2\le\hat v_t\le H^2`, so
  :math:`\gamma_t=\alpha_t/H`, :math:`A\le\frac{dH^2}{(1-\beta_2)c^2}\sum\alpha_t^2`; :math:`a_t` is
  non-increasing, so :math:`B` telescopes: :math:`B\le\frac{d\alpha_1}{c\sqrt{1-\beta_2}}`,
  :math:`B_2\le\frac{d\alpha_1^2}{c^2(1-\beta_2)}`.
* AdaFom (:math:`\hat v_t=\frac1t\sum_{i\le t}g_i^2`), with :math:`\alpha_t\sqrt t` non-increasing:
  :math:`a_t=\alpha_t\sqrt t/\sqrt{\sum_{i\le t}g_i^2}` is non-increasing,
  :math:`\gamma_t=\alpha_t/H`, :math:`B\le d\alpha_1/c`, :math:`B_2\le d\alpha_1^2/c^2`, and by
  :math:`u\le-\log(1-u)` (so :math:`x_t/S_t\le\log(S_t/S_{t-1})`),
  :math:`A\le d\alpha_1^2(1+\log(TH^2/c^2))`.
* Adam: :math:`\hat v_t` can shrink, :math:`a_t` is not monotone; :math:`B` is not controlled by
  these arguments (and Reddi's example makes :math:`B/S` tend to a positive constant,
  ``chen2019.reddi_example``).

Sums of the schedule are handled by :func:`theorysim.theory._sympy_tools.sum_bounds` (exact, or
integral bounds after sympy proves the term positive and non-increasing).

**Simulations.**  The measured :math:`S,A,B,B_2` come from theorysim's engine
(``ts.methods.amsgrad / adafom / momentum / adam`` in the analysed form, ``monitor=True``) on the
built-in finite sum ``sign_split`` with :math:`c=(1.5,0.5)` (:data:`ENGINE_PROBLEM`: Huber
:math:`f`, :math:`H=1.5`, :math:`c=0.5`, d = 1); the plain NumPy recurrence
:func:`adam_type_recurrence` on :math:`\sum_j\log(1+x_j^2)` with uniform noise (:data:`PROBLEM`:
nonconvex, d = 2, same :math:`H,c,\beta_1,\beta_2`) is kept as an independent second check; a
check passes only if both respect the bounds.  Run on the engine's own instance and sample path
(:func:`engine_instance_oracle`), the recurrence reproduces the engine's iterates and quantities
to rounding (tests).  Index map: the engine counts steps k = t - 1 from 0; its schedule
:math:`1/\sqrt{k+1}` is :math:`\alpha_t=1/\sqrt t` and its monitor row after T updates holds the
statement's sums over t = 1..T (B, B2: t = 2..T).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from
from ._sympy_tools import is_nonincreasing, is_positive_on, leading_order, order_str, sum_bounds

C1, C2, C3, C4 = sp.symbols("C_1:5", positive=True)
SCHEDULES = {
    "1/sqrt(t)": 1 / sp.sqrt(S.t),
    "1/t": 1 / S.t,
    "t^(-1/4)": S.t ** sp.Rational(-1, 4),
    "constant": S.alpha,
}
_CITE = "Chen+19"
_SRC_NOTE = ("abstract [C] (order log T/sqrt T, AdaFom, conditions exist); theorem form [S]; "
             "C1..C4 unknown (symbols); conditions and quantity bounds: theorysim's")


@dataclass(frozen=True)
class Quantities:
    """Proven bounds on the three accumulated quantities and on S(T) for one method + schedule."""

    method: str
    schedule: sp.Expr
    S_lower: sp.Expr
    A_upper: sp.Expr | None
    B_upper: sp.Expr | None
    B2_upper: sp.Expr | None
    notes: tuple

    def rate(self):
        """Upper bound on min_t E||grad f||^2 implied by Theorem 3.1 (or None)."""
        if None in (self.A_upper, self.B_upper, self.B2_upper):
            return None
        return (C1 * self.A_upper + C2 * self.B_upper + C3 * self.B2_upper + C4) / self.S_lower


def quantity_bounds(method: str, alpha_t) -> Quantities:
    r"""Bounds of :math:`S(T)` (below) and :math:`A,B,B_2` (above) for ``method`` in
    ``{"sgd", "amsgrad", "adafom", "adam"}`` and the schedule :math:`\alpha_t` (a sympy expression
    in :data:`theorysim.theory._symbols.t`).  Every hypothesis on the schedule is proved by sympy
    first (``ValueError`` otherwise)."""
    t, T = S.t, S.T
    a = sp.sympify(alpha_t)
    if a.has(t) and not (is_positive_on(a, t) and is_nonincreasing(a, t)):
        raise ValueError(f"schedule {a} must be proved positive and non-increasing on t >= 1")
    a1 = a.subs(t, 1)
    s_sum = sum_bounds(a, t, T)
    sq_sum = sum_bounds(a**2, t, T)
    notes = [f"sum alpha_t: {s_sum.how}", f"sum alpha_t^2: {sq_sum.how}"]
    if method == "sgd":
        return Quantities(method, a, s_sum.lower, S.d * S.H**2 * sq_sum.upper, S.d * a1,
                          S.d * a1**2, tuple(notes))
    if method == "amsgrad":
        k = 1 / (S.c * sp.sqrt(1 - S.beta2))
        return Quantities(method, a, s_sum.lower / S.H,
                          S.d * S.H**2 * k**2 * sq_sum.upper, S.d * a1 * k, S.d * (a1 * k) ** 2,
                          tuple(notes))
    if method == "adafom":
        if not is_nonincreasing(a * sp.sqrt(t), t):
            raise ValueError(f"AdaFom bound needs alpha_t sqrt(t) non-increasing; {a} fails")
        notes.append("A via x_t/S_t <= log(S_t/S_(t-1))")
        return Quantities(method, a, s_sum.lower / S.H,
                          S.d * a1**2 * (1 + sp.log(T * S.H**2 / S.c**2)), S.d * a1 / S.c,
                          S.d * a1**2 / S.c**2, tuple(notes))
    if method == "adam":
        notes.append("Adam: effective step not monotone, B(T) not bounded by these arguments")
        return Quantities(method, a, s_sum.lower / S.H, None, None, None, tuple(notes))
    raise ValueError(f"unknown method {method!r}")


@functools.lru_cache(maxsize=64)
def decide_named(method: str, schedule: str) -> dict:
    """:func:`decide` for a method and a key of :data:`SCHEDULES` (memoised: sympy is slow)."""
    return decide(quantity_bounds(method, SCHEDULES[schedule]))


def decide(q: Quantities) -> dict:
    r"""Sympy decides the conditions: :math:`S\to\infty` and :math:`A/S,B/S,B_2/S\to0`.

    Returns ``{"holds": True/False/None, "limits": {...}, "rate": (coef, a, b) or None}``;
    ``None`` means "not implied by the available bounds"."""
    T = S.T
    lim = {"S": sp.limit(q.S_lower, T, sp.oo)}
    for name, up in (("A/S", q.A_upper), ("B/S", q.B_upper), ("B2/S", q.B2_upper)):
        lim[name] = None if up is None else sp.limit(up / q.S_lower, T, sp.oo)
    if any(v is None for v in lim.values()):
        return {"holds": None, "limits": lim, "rate": None}
    holds = lim["S"] == sp.oo and all(lim[k] == 0 for k in ("A/S", "B/S", "B2/S"))
    rate = leading_order(q.rate(), T) if holds else None
    return {"holds": bool(holds), "limits": lim, "rate": rate}


def log_lemma() -> bool:
    r"""Sympy proves :math:`u\le-\log(1-u)` on :math:`[0,1)` (value 0 at 0, derivative
    :math:`u/(1-u)\ge0`), the step behind AdaFom's :math:`A(T)=O(\log T)`."""
    u = sp.Symbol("u", nonnegative=True)
    phi = -sp.log(1 - u) - u
    dphi = sp.simplify(sp.diff(phi, u))
    return phi.subs(u, 0) == 0 and sp.simplify(dphi - u / (1 - u)) == 0


# --------------------------------------------------------------------------------------------
# simulations: theorysim's engine, and a NumPy recurrence as an independent second check
# --------------------------------------------------------------------------------------------
#: the NumPy recurrence's test problem: f(x) = sum_j log(1 + x_j^2) (2-smooth, |f'| <= 1,
#: nonconvex), x_1 = (1, 1), additive uniform noise on [-sigma, sigma] => H = 1 + sigma, c = 1 - sigma.
PROBLEM = dict(d=2, sigma=0.5, beta1=0.9, beta2=0.99)
#: the engine's instance: the built-in finite sum ``sign_split`` with c = (1.5, 0.5), i.e.
#: f = h (Huber: 1-smooth, f >= 0, |h'| <= 1), oracle c_I h'(x) with I uniform (unbiased, A3);
#: |g_t| <= H = 1.5, and x_1 = 2 gives |g_1| = c_I >= c = 0.5; d = 1.  Same (H, c, beta1, beta2) as
#: PROBLEM.  (PROBLEM's log(1 + x^2) as a user objective would make the engine recompile its loop
#: in every process, about 20 s of CPU on the 2-core machine: too slow for the quick checks.)
ENGINE_PROBLEM = dict(c=(1.5, 0.5), x1=2.0, seed=2019, beta1=0.9, beta2=0.99)
_INSTANCE = {"engine": "engine, sign_split c=(1.5, 0.5) (f = Huber, d=1), x_1=2, seed 2019",
             "recurrence": "numpy recurrence, log(1+x^2) d=2, uniform noise +-0.5"}
_VIA = {"engine": "engine", "recurrence": "numpy recurrence"}
#: SCHEDULES keys the engine has by name (alpha_t = alpha * sigma_t, kernel sigma at step k = t - 1)
_ENGINE_SCHEDULES = {"1/sqrt(t)": "inverse_sqrt", "1/t": "inverse", "constant": "constant"}


def adam_type_recurrence(method, alpha_fn, T, seed=2019, oracle=None, x1=None, trace=False, **kw):
    r"""Run Chen et al.'s generic update (``method`` in sgd / amsgrad / adafom / adam; no
    :math:`\epsilon`, no bias correction; "sgd" is :math:`\hat v=1` with the same momentum
    :math:`\beta_1` as the others) and return the measured :math:`S(T)=\sum_t\min_ja_{t,j}`,
    :math:`A(T)`, :math:`B(T)`, :math:`B_2(T)` and :math:`\min_t\|\nabla f(x_t)\|^2`.  A plain
    NumPy loop, labelled "numpy recurrence".

    By default on :data:`PROBLEM` (log(1 + x^2), uniform noise drawn with ``seed``).  ``oracle(t,
    x) -> (grad f(x), g_t)`` (t = 1..T) and ``x1`` replace the problem (e.g.
    :func:`engine_instance_oracle`); ``trace=True`` also returns the iterates ``x`` (rows
    :math:`x_1..x_{T+1}`) and the effective steps ``a`` (rows :math:`a_1..a_T`)."""
    p = {**PROBLEM, **kw}
    d, sig, b1, b2 = p["d"], p["sigma"], p["beta1"], p["beta2"]
    if oracle is None:
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        noise = rng.uniform(-sig, sig, size=(T, d))

        def oracle(t, x):
            gt = 2 * x / (1 + x * x)
            return gt, gt + noise[t - 1]

        x1 = np.ones(d) if x1 is None else x1
    elif x1 is None:
        raise ValueError("adam_type_recurrence: an oracle needs its start x1")
    x = np.array(x1, dtype=float).ravel()
    d = x.size
    m = np.zeros(d)
    v = np.zeros(d)
    vhat = np.zeros(d)
    ssq = np.zeros(d)
    a_prev = None
    Ssum = Asum = Bsum = B2sum = 0.0
    gmin = np.inf
    xs, As = [x], []
    for t in range(1, T + 1):
        gt, g = oracle(t, x)
        gmin = min(gmin, float(gt @ gt))
        at = alpha_fn(t)
        m = b1 * m + (1 - b1) * g
        if method == "sgd":
            vhat = np.ones(d)
        elif method in ("adam", "amsgrad"):
            v = b2 * v + (1 - b2) * g * g
            vhat = v if method == "adam" else np.maximum(vhat, v)
        elif method == "adafom":
            ssq += g * g
            vhat = ssq / t
        else:
            raise ValueError(method)
        a = at / np.sqrt(vhat)
        Ssum += float(a.min())
        Asum += float(np.sum((a * g) ** 2))
        if a_prev is not None:
            da = a - a_prev
            Bsum += float(np.abs(da).sum())
            B2sum += float(da @ da)
        a_prev = a
        x = x - a * m
        if trace:
            xs.append(x)
            As.append(a)
    out = dict(S=Ssum, A=Asum, B=Bsum, B2=B2sum, grad2_min=gmin)
    if trace:
        out.update(x=np.array(xs), a=np.array(As))
    return out


def engine_method(method, schedule_name, T):
    r"""The engine preset for ``method`` (sgd / amsgrad / adafom / adam) with base step 1 and the
    schedule ``SCHEDULES[schedule_name]`` (:math:`\alpha=1`), in Chen et al.'s analysed form: no
    :math:`\epsilon`, no bias correction, :math:`\beta_1,\beta_2` of :data:`ENGINE_PROBLEM`.

    "sgd" is ``ts.methods.momentum`` (:math:`\hat v=1`, :math:`m_t` with the same :math:`\beta_1`),
    as in :func:`adam_type_recurrence`; the SGD bounds do not depend on :math:`\beta_1`.  Schedules
    the engine does not have by name are passed as the array :math:`\alpha_1..\alpha_T`."""
    import theorysim as ts

    b1, b2 = ENGINE_PROBLEM["beta1"], ENGINE_PROBLEM["beta2"]
    sched = _ENGINE_SCHEDULES.get(schedule_name)
    if sched is None:
        phi = sp.lambdify(S.t, SCHEDULES[schedule_name].subs(S.alpha, 1))
        sched = np.array([float(phi(k)) for k in range(1, T + 1)])
    if method == "sgd":
        return ts.methods.momentum(1.0, beta1=b1, schedule=sched)
    if method == "amsgrad":
        return ts.methods.amsgrad(1.0, beta1=b1, beta2=b2, eps=0.0, bias_correction=False,
                                  schedule=sched)
    if method == "adafom":
        return ts.methods.adafom(1.0, beta1=b1, eps=0.0, schedule=sched)
    if method == "adam":
        return ts.methods.adam(1.0, beta1=b1, beta2=b2, eps=0.0, bias_correction=False,
                               schedule=sched)
    raise ValueError(f"unknown method {method!r}")


def engine_quantities(method, schedule_name, T, seed=None, trace=False):
    r"""Run :func:`engine_method` on :data:`ENGINE_PROBLEM` for T updates (``monitor=True``) and
    return ``S, A, B, B2, grad2_min`` as :func:`adam_type_recurrence` does (``trace``: also ``x``,
    rows :math:`x_1..x_{T+1}`).

    Mapping to the statement: the engine's monitor row after T updates holds
    :math:`S=\sum_{t=1}^T\min_ia_{t,i}`, :math:`A=\sum_{t=1}^T\|a_t\tilde g_t\|^2` and
    :math:`B,B_2=\sum_{t=2}^T` (its kernel counts k = t - 1 from 0 and sums the differences for
    k >= 1): the statement's A(T), B(T), B2(T) exactly.  The statement's S(T) sums the worst case
    :math:`\gamma_t=\min_j\min_{g_{1:t}}a_{t,j}`; the run's realised :math:`\min_ia_{t,i}` is at least
    :math:`\gamma_t`, and the bound checked (:math:`S\ge\sum_t\alpha_t/H` and its integral bound)
    is a lower bound of both.  ``grad2_min`` is computed from the recorded iterates,
    :math:`\nabla f(x)=\bar c\,h'(x)` (the recorded gradient norm is the sampled oracle's)."""
    import theorysim as ts

    p = ENGINE_PROBLEM
    f = ts.objectives.get("sign_split", c=p["c"])
    tr = ts.run(f, engine_method(method, schedule_name, T), x0=[p["x1"]], steps=T,
                record_every=1, monitor=True, seed=p["seed"] if seed is None else seed)
    if tr.diverged_at is not None or tr.iteration[-1] != T:
        raise RuntimeError(f"engine run of {method} stopped early: {tr.status}")
    out = {k: float(v[-1]) for k, v in tr.monitor.items()}
    gf = f.info["cbar"] * np.clip(tr.x[:T, 0], -1.0, 1.0)
    out["grad2_min"] = float(np.min(gf * gf))
    if trace:
        out["x"] = tr.x.copy()
    return out


def engine_draws(T, seed=None):
    r"""The component indices :math:`I_1..I_T` that the engine's ``sign_split`` oracle draws in a
    run seeded with ``seed``: one uniform per oracle call from the run's xoshiro256** stream
    (``theorysim.oracles._rng.seed_states(seed, 1)``; :math:`u` = top 53 bits of an output times
    :math:`2^{-53}`), :math:`I=\min(\lfloor un\rfloor,n-1)`, as in
    ``theorysim.objectives.finite_sum.grad_sign_split``.  Lets the recurrence run on the engine's
    sample path (:func:`engine_instance_oracle`)."""
    from ..oracles import _rng

    n = len(ENGINE_PROBLEM["c"])
    st = _rng.seed_states(ENGINE_PROBLEM["seed"] if seed is None else seed, 1)
    out = np.zeros((T, 1), dtype=np.uint64)
    _rng.fill_u64(st, out)
    u = (out[:, 0] >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return np.minimum((u * n).astype(np.int64), n - 1)


def engine_instance_oracle(T, seed=None):
    r"""``oracle`` for :func:`adam_type_recurrence`: the engine's instance (:data:`ENGINE_PROBLEM`)
    with the engine's draws (:func:`engine_draws`): returns :math:`(\bar c\,h'(x), c_{I_t}h'(x))`."""
    c = np.asarray(ENGINE_PROBLEM["c"], dtype=float)
    idx = engine_draws(T, seed)
    cbar = float(c.mean())

    def oracle(t, x):
        dh = np.clip(x, -1.0, 1.0)  # Huber h'
        return cbar * dh, c[idx[t - 1]] * dh

    return oracle


def _constants(via):
    """(d, H, c) of the instance the check runs on."""
    if via == "engine":
        c = np.abs(np.asarray(ENGINE_PROBLEM["c"], dtype=float))
        return 1, float(c.max()), float(c.min()) * min(1.0, abs(ENGINE_PROBLEM["x1"]))
    return PROBLEM["d"], 1 + PROBLEM["sigma"], 1 - PROBLEM["sigma"]


def _subs_problem(expr, T, via="recurrence"):
    d, H, c = _constants(via)
    b2 = (ENGINE_PROBLEM if via == "engine" else PROBLEM)["beta2"]
    vals = {S.d: d, S.H: sp.nsimplify(H), S.c: sp.nsimplify(c), S.beta2: sp.nsimplify(b2), S.T: T,
            S.alpha: 1}
    return float(sp.N(expr.subs(vals), 20))


def _measure_vs_bounds(method, schedule_name, T, via="engine"):
    """Measured quantities (``via`` = "engine" or "recurrence") vs the sympy bounds at the
    instance's (d, H, c, beta2)."""
    if via not in _VIA:
        raise ValueError(f"via must be 'engine' or 'recurrence', got {via!r}")
    q = quantity_bounds(method, SCHEDULES[schedule_name])
    if via == "engine":
        meas = engine_quantities(method, schedule_name, T)
    else:
        alpha = sp.lambdify(S.t, SCHEDULES[schedule_name].subs(S.alpha, 1))
        meas = adam_type_recurrence(method, lambda k: float(alpha(k)), T)
    checks = [("S", meas["S"], ">=", _subs_problem(q.S_lower, T, via))]
    for key, up in (("A", q.A_upper), ("B", q.B_upper), ("B2", q.B2_upper)):
        if up is not None:
            checks.append((key, meas[key], "<=", _subs_problem(up, T, via)))
    ok = all(compare(m, b, rel, rtol=1e-12) for _, m, rel, b in checks)
    text = ", ".join(f"{k} {m:.4g} {rel} {b:.4g}" for k, m, rel, b in checks)
    return ok, text, meas, checks


class _EngineAndRecurrence:
    """``simulate`` = the engine check (:meth:`simulate_engine`, headline numbers) and the NumPy
    recurrence on its own problem as an independent second check (:meth:`simulate_recurrence`);
    both must pass.  Subclasses implement ``_measure(quick, via) -> Verdict``."""

    def simulate_engine(self, quick=True):
        return self._measure(quick, "engine")

    def simulate_recurrence(self, quick=True):
        return self._measure(quick, "recurrence")

    def simulate(self, quick=True):
        from .reddi2018 import with_second_check

        return with_second_check(self.simulate_engine(quick), self.simulate_recurrence(quick))


# --------------------------------------------------------------------------------------------
# statements
# --------------------------------------------------------------------------------------------
class Theorem31(_EngineAndRecurrence, Statement):
    r"""Chen et al. 2019, Theorem 3.1 (form [S]) and the proven bounds on its three quantities.

    Symbolic check: sympy (i) verifies the reduction of the theorem to the rate
    :math:`\min_t\mathbb E\|\nabla f\|^2\le(C_1A+C_2B+C_3B_2+C_4)/S` for a two-coordinate example
    of the key inequality :math:`\sum_j g_j^2/\sqrt{\hat v_j}\ge\|g\|^2/\max_j\sqrt{\hat v_j}`,
    (ii) proves the log lemma behind AdaFom's :math:`A(T)`, (iii) derives the quantity bounds of
    AMSGrad and AdaFom for :math:`\alpha_t=1/\sqrt t` and checks that the resulting rate bound
    tends to 0.  Simulation: the measured :math:`S,A,B,B_2` of AMSGrad and AdaFom respect those
    bounds, on the engine (:data:`ENGINE_PROBLEM`, headline numbers) and, as an independent second
    check, in the NumPy recurrence on its own problem (:data:`PROBLEM`).
    """

    id = "chen2019.thm31"
    title = "Thm 3.1 form: min E||grad||^2 <= (C1 A + C2 B + C3 B2 + C4)/S; quantity bounds"
    source = Source("chen2019", "Theorem 3.1", f"{_CITE} Thm 3.1", "secondary", _SRC_NOTE)
    assumptions = ("A1: f L-smooth, bounded below [S]", "A2: |g_t,j|, |grad_j| <= H [S; norm ?]",
                   "A3: unbiased independent noise [S]", "beta_1t <= beta_1 < 1 non-increasing",
                   "|g_1,j| >= c > 0 (ours, for the AMSGrad/AdaFom bounds)")
    kind = "upper bound"
    main = "rate"

    def expressions(self):
        A, B, B2, Ssum = sp.symbols("A B B_2 S", positive=True)
        return {"rhs": C1 * A + C2 * B + C3 * B2 + C4,
                "rate": (C1 * A + C2 * B + C3 * B2 + C4) / Ssum}

    def symbolic_check(self):
        g1, g2, v1 = sp.symbols("g1 g2 v1", positive=True)
        w = sp.Symbol("w", nonnegative=True)
        # key step (d = 2, v_2 = v_1 + w the larger): sum_j g_j^2/sqrt(v_j) >= ||g||^2/sqrt(v_2);
        # the difference is g_1^2 D(w), D(0) = 0 and D' >= 0
        lhs = g1**2 / sp.sqrt(v1) + g2**2 / sp.sqrt(v1 + w)
        rhs = (g1**2 + g2**2) / sp.sqrt(v1 + w)
        D = 1 / sp.sqrt(v1) - 1 / sp.sqrt(v1 + w)
        key = (sp.simplify(lhs - rhs - g1**2 * D) == 0 and D.subs(w, 0) == 0
               and bool(sp.diff(D, w).is_nonnegative))
        facts = {"reduction step": key, "log lemma": log_lemma()}
        for method in ("amsgrad", "adafom"):
            dec = decide_named(method, "1/sqrt(t)")
            facts[f"{method} 1/sqrt(t): rate bound -> 0"] = dec["holds"] is True
        bad = [k for k, v in facts.items() if v is not True]
        return verdict_from(not bad, "; ".join(facts) if not bad else f"not proved: {bad}",
                            via="sympy")

    def _measure(self, quick, via):
        T = 5000 if quick else 50000
        lines, ok = [], True
        for method in ("amsgrad", "adafom"):
            good, text, meas, checks = _measure_vs_bounds(method, "1/sqrt(t)", T, via)
            ok &= good
            lines.append(f"{method}: {text}")
        a_meas, _, a_bound = next(c for c in checks if c[0] == "A")[1:]
        return verdict_from(ok, f"T={T}, {_INSTANCE[via]}: " + "; ".join(lines),
                            measured=a_meas, bound=a_bound, relation="<=", via=_VIA[via])


class Conditions(_EngineAndRecurrence, Statement):
    r"""The convergence conditions (our statement): :math:`S(T)\to\infty`, and
    :math:`A(T),B(T),B_2(T)=o(S(T))`, decided by sympy for (method, schedule) pairs.

    Claims checked: the conditions hold for SGD, AMSGrad and AdaFom with
    :math:`\alpha_t=1/\sqrt t` (rate :math:`\log T/\sqrt T`, as in the abstract [C]); AMSGrad with
    :math:`\alpha_t=1/t` converges at the slow rate :math:`1/\log T`; a constant step does not give
    :math:`A=o(S)` (the bound ratio tends to a positive constant; with noise of variance
    :math:`\sigma^2>0` per coordinate, :math:`\mathbb EA(T)\ge\alpha^2T\sigma^2/H^2` is really
    :math:`\Theta(S)`: the noise floor); for Adam the available bounds imply nothing (B is not
    controlled).  ``decide`` returns True (conditions proved), False (bound ratio not
    :math:`o(S)`) or None (a quantity has no bound).
    """

    id = "chen2019.conditions"
    title = "conditions S -> oo, A, B, B2 = o(S): decided per (method, schedule)"
    source = Source("chen2019", "the paper's conditions (section unconfirmed; form ours)",
                    f"{_CITE} conditions", "secondary",
                    _SRC_NOTE + "; A = o(S) ('variance') and B = o(S) ('bias') as named in the "
                    "authors' blog post 'Will Adam Algorithms Work for Me?' (IBM Research, 2019) "
                    "[S]; B2 = o(S) is theorysim's addition (the C3 term of the theorem form)")
    assumptions = Theorem31.assumptions
    kind = "condition"
    main = "rate"
    #: the claims: (method, schedule) -> expected decision (True / False / None = not implied)
    CLAIMS = {("sgd", "1/sqrt(t)"): True, ("amsgrad", "1/sqrt(t)"): True,
              ("adafom", "1/sqrt(t)"): True, ("amsgrad", "1/t"): True,
              ("amsgrad", "t^(-1/4)"): True, ("amsgrad", "constant"): False,
              ("adam", "1/sqrt(t)"): None}

    def expressions(self):
        return {"rate": quantity_bounds("amsgrad", SCHEDULES["1/sqrt(t)"]).rate()}

    def table(self):
        """``{(method, schedule): decide(...)}`` for every claimed pair."""
        return {k: decide_named(*k) for k in self.CLAIMS}

    def symbolic_check(self):
        rows, ok = [], True
        for key, dec in self.table().items():
            ok &= dec["holds"] == self.CLAIMS[key]
            r = dec["rate"]
            rate = f", rate {order_str(r[1], r[2])}" if r else ""
            lim = {k: (str(v) if v is not None else "?") for k, v in dec["limits"].items()}
            verdict = {True: "hold", False: "not o(S)", None: "not implied"}[dec["holds"]]
            rows.append(f"{key[0]} {key[1]}: {verdict}{rate} {lim}")
        return verdict_from(ok, "; ".join(rows), via="sympy")

    def _measure(self, quick, via):
        T = 3000 if quick else 30000
        lines, ok, worst = [], True, 0.0
        for method, sched in (("amsgrad", "1/sqrt(t)"), ("amsgrad", "1/t"),
                              ("amsgrad", "constant"), ("sgd", "1/sqrt(t)")):
            good, text, meas, checks = _measure_vs_bounds(method, sched, T, via)
            ok &= good
            for _, m, rel, b in checks:  # tightness of each check: 1 means the bound is attained
                worst = max(worst, m / b if rel == "<=" else b / m)
            lines.append(f"{method} {sched}: {text}, A/S = {meas['A'] / meas['S']:.3g}")
        return verdict_from(ok, f"T={T} (constant step = 1), {_INSTANCE[via]}: " + "; ".join(lines),
                            measured=worst, bound=1.0, relation="<=", via=_VIA[via])


class _Corollary(_EngineAndRecurrence, Statement):
    r"""Common part of the AMSGrad / AdaFom corollaries: rate :math:`O(\log T/\sqrt T)` with
    :math:`\alpha_t=1/\sqrt t`."""

    method = ""
    kind = "upper bound"
    main = "rate"

    def expressions(self):
        q = quantity_bounds(self.method, SCHEDULES["1/sqrt(t)"])
        return {"rate": q.rate(), "S": q.S_lower, "A": q.A_upper, "B": q.B_upper,
                "B2": q.B2_upper, "order": sp.log(S.T) / sp.sqrt(S.T)}

    def symbolic_check(self):
        e = self.expressions()
        coef, a, b = leading_order(e["rate"], S.T)
        w = sp.Symbol("w", positive=True)  # beta_2 = w/(1 + w) ranges over (0, 1)
        ok = (a == sp.Rational(-1, 2) and b == 1
              and bool(sp.simplify(coef.subs(S.beta2, w / (1 + w))).is_positive))
        sb = sum_bounds(SCHEDULES["1/sqrt(t)"], S.t, S.T)
        return verdict_from(ok, f"rate bound ~ {coef} * {order_str(a, b)} (abstract: log T/sqrt T)"
                                f"; sum 1/sqrt t in [{sb.lower}, {sb.upper}] ({sb.exact})",
                            via="sympy")

    def _measure(self, quick, via):
        T = 5000 if quick else 50000
        good, text, meas, checks = _measure_vs_bounds(self.method, "1/sqrt(t)", T, via)
        A = next(c for c in checks if c[0] == "A")
        return verdict_from(good, f"T={T}, {_INSTANCE[via]}: {text}; min_t ||grad f||^2 = "
                                  f"{meas['grad2_min']:.3g} (the rate itself needs C1..C4: "
                                  f"pending the paper)",
                            measured=A[1], bound=A[3], relation="<=", via=_VIA[via])


class CorollaryAMSGrad(_Corollary):
    r"""AMSGrad with :math:`\alpha_t=1/\sqrt t`: :math:`\min_t\mathbb E\|\nabla f(x_t)\|^2=
    O(\log T/\sqrt T)` (order [C] abstract; hypotheses our reading)."""

    id = "chen2019.cor_amsgrad"
    title = "AMSGrad, alpha_t = 1/sqrt t: O(log T / sqrt T)"
    source = Source("chen2019", "Corollary (AMSGrad)", f"{_CITE} Cor AMSGrad", "secondary",
                    "order [C abstract]; corollary hypotheses and constants not read")
    assumptions = Theorem31.assumptions + ("alpha_t = 1/sqrt t", "beta_2 in (0, 1)")
    method = "amsgrad"


class CorollaryAdaFom(_Corollary):
    r"""AdaFom with :math:`\alpha_t=1/\sqrt t`: :math:`O(\log T/\sqrt T)` (order [C] abstract)."""

    id = "chen2019.cor_adafom"
    title = "AdaFom, alpha_t = 1/sqrt t: O(log T / sqrt T)"
    source = Source("chen2019", "Corollary (AdaFom)", f"{_CITE} Cor AdaFom", "secondary",
                    "order [C abstract]; AdaFom v_t = (1/t) sum g_i^2 is our reading of the name")
    assumptions = Theorem31.assumptions + ("alpha_t = 1/sqrt t",)
    method = "adafom"


class ReddiExampleViolatesB(Statement):
    r"""Reddi et al.'s online problem violates Chen's bias condition for Adam (ours).

    On :math:`f_t(x)=Cx` (:math:`t\bmod3=1`), :math:`-x` otherwise, with :math:`\beta_1=0`,
    :math:`\beta_2=1/(1+C^2)`, :math:`\alpha_t=\alpha/\sqrt t` (Reddi et al. 2018, Sec. 3 [C-sub]),
    :math:`v_t` converges to the 3-cycle :math:`(v_0^*,v_1^*,v_2^*)` (closed form by sympy), so with
    the monitor :math:`S_{\rm tr}(T)=\sum_t\alpha_t/\sqrt{v_t}`

    .. math:: \frac{B(T)}{S_{\rm tr}(T)}\to\rho=\frac{\sum_k|v_k^{*-1/2}-v_{k-1}^{*-1/2}|}
       {\sum_kv_k^{*-1/2}}>0,

    while :math:`A(T)=O(\log T)=o(S)`.  For :math:`C=3` sympy gives :math:`\rho\approx0.5938`
    (Checkable 11 reported this number from a simulation).  Simulation (engine; the NumPy
    recurrence of :math:`v_t` as a second check of the same configuration, which must agree):
    measured :math:`B/S_{\rm tr}` at large T is close to :math:`\rho`; the engine's
    ``chen_verdict`` flags the bias condition for Adam and not for AMSGrad.
    """

    id = "chen2019.reddi_example"
    title = "Adam on Reddi's problem: B(T)/S(T) -> rho > 0 (bias condition violated)"
    source = Source("chen2019", "conditions vs Reddi+18 Sec. 3 problem", "Chen+19 x Reddi+18",
                    "ours", "problem [C-sub, Reddi]; limit-cycle analysis, rho, and the finding "
                    "that this failure is a bias-condition failure: theorysim's")
    assumptions = ("Reddi's online problem, C > 2", "Adam, beta1 = 0, beta2 = 1/(1 + C^2)",
                   "alpha_t = alpha/sqrt t, no epsilon")
    kind = "condition"
    main = "rho"

    def expressions(self):
        from .reddi2018 import limit_cycle

        _, v = limit_cycle(0, 1 / (1 + S.C**2), S.C, 3)
        r = [1 / sp.sqrt(vk) for vk in v]
        num = sum(sp.Abs(r[k] - r[k - 1]) for k in range(3))
        return {"rho": num / sum(r), "cycle": sp.Matrix(v)}

    def symbolic_check(self):
        rho3 = sp.nsimplify(self.expr.subs(S.C, 3))
        val = float(sp.N(rho3, 20))
        A_over_S = sp.limit(sp.log(S.T) / sp.sqrt(S.T), S.T, sp.oo)
        ok = val > 0 and A_over_S == 0
        return verdict_from(ok, f"rho(C=3) = {sp.N(rho3, 6)} > 0; A/S ~ log T/sqrt T -> "
                                f"{A_over_S}", via="sympy")

    T_QUICK, T_FULL = 30000, 300000

    def simulate_engine(self, quick=True):
        r"""The engine: ``ts.methods.adam(0.1, beta1=0, beta2=0.1, eps=0, bias_correction=False,
        schedule="inverse_sqrt")`` on ``linear_online(a=3, b=-1, period=3)``, monitored.  With d = 1
        the monitor's :math:`S=\sum_t\min_ia_{t,i}` is :math:`S_{\rm tr}(T)` and its
        :math:`B=\sum_{t\ge2}|a_t-a_{t-1}|` is B(T) (kernel steps k = t - 1 >= 1).  Also: the
        engine's :func:`theorysim.diagnostics.chen_verdict` must say "bias condition violated" for
        Adam and "conditions hold" for AMSGrad (same settings), whose :math:`B/S\to0`."""
        from ..diagnostics import chen_quantities, chen_verdict
        from .reddi2018 import engine_online

        Cv, alpha = 3.0, 0.1
        T = self.T_QUICK if quick else self.T_FULL
        b2 = 1 / (1 + Cv * Cv)
        every = T // 100  # chen_verdict fits the last decade of T: ~90 rows
        _, tr = engine_online(0.0, b2, Cv, 3, alpha, T, record_every=every)
        _, tra = engine_online(0.0, b2, Cv, 3, alpha, T, amsgrad=True, record_every=every)
        measured = float(chen_quantities(tr)["B/S"][-1])
        ams = float(chen_quantities(tra)["B/S"][-1])
        v_adam, v_ams = chen_verdict(tr), chen_verdict(tra)
        rho = self.evaluate(C=Cv)
        ok = (compare(measured, rho, "~=", rtol=0.02) and v_adam.verdict == "bias condition violated"
              and v_ams.verdict == "conditions hold")
        return verdict_from(ok, f"C=3, alpha=0.1, T={T}: Adam B/S = {measured:.5f} vs limit "
                                f"{rho:.5f}, x_T = {tr.x[-1, 0]:+.4f}, chen_verdict: {v_adam}; "
                                f"AMSGrad B/S = {ams:.3g}, x_T = {tra.x[-1, 0]:+.4f}, "
                                f"chen_verdict: {v_ams}",
                            measured=measured, bound=rho, relation="~=", via="engine")

    def simulate_recurrence(self, quick=True):
        """The independent plain-Python recurrence of :math:`v_t` and :math:`a_t` (same settings)."""
        Cv, alpha = 3.0, 0.1
        T = self.T_QUICK if quick else self.T_FULL
        b2 = 1 / (1 + Cv * Cv)
        v, a_prev, Bsum, Ssum = 0.0, None, 0.0, 0.0
        for t in range(1, T + 1):
            g = Cv if t % 3 == 1 else -1.0
            v = b2 * v + (1 - b2) * g * g
            a = alpha / math.sqrt(t) / math.sqrt(v)
            Ssum += a
            if a_prev is not None:
                Bsum += abs(a - a_prev)
            a_prev = a
        rho = self.evaluate(C=Cv)
        measured = Bsum / Ssum
        ok = compare(measured, rho, "~=", rtol=0.02)
        return verdict_from(ok, f"C=3, alpha=0.1, T={T}: B/S = {measured:.5f} vs limit "
                                f"{rho:.5f}", measured=measured, bound=rho, relation="~=",
                            via="numpy recurrence")

    def simulate(self, quick=True):
        from .reddi2018 import with_second_check

        eng, rec = self.simulate_engine(quick), self.simulate_recurrence(quick)
        # the same deterministic configuration: B/S agree to rounding
        gap = abs(eng.measured / rec.measured - 1)
        return with_second_check(eng, rec, (gap <= 1e-9, f"B/S rel. diff {gap:.1e}"), brief=True)


STATEMENTS = [Theorem31(), Conditions(), CorollaryAMSGrad(), CorollaryAdaFom(),
              ReddiExampleViolatesB()]

__all__ = ["STATEMENTS", "SCHEDULES", "PROBLEM", "ENGINE_PROBLEM", "Quantities", "quantity_bounds",
           "decide", "log_lemma", "adam_type_recurrence", "engine_method", "engine_quantities",
           "engine_draws", "engine_instance_oracle", "Theorem31", "Conditions", "CorollaryAMSGrad",
           "CorollaryAdaFom", "ReddiExampleViolatesB", "C1", "C2", "C3", "C4"]

if __name__ == "__main__":  # pragma: no cover
    from . import check_all, format_table

    print(format_table(check_all(paper="chen2019")))
